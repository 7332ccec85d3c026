"""The one-page printable session plan, built from the session steps so that the paper and
the dashboard always agree.

``python -m kit.apps.session_plan > docs/session-plan.html`` refreshes the copy in the docs
(a test checks that it is up to date). No widgets here.
"""

from __future__ import annotations

import html

from kit.apps.facilitator_model import END_STEP, SESSION_STEPS, suggested_questions
from kit.i18n import N_, _, html_lang

__all__ = ["session_plan_html", "timetable", "BREAK_AFTER", "BREAK_MINUTES", "MATERIALS",
           "GROUND_RULES"]

#: The break comes after this step.
BREAK_AFTER = "health"
BREAK_MINUTES = 10

#: English, marked for translation; shown through ``_()``.
MATERIALS = (
    N_("A screen everyone can see, showing the facilitator dashboard (and the facilitator key)"),
    N_("A flipchart and pens"),
    N_("Each participant's own device and their resume code"),
    N_("A printed join sheet per group: web address and join code (and spare codes)"),
    N_("This plan, printed"),
)

GROUND_RULES = (
    N_("What is said in the room stays in the room: repeat what you learnt, not who said it."),
    N_("Speak from your own experience, not on behalf of your organisation."),
    N_("Be curious about a partner's view before defending your own organisation's."),
    N_("Nobody is asked how they scored."),
    N_("Anyone can pass on any question."),
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
            rows.append((f"{_clock(at)}\u2013{_clock(at + BREAK_MINUTES)}", _("Break"), ""))
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
    questions = "".join(f"<li>{e(q)}</li>" for q in suggested_questions(_("this area"))[1:])
    materials = "".join(f"<li>{e(m)}</li>" for m in map(_, MATERIALS))
    rules = "".join(f"<li>{e(r)}</li>" for r in map(_, GROUND_RULES))
    power = "".join(f"<li>{e(x)}</li>" for x in (
        _("Most senior people speak later, not first; mix levels in pairs."),
        _("Dominant voices: a round of one sentence each, or two minutes' writing first."),
        _("Someone upset: pause, acknowledge, offer a break, let them choose; check in privately "
          "later; never ask them to explain to the room."),
    ))
    title = _("Partnership session plan (two hours)")
    # The bold words are the dashboard's own labels: marked here as {b}...{/b}.
    bold = {"{b}": "<strong>", "{/b}": "</strong>", "{i}": "<em>", "{/i}": "</em>"}

    def marked(text: str) -> str:
        out = e(text)
        for k, v in bold.items():
            out = out.replace(k, v)
        return out

    intro = marked(_(
        "Facilitator dashboard: tick {b}Session mode{/b} and press {b}Next step{/b} at each step; "
        "the dashboard shows \u201cSession: step 1 of {total}\u201d and so on. After the last "
        "step, {b}End the session{/b} shows what to do next and how to turn session mode off. Turning "
        "session mode off and on keeps your place. The self-assessment stays private: nobody is "
        "asked how they scored. The group talks about the partnership through the health check."
    ).replace("{total}", str(len(SESSION_STEPS))))
    small = marked(_(
        "No scores at all: check-in and ground rules; {i}A partnership that worked, and why{/i}; "
        "{i}A service user's journey, mapped together{/i}; break; the health-check statements "
        "discussed without scores; close with {i}What I will do differently on Monday{/i} and "
        "one commitment each."))
    close = marked(_(
        "Close with {i}What I will do differently on Monday{/i} and {b}Make this a "
        "commitment{/b}. A later session opens with {i}Reviewing a commitment{/i} in "
        "mixed-organisation pairs. Full guidance: the facilitator guide that comes with the kit."))
    end = e(END_STEP.guidance)
    words = {k: e(v) for k, v in {
        "time": _("Time"), "step": _("Step and what to do"), "materials": _("Materials"),
        "rules": _("Ground rules"), "questions": _("For each mixed area (views spread)"),
        "power": _("Power and difficult moments"),
        "small": _("A group below the minimum ({k} people)").format(k=min_group_size),
        "close": _("Close, and next time"), "end": END_STEP.title,
    }.items()}
    return f"""<!DOCTYPE html>
<html lang="{e(html_lang())}"><head><meta charset="utf-8">
<title>{e(title)}</title>
<style>{_CSS}</style></head>
<body>
<h1>{e(title)}</h1>
<p>{intro}</p>
<table><thead><tr><th scope="col">{words['time']}</th><th scope="col">{words['step']}</th></tr></thead>
<tbody>{rows}</tbody></table>
<div class="cols">
<div><h2>{words['materials']}</h2><ul>{materials}</ul>
<h2>{words['rules']}</h2><ul>{rules}</ul></div>
<div><h2>{words['questions']}</h2><ul>{questions}</ul>
<h2>{words['power']}</h2><ul>{power}</ul></div>
</div>
<h2>{words['small']}</h2>
<p>{small}</p>
<h2>{words['close']}</h2>
<p>{close}</p>
<h2>{words['end']}</h2>
<p>{end}</p>
</body></html>
"""


if __name__ == "__main__":  # pragma: no cover - the docs copy is refreshed by hand
    print(session_plan_html(), end="")
