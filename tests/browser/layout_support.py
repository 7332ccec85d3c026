"""Measuring a page's layout in the browser, not by eye: text that overlaps other text or a
control, text smaller than a minimum size, a page wider than the screen, and developer words
in what people read (issue 28: "no overlap, no text under 12 px on a phone or 18 px on a
projector step, ... and no developer word on any page")."""

from __future__ import annotations

import re

# What is measured: every visible text node outside charts (charts are measured by their own
# test, tests/browser/test_chart_fit.py, in the chart's own scale) and every form control.
_MEASURE = r"""
(minPx) => {
  const out = {overflow: 0, overlaps: [], small: [], text: ""};
  const vw = window.innerWidth;
  out.overflow = Math.max(0, document.documentElement.scrollWidth - vw);
  const visible = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === "none" || cs.visibility === "hidden" || +cs.opacity === 0) return false;
      if (e.tagName === "DETAILS" && !e.open && e.firstElementChild &&
          !e.firstElementChild.contains(el) && e !== el) {
        // inside a closed <details> (its <summary> aside)
        const s = e.querySelector(":scope > summary");
        if (!s || !s.contains(el)) return false;
      }
    }
    return true;
  };
  const hiddenByClip = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if ((cs.clip && cs.clip !== "auto") || cs.clipPath === "inset(50%)") return true;
      const r = e.getBoundingClientRect();
      if (cs.overflow === "hidden" && (r.width <= 2 || r.height <= 2)) return true;
    }
    return false;
  };
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!el || !node.textContent.trim()) continue;
    if (el.closest("svg, script, style, noscript, option, .kit-chart, .vega-embed, .kit-sr-only")) continue;
    if (!visible(el) || hiddenByClip(el)) continue;
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width < 1 || r.height < 1) continue;
      boxes.push({kind: "text", el, r, label: node.textContent.trim().slice(0, 60)});
    }
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size + 0.01 < minPx) {
      out.small.push({text: node.textContent.trim().slice(0, 60), px: size});
    }
  }
  document.querySelectorAll("input, select, textarea, button").forEach((el) => {
    if (el.type === "hidden" || !visible(el) || hiddenByClip(el)) return;
    if (el.closest(".kit-page-hidden")) return;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return;
    boxes.push({kind: "control", el, r, label: (el.getAttribute("aria-label") || el.name ||
      el.value || el.tagName).toString().slice(0, 60)});
  });
  const meet = (a, b) => {
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return w > 2 && h > 2;  // more than a 2 px touch
  };
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      // a radio's or checkbox's own label wraps or sits beside it by design
      if (a.el.closest("label") && a.el.closest("label") === b.el.closest("label")) continue;
      if (meet(a.r, b.r)) {
        out.overlaps.push(`${a.kind} "${a.label}" over ${b.kind} "${b.label}"`);
      }
    }
  }
  out.text = document.body.innerText;
  out.small = out.small.slice(0, 20);
  out.overlaps = [...new Set(out.overlaps)].slice(0, 20);
  return out;
}
"""


def layout_problems(page, *, min_px: float = 12.0, where: str = "") -> list[str]:
    """Every layout problem on ``page`` as it is now, in words (empty when there is none)."""
    from test_plain_words import DEVELOPER_WORDS

    found = page.evaluate(_MEASURE, min_px)
    problems = []
    if found["overflow"] > 1:
        problems.append(f"{where}: the page is {found['overflow']} px wider than the screen")
    problems += [f"{where}: {o}" for o in found["overlaps"]]
    problems += [f"{where}: text of {s['px']:g} px (under {min_px:g}): {s['text']!r}"
                 for s in found["small"]]
    for pattern, why in DEVELOPER_WORDS.items():
        m = re.search(pattern, found["text"])
        if m:
            start = max(0, m.start() - 40)
            problems.append(f"{where}: {why} {m.group(0)!r} in "
                            f"{found['text'][start:m.end() + 40]!r}")
    return problems
