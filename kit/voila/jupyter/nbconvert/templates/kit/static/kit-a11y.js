/* Partnering Kit: accessibility links that ipywidgets cannot express from Python.
   Inlined into every app page by the kit template (nothing is fetched). docs/accessibility.md.

   1. Live regions. Messages (.kit-messages) and the step heading (.kit-step-heading) are widgets
      whose HTML is replaced on every change; a live region only speaks when it existed before
      its text changed, so the persistent widget element itself becomes the polite live region.
   2. Charts. Each chart's SVG (drawn by Vega with the SVG renderer) becomes one image named by
      the chart's heading and described by the "In words" text beside it. */
(function () {
  "use strict";
  let counter = 0;
  function ensureId(el, stem) {
    if (!el.id) el.id = "kit-" + stem + "-" + (++counter);
    return el.id;
  }
  function liveRegions(root) {
    root.querySelectorAll(".kit-messages, .kit-step-heading, .kit-live").forEach((el) => {
      if (el.getAttribute("aria-live") !== "polite") {
        el.setAttribute("aria-live", "polite");
        el.setAttribute("aria-atomic", "true");
      }
    });
  }
  function charts(root) {
    root.querySelectorAll(".kit-chart-box").forEach((box) => {
      const svg = box.querySelector(".kit-chart svg");
      if (!svg) return;
      // Vega labels its mark groups as graphics symbols without names; inside one named
      // image they are noise (and fail WCAG 1.1.1), so they are made plain groups.
      svg.querySelectorAll("[role], [aria-roledescription]").forEach((g) => {
        g.removeAttribute("role");
        g.removeAttribute("aria-roledescription");
      });
      const title = box.querySelector(".kit-chart-title");
      const desc = box.querySelector(".kit-chart-description");
      const name = title || desc;
      if (!name) return;
      const nameId = ensureId(name, "chart-name");
      if (svg.getAttribute("aria-labelledby") === nameId) return;
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-labelledby", nameId);
      if (desc) svg.setAttribute("aria-describedby", ensureId(desc, "chart-desc"));
      svg.removeAttribute("aria-roledescription");
    });
  }
  let pending = false;
  function sweep() {
    pending = false;
    liveRegions(document);
    charts(document);
  }
  function schedule() {
    if (!pending) {
      pending = true;
      requestAnimationFrame(sweep);
    }
  }
  function start() {
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
    schedule();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
