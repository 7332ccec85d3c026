"""The pseudo-language proves that nothing is hard-coded: every page served in it must show no
untransformed English.

A second ``kit serve`` runs with ``KIT_LANGUAGE=qps`` (the pseudo-language generated from the
catalogues by ``make translations``). Each page's text, less what people typed (names,
organisations, reflections, commitments: data, not the kit's words), must hold no run of plain
ASCII letters: every word the kit itself shows comes through the translation layer, so it is
bracketed and accented.

Every app page is checked, signed out and signed in (the dashboard signed out: its key prompt),
and each must pass.
"""

from __future__ import annotations

import os
import re

import pytest
from browser_support import CHROMIUM_ARGS, charts_drawn, kit_serve, wait_rendered

from kit.i18n.pseudo import is_pseudo

#: A run of plain letters long enough to be a word (single letters are units or list markers).
_WORD = re.compile(r"[A-Za-z]{2,}")

#: Every app page checked, signed out and (but for the dashboard) signed in.
PAGES = (
    "00_start_here.ipynb",
    "01_self_assessment.ipynb",
    "02_reflection_journal.ipynb",
    "03_partnership_map.ipynb",
    "04_action_plan.ipynb",
    "05_my_report.ipynb",
    "06_my_data.ipynb",
    "10_facilitator_dashboard.ipynb",
)
#: The notebooks' own markdown introductions are not translated (they are for JupyterLab
#: readers); the kit template hides nothing, so their text is left out of the check here.
_SKIP_SELECTOR = ".jp-MarkdownOutput"


def untransformed(text: str, data: list[str]) -> list[str]:
    """Words in ``text`` not in the pseudo-language, after removing the ``data`` strings."""
    # Drop-down options show their spaces as no-break spaces: read them as spaces.
    text = text.replace("\u00a0", " ")
    for value in sorted({d for d in data if d}, key=len, reverse=True):
        text = text.replace(value, " ")
    found = []
    for line in text.splitlines():
        for chunk in re.split(r"\s+", line):
            if _WORD.search(chunk) and not is_pseudo(chunk):
                found.append(chunk)
    return found


@pytest.fixture(scope="module")
def pseudo_server(tmp_path_factory, kit_server):
    """``kit serve`` of the same notebooks and demo data, in the pseudo-language."""
    from kit.i18n import LOCALE_DIR, PSEUDO

    if not (LOCALE_DIR / PSEUDO / "LC_MESSAGES" / "kit.mo").is_file():
        pytest.fail("no compiled pseudo-language catalogue: run `make translations`")
    base = tmp_path_factory.mktemp("kit-serve-pseudo")
    env = dict(os.environ)
    # The same demo database as the main browser server (SQLite allows both to read it).
    env.update(KIT_DATA_DIR=str(kit_server.data_dir), KIT_TODAY=env.get("KIT_TODAY", "2026-03-02"),
               KIT_LANGUAGE=PSEUDO)
    for name in ("KIT_DATABASE_URL", "KIT_DEMO", "JUPYTERHUB_USER"):
        env.pop(name, None)
    with kit_serve(kit_server.root, env, base / "serve.log", "--pool-size", "0",
                   cwd=base) as (url, _port, _proc):
        yield url


def _data_strings(kit_server) -> list[str]:
    """Everything people typed into the demo cohort, which stays as they wrote it."""
    import sqlalchemy as sa

    from kit.store import tables as t

    out: list[str] = []
    with kit_server.store() as store, store.engine.connect() as conn:
        for table, cols in ((t.cohorts, ("name",)), (t.groups, ("name",)),
                            (t.rounds, ("name",)),
                            (t.participants, ("display_name", "organisation", "sector",
                                              "role_level")),
                            (t.relationships, ("label", "organisation", "sector")),
                            (t.commitments, ("text", "review_note"))):
            for row in conn.execute(sa.select(*[table.c[c] for c in cols])):
                out += [str(v) for v in row if v]
        out += [row.text for row in conn.execute(sa.select(t.reflection_steps.c.text))
                if row.text]
    codes = kit_server.codes
    out += [codes.join_code, codes.resume_code, codes.facilitator_key]
    # each language in the language menu is named in its own language, never translated
    from kit.i18n import available_languages, language_name

    out += [language_name(code) for code in available_languages()]
    # file names of notebooks the landing page lists under "other notebooks"
    out += [p.name for p in kit_server.root.glob("*.ipynb")]
    # every line of a multi-line entry, since pages may wrap them
    out += [line.strip() for text in list(out) for line in text.splitlines() if line.strip()]
    return out


def _page_text(page) -> str:
    return page.evaluate(
        """sel => { const m = document.querySelector('#kit-main') || document.body;
                    const c = m.cloneNode(true);
                    c.querySelectorAll(sel + ', script, style, noscript').forEach(e => e.remove());
                    return c.innerText; }""",
        _SKIP_SELECTOR,
    )


def _check(page, kit_server, name: str) -> None:
    words = untransformed(_page_text(page), _data_strings(kit_server))
    assert not words, f"untransformed English on {name}: {sorted(set(words))[:40]}"


def test_landing_page_in_pseudo_language(browser, pseudo_server, kit_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(pseudo_server)
    page.wait_for_selector(".kit-landing")
    _check(page, kit_server, "the landing page")
    assert page.locator("h1").inner_text().startswith("[")
    context.close()


def _pages():
    for notebook in PAGES:
        for signed_in in (False, True):
            if notebook.startswith("10_") and signed_in:
                continue
            yield pytest.param(notebook, signed_in,
                               id=f"{notebook[:-6]}-{'in' if signed_in else 'out'}")


@pytest.mark.parametrize(("notebook", "signed_in"), list(_pages()))
def test_app_page_in_pseudo_language(browser, pseudo_server, kit_server, notebook, signed_in):
    context = browser.new_context()
    if signed_in:
        context.add_cookies([{"name": "kit_resume", "value": kit_server.codes.resume_code,
                              "url": pseudo_server}])
    page = context.new_page()
    page.set_default_timeout(90_000)
    try:
        page.goto(f"{pseudo_server}voila/render/{notebook}")
        wait_rendered(page)
        charts_drawn(page)
        _check(page, kit_server, notebook)
    finally:
        context.close()


def test_the_checker_finds_english(browser):
    """The check itself: plain English is found, pseudo text and data are not."""
    assert untransformed("[Ñéxţ] Save 12", []) == ["Save"]
    assert untransformed("[Ñéxţ] Riverside surgery", ["Riverside surgery"]) == []
    assert untransformed("[Ñéxţ]Riverside\u00a0surgery", ["Riverside surgery"]) == []
    assert CHROMIUM_ARGS  # the browser set-up this module shares
