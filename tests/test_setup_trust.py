"""Set-up a facilitator can trust: one cohort per name, a cleared form, messages beside the
button, and join links made from an address people's phones can open."""

from __future__ import annotations

import ipywidgets as W
import pytest

SETUP_KEY = "a-setup-key-long-enough-1234"
ENVIRON = {"SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8866",
           "SCRIPT_NAME": "/voila/render/11_facilitator_setup.ipynb"}


def _settings(**overrides):
    from kit.config import get_settings

    return get_settings().__class__(**{**get_settings().__dict__, **overrides})


def _app(store, **settings):
    from kit.apps.setup import SetupApp
    from kit.apps.setup_model import SetupModel

    model = SetupModel(store, _settings(setup_key=SETUP_KEY, **settings))
    app = SetupApp(store, model, environ=ENVIRON)
    app.key.value = SETUP_KEY
    app._unlock()
    return app, model


def _fill(app, name):
    app.name.value, app.groups.value = name, "North\nSouth"


@pytest.mark.parametrize("variant", ["Spring 2026", "spring 2026", " SPRING  2026 ",
                                     "Spring\t2026"])
def test_a_cohort_name_already_used_is_refused_beside_the_button(kit_store, variant):
    app, model = _app(kit_store)
    _fill(app, "Spring 2026")
    app._create()
    assert app.create_messages.kind == "success"
    n = len(kit_store.list_cohorts())
    # the form is cleared, so a second press makes nothing
    assert app.name.value == "" and app.groups.value == ""
    app._create()
    assert len(kit_store.list_cohorts()) == n and app.create_messages.kind == "error"
    _fill(app, variant)
    app._create()
    assert len(kit_store.list_cohorts()) == n
    assert app.create_messages.kind == "error"
    assert "already a cohort called \u201cSpring 2026\u201d" in app.create_messages.text
    assert app.messages.kind == ""  # not off-screen at the top of the page
    # the refused form keeps what was typed, to change the name
    assert app.name.value == variant
    children = list(app.body.children)
    assert children.index(app.create_messages) == children.index(
        next(w for w in children if isinstance(w, W.Button)
             and w.description == "Create cohort")) + 1


def test_a_different_name_is_a_new_cohort(kit_store):
    app, _model = _app(kit_store)
    _fill(app, "Spring 2026")
    app._create()
    _fill(app, "Spring 2026 second intake")
    app._create()
    assert app.create_messages.kind == "success"
    assert {c.name for c in kit_store.list_cohorts()} >= {"Spring 2026",
                                                         "Spring 2026 second intake"}


@pytest.mark.parametrize("address", ["http://127.0.0.1:8866/voila/render/",
                                     "http://localhost/voila/render/",
                                     "http://0.0.0.0:8866/", "https://[::1]/"])
def test_a_loopback_address_warns_before_the_sheet_is_printed(address):
    from kit.apps.setup_model import address_problem

    problem = address_problem(address, resolve=lambda host: None)
    assert problem and "only works on this computer" in problem


def test_an_address_that_cannot_be_found_or_is_not_web_warns():
    from kit.apps.setup_model import address_problem

    def unknown(host):
        raise OSError("no such host")

    assert "cannot find" in address_problem("https://kit.exmaple.org/", resolve=unknown)
    assert "not a web address" in address_problem("kit.example.org", resolve=unknown)
    assert address_problem("https://kit.example.org/voila/render/",
                           resolve=lambda host: None) is None


def test_the_public_address_is_set_once_and_used_for_every_link(kit_store):
    from kit.apps.setup_model import public_address

    s = _settings(public_url="https://kit.example.org")
    assert public_address(ENVIRON, s) == "https://kit.example.org/voila/render/"
    s = _settings(public_url="https://kit.example.org/apps/voila/render/")
    assert public_address(ENVIRON, s) == "https://kit.example.org/apps/voila/render/"
    assert public_address(ENVIRON, _settings(public_url=None)) == (
        "http://127.0.0.1:8866/voila/render/")
    app, _model = _app(kit_store, public_url="https://kit.example.org")
    assert app.address.value == "https://kit.example.org/voila/render/"


def test_the_setting_is_checked():
    from kit.config import ConfigError, load_settings

    with pytest.raises(ConfigError, match="KIT_PUBLIC_URL"):
        load_settings({"KIT_PUBLIC_URL": "kit.example.org"})
    assert load_settings({"KIT_PUBLIC_URL": "https://kit.example.org/"}).public_url == (
        "https://kit.example.org/")


def test_the_sheet_warns_and_follows_a_corrected_address(kit_store):
    import json

    app, model = _app(kit_store)
    assert app.address_note.kind == "warning"  # 127.0.0.1, from the request
    _fill(app, "Autumn")
    app._create()

    def shown():
        out, stack = [], [app.created_area]
        while stack:
            w = stack.pop()
            out.append(getattr(w, "value", ""))
            stack.extend(getattr(w, "children", ()))
        return json.dumps(out)

    assert "only works on this computer" in shown() and "127.0.0.1" in shown()
    app.address.value = "http://192.0.2.10:8866/voila/render/"
    assert app.address_note.kind == ""
    assert "only works on this computer" not in shown()
    assert "http://192.0.2.10:8866/voila/render/01_self_assessment.ipynb?join=" in shown()
    assert "127.0.0.1" not in shown()


def test_a_lost_facilitator_key_and_join_sheet_are_replaced_with_the_set_up_key(kit_store):
    import json

    from kit.apps.identity import SignInModel
    from kit.store.errors import CodeError

    app, model = _app(kit_store)
    _fill(app, "Winter")
    app._create()
    created = model.created
    member = SignInModel(kit_store).join(created.join_codes["North"], "Ann")
    app.address.value = "http://192.0.2.10:8866/voila/render/"
    assert app.recover_cohort.label == "Winter"
    assert list(app.recover_group.options) == ["North", "South"]

    app._new_key()
    assert app.key_recover_messages.kind == "success"
    shown = json.dumps([getattr(w, "value", "") for w in app.recover_area.children])
    new_key = next(k for k in [created.facilitator_key] + shown.split("kit-key-value")[1:]
                   if k != created.facilitator_key)
    with pytest.raises(CodeError):
        kit_store.cohort_by_facilitator_key(created.facilitator_key)
    key = new_key.split(">", 1)[1].split("<", 1)[0]
    assert kit_store.cohort_by_facilitator_key(key).name == "Winter"

    app.recover_group.value = "North"
    app._new_code()
    assert app.code_messages.kind == "success"
    page = json.dumps([getattr(w, "value", "") for w in app.recover_area.children])
    assert "http://192.0.2.10:8866/voila/render/01_self_assessment.ipynb?join=" in page
    with pytest.raises(CodeError):
        kit_store.cohort_for_join_code(created.join_codes["North"])
    code = page.split("?join=", 1)[1][:19]
    cohort, group = kit_store.cohort_for_join_code(code)
    assert (cohort.name, group.name) == ("Winter", "North")
    # the member who joined with the old code is still in the group
    assert kit_store.participant(member.participant_id).group_id == group.id
    # South's code is untouched
    assert kit_store.cohort_for_join_code(created.join_codes["South"])[1].name == "South"


def test_recovery_needs_the_set_up_key(kit_store):
    from kit.apps.setup_model import SetupDenied, SetupModel

    model = SetupModel(kit_store, _settings(setup_key=SETUP_KEY))
    kit_store.create_cohort("Locked", groups=["A"], rounds=["R1"])
    with pytest.raises(SetupDenied):
        model.new_facilitator_key(kit_store.list_cohorts()[0].id)
    with pytest.raises(SetupDenied):
        model.new_join_code(kit_store.list_cohorts()[0].id, "A", "https://x.org/")


# -- counts and states in the rounds table ---------------------------------------------------

def _rounds_table(app):
    import re

    table = app.rounds_area.children[0].value
    rows = re.findall(r"<tr>(.*?)</tr>", table)
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
            for r in rows]


def test_the_rounds_table_says_state_counts_and_results(kit_store):
    from kit.apps.identity import SignInModel

    app, model = _app(kit_store)
    _fill(app, "Counted")
    app.rounds.value = "Baseline\nMiddle\nEnd"
    app._create()
    for name in ("Ann", "Bo", "Cy"):
        SignInModel(kit_store).join(model.created.join_codes["North"], name)
    app._show_rounds()
    head, *rows = _rounds_table(app)
    assert head == ["Round", "State", "Counted", "Answered", "Results"]
    # not open yet: it counts everyone who has joined so far
    assert rows[0] == ["Baseline", "not open yet", "3", "0", "none yet"]
    app._open_round()
    SignInModel(kit_store).join(model.created.join_codes["South"], "Di")  # counts from Middle
    app._show_rounds()
    _head, *rows = _rounds_table(app)
    assert rows[0][1].startswith("open since ") and rows[0][2:] == [
        "3", "0", "published when the round closes"]
    assert rows[1][:3] == ["Middle", "not open yet", "4"]
    assert "0 of the 3 people counted have answered" in app.rounds_area.children[0].value
    app._close_round()  # nobody answered Baseline: it goes back to not open
    assert app.round_messages.kind == "success"


def test_round_status_words_cover_every_state():
    import datetime as dt

    from kit.analysis.rounds import RoundStatus

    at = dt.datetime(2026, 12, 5, 10, 0)
    assert RoundStatus("R", "not open", 4, 0, 0, False).state_words == "not open yet"
    assert RoundStatus("R", "open", 4, 1, 0, False, opened_at=at).state_words == (
        "open since 5 December 2026")
    closed = RoundStatus("R", "closed", 4, 4, 0, True, closed_at=at, opened_at=at)
    assert closed.state_words == "closed on 5 December 2026"
    assert closed.results_words == "published, final"
    held = RoundStatus("R", "closed", 4, 4, 0, True, ("North",), at)
    assert "held for North" in held.results_words and "resolve" in held.results_words
    unfinished = RoundStatus("R", "closed", 4, 4, 0, False, (), at)
    assert unfinished.results_words.startswith("not published yet")


# -- extra join codes, recorded ----------------------------------------------------------------

def test_an_extra_join_code_joins_the_same_group_and_is_recorded(kit_store):
    import json

    from kit.analysis.cohort import CohortData
    from kit.apps.identity import SignInModel

    app, model = _app(kit_store)
    _fill(app, "Extra")
    app._create()
    created = model.created
    app.address.value = "http://192.0.2.10:8866/voila/render/"
    app.recover_group.value = "South"
    app._extra_code()
    assert app.extra_messages.kind == "success" and "still join" in app.extra_messages.text
    page = json.dumps([getattr(w, "value", "") for w in app.recover_area.children])
    assert "join-sheet-south.html" in page
    extra = page.split("?join=", 1)[1][:19]
    assert extra != created.join_codes["South"]
    # both codes join South; North's is untouched
    for code in (extra, created.join_codes["South"]):
        assert kit_store.cohort_for_join_code(code)[1].name == "South"
    joined = SignInModel(kit_store).join(extra, "Dee")
    assert kit_store.participant(joined.participant_id).group_id == (
        kit_store.cohort_for_join_code(extra)[1].id)
    assert model.code_counts(created.cohort_id) == {"North": 1, "South": 2}
    # replacing South's own code leaves the extra one working
    app._new_code()
    assert kit_store.cohort_for_join_code(extra)[1].name == "South"
    # every act is recorded, listed in set-up and on the dashboard (never the code itself)
    app._new_key()
    notes = model.code_history(created.cohort_id)
    assert [n.split(" the set-up key holder ", 1)[1].split(";")[0] for n in notes] == [
        "issued an extra join code for South", "replaced the join code of South",
        "issued a new facilitator key"]
    assert all(n in app.codes_note.value for n in notes)
    assert "South: 2 join codes work" in app.codes_note.value
    assert extra not in app.codes_note.value
    events = kit_store.membership_events(created.cohort_id)
    assert extra not in json.dumps([e["detail"] for e in events])
    data = CohortData.from_store(kit_store, created.cohort_id)
    assert set(notes) <= set(data.membership_notes)


def test_an_extra_join_code_needs_the_set_up_key_and_a_real_group(kit_store):
    from kit.apps.errors import Refused
    from kit.apps.setup_model import SetupDenied, SetupModel

    kit_store.create_cohort("Locked", groups=["A"], rounds=["R1"])
    cid = kit_store.list_cohorts()[0].id
    with pytest.raises(SetupDenied):
        SetupModel(kit_store, _settings(setup_key=SETUP_KEY)).extra_join_code(cid, "A", "x")
    _app_, model = _app(kit_store)
    with pytest.raises(Refused, match="Choose a group"):
        model.extra_join_code(cid, "Nope", "https://x.org/")


# -- participation.csv says the truth -----------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(k=st.integers(3, 12), sizes=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)),
                                            min_size=1, max_size=6))
def test_participation_never_asks_a_small_group_for_more_answers(k, sizes):
    import pandas as pd

    from kit.analysis.participation import participation_table
    from kit.analysis.privacy import Rules

    members = [m for m, _r in sizes]
    responded = [min(r, m) for m, r in sizes]
    part = pd.DataFrame({"group": [f"G{i}" for i in range(len(sizes))], "round": "R",
                         "members": members, "responded": responded})
    out = participation_table(part, Rules(min_group_size=k, min_comment_size=max(k, 10)))
    for row in out.itertuples():
        if row.members < k:
            assert pd.isna(row.still_needed)
            assert row.note == f"a group of {row.members} can never reach {k}"
        else:
            assert row.still_needed == max(k - row.responded, 0)
            assert ("needs" in row.note) == (row.responded < k)


def test_participation_csv_for_a_group_of_three():
    import pandas as pd

    from kit.analysis.participation import participation_table
    from kit.analysis.privacy import Rules
    from kit.report.group import csv_bytes

    part = pd.DataFrame({"group": ["Three", "Eight"], "round": "Baseline", "members": [3, 8],
                         "responded": [3, 3]})
    text = csv_bytes(participation_table(part, Rules(min_group_size=5))).decode()
    assert "Three,Baseline,3,3,1.0,False,,a group of 3 can never reach 5" in text
    assert "Eight,Baseline,8,3,0.38,False,2,needs 2 more answers" in text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 5, allow_nan=False), min_size=1, max_size=8))
def test_means_are_written_as_they_are_shown(values):
    import pandas as pd

    from kit.charts._words import fmt
    from kit.report.group import csv_bytes

    frame = pd.DataFrame({"mean": [round(v, 1) for v in values],
                          "sd": [round(v / 2, 1) for v in values]})
    lines = csv_bytes(frame).decode().splitlines()[1:]
    for line, v in zip(lines, frame.itertuples(), strict=True):
        mean, sd = line.split(",")
        assert float(mean) == float(fmt(v.mean)) and len(mean.split(".")[-1]) <= 1
        assert float(sd) == float(fmt(v.sd)) and len(sd.split(".")[-1]) <= 1
