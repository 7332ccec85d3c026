"""Shared set-up for the safety, XSS and accessibility tests (not a test module itself).

* :data:`PAYLOADS`: hostile strings pushed through every rendering path.
* :func:`poisoned_framework` and :func:`poisoned_exercises`: shipped content with payloads in
  every title, prompt and help text, as a trainer's YAML could hold them.
* :func:`hostile_cohort`: a cohort whose name, groups, organisations, display names and shared
  free text are all payloads, large enough for every view to show something.
* :func:`walk`, :func:`html_values`: the widgets of a tree and every HTML string they show.
"""

from __future__ import annotations

import dataclasses
import re
from types import SimpleNamespace

import ipywidgets as W

FRAMEWORK = "collaboration-behaviours"
SHARED = ("what-will-i-do-monday", "monday")

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "</script><script>alert(1)</script>",
    "{{7*7}}",
)
#: Payloads that are dangerous only when left unescaped (they hold ``<`` or ``"``).
MARKUP_PAYLOADS = tuple(p for p in PAYLOADS if "<" in p or '"' in p)
_JS_URL = re.compile(r"""(href|src|action)\s*=\s*['"]?\s*javascript:""", re.I)


def payload(i: int) -> str:
    """The i-th payload, cycling."""
    return PAYLOADS[i % len(PAYLOADS)]


def all_payloads() -> str:
    return " ".join(PAYLOADS)


def assert_safe_html(text: str, where: str = "") -> None:
    """No payload appears unescaped in ``text`` and no link or source is a ``javascript:`` URL."""
    for p in MARKUP_PAYLOADS:
        assert p not in text, f"unescaped {p!r} in {where or 'HTML'}"
    assert not _JS_URL.search(text), f"javascript: URL in an attribute of {where or 'HTML'}"


def walk(widget):
    """Every widget in a tree, depth first (children of boxes, accordions and tabs)."""
    stack = [widget]
    seen = set()
    while stack:
        w = stack.pop()
        if id(w) in seen:
            continue
        seen.add(id(w))
        yield w
        stack.extend(reversed(tuple(getattr(w, "children", ()) or ())))


def html_values(widget) -> list[tuple[str, str]]:
    """``(widget class, html)`` for every HTML string the tree shows as markup."""
    out = []
    for w in walk(widget):
        if isinstance(w, (W.HTML, W.HTMLMath)):
            out.append((type(w).__name__, w.value))
        # A description is text unless the widget opts in to HTML descriptions.
        if getattr(w, "description_allow_html", False):
            out.append((type(w).__name__ + ".description", w.description))
    return out


def assert_tree_safe(widget) -> None:
    for name, value in html_values(widget):
        assert_safe_html(value, name)


# -- poisoned content --------------------------------------------------------------------
def poisoned_framework(framework_id: str = FRAMEWORK):
    """The shipped framework with a payload appended to every text a page shows."""
    from kit.content import load_framework

    fw = load_framework(framework_id)
    dims = []
    for n, d in enumerate(fw.dimensions):
        items = tuple(dataclasses.replace(i, text=f"{i.text} {payload(n + k)}",
                                          help=f"help {payload(n + k + 1)}")
                      for k, i in enumerate(d.items))
        dims.append(dataclasses.replace(d, title=f"{d.title} {payload(n)}",
                                        why=f"{d.why} {payload(n + 1)}", items=items))
    bands = tuple(dataclasses.replace(b, label=f"{b.label} {payload(k)}",
                                      description=f"{b.description} {payload(k + 2)}")
                  for k, b in enumerate(fw.bands))
    return dataclasses.replace(fw, title=f"{fw.title} {payload(0)}",
                               description=f"{fw.description} {all_payloads()}",
                               dimensions=tuple(dims), bands=bands)


def poisoned_exercises():
    """The shipped exercises with payloads in titles, purposes, prompts and help."""
    from kit.content import load_exercises

    out = []
    for n, ex in enumerate(load_exercises()):
        steps = tuple(dataclasses.replace(s, prompt=f"{s.prompt} {payload(n + k)}",
                                          help=f"help {payload(n + k + 2)}")
                      for k, s in enumerate(ex.steps))
        out.append(dataclasses.replace(ex, title=f"{ex.title} {payload(n)}",
                                       purpose=f"{ex.purpose} {all_payloads()}", steps=steps))
    return out


# -- a participant with hostile text everywhere ------------------------------------------
def hostile_participant(url: str) -> SimpleNamespace:
    """A store with one participant whose every piece of text is a payload."""
    import datetime as dt

    from kit.apps.identity import SignInModel
    from kit.content import load_exercises, load_framework
    from kit.store import Store

    fw = load_framework(FRAMEWORK)
    store = Store(url)
    created = store.create_cohort(f"Cohort {payload(0)}", groups=[f"G {payload(1)}"],
                                  rounds=["Baseline"])
    visitor = SignInModel(store).join(next(iter(created.join_codes.values())), payload(2))
    pid = visitor.participant_id
    rnd = store.open_round(created.cohort_id, "Baseline")  # after joining: counted
    store.submit_response(pid, FRAMEWORK, rnd.id, {i.id: 3 for i in fw.items},
                          {d.id: 4 for d in fw.dimensions if d.ask_importance}, key="k1")
    for n, ex in enumerate(load_exercises()[:3]):
        store.save_reflection(pid, ex.id, {s.id: f"{s.id} {all_payloads()}\nline two"
                                           for s in ex.steps},
                              finished=n != 2, include_in_report=True)
    for n, d in enumerate(fw.dimensions[:3]):
        cid = store.add_commitment(pid, f"Commit {payload(n)} {payload(n + 3)}", d.id,
                                   dt.date(2026, 2, 1) if n == 0 else dt.date(2026, 6, 1))
        if n == 1:
            store.review_commitment(pid, cid, "in_progress", f"note {all_payloads()}")
    for n, sector in enumerate(("Local council", "NHS and health", "Housing")):
        store.add_relationship(pid, f"Person {payload(n)}", f"Org {payload(n + 3)}", sector,
                               "monthly", 1 + n, 5 - n)
    return SimpleNamespace(store=store, fw=fw, visitor=visitor, pid=pid, created=created,
                           round=rnd, today=dt.date(2026, 3, 2))


# -- a cohort with hostile names and free text -------------------------------------------
def hostile_cohort(url: str, *, people: int = 12) -> SimpleNamespace:
    """A cohort named with payloads, two groups, two payload organisations, shared free text."""
    import random

    from kit.content import load_framework
    from kit.store import Store

    fw = load_framework(FRAMEWORK)
    health = load_framework("partnership-health-check")
    store = Store(url)
    groups = [f"North {payload(0)}", f"South {payload(2)}"]
    created = store.create_cohort(f"Cohort {payload(1)}", groups=groups,
                                  rounds=["Baseline", f"Mid {payload(4)}"],
                                  frameworks=[FRAMEWORK, health.id], open_first=False)
    rng = random.Random(3)
    pids = []
    for n in range(people):  # everyone joins before the first round opens
        p = store.join(created.join_codes[groups[0]], f"Name {payload(n)}",
                       organisation=f"Org {payload(n % 2)}",
                       sector=f"Sector {payload(n % 2 + 1)}",
                       role_level=f"Level {payload(3)}")
        pids.append(p.id)
    for rnd_name in ("Baseline", f"Mid {payload(4)}"):
        if rnd_name != "Baseline":  # shared before Baseline closes, so published with it
            from kit.publishing import close_round

            for n, pid in enumerate(pids):
                store.save_reflection(pid, SHARED[0],
                                      {SHARED[1]: f"Shared {n} {all_payloads()}"},
                                      finished=True, shared=True)
            close_round(store, created.cohort_id, "Baseline")  # publishes, as closing does
        store.open_round(created.cohort_id, rnd_name)
        rnd = store.current_round(created.cohort_id)
        for n in range(people):
            pid = pids[n]
            store.submit_response(pid, FRAMEWORK, rnd.id,
                                  {i.id: rng.randint(fw.scale.min, fw.scale.max) for i in fw.items},
                                  {d.id: rng.randint(1, 5) for d in fw.dimensions if d.ask_importance},
                                  key=f"{rnd_name}-{n}")
            store.submit_response(pid, health.id, rnd.id,
                                  {i.id: rng.randint(1, 5) for i in health.items},
                                  {d.id: 3 for d in health.dimensions if d.ask_importance},
                                  key=f"h-{rnd_name}-{n}")
    return SimpleNamespace(store=store, fw=fw, created=created, pids=pids, groups=groups)
