"""The personal report as PDF: print variant, offline rendering, CLI format from the suffix."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest
from test_apps_support import XSS, world_in

from kit.report.pdf import PDF_EXTRA_HINT, PdfUnavailable, pdf_available

# The `test` extra pulls in the `pdf` extra, so on CI a missing WeasyPrint is a failure.
needs_pdf = pytest.mark.skipif(
    not pdf_available() and not os.environ.get("CI"),
    reason="PDF support (the 'pdf' extra: WeasyPrint and Pango) is not installed")


@pytest.fixture
def world(tmp_path):
    yield from world_in(tmp_path)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo cohort in a fresh SQLite store, and the demo participant's PDF."""
    from kit.demo import seed_demo
    from kit.store import Store

    url = f"sqlite:///{tmp_path_factory.mktemp('pdf-demo') / 'kit.db'}"
    with Store(url) as store:
        codes = seed_demo(store)
        pdf = None
        if pdf_available():
            from kit.report.pdf import personal_report_pdf

            pdf = personal_report_pdf(store, codes.participant_id)
        yield store, codes, pdf


def _pdf_text(data: bytes) -> tuple[int, str]:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


# --- the print variant (no WeasyPrint needed) ------------------------------------------------

def test_print_variant_draws_charts_as_svg_without_script(world, monkeypatch):
    from kit.report.personal import personal_report_html

    # the Vega bundle is beside the point here; leaving it out keeps the test quick
    monkeypatch.setattr("kit.charts.display.embed_script", lambda: "")

    page = personal_report_html(world.store, world.pid, today=world.today, charts="svg")
    assert "<script" not in page and "vegaEmbed" not in page
    # profile, importance and change: each an inline SVG with its text description beside it
    assert page.count("<svg") == 3 and page.count("In words:") == 3
    assert page.count("class='kit-chart-svg' role='img' aria-describedby=") == 3
    assert "@page" in page and "size: A4" in page
    # user text still escaped, and the same sections as the interactive report
    assert XSS not in page and "I felt &lt;script&gt;alert(1)&lt;/script&gt;" in page
    interactive = personal_report_html(world.store, world.pid, today=world.today)
    def headings(doc):
        return re.findall(r"<h[123][^>]*>(.*?)</h[123]>", doc.split("<body>", 1)[1])

    assert headings(page) == headings(interactive) and len(headings(page)) >= 8


def test_svg_ids_are_prefixed_so_charts_do_not_clash():
    import altair as alt
    import pandas as pd

    from kit.report.svg import chart_svg

    chart = alt.Chart(pd.DataFrame({"a": [1, 5], "b": [1, 2]})).mark_line(clip=True).encode(
        x=alt.X("a", scale=alt.Scale(domain=[0, 3])), y="b")
    svg = chart_svg(chart, prefix="one-")
    ids = re.findall(r'\sid="([^"]+)"', svg)
    assert ids and all(i.startswith("one-") for i in ids)
    assert all(ref.startswith("one-") for ref in re.findall(r"url\(#([^)]+)\)", svg))


def test_unknown_chart_style_is_refused_with_the_valid_ones(world):
    from kit.report.personal import personal_report_html

    with pytest.raises(ValueError, match="'interactive', 'svg'"):
        personal_report_html(world.store, world.pid, charts="png")


def test_importing_the_report_package_does_not_load_weasyprint():
    code = ("import sys, kit.report, kit.report.pdf, kit.commands.report; "
            "assert 'weasyprint' not in sys.modules, 'weasyprint imported eagerly'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_extra_gives_the_install_hint(monkeypatch, world, tmp_path, capsys):
    from kit.commands.main import main
    from kit.report import pdf

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import now raises ImportError
    pdf._weasyprint.cache_clear()
    try:
        assert not pdf.pdf_available()
        with pytest.raises(PdfUnavailable, match=re.escape(PDF_EXTRA_HINT)):
            pdf.personal_report_pdf(world.store, world.pid)
        out = tmp_path / "me.pdf"
        assert main(["report", "--participant", world.visitor.resume_code,
                     "--database", world.store.url, str(out)]) == 1
        assert "pip install 'partnering-kit[pdf]'" in capsys.readouterr().err
        assert not out.exists()
    finally:
        pdf._weasyprint.cache_clear()


# --- the CLI picks the format from the suffix ------------------------------------------------

def test_cli_rejects_unknown_suffix_listing_valid_formats(tmp_path, capsys):
    from kit.commands.main import main

    assert main(["report", "--participant", "X", str(tmp_path / "me.docx")]) == 2
    err = capsys.readouterr().err
    assert "'.docx'" in err and "valid formats: .html, .pdf" in err
    assert main(["report", "--participant", "X", str(tmp_path / "me")]) == 2
    assert "(none)" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_group_report_print_variant_has_svg_charts_open_tables_and_a4_pages(demo):
    from kit.report.group import _load, report_page

    store, codes, _pdf = demo
    cohort = store.cohort_by_facilitator_key(codes.facilitator_key)
    data, group = _load(store, cohort.id, None)
    page = report_page(data, group, charts="svg")
    assert "<script" not in page and "vegaEmbed" not in page
    assert page.count("<svg") >= 5
    assert "size:A4" in page and "counter(pages)" in page
    assert "<details>" not in page  # on paper every table is open
    # each chart is kept whole with its heading, and fits the page width
    assert "break-inside:avoid" in page and "break-after:avoid" in page
    assert ".kit-chart-svg svg{max-width:100%" in page.replace(",.kit-figure canvas", "") or \
        "kit-chart-svg svg{max-width:100%" in page
    with pytest.raises(ValueError, match="charts='png' is not one of interactive, svg"):
        report_page(data, group, charts="png")


def test_group_report_tables_wrap_for_a_phone_and_never_split_words(demo):
    from kit.report.group import _load, report_page

    store, codes, _pdf = demo
    cohort = store.cohort_by_facilitator_key(codes.facilitator_key)
    data, group = _load(store, cohort.id, None)
    page = report_page(data, group)
    body = page[page.index("<body>"):]  # the Vega bundle in the head builds tables of its own
    tables = body.count("<table>")
    wrapped = body.count("<div class='table-wrap' tabindex='0'><table>")
    in_figures = body.count("<details class='kit-chart-data'>")  # inside a scrolling figure
    assert tables >= 3 and wrapped >= 3 and wrapped + in_figures == tables
    assert ".table-wrap{overflow-x:auto" in page and ".kit-figure{max-width:100%;overflow-x:auto}" in page
    assert "word-break:normal" in page


@needs_pdf
def test_group_report_pdf_holds_every_view(demo, tmp_path, capsys):
    from kit.analysis.cohort import VIEWS
    from kit.commands.main import main

    store, codes, _pdf = demo
    out = tmp_path / "cohort.pdf"
    assert main(["report", "--facilitator-key", codes.facilitator_key, "--database",
                 store.url, str(out)]) == 0
    assert "opens offline in any PDF reader" in capsys.readouterr().out
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    pages, text = _pdf_text(data)
    assert pages >= 3 and f"Page 1 of {pages}" in text
    flat = " ".join(text.split())
    for view in VIEWS:
        assert " ".join(view.title.split()) in flat, view.title
    assert "In words:" in text


# --- real PDFs (WeasyPrint) ------------------------------------------------------------------

@needs_pdf
def test_demo_participant_pdf_holds_the_report(demo):
    store, codes, data = demo
    assert data.startswith(b"%PDF-")
    pages, text = _pdf_text(data)
    assert pages >= 2
    participant = store.participant(codes.participant_id)
    for expected in (f"{participant.display_name}\u2019s partnering report", "Your profile",
                     "Change over time", "Reflections you chose to include",
                     "Your commitments", "In words:", f"Page 1 of {pages}"):
        assert expected in text, f"{expected!r} missing from the PDF text"


@needs_pdf
def test_pdf_keeps_user_text_as_text(world):
    from kit.report.pdf import personal_report_pdf

    _, text = _pdf_text(personal_report_pdf(world.store, world.pid, today=world.today))
    assert "I felt <script>alert(1)</script>" in text  # shown literally, never run
    assert "Overdue" in text


@needs_pdf
def test_url_fetcher_serves_data_uris_and_refuses_everything_else():
    from kit.report.pdf import offline_url_fetcher

    fetcher = offline_url_fetcher()
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    for url in ("http://example.org/x.png", "https://example.org/s.css", "HTTPS://x/y",
                "file:///etc/passwd", "ftp://example.org/f"):
        with pytest.raises(ValueError, match="offline"):
            fetcher.fetch(url)


@needs_pdf
def test_rendering_never_opens_a_connection(monkeypatch):
    import socket

    from kit.report.pdf import html_to_pdf

    attempts = []

    def no_network(*args, **kwargs):
        attempts.append(args)
        raise OSError("network used")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    page = ("<!DOCTYPE html><html><head><link rel='stylesheet' href='https://example.org/s.css'>"
            "<style>@import url('http://example.org/i.css');</style></head><body><p>Hello</p>"
            "<img src='http://127.0.0.1:9/x.png' alt='x'><img src='file:///etc/hostname' alt='y'>"
            "</body></html>")
    data = html_to_pdf(page)
    assert data.startswith(b"%PDF-") and attempts == []


@needs_pdf
def test_cli_writes_a_pdf_from_the_suffix(demo, tmp_path, capsys):
    from kit.commands.main import main

    store, codes, _ = demo
    out = tmp_path / "out" / "Me.PDF"
    assert main(["report", "--participant", codes.resume_code, "--database", store.url,
                 str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert "any PDF reader" in capsys.readouterr().out


# --- the My report app -----------------------------------------------------------------------

@needs_pdf
def test_app_offers_a_pdf_beside_the_html(world):
    from kit.apps.my_report import MyReportApp

    app = MyReportApp(world.store, world.visitor, pdf=True)
    assert "download it as a PDF" in app.summary.value
    app.make_pdf.click()
    assert app.messages.kind == "success"
    assert "download='my-partnering-report.pdf'" in app.download_pdf.value
    # one click: the download starts by itself; the named link stays as a fallback
    assert "my-partnering-report.pdf again" in app.download_pdf.value
    assert len(app.download_pdf.sent) == 1
    assert "href='data:application/pdf;base64,JVBER" in app.download_pdf.value  # "%PDF"


def test_app_without_pdf_support_says_how_to_print(world):
    from kit.apps.my_report import MyReportApp

    app = MyReportApp(world.store, world.visitor, pdf=False)
    assert "Print, then Save as PDF" in app.summary.value
    assert not hasattr(app, "make_pdf")
    app.make.click()
    assert "download='my-partnering-report.html'" in app.download.value
