"""The personal report: one standalone HTML file that opens offline.

Profile, change since earlier rounds, the reflections the person chose to include, and their
commitments. All of the person's own text is escaped.

One content builder makes both variants, so they never drift apart; only the chart renderer
differs:

* ``charts="interactive"`` (the default): charts drawn by a Vega bundle embedded once in the page
  (no CDN), for reading in a browser;
* ``charts="svg"``: each chart drawn ahead of time as inline SVG by vl-convert, no JavaScript at
  all, with A4 print styles. This is the page :mod:`kit.report.pdf` turns into a PDF.
"""

from __future__ import annotations

import html

from kit.charts._theme import FONT
from kit.content.models import DEFAULT_SELF_FRAMEWORK
from kit.i18n import _, format_date, get_language, html_lang, use_language

__all__ = ["personal_report_html", "REPORT_CSS", "PRINT_CSS", "CHART_STYLES"]

#: Valid values of ``personal_report_html(..., charts=...)``.
CHART_STYLES = ("interactive", "svg")

REPORT_CSS = f"""
body {{ font-family: {FONT}; max-width: 52em; margin: 2em auto; padding: 0 1em; color: #1a1a1a;
       line-height: 1.5; }}
h1 {{ color: #0072B2; }} h2 {{ border-bottom: 2px solid #0072B2; padding-bottom: 0.2em; margin-top: 2em; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }}
figure {{ margin: 1.5em 0; max-width: 100%; }} figcaption {{ margin-top: 0.5em; }}
.kit-chart-data, .table-wrap {{ max-width: 100%; overflow-x: auto; }}
th, td {{ overflow-wrap: normal; word-break: normal; }}
@media (max-width: 40em) {{ body {{ margin: 1em auto; padding: 0 0.6em; }} }}
.kit-entry {{ border-left: 4px solid #56B4E9; padding-left: 1em; margin: 1em 0; }}
.overdue {{ color: #a33a00; font-weight: bold; }}
@media print {{ h2 {{ page-break-after: avoid; }} figure {{ page-break-inside: avoid; }} }}
"""

#: Extra styles for the print (SVG) variant: A4 pages with page numbers, charts fitted to width.
PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
        @bottom-center { content: __PAGE_OF__;
                         font-family: __FONT__; font-size: 8.5pt;
                         color: #555; } }
body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; }
h1 { font-size: 20pt; margin: 0 0 0.4em; } h2 { font-size: 14pt; margin-top: 1.6em; }
h3 { font-size: 11.5pt; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
table { width: 100%; font-size: 9.5pt; } tr, .kit-entry p { break-inside: avoid; }
figure { break-inside: avoid; page-break-inside: avoid; }
.kit-chart-svg svg { display: block; max-width: 100%; height: auto; }
.kit-commitments td:nth-child(3) { white-space: nowrap; }
""".replace("__FONT__", FONT)


def _print_css() -> str:
    """:data:`PRINT_CSS` with the page numbers in the current language."""
    from kit.report.svg import page_numbers_css

    return PRINT_CSS.replace("__PAGE_OF__", page_numbers_css())


def _e(text) -> str:
    return html.escape("" if text is None else str(text))


def _tag(tag: str, text: str) -> str:
    """``<tag>text</tag>``, the text escaped (keeps ``_()`` calls out of f-strings, where
    message extraction cannot see them)."""
    return f"<{tag}>{_e(text)}</{tag}>"


def _edition_bands(profile, framework):
    """The bands of the edition the profile's scores were made under."""
    if profile.version == framework.version:
        return framework.bands
    from kit.content import load_edition

    edition = load_edition(framework, profile.version)
    return edition.bands if edition is not None else framework.bands


def _profile_section(profile, framework, history, chart_div, commitments=()) -> list[str]:
    """The profile and change sections; ``chart_div(item, heading_level=3)`` draws each chart."""
    from kit.charts.personal import change_chart, importance_chart, profile_chart

    if profile is None:
        return [_tag("h2", _("Your profile"))
                + _tag("p", _("You have not submitted a self-assessment yet."))]
    out = [_tag("h2", _("Your profile"))]
    if profile.edition_note:
        out.append(_tag("p", profile.edition_note))
    out.append(chart_div(profile_chart(profile, framework), heading_level=3))
    not_label = _("What it is not:")
    rows = "".join(
        f"<tr><th scope='row'>{_e(d.title)}"
        + (f"<br><small><em>{_e(not_label)}</em> {_e(d.what_it_is_not)}</small>"
           if d.what_it_is_not else "")
        + f"</th><td>{'' if d.score is None else f'{d.score:.1f}'}"
        + (f" <small>({_e(d.based_on)})</small>" if d.based_on else "")
        + "".join(f"<br><small>{_e(n)}</small>" for n in d.notes)
        + f"</td><td>{_e(d.band_label)}</td><td>{'' if d.importance is None else d.importance}</td></tr>"
        for d in profile.dimensions)
    heads = "".join(f"<th scope='col'>{_e(h)}</th>"
                    for h in (_("Area"), _("Score"), _("Band"), _("Importance")))
    caption = _("Scores by area")
    out.append(f"<div class='table-wrap' tabindex='0'><table><caption>{_e(caption)}</caption><thead><tr>{heads}"
               f"</tr></thead><tbody>{rows}</tbody></table></div>")
    start = _("(from {score})")
    bands = "".join(
        f"<li><strong>{_e(b.label)}</strong> "
        f"{_e(start.format(score=f'{b.min:g}'))}: {_e(b.description)}</li>"
        for b in sorted(_edition_bands(profile, framework), key=lambda b: -b.min))
    out.append(_tag("p", _("Reading the bands:")) + f"<ul>{bands}</ul>")
    if any(d.importance is not None for d in profile.dimensions):
        out.append(chart_div(importance_chart(profile), heading_level=3))
    out.append(_tag("h2", _("Change over time")))
    if history is not None and history["round"].nunique() > 1:
        out.append(chart_div(change_chart(history, profile), heading_level=3))
    else:
        out.append(_tag("p", _("You have answered in one round so far. Change shows after the next round.")))
    from kit.charts.personal import commitments_html, looking_back_html

    out.append(looking_back_html(profile))
    out.append(commitments_html(framework, commitments))
    return out


def _reflections_section(entries, exercises) -> list[str]:
    chosen = [e for e in entries if e.include_in_report and e.finished]
    out = [_tag("h2", _("Reflections you chose to include"))]
    if not chosen:
        out.append("<p>" + _e(_("None chosen. In the reflection journal, tick \u201cInclude this "
                                "entry in my report\u201d for any entry you want here.")) + "</p>")
        return out
    for e in sorted(chosen, key=lambda e: e.updated_at):
        ex = exercises.get(e.exercise_id)
        title = ex.title if ex else e.exercise_id
        parts = [f"<div class='kit-entry'><h3>{_e(title)}</h3><p><small>"
                 f"{_e(format_date(e.updated_at.date()))}</small></p>"]
        for step_id, text in e.answers.items():
            prompt = step_id
            if ex is not None:
                try:
                    prompt = ex.step(step_id).prompt
                except KeyError:
                    pass
            parts.append(f"<p><strong>{_e(prompt)}</strong><br>{_e(text).replace(chr(10), '<br>')}</p>")
        parts.append("</div>")
        out.append("".join(parts))
    return out


def _commitments_section(commitments, framework, today) -> list[str]:
    from kit.store.info import COMMITMENT_STATUS_LABELS as STATUS_LABELS

    out = [_tag("h2", _("Your commitments"))]
    if not commitments:
        out.append(_tag("p", _("No commitments yet. Make one in the action plan.")))
        return out
    titles = {d.id: d.title for d in framework.dimensions}
    overdue_word = _("Overdue")
    rows = []
    for c in commitments:
        overdue = c.status in ("open", "in_progress") and c.due is not None and c.due < today
        status = _e(_(STATUS_LABELS.get(c.status, c.status)))
        if overdue:
            status = f"<span class='overdue'>{_e(overdue_word)}</span> ({status})"
        rows.append(f"<tr><td>{_e(c.text)}</td><td>{_e(titles.get(c.dimension_id, c.dimension_id))}</td>"
                    f"<td>{'' if c.due is None else _e(format_date(c.due, 'dd MMM y'))}</td><td>{status}</td>"
                    f"<td>{_e(c.review_note)}</td></tr>")
    heads = "".join(f"<th scope='col'>{_e(h)}</th>" for h in (
        _("Commitment"), _("Area"), _("Due"), _("Status"), _("Note")))
    out.append(f"<div class='table-wrap' tabindex='0'><table class='kit-commitments'><thead><tr>{heads}</tr>"
               f"</thead><tbody>{''.join(rows)}</tbody></table></div>")
    return out


def personal_report_html(store, participant_id: int, *,
                         framework=DEFAULT_SELF_FRAMEWORK, today=None,
                         charts: str = "interactive") -> str:
    """One participant's report as a standalone HTML page (charts work offline).

    Parameters
    ----------
    store : kit.store.Store
    participant_id : int
    framework : str or kit.content.Framework
    today : datetime.date, optional
        Defaults to ``get_settings().today``; used for the date line and overdue marks.
    charts : {"interactive", "svg"}
        ``"interactive"`` embeds the Vega bundle once and draws charts in the browser;
        ``"svg"`` draws them ahead of time as inline SVG (no JavaScript) and adds A4 print
        styles: the variant used for PDF output.

    Examples
    --------
    >>> page = personal_report_html(store, participant_id)      # doctest: +SKIP
    >>> Path("report.html").write_text(page, encoding="utf-8")  # doctest: +SKIP
    """
    if charts not in CHART_STYLES:
        raise ValueError(f"personal_report_html: charts={charts!r} is not one of "
                         f"{', '.join(map(repr, CHART_STYLES))}")
    # The report is in the person's language (theirs, else their cohort's, else the default).
    with use_language(store.language_for(participant_id)):
        return _report(store, participant_id, framework, today, charts)


def _report(store, participant_id, framework, today, charts) -> str:
    from kit.analysis.stored import load_profile
    from kit.config import get_settings
    from kit.content import load_exercises, load_framework

    if charts == "svg":
        from kit.report.svg import svg_chart_div as chart_div

        head_extra, css = "", REPORT_CSS + _print_css()
    else:
        from kit.charts.display import chart_div, embed_script

        head_extra, css = embed_script(), REPORT_CSS

    if not isinstance(framework, str) and framework.language != get_language():
        framework = framework.source or framework.id  # the same framework, in this language
    fw = load_framework(framework) if not hasattr(framework, "dimensions") else framework
    today = today or get_settings().today
    participant = store.participant(participant_id)
    profile, history = load_profile(store, participant_id, fw)
    exercises = {ex.id: ex for ex in load_exercises()}
    heading = (_("{name}\u2019s partnering report").format(name=participant.display_name)
               if participant.display_name else _("Your partnering report"))
    prepared = _("{framework}. Prepared on {date}. This report is yours: it holds only what you "
                 "entered, and it stays private unless you choose to share it.").format(
                     framework=fw.title, date=format_date(today))
    body = [
        f"<h1>{_e(heading)}</h1>",
        f"<p>{_e(prepared)}</p>",
    ]
    commitments = store.list_commitments(participant_id)
    body += _profile_section(profile, fw, history, chart_div, commitments)
    body += _reflections_section(store.list_reflections(participant_id), exercises)
    body += _commitments_section(commitments, fw, today)
    return (
        f"<!DOCTYPE html>\n<html lang='{html_lang()}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(heading)}</title><style>{css}</style>{head_extra}</head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )
