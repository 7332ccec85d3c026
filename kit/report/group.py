"""The group report: every facilitator view in one standalone, offline HTML file, plus CSVs.

Charts are embedded with the Vega bundle inlined once (no CDN, no network), every chart has its
description in words beside it, and all text from participants or facilitators is escaped.
Only suppressed tables reach the page or the CSVs.

Examples
--------
>>> page = group_report_html(store, cohort_id)            # doctest: +SKIP
>>> files = group_report_csvs(store, cohort_id)           # doctest: +SKIP
"""

from __future__ import annotations

import html
import io
import zipfile

import pandas as pd

from kit._csv import frame_csv_bytes
from kit.analysis.cohort import CohortData
from kit.analysis.importance import QUADRANTS
from kit.analysis.privacy import ALL_GROUPS, NOT_GIVEN
from kit.i18n import N_, _, html_lang
from kit.store.info import ROLE_LEVELS, SECTORS
from kit.views import VIEWS, all_tables, slug, view_tables

__all__ = [
    "group_report_html",
    "report_page",
    "view_tables",
    "all_tables",
    "group_report_csvs",
    "group_report_pdf",
    "csv_zip",
    "CHART_STYLES",
]

_slug = slug  # the file-name slug, kept under its old name (kit.views.slug)

#: Valid values of ``report_page(..., charts=...)``: charts drawn in the browser by the
#: embedded Vega bundle, or drawn ahead of time as inline SVG (no JavaScript; for PDF).
CHART_STYLES = ("interactive", "svg")

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5}
h1{font-size:1.7rem}h2{font-size:1.35rem;border-top:1px solid #ccc;padding-top:1rem;margin-top:2rem}
h3{font-size:1.1rem}table{border-collapse:collapse;margin:0.5rem 0 1rem;font-size:0.9rem}
th,td{border:1px solid #ccc;padding:0.25rem 0.5rem;text-align:left}th{background:#f3f3f3}
td.num{text-align:right}.note{color:#555;font-style:italic}.kit-figure{margin:1rem 0}
figcaption{margin-top:0.4rem}.privacy{background:#eef5fb;border-left:4px solid #0072B2;padding:0.6rem 1rem}
blockquote{border-left:3px solid #E69F00;margin:0.5rem 0;padding:0.2rem 0.8rem;background:#fffaf0}
.table-wrap{overflow-x:auto;max-width:100%}th,td{overflow-wrap:normal;word-break:normal;hyphens:manual}
.kit-figure{max-width:100%;overflow-x:auto}
.kit-figure svg,.kit-figure canvas,.kit-chart-svg svg{max-width:100%;height:auto}
@media (max-width:40rem){body{margin:1rem auto;padding:0 0.6rem}h1{font-size:1.4rem}h2{font-size:1.2rem}
table{font-size:0.85rem}}
@media print{
h2,h3{break-after:avoid;page-break-after:avoid}
section>p{break-after:avoid;page-break-after:avoid}
figure,.kit-figure,tr{break-inside:avoid;page-break-inside:avoid}
.kit-figure,.table-wrap{overflow:visible}
details>summary{list-style:none}
}
"""

#: Extra styles for the PDF (SVG charts, laid out by WeasyPrint): A4 pages with page numbers,
#: every chart fitted to the page width and kept whole with its heading.
_PRINT_CSS = """
@page{size:A4;margin:16mm 14mm 18mm 14mm;
@bottom-center{content:__PAGE_OF__;font-size:8.5pt;color:#555}}
body{max-width:none;margin:0;padding:0;font-size:10pt}
h1{font-size:19pt;margin:0 0 0.4em}h2{font-size:14pt;margin-top:1.4em}h3{font-size:11pt}
table{width:100%;font-size:8.5pt}
"""

_COLUMNS_SHOWN = {
    "n": N_("People"), "mean": N_("Mean"), "sd": N_("How far apart (standard deviation)"), "split": N_("Mixed"),
    "band_label": N_("Band"), "count": N_("People in band"),
    "band": N_("Band"), "note": N_("Note"), "dimension": N_("Area"), "item": N_("Statement"), "value": N_("Value"),
    "round": N_("Round"), "group": N_("Group"), "change": N_("Change"), "trend": N_("Trend"), "members": N_("Members"),
    "responded": N_("Responded"), "rate": N_("Response rate"), "performance": N_("Score"), "importance": N_("Importance"),
    "n_performance": N_("People (score)"), "n_importance": N_("People (importance)"), "quadrant": N_("Quadrant"),
    "better": N_("Better"), "same": N_("The same"), "worse": N_("Worse"),
    "bands_note": N_("Why the counts per band are not shown"),
}
#: Values the kit writes into the tables (kept in English in the CSVs, where code and
#: spreadsheets read them), shown in the reader's language in the HTML.
_KIT_VALUES = {ALL_GROUPS, NOT_GIVEN, *QUADRANTS.values(), *SECTORS, *ROLE_LEVELS}
_TREND_WORDS = {"improving": N_("improving"), "declining": N_("declining"), "steady": N_("steady")}
#: Columns the analysis rounds to one decimal place (written and shown so).
_ONE_DECIMAL = {"mean", "sd", "change", "performance", "importance", "value", "earlier", "later",
                "score"}
_DROP = {"shown", "dimension_id", "item_id", "round_position", "still_needed", "enough", "order",
         "bands_shown"}


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A suppressed table as UTF-8 CSV (withheld numbers are blank, the note says why), with
    every text cell made safe to open in a spreadsheet (:mod:`kit._csv`).

    Means, spreads, scores and changes are written to one decimal place, as the analysis rounds
    them (:data:`kit.analysis.team.DECIMALS`) and the charts show them; other fractions (a
    response rate) to two.

    Examples
    --------
    >>> csv_bytes(pd.DataFrame({"mean": [3.4], "rate": [0.375]})).decode().splitlines()[1]
    '3.4,0.38'
    """
    from kit.analysis.team import DECIMALS

    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            digits = DECIMALS if col in _ONE_DECIMAL else 2
            out[col] = out[col].round(digits)  # written as the shortest number: 3.4, not 3.40
    return frame_csv_bytes(out, float_format=None)


def csv_zip(tables: dict[str, pd.DataFrame]) -> bytes:
    """Several tables as one zip of CSV files."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, frame in tables.items():
            z.writestr(name, csv_bytes(frame))
    return buf.getvalue()


def group_report_csvs(store, cohort_id: int, group_id: int | None = None, round: str | None = None) -> dict[str, bytes]:
    """Every suppressed table of the group report as CSV bytes, keyed by file name."""
    data, group = _load(store, cohort_id, group_id)
    return {name: csv_bytes(t) for name, t in all_tables(data, group, round).items()}


def _load(store, cohort_id: int, group_id: int | None) -> tuple[CohortData, str]:
    data = CohortData.from_store(store, cohort_id)
    group = ALL_GROUPS
    if group_id is not None:
        info = store.cohort(cohort_id)
        names = {g.id: g.name for g in info.groups}
        if group_id not in names:
            raise KeyError(f"cohort {info.name!r} has no group with id {group_id}; groups: {names}")
        group = names[group_id]
    return data, group


def _html_table(frame: pd.DataFrame) -> str:
    cols = [c for c in frame.columns if c not in _DROP]
    shown = [_(_COLUMNS_SHOWN.get(c, c)) for c in cols]
    head = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in shown)
    yes = _("yes")
    rows = []
    for rec in frame[cols].itertuples(index=False):
        cells = []
        for c, v in zip(cols, rec, strict=True):
            if isinstance(v, float):
                digits = 1 if c in _ONE_DECIMAL else 2
                text = "" if pd.isna(v) else (f"{v:.0%}" if c == "rate" else f"{v:.{digits}f}".rstrip("0").rstrip(".") if c not in {"n", "members", "responded", "n_performance", "n_importance"} else f"{v:.0f}")
                cells.append(f"<td class='num'>{html.escape(text)}</td>")
            elif isinstance(v, bool):
                cells.append(f"<td>{html.escape(yes) if v else ''}</td>")
            else:
                cells.append(f"<td>{html.escape(_value_words(c, v))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<div class='table-wrap' tabindex='0'><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def _value_words(column: str, value) -> str:
    """A table cell as text, with the kit's own words translated."""
    if value is None:
        return ""
    if column == "note" and isinstance(value, str):
        from kit.analysis.rounds import stored_note

        return stored_note(value)
    if column == "trend" and value in _TREND_WORDS:
        return _(_TREND_WORDS[value])
    if isinstance(value, str) and value in _KIT_VALUES:
        return _(value)
    return str(value)


def report_page(data: CohortData, group: str = ALL_GROUPS, round: str | None = None, *,
                charts: str = "interactive") -> str:
    """The report page for already-loaded data (see :func:`group_report_html`).

    ``charts="svg"`` draws every chart ahead of time as inline SVG and adds A4 print styles:
    the page :func:`group_report_pdf` lays out.
    """
    if charts not in CHART_STYLES:
        raise ValueError(f"report_page: charts={charts!r} is not one of {', '.join(CHART_STYLES)}")
    if charts == "svg":
        from kit.report.svg import page_numbers_css
        from kit.report.svg import svg_chart_div as chart_div

        head_extra = f"<style>{_PRINT_CSS.replace('__PAGE_OF__', page_numbers_css())}</style>"
    else:
        from kit.charts.display import chart_div, embed_script

        head_extra = embed_script()

    k = data.rules.min_group_size
    rnd = data._r(round) if (data.rounds or len(data.responses)) else None
    if group == ALL_GROUPS:
        scope = (_("For the whole cohort, round {round}.") if rnd
                 else _("For the whole cohort.")).format(round=rnd)
    else:
        scope = (_("For group {group}, round {round}.") if rnd
                 else _("For group {group}.")).format(group=group, round=rnd)
    title = _("{cohort}: group report").format(cohort=data.name)
    privacy = _(
        "To protect individuals, no score is shown for fewer than {k} people, and a breakdown "
        "is withheld where a smaller group could be worked out by subtraction. Withheld cells "
        "say so. Free text appears only when at least {comments} people have shared an answer, "
        "in a random order.").format(k=k, comments=data.rules.min_comment_size)
    parts = [
        f"<!DOCTYPE html><html lang='{html_lang()}'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{html.escape(title)}</title><style>{_CSS}</style>",
        head_extra,
        "</head><body><main>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{html.escape(scope)} "
        + html.escape(_("Each chart is followed by what it shows in words and the table behind it."))
        + "</p>",
        f"<p class='privacy'>{html.escape(privacy)}</p>",
    ]
    for view in VIEWS:
        view_title, blurb = _(view.title), _(view.blurb)
        parts.append(f"<section><h2>{html.escape(view_title)}</h2><p>{html.escape(blurb)}</p>")
        if view.id == "free_text":
            parts.append(_free_text_html(data))
            parts.append("</section>")
            continue
        try:
            items = view.charts(data, group=group, round=round, by="all", scoped=True)
            tables = view.tables(data, group=group, round=round, by="all", scoped=True)
        except ValueError as exc:  # e.g. no rounds with answers yet
            parts.append(f"<p class='note'>{html.escape(str(exc))}</p></section>")
            continue
        if not items and not tables:
            state = data.unpublished(rnd) if view.uses_round else None
            nothing = state.message if state is not None else _(
                "Nothing to show for this view yet.")
            parts.append(f"<p class='note'>{html.escape(nothing)}</p>")
        for i, item in enumerate(items):
            parts.append(chart_div(item, div_id=f"{view.id}-{i}", heading_level=3))
        for name, table in tables.items():
            summary = _("Table: {name}").format(name=_(name))
            if charts == "svg":  # on paper every table is open, under its own heading
                parts.append(f"<h4>{html.escape(summary)}</h4>{_html_table(table)}")
            else:
                parts.append(f"<details><summary>{html.escape(summary)}</summary>"
                             f"{_html_table(table)}</details>")
        parts.append("</section>")
    parts.append("</main></body></html>")
    return "\n".join(parts)


def _free_text_html(data: CohortData) -> str:
    if not data.prompts:
        nothing = _("No exercise with a shared prompt has answers yet.")
        return f"<p class='note'>{html.escape(nothing)}</p>"
    out = []
    for p in data.prompts:
        out.append(f"<h3>{html.escape(p.title)}</h3><p><em>{html.escape(p.prompt)}</em></p>")
        if not p.comments.shown:
            out.append(f"<p class='note'>{html.escape(p.comments.note)}</p>")
            continue
        out.append("".join(f"<blockquote>{html.escape(c)}</blockquote>" for c in p.comments.comments))
    return "".join(out)


def group_report_html(store, cohort_id: int, group_id: int | None = None, round: str | None = None) -> str:
    """One standalone HTML page with every facilitator view, for a cohort or one group.

    Parameters
    ----------
    store
        An open :class:`kit.store.Store`.
    cohort_id
        The cohort.
    group_id
        One group's id, or None for the whole cohort.
    round
        The round for the single-round views (default: the latest round with answers).

    Returns
    -------
    str
        The HTML. It loads nothing from the network.
    """
    data, group = _load(store, cohort_id, group_id)
    return report_page(data, group, round)


def group_report_pdf(store, cohort_id: int, group_id: int | None = None,
                     round: str | None = None) -> bytes:
    """The group report as A4 PDF bytes: the same sections as :func:`group_report_html`, with
    every chart drawn as SVG, kept whole and with its heading, and every table open.

    Raises
    ------
    kit.report.pdf.PdfUnavailable
        When the optional ``pdf`` extra is not installed (checked before any work is done).
    """
    from kit.report.pdf import require_pdf

    require_pdf()
    data, group = _load(store, cohort_id, group_id)
    return report_pdf(data, group, round)


def report_pdf(data: CohortData, group: str = ALL_GROUPS, round: str | None = None) -> bytes:
    """The group report for already-loaded data as A4 PDF bytes (see :func:`group_report_pdf`)."""
    from kit.report.pdf import html_to_pdf, require_pdf

    require_pdf()
    return html_to_pdf(report_page(data, group, round, charts="svg"))


def report_file_stem(cohort: str, group: str = ALL_GROUPS, on=None, kind: str = "report") -> str:
    """An honest file name (without suffix) for a group report or its tables: named after the
    cohort and the group it covers, and dated, never after one round (a report covers every
    round: its change view reads them all).

    Examples
    --------
    >>> import datetime as dt
    >>> report_file_stem("Spring 2026", "North", dt.date(2026, 12, 5))
    'spring-2026-north-report-2026-12-05'
    >>> report_file_stem("Spring 2026", ALL_GROUPS, dt.date(2026, 12, 5), kind="tables")
    'spring-2026-whole-cohort-tables-2026-12-05'
    """
    import datetime as dt

    on = on or dt.date.today()
    scope = "whole-cohort" if group == ALL_GROUPS else slug(group)
    return f"{slug(cohort)}-{scope}-{kind}-{on.isoformat()}"
