"""Printable health-check cards (kit/report/health_cards.py and ``kit cards``).

Every area of every shipped health check is on a card with its statements and its good and
poor examples; user text is escaped; the page is offline; the PDF is A4 with four cards to a
sheet and nothing spilling over; a self-assessment is refused with the reason and the fix.
"""

from __future__ import annotations

import html
import io
import math
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from test_apps_support import XSS

from kit.config import get_settings
from kit.content import clear_cache, list_frameworks, load_framework
from kit.report.health_cards import (
    CARDS_PER_SHEET,
    CardsRefused,
    health_cards_html,
    health_check_framework,
)
from kit.report.pdf import pdf_available

DOCS = Path(__file__).resolve().parents[1] / "docs"
TEAM_FRAMEWORKS = [f for f in list_frameworks() if f.lens == "team"]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _cards(page: str) -> list[str]:
    return re.findall(r"<section class='kit-card'.*?</section>", page, flags=re.S)


@pytest.fixture
def content_path(monkeypatch):
    def set_folders(*folders: Path) -> None:
        monkeypatch.setenv("KIT_CONTENT_PATH", os.pathsep.join(str(f) for f in folders))
        get_settings.cache_clear()
        clear_cache()

    yield set_folders
    monkeypatch.undo()
    get_settings.cache_clear()
    clear_cache()


def test_there_is_a_shipped_health_check():
    assert [f.id for f in TEAM_FRAMEWORKS], "no team health check is shipped"


@pytest.mark.parametrize("fw", TEAM_FRAMEWORKS, ids=lambda f: f.id)
def test_every_area_has_its_own_card_with_everything_on_it(fw):
    page = health_cards_html(fw)
    cards = _cards(page)
    assert len(cards) == len(fw.dimensions)
    for card, dim in zip(cards, fw.dimensions, strict=True):
        text = _flat(card)
        assert html.escape(dim.title) in text
        for item in dim.items:
            assert html.escape(_flat(item.text)) in text, item.id
        for example in (dim.good_looks_like, dim.poor_looks_like, dim.why):
            if example:
                assert html.escape(_flat(example)) in text, dim.id
        assert ("What good looks like" in text) == bool(dim.good_looks_like)
        assert ("What poor looks like" in text) == bool(dim.poor_looks_like)
        assert "what tells us so?" in text
    # four to a sheet, in the framework's order
    sheets = re.findall(r"<div class='kit-sheet'>(.*?)</div>(?=<div class='kit-sheet'>|</main>)",
                        page, flags=re.S)
    assert len(sheets) == math.ceil(len(fw.dimensions) / CARDS_PER_SHEET)
    assert all(0 < len(_cards(s)) <= CARDS_PER_SHEET for s in sheets)
    order = [page.index(html.escape(d.title)) for d in fw.dimensions]
    assert order == sorted(order)


@pytest.mark.parametrize("fw", TEAM_FRAMEWORKS, ids=lambda f: f.id)
def test_cards_are_an_offline_a4_page(fw):
    page = health_cards_html(fw)
    assert page.startswith("<!DOCTYPE html>") and "@page { size: A4" in page
    assert not re.search(r"(src|href)\s*=\s*['\"]?(https?:)?//", page)
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert "lang='en-GB'" in page
    inner = health_cards_html(fw, standalone=False)
    assert "<html" not in inner and len(_cards(inner)) == len(fw.dimensions)


def test_every_piece_of_text_is_escaped():
    base = load_framework("partnership-health-check")
    dims = tuple(
        replace(d, title=f"{d.title} {XSS}", why=f"why {XSS}", good_looks_like=f"good {XSS}",
                poor_looks_like="", items=tuple(replace(i, text=f"We {XSS} & 'it'") for i in d.items))
        for d in base.dimensions[:5])
    fw = replace(base, title=f"Board <b>{XSS}</b>", dimensions=dims)
    page = health_cards_html(fw)
    assert "<script>" not in page and "<b>" not in page
    assert html.escape(XSS) in page and "&amp; &#x27;it&#x27;" in page
    # an area without a poor example simply has no such box
    assert "What poor looks like" not in page and page.count("What good looks like") == 5
    assert len(_cards(page)) == 5


def test_a_self_assessment_is_refused_with_the_health_checks_to_use():
    with pytest.raises(CardsRefused) as err:
        health_check_framework("collaboration-behaviours")
    message = str(err.value)
    assert "'collaboration-behaviours' is a private self-assessment" in message
    assert "partnership-health-check" in message
    assert health_check_framework().id == "partnership-health-check"
    assert health_check_framework(None).lens == "team"


@pytest.mark.skipif(not pdf_available(), reason="WeasyPrint is not installed")
@pytest.mark.parametrize("fw", TEAM_FRAMEWORKS, ids=lambda f: f.id)
def test_pdf_is_a4_four_cards_to_a_page_with_every_area(fw):
    pypdf = pytest.importorskip("pypdf")
    from kit.report.health_cards import health_cards_pdf

    data = health_cards_pdf(fw)
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    # nothing spills onto an extra page
    assert len(reader.pages) == math.ceil(len(fw.dimensions) / CARDS_PER_SHEET)
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - 595.28) < 1 and abs(height - 841.89) < 1  # A4 in points
    text = _flat(" ".join(p.extract_text() for p in reader.pages))
    for dim in fw.dimensions:
        assert _flat(dim.title) in text, dim.id


def test_cli_writes_html_and_pdf_and_refuses_clearly(tmp_path, capsys):
    from kit.commands.main import main

    out = tmp_path / "cards.html"
    assert main(["cards", str(out)]) == 0
    fw = load_framework("partnership-health-check")
    assert len(_cards(out.read_text(encoding="utf-8"))) == len(fw.dimensions)
    assert f"{len(fw.dimensions)} cards for 'partnership-health-check'" in capsys.readouterr().out

    assert main(["cards", "--framework", "collaboration-behaviours", str(tmp_path / "x.html")]) == 2
    assert "private self-assessment" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()

    assert main(["cards", str(tmp_path / "cards.txt")]) == 2
    assert "valid formats: .html, .pdf" in capsys.readouterr().err

    if pdf_available():
        pdf = tmp_path / "sub" / "cards.pdf"
        assert main(["cards", str(pdf)]) == 0
        assert pdf.read_bytes().startswith(b"%PDF")


def test_cli_prints_a_trainers_own_health_check(tmp_path, content_path, capsys):
    from kit.commands.main import main

    folder = tmp_path / "board-kit" / "frameworks"
    folder.mkdir(parents=True)
    source = (Path(load_framework("partnership-health-check").source)).read_text(encoding="utf-8")
    text = source.replace("id: partnership-health-check", "id: board-health", 1)
    text = text.replace("title: Partnership health check", "title: Board <health>", 1)
    (folder / "board-health.yaml").write_text(text, encoding="utf-8")
    content_path(tmp_path / "board-kit")
    out = tmp_path / "board.html"
    assert main(["cards", "--framework", "board-health", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Board &lt;health&gt;: area 1 of" in page and "Board <health>" not in page
    assert main(["cards", "--framework", "no-such-check", str(tmp_path / "y.html")]) == 1
    assert "no framework with the id 'no-such-check'" in capsys.readouterr().err


def test_printed_cards_in_docs_are_up_to_date():
    """Refresh with: python -m kit.report.health_cards > docs/health-check-cards.html"""
    shipped = load_framework("partnership-health-check")
    assert (DOCS / "health-check-cards.html").read_text(encoding="utf-8") == health_cards_html(shipped)
