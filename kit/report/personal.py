"""The personal report: one standalone HTML file that opens offline.

Profile, change since earlier rounds, the reflections the person chose to include, and their
commitments. Charts are drawn by a Vega bundle embedded once in the page (no CDN); all of the
person's own text is escaped.
"""

from __future__ import annotations

import html

from kit.charts._theme import FONT

__all__ = ["personal_report_html", "REPORT_CSS"]

REPORT_CSS = f"""
body {{ font-family: {FONT}; max-width: 52em; margin: 2em auto; padding: 0 1em; color: #1a1a1a;
       line-height: 1.5; }}
h1 {{ color: #0072B2; }} h2 {{ border-bottom: 2px solid #0072B2; padding-bottom: 0.2em; margin-top: 2em; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }}
figure {{ margin: 1.5em 0; }} figcaption {{ margin-top: 0.5em; }}
.kit-entry {{ border-left: 4px solid #56B4E9; padding-left: 1em; margin: 1em 0; }}
.overdue {{ color: #D55E00; font-weight: bold; }}
@media print {{ h2 {{ page-break-after: avoid; }} figure {{ page-break-inside: avoid; }} }}
"""


def _e(text) -> str:
    return html.escape("" if text is None else str(text))


def _profile_section(profile, framework, history) -> list[str]:
    from kit.charts.display import chart_div
    from kit.charts.personal import change_chart, importance_chart, profile_chart

    if profile is None:
        return ["<h2>Your profile</h2><p>You have not submitted a self-assessment yet.</p>"]
    out = ["<h2>Your profile</h2>", chart_div(profile_chart(profile, framework), heading_level=3)]
    rows = "".join(
        f"<tr><th scope='row'>{_e(d.title)}</th><td>{'' if d.score is None else f'{d.score:.1f}'}"
        f"</td><td>{_e(d.band_label)}</td><td>{'' if d.importance is None else d.importance}</td></tr>"
        for d in profile.dimensions)
    out.append("<table><caption>Scores by area</caption><thead><tr><th scope='col'>Area</th>"
               "<th scope='col'>Score</th><th scope='col'>Band</th><th scope='col'>Importance</th>"
               f"</tr></thead><tbody>{rows}</tbody></table>")
    bands = "".join(f"<li><strong>{_e(b.label)}</strong> (from {b.min:g}): {_e(b.description)}</li>"
                    for b in sorted(framework.bands, key=lambda b: -b.min))
    out.append(f"<p>Reading the bands:</p><ul>{bands}</ul>")
    if any(d.importance is not None for d in profile.dimensions):
        out.append(chart_div(importance_chart(profile), heading_level=3))
    out.append("<h2>Change over time</h2>")
    if history is not None and history["round"].nunique() > 1:
        out.append(chart_div(change_chart(history, profile), heading_level=3))
    else:
        out.append("<p>You have answered in one round so far. Change shows after the next round.</p>")
    return out


def _reflections_section(entries, exercises) -> list[str]:
    chosen = [e for e in entries if e.include_in_report and e.finished]
    out = ["<h2>Reflections you chose to include</h2>"]
    if not chosen:
        out.append("<p>None chosen. In the reflection journal, tick \u201cInclude this entry in "
                   "my report\u201d for any entry you want here.</p>")
        return out
    for e in sorted(chosen, key=lambda e: e.updated_at):
        ex = exercises.get(e.exercise_id)
        title = ex.title if ex else e.exercise_id
        parts = [f"<div class='kit-entry'><h3>{_e(title)}</h3><p><small>{e.updated_at.day} {e.updated_at:%B %Y}"
                 "</small></p>"]
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
    from kit.apps.action_plan_model import STATUS_LABELS

    out = ["<h2>Your commitments</h2>"]
    if not commitments:
        out.append("<p>No commitments yet. Make one in the action plan.</p>")
        return out
    titles = {d.id: d.title for d in framework.dimensions}
    rows = []
    for c in commitments:
        overdue = c.status in ("open", "in_progress") and c.due is not None and c.due < today
        status = _e(STATUS_LABELS.get(c.status, c.status))
        if overdue:
            status = f"<span class='overdue'>Overdue</span> ({status})"
        rows.append(f"<tr><td>{_e(c.text)}</td><td>{_e(titles.get(c.dimension_id, c.dimension_id))}</td>"
                    f"<td>{'' if c.due is None else f'{c.due:%d %b %Y}'}</td><td>{status}</td>"
                    f"<td>{_e(c.review_note)}</td></tr>")
    out.append("<table><thead><tr><th scope='col'>Commitment</th><th scope='col'>Area</th>"
               "<th scope='col'>Due</th><th scope='col'>Status</th><th scope='col'>Note</th></tr>"
               f"</thead><tbody>{''.join(rows)}</tbody></table>")
    return out


def personal_report_html(store, participant_id: int, *,
                         framework="collaboration-behaviours", today=None) -> str:
    """One participant's report as a standalone HTML page (charts work offline).

    Parameters
    ----------
    store : kit.store.Store
    participant_id : int
    framework : str or kit.content.Framework
    today : datetime.date, optional
        Defaults to ``get_settings().today``; used for the date line and overdue marks.

    Examples
    --------
    >>> page = personal_report_html(store, participant_id)      # doctest: +SKIP
    >>> Path("report.html").write_text(page, encoding="utf-8")  # doctest: +SKIP
    """
    from kit.apps._profile import load_profile
    from kit.charts.display import embed_script
    from kit.config import get_settings
    from kit.content import load_exercises, load_framework

    fw = load_framework(framework) if isinstance(framework, str) else framework
    today = today or get_settings().today
    participant = store.participant(participant_id)
    profile, history = load_profile(store, participant_id, fw)
    exercises = {ex.id: ex for ex in load_exercises()}
    name = participant.display_name or "Your"
    heading = f"{name}\u2019s partnering report" if participant.display_name else "Your partnering report"
    body = [
        f"<h1>{_e(heading)}</h1>",
        f"<p>{_e(fw.title)}. Prepared on {today.day} {today:%B %Y}. This report is yours: it holds only "
        "what you entered, and it stays private unless you choose to share it.</p>",
    ]
    body += _profile_section(profile, fw, history)
    body += _reflections_section(store.list_reflections(participant_id), exercises)
    body += _commitments_section(store.list_commitments(participant_id), fw, today)
    return (
        "<!DOCTYPE html>\n<html lang='en-GB'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(heading)}</title><style>{REPORT_CSS}</style>{embed_script()}</head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )
