"""The translation layer (kit.i18n), translated content, languages in the store, reports in the
person's language, the pseudo-language, and the catalogues being up to date."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kit.i18n import (
    PSEUDO,
    LanguageError,
    _,
    check_language,
    get_language,
    lazy_gettext,
    ngettext,
    pick,
    resolve_language,
    use_language,
)
from kit.i18n.pseudo import is_pseudo, pseudo

REPO = Path(__file__).resolve().parents[1]


# -- the pseudo-language -------------------------------------------------------------------
@given(st.text(alphabet=st.characters(codec="ascii", categories=("L", "N", "P", "Zs")),
               min_size=1))
def test_pseudo_transforms_every_letter_and_keeps_placeholders(text):
    out = pseudo(text)
    if not text.strip():
        assert out == text
        return
    assert out.startswith("[") and out.endswith("]")
    assert is_pseudo(out)


def test_pseudo_keeps_format_fields_tags_and_entities():
    out = pseudo("Step {n} of {total}: <strong>%(name)s</strong> &amp; %s")
    for kept in ("{n}", "{total}", "<strong>", "</strong>", "%(name)s", "&amp;", "%s"):
        assert kept in out
    assert out.format(n=1, total=8).count("1") == 1


# -- gettext ---------------------------------------------------------------------------------
def test_messages_in_the_current_language_and_back():
    assert _("Next") == "Next"
    with use_language(PSEUDO):
        assert get_language() == PSEUDO
        assert _("Next") == pseudo("Next")
        # not in any catalogue: the source text, in the right number
        assert ngettext("{n} zebra seen", "{n} zebras seen", 1) == "{n} zebra seen"
        assert ngettext("{n} zebra seen", "{n} zebras seen", 3) == "{n} zebras seen"
        lazy = lazy_gettext("Back")
        assert str(lazy) == pseudo("Back")
    assert str(lazy) == "Back"
    assert _("Next") == "Next"


def test_pseudo_translations_without_a_compiled_catalogue_keep_plural_forms():
    from kit.i18n.pseudo import PseudoTranslations

    t = PseudoTranslations()
    assert t.ngettext("{n} person", "{n} people", 1) == pseudo("{n} person")
    assert t.ngettext("{n} person", "{n} people", 2) == pseudo("{n} people")


def test_a_language_without_a_catalogue_shows_the_source_text():
    with use_language("cy"):
        assert _("Next") == "Next"


def test_language_order_person_then_cohort_then_default(monkeypatch):
    monkeypatch.delenv("KIT_LANGUAGE", raising=False)
    assert resolve_language("cy", "fr") == "cy"
    assert resolve_language(None, "fr") == "fr"
    assert resolve_language(None, None) == "en"
    monkeypatch.setenv("KIT_LANGUAGE", "cy")
    assert resolve_language(None, None) == "cy"


def test_bad_language_codes_are_refused_with_the_fix():
    for bad in ("Welsh", "", "e", "en_GB", 3):
        with pytest.raises(LanguageError, match="use a code such as 'en'"):
            check_language(bad)


def test_bad_default_language_stops_at_start_up(monkeypatch):
    from kit.config import ConfigError
    from kit.i18n import default_language

    monkeypatch.setenv("KIT_LANGUAGE", "Cymraeg")
    with pytest.raises(ConfigError, match="KIT_LANGUAGE"):
        default_language()


# -- the catalogues ---------------------------------------------------------------------------
def test_catalogues_are_up_to_date_and_the_pseudo_language_covers_every_message(tmp_path):
    """Every wrapped string is in the template, the pseudo catalogue and its compiled form.
    When this fails, run `make translations` and commit the result."""
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    from kit.i18n import LOCALE_DIR, catalogues

    committed = {m.id for m in read_po(open(catalogues.TEMPLATE, "rb")) if m.id}
    fresh_pot = tmp_path / "kit.pot"
    from unittest import mock

    with mock.patch.object(catalogues, "TEMPLATE", fresh_pot):
        catalogues.extract(REPO)
    fresh = {m.id for m in read_po(open(fresh_pot, "rb")) if m.id}
    assert fresh == committed, (
        "kit/i18n/locale/kit.pot is out of date; run `make translations`. "
        f"New: {sorted(map(str, fresh - committed))[:10]} Gone: {sorted(map(str, committed - fresh))[:10]}")
    mo = LOCALE_DIR / PSEUDO / "LC_MESSAGES" / "kit.mo"
    def key(msgid):  # a plural message's id is a pair (a list, when read from a .mo)
        return msgid if isinstance(msgid, str) else tuple(msgid)

    committed = {key(m) for m in committed}
    compiled = {key(m.id): m.string for m in read_mo(open(mo, "rb")) if m.id}
    assert set(compiled) == committed
    for msgid, text in compiled.items():
        texts = tuple(text) if isinstance(text, (tuple, list)) else (text,)
        assert all(is_pseudo(t) for t in texts), (msgid, text)


def test_kit_translations_command_runs(tmp_path):
    out = subprocess.run([sys.executable, "-m", "kit.commands.main", "translations", "check"],
                         capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"{PSEUDO}:" in out.stdout and "strings translated" in out.stdout


def test_no_message_is_hidden_inside_an_f_string():
    """Babel cannot see a _() call inside an f-string (Python 3.11 reads the whole f-string as
    one token), so such a message never reaches a catalogue: write the call outside, or give
    its result a name first. Nor can it extract _(f"..."): the text must be a literal."""
    import ast

    names = {"_", "gettext", "ngettext", "N_", "lazy_gettext", "_l"}
    bad = []
    for path in (REPO / "kit").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr):
                bad += [f"{path.relative_to(REPO)}:{sub.lineno}" for sub in ast.walk(node)
                        if isinstance(sub, ast.Call) and getattr(sub.func, "id", None) in names]
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in names
                    and node.args and isinstance(node.args[0], ast.JoinedStr)):
                bad.append(f"{path.relative_to(REPO)}:{node.lineno} (f-string message)")
    assert not bad, "messages the catalogue cannot see:\n" + "\n".join(sorted(set(bad)))


# -- translated content -------------------------------------------------------------------------
EXERCISE = """\
schema_version: 1
id: {id}
language: en
title:
  en: A walk in their shoes
  cy: Taith yn eu hesgidiau
model: driscoll
purpose: Plain English purpose.
minutes: 10
steps:
  - id: what
    stage: what
    prompt:
      en: What happened?
      cy: Beth ddigwyddodd?
  - id: so-what
    stage: so-what
    prompt:
      en: What did it mean?
  - id: now-what
    stage: now-what
    prompt: What will you do now?
facilitator_notes: Notes for the facilitator.
"""


def _exercise(tmp_path, ident="walk-in-shoes", text=EXERCISE) -> Path:
    path = tmp_path / f"{ident}.yaml"
    path.write_text(text.format(id=ident), encoding="utf-8")
    return path


def test_content_text_may_be_a_mapping_and_falls_back_to_the_file_language(tmp_path):
    from kit.content import load_exercise
    from kit.content.loader import clear_cache

    clear_cache()
    path = _exercise(tmp_path)
    plain = load_exercise(path)
    assert plain.title == "A walk in their shoes" and plain.steps[0].prompt == "What happened?"
    with use_language("cy"):
        welsh = load_exercise(path)
    assert welsh.title == "Taith yn eu hesgidiau"
    assert welsh.steps[0].prompt == "Beth ddigwyddodd?"
    # missing Welsh: the file's own language, never an error
    assert welsh.steps[1].prompt == "What did it mean?"
    assert welsh.purpose == "Plain English purpose."
    assert welsh.language == "cy" and welsh.default_language == "en"
    with use_language("fr"):  # a language the file has nothing in
        assert load_exercise(path).title == "A walk in their shoes"
    with use_language(PSEUDO):
        assert is_pseudo(load_exercise(path).steps[2].prompt)


def test_validate_names_each_field_a_language_is_missing(tmp_path):
    from kit.content import validate_paths

    path = _exercise(tmp_path)
    problems = validate_paths([path])
    gaps = [p for p in problems if "'cy'" in p.message]
    assert {p.path for p in gaps} == {"purpose", "steps[1].prompt", "steps[2].prompt",
                                      "facilitator_notes"}
    assert all("incomplete" in p.message and p.line for p in gaps)
    assert all(p.file == str(path) for p in gaps)
    # kit validate prints them and fails
    out = subprocess.run([sys.executable, "-m", "kit.commands.main", "validate", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "language 'cy' is incomplete" in out.stdout and "steps[1].prompt" in out.stdout


def test_a_complete_translation_validates_clean(tmp_path):
    from kit.content import validate_paths

    text = textwrap.dedent("""\
        schema_version: 1
        id: {id}
        title: {{en: Title, cy: Teitl}}
        model: driscoll
        purpose: {{en: Purpose, cy: Pwrpas}}
        minutes: 5
        steps:
          - {{id: what, stage: what, prompt: {{en: What?, cy: Beth?}}}}
          - {{id: so-what, stage: so-what, prompt: {{en: So what?, cy: Felly?}}}}
          - {{id: now-what, stage: now-what, prompt: {{en: Now what?, cy: Nawr beth?}}}}
        facilitator_notes: {{en: Notes, cy: Nodiadau}}
        """)
    assert validate_paths([_exercise(tmp_path, "complete", text)]) == []


def test_a_bad_language_key_is_explained(tmp_path):
    from kit.content import validate_paths

    text = EXERCISE.replace("  cy: Taith yn eu hesgidiau", "  Welsh: Taith yn eu hesgidiau")
    problems = validate_paths([_exercise(tmp_path, "bad-key", text)])
    assert any("'Welsh' is not a language code" in p.message and p.path == "title"
               for p in problems), [str(p) for p in problems]


def test_pick():
    assert pick({"en": "Trust", "cy": "Ymddiriedaeth"}, "cy") == "Ymddiriedaeth"
    assert pick({"en": "Trust"}, "cy", default="en") == "Trust"
    assert pick({"cy": "Ymddiriedaeth"}, "en", default="en") == "Ymddiriedaeth"
    assert pick({"pt": "Confiança", "en": "Trust"}, "pt-BR") == "Confiança"
    assert pick(None, "cy") is None


# -- languages in the store, the switcher, reports --------------------------------------------
def test_store_remembers_cohort_and_person_languages(kit_store, monkeypatch):
    from kit.store import StoreError

    monkeypatch.delenv("KIT_LANGUAGE", raising=False)
    created = kit_store.create_cohort("Bilingual", groups=["A"], rounds=["R1"])
    p = kit_store.join(created.join_codes["A"])
    assert kit_store.language_for(p.id) == "en"
    kit_store.set_cohort_language(created.cohort_id, "cy")
    assert kit_store.cohort_language(created.cohort_id) == "cy"
    assert kit_store.language_for(p.id) == "cy"
    kit_store.set_participant_language(p.id, "en")
    assert kit_store.language_for(p.id) == "en" and kit_store.participant_language(p.id) == "en"
    kit_store.set_participant_language(p.id, None)
    assert kit_store.language_for(p.id) == "cy"
    with pytest.raises(StoreError, match="not a language code"):
        kit_store.set_participant_language(p.id, "Cymraeg")


def test_start_here_switcher_remembers_the_person_and_redraws(kit_store, monkeypatch):
    from kit.apps.identity import SignInModel
    from kit.apps.start import StartApp
    from kit.i18n import set_language

    monkeypatch.delenv("KIT_LANGUAGE", raising=False)
    created = kit_store.create_cohort("Switch", groups=["A"], rounds=["R1"])
    p = kit_store.join(created.join_codes["A"])
    visitor = SignInModel(kit_store).resume(p.resume_code)
    try:
        app = StartApp(kit_store, visitor)
        assert app.language.description == "Language"
        assert "en" in [v for _l, v in app.language.options]
        app._language_picked(PSEUDO)
        assert kit_store.participant_language(p.id) == PSEUDO
        assert get_language() == PSEUDO
        assert is_pseudo(app.framework.title)
        assert app.language.value == PSEUDO and is_pseudo(app.language.description)
    finally:
        set_language(None)


def test_personal_report_is_in_the_persons_language(kit_store, monkeypatch):
    from kit.report.personal import personal_report_html

    monkeypatch.delenv("KIT_LANGUAGE", raising=False)
    created = kit_store.create_cohort("Report", groups=["A"], rounds=["R1"])
    p = kit_store.join(created.join_codes["A"], display_name="Sam")
    english = personal_report_html(kit_store, p.id, today=dt.date(2026, 3, 2))
    assert "Your commitments" in english and "2 March 2026" in english
    kit_store.set_participant_language(p.id, PSEUDO)
    page = personal_report_html(kit_store, p.id, today=dt.date(2026, 3, 2))
    assert "Your commitments" not in page and pseudo("Your commitments") in page
    assert get_language() != PSEUDO  # the report did not change the caller's language
    text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", page, flags=re.S)
    words = [w for w in re.findall(r"\S+", text) if re.search(r"[A-Za-z]{2,}", w)
             and not is_pseudo(w) and "Sam" not in w]
    assert not words, words[:20]
