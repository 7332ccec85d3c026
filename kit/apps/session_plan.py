"""The one-page printable session plan, built from the session steps so that the paper and
the dashboard always agree.

``python -m kit.apps.session_plan > docs/session-plan.html`` refreshes the copy in the docs
(a test checks that it is up to date). No widgets here.
"""

from __future__ import annotations

import html

from kit.apps.facilitator_model import SESSION_STEPS, suggested_questions

__all__ = ["session_plan_html", "timetable", "BREAK_AFTER", "BREAK_MINUTES", "MATERIALS",
           "GROUND_RULES"]

#: The break comes after this step.
BREAK_AFTER = "breakdown"
BREAK_MINUTES = 10

MATERIALS = (
    "A screen everyone can see, showing the facilitator dashboard (and the facilitator key)",
    "A flipchart and pens",
    "Each participant's own device and their resume code",
    "A printed join sheet per group: web address and join code (and spare codes)",
    "This plan, printed",
)

GROUND_RULES = (
    "What is said in the room stays in the room: repeat what you learnt, not who said it.",
    "Speak from your own experience, not on behalf of your organisation.",
    "Be curious about a partner's view before defending your own organisation's.",
    "Nobody is asked how they scored.",
    "Anyone can pass on any question.",
)


def _clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def timetable() -> list[tuple[str, str, str]]:
    """``(from-to, title, what to do)`` rows: every session step, with the break."""
    rows, at = [], 0
    for step in SESSION_STEPS:
        rows.append((f"{_clock(at)}\u2013{_clock(at + step.minutes)}", step.title, step.guidance))
        at += step.minutes
        if step.id == BREAK_AFTER:
            rows.append((f"{_clock(at)}\u2013{_clock(at + BREAK_MINUTES)}", "Break", ""))
            at += BREAK_MINUTES
    return rows


_CSS = """
@page { size: A4; margin: 12mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 8.6pt; line-height: 1.3;
       color: #111; max-width: 190mm; margin: 0 auto; }
h1 { font-size: 14pt; margin: 0 0 2mm; } h2 { font-size: 10pt; margin: 3mm 0 1mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th[scope=row] { white-space: nowrap; font-weight: normal; }
ul { margin: 0; padding-left: 5mm; } li { margin: 0; }
.cols { display: flex; gap: 5mm; } .cols > div { flex: 1; }
p { margin: 1mm 0; }
"""


def session_plan_html(min_group_size: int = 5) -> str:
    """A standalone, offline, one-page (A4) HTML plan of a two-hour session."""
    e = html.escape
    rows = "".join(
        f"<tr><th scope='row'>{e(when)}</th><td><strong>{e(title)}</strong>"
        + (f"<br>{e(what)}" if what else "") + "</td></tr>"
        for when, title, what in timetable())
    questions = "".join(f"<li>{e(q)}</li>" for q in suggested_questions("this dimension")[1:])
    materials = "".join(f"<li>{e(m)}</li>" for m in MATERIALS)
    rules = "".join(f"<li>{e(r)}</li>" for r in GROUND_RULES)
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Partnership session plan (two hours)</title>
<style>{_CSS}</style></head>
<body>
<h1>Partnership session plan (two hours)</h1>
<p>Facilitator dashboard: turn on <strong>Facilitated session</strong> and press
<strong>Next step</strong> at each step. Turning session mode off and on keeps your place.
The self-assessment stays private: nobody is asked how they scored. The group talks about the
partnership through the health check.</p>
<table><thead><tr><th scope="col">Time</th><th scope="col">Step and what to do</th></tr></thead>
<tbody>{rows}</tbody></table>
<div class="cols">
<div><h2>Materials</h2><ul>{materials}</ul>
<h2>Ground rules</h2><ul>{rules}</ul></div>
<div><h2>For each mixed dimension (views spread)</h2><ul>{questions}</ul>
<h2>Power and difficult moments</h2><ul>
<li>Most senior people speak later, not first; mix levels in pairs.</li>
<li>Dominant voices: a round of one sentence each, or two minutes' writing first.</li>
<li>Someone upset: pause, acknowledge, offer a break, let them choose; check in privately
later; never ask them to explain to the room.</li></ul></div>
</div>
<h2>A group below the minimum ({min_group_size} people)</h2>
<p>No scores at all: check-in and ground rules; <em>A partnership that worked, and why</em>;
<em>A service user's journey, mapped together</em>; break; the health-check statements
discussed without scores; close with <em>What I will do differently on Monday</em> and one
commitment each.</p>
<h2>Close, and next time</h2>
<p>Close with <em>What I will do differently on Monday</em> and <strong>Make this a
commitment</strong>. A later session opens with <em>Reviewing a commitment</em> in
mixed-organisation pairs. Full guidance: docs/facilitator-guide.md.</p>
</body></html>
"""


if __name__ == "__main__":  # pragma: no cover - the docs copy is refreshed by hand
    print(session_plan_html(), end="")
