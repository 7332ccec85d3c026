"""The facilitator's and the reports' words go through the translation layer.

Each test reads a page (or chart) in the pseudo-language, made afresh from the code as it is
now (extract, transform, compile into a temporary folder), so the test does not depend on the
committed catalogues being up to date: any English left is a string that is not wrapped.
What people typed (cohort, group, round and organisation names, reflections, commitments)
stays as written and is left out of the check.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from unittest import mock

import pytest

import kit.i18n as i18n
from kit.i18n import PSEUDO, use_language
from kit.i18n.pseudo import is_pseudo

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pseudo_catalogue(tmp_path_factory):
    """A pseudo-language catalogue compiled from the current code, used for the module."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from kit.i18n import catalogues
    from kit.i18n.pseudo import write_pseudo_catalogue

    root = tmp_path_factory.mktemp("locale")
    pot = root / "kit.pot"
    with mock.patch.object(catalogues, "TEMPLATE", pot):
        catalogues.extract(REPO)
    po = root / PSEUDO / "LC_MESSAGES" / "kit.po"
    write_pseudo_catalogue(pot, po)
    with open(po, "rb") as fp:
        catalog = read_po(fp)
    with open(po.with_suffix(".mo"), "wb") as fp:
        write_mo(fp, catalog)
    with mock.patch.object(i18n, "LOCALE_DIR", root):
        i18n.reload_catalogues()
        yield root
    i18n.reload_catalogues()


@pytest.fixture(scope="module")
def demo(tmp_path_factory, pseudo_catalogue):
    from kit.demo import seed_demo
    from kit.store import Store

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('i18n-reports') / 'kit.db'}")
    codes = seed_demo(store)
    yield store, codes
    store.close()


def _typed(store, cohort_id) -> set[str]:
    """Everything people typed that a facilitator page may show as it is."""
    info = store.cohort(cohort_id)
    typed = {info.name, *(g.name for g in info.groups), *(r.name for r in info.rounds)}
    from kit.content import load_framework

    frame = store.responses_frame(cohort_id, load_framework("collaboration-behaviours").id)
    for col in ("organisation", "sector", "role_level"):
        typed |= {str(v) for v in frame[col].dropna().unique()}
    return {t for t in typed if t}


def _english(text: str, typed: set[str]) -> list[str]:
    """Runs of text with plain English letters left once typed names are taken out."""
    for name in sorted(typed, key=len, reverse=True):
        text = re.sub(r"(?<![A-Za-z])" + re.escape(name) + r"(?![A-Za-z])", " ", text)
    return [line.strip() for line in text.splitlines()
            if re.search(r"[A-Za-z]{2,}", line) and not is_pseudo(line)]


def _page_text(page: str) -> str:
    text = re.sub(r"<script.*?</script>|<style.*?</style>|<svg.*?</svg>", "\n", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", text))


def _spec_words(spec) -> list[str]:
    """Titles, subtitles and legend/axis titles written into a Vega-Lite spec."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "datasets":
                    continue
                if key in ("title", "subtitle"):
                    values = value if isinstance(value, list) else [value]
                    out.extend(v for v in values if isinstance(v, str))
                    if isinstance(value, dict):
                        walk(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return out


def test_group_report_has_no_english_left(demo):
    from kit.report.group import group_report_html

    store, codes = demo
    typed = _typed(store, codes.cohort_id)
    with use_language(PSEUDO):
        page = group_report_html(store, codes.cohort_id)
    # shared answers to the prompt are people's own words, each in a <blockquote>
    text = _page_text(re.sub(r"<blockquote>.*?</blockquote>", "", page, flags=re.S))
    # the tables' CSV file names are names of files, not words
    text = re.sub(r"[\w-]+\.csv", " ", text)
    left = _english(text, typed)
    assert not left, left[:20]
    assert "<html lang='en-GB'" in page


def test_every_facilitator_chart_is_in_the_reader_language(demo):
    from kit.analysis.cohort import VIEWS, CohortData
    from kit.analysis.privacy import ALL_GROUPS
    from kit.charts._table import spec_table
    from kit.views import view_charts

    store, codes = demo
    typed = _typed(store, codes.cohort_id)
    with use_language(PSEUDO):
        data = CohortData.from_store(store, codes.cohort_id)
        left = []
        drawn = 0
        for view in VIEWS:
            assert is_pseudo(view.label) and is_pseudo(view.about)
            for group in (ALL_GROUPS, data.groups[0]):
                for item in view_charts(data, view.id, group=group, by="all"):
                    drawn += 1
                    spec = item.chart.to_dict()
                    headings, rows = spec_table(spec)
                    words = [item.title, item.description, item.how_to_read,
                             *_spec_words(spec), *headings]
                    words += [cell for row in rows for cell in row]
                    for w in words:
                        left += [f"{view.id}: {line}" for line in _english(str(w), typed)]
    assert drawn >= 9
    assert not left, left[:20]


def test_update_status_and_withheld_notes_in_the_reader_language():
    import datetime as dt

    from kit.analysis.privacy import WITHHELD_NOTE, note_in_words, suppressed_note
    from kit.analysis.rounds import HELD_NOTE, RoundStatus, stored_note
    from kit.analysis.snapshots import UpdateStatus

    statuses = [UpdateStatus("R1", False, 0, 3, True), UpdateStatus("R1", True, 0, 3, True),
                UpdateStatus("R1", True, 1, 3, True), UpdateStatus("R1", False, 4, 3, True),
                UpdateStatus("R1", True, 4, 3, False),
                RoundStatus("R1", "not open", 4, 0, 0, False),
                RoundStatus("R1", "open", 4, 2, 1, False),
                RoundStatus("R1", "closed", 4, 4, 0, False),
                RoundStatus("R1", "closed", 4, 4, 0, True, ("A",), dt.datetime(2026, 12, 5))]
    english = [s.message for s in statuses]
    assert english[2].startswith("R1: 1 response new") and "final" in english[2]
    assert "Results appear when the round closes" in english[6]
    with use_language(PSEUDO):
        for s in statuses:
            assert is_pseudo(s.message.replace("R1", "").replace("A", "")), s.message
        assert is_pseudo(stored_note(HELD_NOTE))
        assert is_pseudo(stored_note("a group of 3 can never reach 5").replace("3", ""))
        assert is_pseudo(suppressed_note(2, 5)) and is_pseudo(suppressed_note(6, 5))
        # published snapshots keep notes in English; they are read in the reader's language
        assert note_in_words(WITHHELD_NOTE) == suppressed_note(6, 5)
        assert note_in_words("fewer than 5 responses") == suppressed_note(2, 5)
        assert note_in_words("something else") == "something else"


def test_join_sheet_in_the_reader_language():
    from kit.apps.setup_model import JoinSheetGroup
    from kit.report.join_sheet import join_sheet_html

    groups = [JoinSheetGroup("North", "K7QF-2MRX-9WZD-HT4P",
                             "http://localhost:8866/voila/render/x.ipynb?join=K7QF-2MRX-9WZD-HT4P")]
    with use_language(PSEUDO):
        page = join_sheet_html("Spring 2026", groups)
    text = _page_text(page).replace("K7QF-2MRX-9WZD-HT4P", " ")
    text = re.sub(r"https?://\S+", " ", text)
    left = _english(text, {"North", "Spring 2026"})
    assert not left, left
    assert "North" in page and "<strong>" in page


def test_personal_report_headings_in_the_reader_language(demo):
    """The report's own headings, table headings and notes (its charts' words are the
    personal charts' own, checked with them)."""
    from kit.report.personal import personal_report_html

    store, codes = demo
    pid = codes.participant_id
    store.set_participant_language(pid, PSEUDO)
    try:
        for charts in ("interactive", "svg"):
            page = personal_report_html(store, pid, charts=charts)
            # the report's own words, not its charts' (nor their data tables)
            own = re.sub(r"<script.*?</script>|<style.*?</style>|<figure.*?</figure>", "",
                         page, flags=re.S)
            heads = re.findall(r"<(?:h1|h2|caption|th scope='col')>(.*?)</", own, flags=re.S)
            name = store.participant(pid).display_name or ""
            left = [t for t in heads if not is_pseudo(html.unescape(t).replace(name, ""))]
            assert heads and not left, left
            if charts == "svg":
                footer = re.search(r"@bottom-center \{ content: ([^;]*);", page).group(1)
                assert "counter(page)" in footer and "counter(pages)" in footer
                assert is_pseudo(re.sub(r"counter\(\w+\)", "", footer).replace('"', ""))
    finally:
        store.set_participant_language(pid, None)


def test_reports_in_english_are_unchanged(demo):
    """English stays the kit's source language: the same words as before wrapping."""
    from kit.report.group import group_report_html

    store, codes = demo
    page = group_report_html(store, codes.cohort_id)
    for words in ("Who has taken part", "Group profile", "How our habits vary",
                  "How to read this:", "Show the data as a table"):
        assert words in page, words


#: Join codes, facilitator keys and their placeholder: codes, not words.
_CODE = re.compile(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}")


def _widget_words(widget) -> list[str]:
    """The words a widget tree shows: labels, tooltips, placeholders, HTML text, options."""
    import ipywidgets as W

    out: list[str] = []
    for name in ("description", "tooltip", "placeholder"):
        value = getattr(widget, name, None)
        if isinstance(value, str) and value:
            out.append(value)
    if isinstance(widget, W.HTML | W.HTMLMath | W.Label):
        # commands and settings in <code> are typed as they are, in any language
        out.append(_page_text(re.sub(r"<code>.*?</code>", "", widget.value, flags=re.S)))
    if isinstance(widget, W.Dropdown):
        out.extend(o[0] if isinstance(o, tuple) else str(o) for o in widget.options)
    for child in getattr(widget, "children", ()):
        out.extend(_widget_words(child))
    return out


def test_set_up_app_in_the_reader_language(tmp_path, pseudo_catalogue):
    from kit.apps.setup import SetupApp
    from kit.apps.setup_model import SetupModel
    from kit.config import get_settings
    from kit.store import Store

    store = Store(f"sqlite:///{tmp_path / 'kit.db'}")
    try:
        settings = get_settings().__class__(**{**get_settings().__dict__, "setup_key": "k" * 20})
        with use_language(PSEUDO):
            locked = SetupApp(store, SetupModel(store, settings), environ={})
            left = [line for w in _widget_words(locked.body) for line in _english(w, set())]
            model = SetupModel(store, settings)
            model.unlock_with_key("k" * 20)
            app = SetupApp(store, model, environ={})
            # what people type (and the kit's example values) is theirs to change
            for box in (app.name, app.groups, app.organisations, app.rounds):
                box.value = {app.name: "Spring", app.groups: "North\nSouth"}.get(box, box.value)
            app._create()
            typed = {"Spring", "North", "South", *app.rounds.value.splitlines()}
            words = _widget_words(app.body) + [app.messages.text]
            # framework choices are content: "title (id)", the id is a file name
            ids = {v for picker in (app.self_framework, app.team_framework)
                   for _l, v in picker.options}
            left += [line for w in words for line in _english(w, typed | ids)
                     if not _CODE.fullmatch(line)]
        assert not left, left[:20]
    finally:
        store.close()
