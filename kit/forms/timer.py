"""A step timer that counts in the browser, and a small memory kept in the browser.

Both are anywidgets: their JavaScript runs in the page, so the timer keeps time while the
kernel is busy drawing charts, and what they keep (in the browser's local storage) survives
a reload of the page.

* :class:`StepTimer`: minutes for one step, counting down; Start/Pause and Reset are real
  buttons (keyboard: Tab, then Enter or Space). Past zero it counts the time over, marked
  "over". Its running state is kept per ``key``, so a reload neither stops nor restarts it.
* :class:`BrowserMemory`: a small dictionary kept under ``key``; the kernel writes ``state``,
  and on a fresh page the browser sends back what it kept as ``restored``.
"""

from __future__ import annotations

import anywidget
import traitlets as T

from kit.i18n import _

__all__ = ["StepTimer", "BrowserMemory", "STORAGE_PREFIX"]

#: Prefix of every key the kit keeps in a browser's local storage.
STORAGE_PREFIX = "kit:"

_TIMER_ESM = r"""
const PREFIX = "kit:timer:";
function load(key) {
  try { return JSON.parse(localStorage.getItem(PREFIX + key)) || null; } catch (e) { return null; }
}
function save(key, s) { try { localStorage.setItem(PREFIX + key, JSON.stringify(s)); } catch (e) {} }
function fmt(sec) {
  sec = Math.max(0, Math.floor(sec));
  const m = Math.floor(sec / 60), s = sec % 60;
  return m + ":" + String(s).padStart(2, "0");
}
function render({ model, el }) {
  el.classList.add("kit-timer");
  el.setAttribute("role", "group");
  const time = document.createElement("span");
  time.className = "kit-timer-time";
  time.setAttribute("role", "timer");
  const toggle = document.createElement("button");
  const reset = document.createElement("button");
  toggle.type = reset.type = "button";
  toggle.className = "kit-timer-toggle";
  reset.className = "kit-timer-reset";
  el.append(time, toggle, reset);
  let st = null;
  const key = () => model.get("key");
  const total = () => model.get("seconds");
  const elapsed = () => st.elapsed + (st.running ? (Date.now() - st.since) / 1000 : 0);
  function draw() {
    const words = model.get("words");
    const left = total() - elapsed();
    time.textContent = left >= 0 ? fmt(left) : "+" + fmt(-left) + " " + words.over;
    el.classList.toggle("kit-timer-over", left < 0);
    el.classList.toggle("kit-timer-running", st.running);
    el.setAttribute("aria-label", words.label);
    toggle.textContent = st.running ? words.pause : (st.elapsed > 0 ? words.resume : words.start);
    reset.textContent = words.reset;
  }
  function setup() {
    st = load(key()) || { running: false, elapsed: 0, since: 0 };
    draw();
  }
  toggle.addEventListener("click", () => {
    if (st.running) { st.elapsed = elapsed(); st.running = false; }
    else { st.since = Date.now(); st.running = true; }
    save(key(), st); draw();
  });
  reset.addEventListener("click", () => {
    st = { running: false, elapsed: 0, since: 0 }; save(key(), st); draw();
  });
  model.on("change:key", setup);
  model.on("change:seconds", draw);
  model.on("change:words", draw);
  setup();
  const tick = setInterval(() => { if (st.running) draw(); }, 250);
  return () => clearInterval(tick);
}
export default { render };
"""

_MEMORY_ESM = r"""
const PREFIX = "kit:memory:";
function render({ model, el }) {
  el.style.display = "none";
  const key = () => PREFIX + model.get("key");
  let kept = null;
  try { kept = JSON.parse(localStorage.getItem(key())); } catch (e) { kept = null; }
  if (kept && typeof kept === "object") {
    model.set("restored", kept);
    model.save_changes();
  }
  model.on("change:state", () => {
    try { localStorage.setItem(key(), JSON.stringify(model.get("state"))); } catch (e) {}
  });
}
export default { render };
"""


class StepTimer(anywidget.AnyWidget):
    """A countdown of ``minutes`` for one step, counted by the browser.

    Parameters
    ----------
    minutes
        The step's length.
    key
        What this timer's running state is kept under in the browser (one per step and
        cohort), so a reload carries on counting.
    """

    _esm = _TIMER_ESM
    seconds = T.Int(0).tag(sync=True)
    key = T.Unicode("").tag(sync=True)
    words = T.Dict().tag(sync=True)

    def __init__(self, minutes: int = 0, key: str = "", **kwargs):
        super().__init__(seconds=int(minutes) * 60, key=key, words=self.timer_words(), **kwargs)
        self.add_class("kit-timer-box")

    def set_step(self, minutes: int, key: str) -> None:
        """Show another step's time (its own kept state, or the full time if never started)."""
        with self.hold_sync():
            self.seconds = int(minutes) * 60
            self.key = key

    @staticmethod
    def timer_words() -> dict[str, str]:
        return {"start": _("Start timer"), "pause": _("Pause timer"),
                "resume": _("Carry on"), "reset": _("Reset timer"),
                "over": _("over"), "label": _("Time for this step")}


class BrowserMemory(anywidget.AnyWidget):
    """A small dictionary kept in this browser under ``key`` (see the module notes)."""

    _esm = _MEMORY_ESM
    key = T.Unicode("").tag(sync=True)
    state = T.Dict().tag(sync=True)
    restored = T.Dict().tag(sync=True)
