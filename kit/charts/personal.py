"""Charts of one person's profile: scores by dimension with bands, importance against
self-rating, and change over rounds. Each returns a :class:`ChartWithText` whose description
states the finding in words.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from kit.analysis.personal import Profile, commitments_by_area
from kit.charts._theme import (
    BAND_COLOURS,
    OKABE_ITO,
    ROUND_COLOURS,
    ChartWithText,
    Size,
    apply_size,
    preset,
    row_axis,
    row_step,
)
from kit.charts._words import names as _join_names
from kit.charts._words import numbered
from kit.i18n import N_, _, ngettext

__all__ = ["profile_chart", "importance_chart", "change_chart", "profile_summary",
           "commitments_html", "looking_back_html"]

def _fmt(x: float) -> str:
    return f"{x:.1f}"


def _names(results) -> str:
    return _join_names([r.title for r in results])


def profile_summary(profile: Profile) -> str:
    """Two or three sentences naming the strongest and weakest areas and the priorities."""
    if not profile.scored:
        return _("There are not enough answers yet to draw a profile.")
    parts = []
    top, low = profile.strongest, profile.weakest
    if len(top) == len(profile.scored) and len(top) > 1:
        parts.append(_("All {n} areas score the same, {score} ({band}).").format(
            n=len(top), score=_fmt(top[0].score), band=top[0].band_label.lower()))
        if profile.priorities:
            parts.append(_("Where to focus: {areas}.").format(
                areas=_names(profile.priorities[:2])))
        return " ".join(parts)
    parts.append(ngettext("Your strongest area is {areas} ({score}, {band}).",
                          "Your strongest areas are {areas} ({score}, {band}).",
                          len(top)).format(areas=_names(top), score=_fmt(top[0].score),
                                           band=top[0].band_label.lower()))
    if low and low[0].score != top[0].score:
        parts.append(ngettext("The area you rate lowest is {areas} ({score}, {band}).",
                              "The areas you rate lowest are {areas} ({score}, {band}).",
                              len(low)).format(areas=_names(low), score=_fmt(low[0].score),
                                               band=low[0].band_label.lower()))
    if profile.priorities:
        parts.append(_("Where to focus (matters a lot in your role, not yet in the top band): "
                       "{areas}.").format(areas=_names(profile.priorities[:2])))
    return " ".join(parts)


def profile_chart(profile: Profile, framework, *, size: Size = "screen") -> ChartWithText:
    """Bar per dimension on the rating scale, coloured by band, with band cut-offs marked.

    ``size`` is where it is shown (:data:`kit.charts._theme.Size`): the chart fills its
    container's width either way."""
    p = preset(size)
    lo, hi = profile.score_range
    bands = sorted(framework.bands, key=lambda b: b.min, reverse=True)
    band_labels = [b.label for b in bands]
    colours = list(BAND_COLOURS[: len(bands)])
    rows = [
        {"dimension": d.title, "score": d.score, "band": d.band_label,
         "order": i, "score_text": _fmt(d.score)}
        for i, d in enumerate(profile.dimensions) if d.score is not None
    ]
    data = pd.DataFrame(rows, columns=["dimension", "score", "band", "order", "score_text"])
    cuts = pd.DataFrame([{"min": b.min, "label": b.label} for b in bands if lo < b.min <= hi])
    data["start"] = lo
    order = list(data["dimension"])
    # The score and band are written with the area's name, above its bar: never told by
    # colour alone, and never past the end of the bar off a phone's screen.
    said = {r["dimension"]: _("{area}: {score}, {band}").format(
        area=r["dimension"], score=r["score_text"], band=str(r["band"]).lower()) for r in rows}
    y = alt.Y("dimension:N", sort=order, title=None, scale=alt.Scale(domain=order),
              axis=row_axis(order, size, display=said))
    x_title = _("Your rating ({low} to {high})").format(low=f"{lo:g}", high=f"{hi:g}")
    xs = alt.Scale(domain=[lo, hi], zero=False)
    # One explicit title per axis, the first layer's (apply_size gives every layer's axis
    # that title, so Vega-Lite never joins the layers' titles into one).
    bars = alt.Chart(data).mark_bar(height=p.bar).encode(
        x=alt.X("score:Q", scale=xs, title=x_title, axis=alt.Axis(tickMinStep=0.5)),
        x2=alt.X2("start:Q", title=_("Scale starts at")),
        y=y,
        color=alt.Color("band:N", scale=alt.Scale(domain=band_labels, range=colours),
                        legend=alt.Legend(title=_("Band"), orient="bottom")),
        tooltip=[alt.Tooltip("dimension:N", title=_("Area")),
                 alt.Tooltip("score_text:N", title=_("Score")),
                 alt.Tooltip("band:N", title=_("Band"))],
    )
    layers = [bars]
    if not cuts.empty:
        layers.append(alt.Chart(cuts).mark_rule(strokeDash=[4, 3], color="#555").encode(
            x=alt.X("min:Q", scale=xs, title=_("Band starts at")),
            tooltip=[alt.Tooltip("label:N", title=_("Band starts"))]))
    chart = apply_size(alt.layer(*layers).properties(
        width="container", height=row_step(order, size, display=said)), size)
    title = (_("Your profile ({round})").format(round=profile.round_name)
             if profile.round_name else _("Your profile"))
    return ChartWithText(chart, profile_summary(profile), title=title,
                         how_to_read=_("Each bar is your average rating for one area; its colour "
                                       "is the band, and dashed lines mark where each band "
                                       "starts."))


_PRIORITY = [N_("Where to focus"), N_("Other areas")]
#: one legend for colour and shape, so its symbols are the marks' own
_PRIORITY_LEGEND = alt.Legend(title=None, orient="bottom", labelLimit=0)


def _focus_rules(profile: Profile, xs, ys) -> list:
    """The two lines the rule reads (:func:`kit.analysis.scoring.needs_focus`): where the top
    band starts, and "matters a lot". Marks above the one and left of the other are the focus.
    The top band's line only when it is inside the rating scale."""
    ilo, ihi = profile.importance_range
    lo, hi = profile.score_range
    top = profile.top_band_min
    imp_line = ihi - 1 if ihi - ilo >= 2 else ihi
    rules = [alt.Chart(pd.DataFrame({"v": [imp_line]})).mark_rule(
                 color="#999999", strokeDash=[3, 3]).encode(
                 x=alt.X("v:Q", scale=xs, title=None)),
             alt.Chart(pd.DataFrame({"v": [top]})).mark_rule(
                 color="#999999", strokeDash=[3, 3]).encode(
                 y=alt.Y("v:Q", scale=ys, title=None))]
    return rules if lo <= top <= hi else rules[:1]


def _describe_focus(profile: Profile, empty: bool, ihi) -> str:
    """The importance chart in words: how many areas matter a lot and are below the top band,
    and the first of them."""
    rated = sum(1 for d in profile.scored if d.importance is not None)
    if empty:
        return _("You did not rate how much each area matters, so there is nothing to "
                 "compare yet.")
    if profile.priorities:
        first = profile.priorities[0]
        return (ngettext("{n} of {total} area matters a lot in your role and is not yet in the "
                         "top band.",
                         "{n} of {total} areas matter a lot in your role and are not yet in the "
                         "top band.", len(profile.priorities)).format(
                    n=len(profile.priorities), total=rated)
                + " " + _("First among them: {area} (matters {importance} out of {most}; "
                          "{band}, {score}).").format(
                    area=first.title, importance=first.importance, most=f"{ihi:g}",
                    band=first.band_label.lower(), score=_fmt(first.score)))
    return _("No area both matters a lot in your role and sits below the top band.")


def importance_chart(profile: Profile, *, size: Size = "screen") -> ChartWithText:
    """Each dimension placed by how much it matters (across) and how you rate yourself (up).

    Each point carries its number; the numbered key under the chart (``ChartWithText.key``)
    names the areas."""
    p = preset(size)
    more, other = (_(p) for p in _PRIORITY)
    rows = [
        {"dimension": d.title, "importance": d.importance, "score": d.score,
         "priority": more if d in profile.priorities else other}
        for d in profile.scored if d.importance is not None
    ]
    data = pd.DataFrame(rows, columns=["dimension", "importance", "score", "priority"])
    ilo, ihi = profile.importance_range
    lo, hi = profile.score_range
    # Two labels closer than a line and a half of text (at this size) would touch.
    gap = (hi - lo) * p.font * 1.5 / p.plot_height
    data = numbered(data, "importance", "score", (ihi - ilo + 0.6) * p.font * 0.6 / 300, gap) if not data.empty else data.assign(number=[], label=[])
    key = tuple(_("{number}. {area}: matters {importance} out of {most}; you rate it "
                  "{score}").format(number=r.number, area=r.dimension,
                                    importance=f"{r.importance:g}", most=f"{ihi:g}",
                                    score=_fmt(r.score))
                for r in data.itertuples())
    x_title, y_title = _("How much it matters in your role"), _("Your rating")
    xs = alt.Scale(domain=[ilo - 0.3, ihi + 0.3])
    ys = alt.Scale(domain=[lo, hi])
    points = alt.Chart(data).mark_point(size=p.point, filled=True, opacity=1).encode(
        x=alt.X("importance:Q", scale=xs, title=x_title, axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("score:Q", scale=ys, title=y_title),
        color=alt.Color("priority:N", title=_("Where to focus"),
                        scale=alt.Scale(domain=[more, other],
                                        range=[OKABE_ITO[5], OKABE_ITO[0]]),
                        legend=_PRIORITY_LEGEND),
        shape=alt.Shape("priority:N", title=_("Where to focus"),
                        scale=alt.Scale(domain=[more, other], range=["triangle-up", "circle"]),
                        legend=_PRIORITY_LEGEND),
        tooltip=[alt.Tooltip("number:Q", title=_("Number")),
                 alt.Tooltip("dimension:N", title=_("Area")),
                 alt.Tooltip("importance:Q", title=_("How much it matters")),
                 alt.Tooltip("score:Q", format=".1f", title=_("Your rating"))],
    )
    # A label that would run past the right edge is written left of its mark.
    char = (ihi - ilo + 0.6) * p.font * 0.6 / 300
    data["flip"] = [x + (len(t) + 1) * char > ihi + 0.3 for x, t in
                    zip(data["importance"], data["label"], strict=True)]
    d = round(p.font * 0.7)
    labels = alt.Chart(data[data["label"] != ""]).mark_text(
        align=alt.ExprRef(expr="datum.flip ? 'right' : 'left'"), baseline="middle",
        dx=alt.ExprRef(expr=f"datum.flip ? {-d} : {d}"), fontWeight="bold").encode(
        x=alt.X("importance:Q", scale=xs, title=None),
        y=alt.Y("score:Q", scale=ys, title=None),
        text=alt.Text("label:N", title=_("Number")))
    rules = _focus_rules(profile, xs, ys)
    # The points come first, so the axes take their titles (one per axis) from them.
    chart = apply_size(alt.layer(points, labels, *rules).properties(
        width="container", height=p.plot_height), size)
    desc = _describe_focus(profile, data.empty, ihi)
    title = (_("What matters against how you rate yourself ({round})").format(
                 round=profile.round_name) if profile.round_name
             else _("What matters against how you rate yourself"))
    return ChartWithText(chart, desc, title=title,
                         how_to_read=_("Each numbered mark is an area: further right matters "
                                       "more in your role, higher is how you rate yourself. The "
                                       "dashed lines mark \"matters a lot\" and the start of the "
                                       "top band. The numbered list below the chart names each "
                                       "area."), key=key)


def change_chart(history: pd.DataFrame, profile: Profile, *, size: Size = "screen") -> ChartWithText:
    """A line per dimension across rounds; the description names what moved most."""
    p = preset(size)
    titles = {d.dimension_id: d.title for d in profile.dimensions}
    if "version" in history.columns:  # scores from different editions are never compared
        history = history[history["version"].fillna(profile.version).astype(int)
                          == profile.version]
    data = history[history["score"].notna()].copy()
    data["dimension"] = data["dimension_id"].map(titles).fillna(data["dimension_id"])
    data = data[["round", "round_position", "dimension", "score"]]
    lo, hi = profile.score_range
    order = list(dict.fromkeys(data.sort_values("round_position")["round"]))
    dims = [t for t in titles.values() if t in set(data["dimension"])]
    # A dumbbell per area: one dot per round joined by a grey line. Colour only tells rounds
    # apart (two or three Okabe-Ito colours), and dot shape repeats it for greyscale print.
    base = alt.Chart(data).encode(
        y=alt.Y("dimension:N", sort=dims, title=None, scale=alt.Scale(domain=dims),
                axis=row_axis(dims, size)),
    )
    xs = alt.Scale(domain=[lo, hi])
    # One explicit title per axis: on the first layer only.
    span = base.mark_rule(color="#999999", strokeWidth=2).encode(
        x=alt.X("min(score):Q", scale=xs, title=_("Your rating")),
        x2=alt.X2("max(score):Q", title=None),
    )
    dots = base.mark_point(filled=True, size=p.point, opacity=1).encode(
        x=alt.X("score:Q", scale=xs, title=None),
        color=alt.Color("round:N", sort=order, scale=alt.Scale(
            domain=order, range=list(ROUND_COLOURS[:len(order)])),
                        legend=alt.Legend(title=_("Round"), orient="bottom"), title=_("Round")),
        shape=alt.Shape("round:N", sort=order, legend=None, title=_("Round")),
        tooltip=[alt.Tooltip("dimension:N", title=_("Area")),
                 alt.Tooltip("round:N", title=_("Round")),
                 alt.Tooltip("score:Q", format=".1f", title=_("Your rating"))],
    )
    chart = apply_size((span + dots).properties(width="container", height=row_step(dims, size)),
                       size)
    ch = profile.changes
    if not ch and profile.other_editions:
        desc = profile.edition_note
    elif not ch:
        desc = _("You have answered in one round so far; change will show after your next "
                 "round.")
    else:
        up = sorted((c for c in ch if c.direction == "up"), key=lambda c: -c.delta)
        down = sorted((c for c in ch if c.direction == "down"), key=lambda c: c.delta)
        parts = [_("From {earlier} to {later}:").format(earlier=ch[0].earlier_round,
                                                        later=ch[0].later_round)]
        if up:
            parts.append(ngettext(
                "{n} area rose, most of all {area} (from {before} to {after}).",
                "{n} areas rose, most of all {area} (from {before} to {after}).",
                len(up)).format(n=len(up), area=up[0].title, before=_fmt(up[0].earlier),
                                after=_fmt(up[0].later)))
        if down:
            parts.append(ngettext(
                "{n} area fell, most of all {area} (from {before} to {after}).",
                "{n} areas fell, most of all {area} (from {before} to {after}).",
                len(down)).format(n=len(down), area=down[0].title,
                                  before=_fmt(down[0].earlier), after=_fmt(down[0].later)))
        if not up and not down:
            parts.append(_("your ratings stayed about the same in every area."))
        desc = " ".join(parts)
    return ChartWithText(chart, desc, title=_("Change since your first round"),
                         how_to_read=_("One row per area: a dot for each round, joined by a grey "
                                       "line; the longer the line, the more your rating "
                                       "moved."))


def commitments_html(framework, commitments) -> str:
    """The commitments made in each area, for the profile's change section ("" when none)."""
    import html

    from kit.content.choices import COMMITMENT_STATUS_LABELS

    groups = commitments_by_area(framework, commitments)
    if not groups:
        return ""
    parts = []
    for title, cs in groups:
        items = "".join(
            "<li>" + html.escape(c.text) + " <small>("
            + html.escape(_(COMMITMENT_STATUS_LABELS.get(c.status, c.status))) + ")</small></li>"
            for c in cs)
        parts.append(f"<h4>{html.escape(title)}</h4><ul>{items}</ul>")
    return ("<div class='kit-commitments-by-area'><h3>" + html.escape(_("What you committed to, "
                                                                        "by area"))
            + "</h3><p>" + html.escape(_("Read these beside how each area changed."))
            + "</p>" + "".join(parts) + "</div>")


def looking_back_html(profile) -> str:
    """The latest round's then-test, for the profile's change section: per area answered,
    "Looking back, you rated your starting point ..." beside the earlier score ("" when none)."""
    import html

    rows = getattr(profile, "looking_back", ()) if profile is not None else ()
    if not rows:
        return ""
    items = "".join(f"<li><strong>{html.escape(b.title)}</strong>: {html.escape(b.text)}</li>"
                    for b in rows)
    return ("<div class='kit-looking-back'><h3>" + html.escape(_("Looking back"))
            + "</h3><p>" + html.escape(_(
                "In your latest round you also said how often you did each of these before "
                "the programme. Read it beside your first score: what you know now may change "
                "how you see where you started, and that is what this question is for."))
            + f"</p><ul>{items}</ul></div>")
