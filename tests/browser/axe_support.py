"""axe-core in the browser tests: run it on a page, keep the results, and word the failures.

axe-core comes bundled in ``axe-playwright-python`` (``axe.min.js`` inside the wheel), so nothing
is fetched at run time. Each run's full result is written to ``test-artifacts/axe/<name>.json``.
"""

from __future__ import annotations

import json
import re

from browser_support import ARTIFACTS

AXE_RESULTS = ARTIFACTS / "axe"
#: Impacts that fail a test (issue 16: zero "serious" or "critical").
BLOCKING = ("serious", "critical")
#: WCAG 2.0-2.2 A and AA rules plus axe's best practices.
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}

_axe = None


def _engine():
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    return _axe


def run_axe(page, name: str) -> list[dict]:
    """Run axe-core on ``page``; save the result as ``<name>.json``; return every violation."""
    results = _engine().run(page, options=AXE_OPTIONS)
    violations = results.response.get("violations", [])
    AXE_RESULTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name)
    (AXE_RESULTS / f"{safe}.json").write_text(
        json.dumps({"url": page.url, "violations": violations}, indent=1), encoding="utf-8"
    )
    return violations


def worded(violations: list[dict]) -> str:
    """One line per violation and up to three offending elements, for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} elements)")
        for node in v["nodes"][:3]:
            lines.append(f"    {node.get('target')} {node.get('failureSummary', '')[:300]!r}")
    return "\n".join(lines)


#: A chart that Vega is still redrawing carries its own mark roles for a frame or two, until
#: kit-a11y.js folds them into the one named image: that transient state is waited out.
_REDRAWING = {"svg-img-alt"}
_SETTLED_JS = ("() => [...document.querySelectorAll('.kit-chart svg')]"
               ".every(s => s.getAttribute('aria-labelledby') && !s.querySelector('[role]'))")


def assert_no_serious(page, name: str) -> list[dict]:
    """Fail when axe finds any serious or critical violation; return the lesser ones."""
    violations = run_axe(page, name)
    for _ in range(5):  # bounded: a redraw that never settles still fails below
        bad = [v for v in violations if v.get("impact") in BLOCKING]
        if not bad or {v["id"] for v in bad} - _REDRAWING:
            break
        page.wait_for_function(_SETTLED_JS, timeout=30_000)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                      "requestAnimationFrame(r)))")
        violations = run_axe(page, name)
    bad = [v for v in violations if v.get("impact") in BLOCKING]
    assert not bad, f"axe-core on {name} ({page.url}):\n{worded(bad)}"
    return violations
