/* Partnering Kit: accessibility links that ipywidgets cannot express from Python.
   Inlined into every app page by the kit template (nothing is fetched). docs/accessibility.md.

   1. Live regions. Messages (.kit-messages) and the step heading (.kit-step-heading) are widgets
      whose HTML is replaced on every change; a live region only speaks when it existed before
      its text changed, so the persistent widget element itself becomes the polite live region.
   2. Charts. Each chart's SVG (drawn by Vega with the SVG renderer) becomes one image named by
      the chart's heading and described by the "In words" text beside it.
   3. Nothing typed is lost. When the page is hidden, closed or reloaded, the text box being
      typed in sends what it holds to the kernel at once (a text box that sends only when it
      loses focus would otherwise keep the last words); the kernel saves it as it stops.
   4. Drafts of short forms. A field inside an element of class kit-draft-NAME (a new
      commitment, a new person on the map) keeps what is typed in this tab's session storage
      until the app has saved it (the app then runs forgetDrafts), and a reload puts it back
      into the empty field and sends it to the kernel. Closing the tab forgets it.
   5. Step by step on a phone. When a stepper moves to another step, the new step's heading
      is scrolled to the top and takes the focus (a second Enter then does nothing); while a
      move is on its way, further presses of Next or Back are ignored (a double tap moves one
      step). A message that appears out of sight is scrolled into view.
   6. A page whose kernel stopped says so. When the server reports that this page's kernel
      is restarting or dead (the memory guard stopped it, it crashed), or the connection to it
      stays closed for 15 seconds (the server stopped or restarted), the page would otherwise
      look alive while nothing it shows works any more. A message at the top says so, that
      everything typed was saved, and offers a Reload button. */
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
  const headings = new WeakMap();
  let moving = null;
  function stepHeadings(root) {
    root.querySelectorAll(".kit-step-heading").forEach((box) => {
      const h = box.querySelector(".kit-step-title");
      if (!h) return;
      const text = h.textContent;
      const before = headings.get(box);
      headings.set(box, text);
      if (before === undefined || before === text) return;
      moving = null;
      h.setAttribute("tabindex", "-1");
      h.scrollIntoView({ block: "start" });
      h.focus({ preventScroll: true });
    });
  }
  document.addEventListener("click", (e) => {
    const button = e.target.closest && e.target.closest(".kit-stepper-nav button");
    if (!button) return;
    if (moving && Date.now() - moving < 3000) {
      e.preventDefault();
      e.stopImmediatePropagation();
      return;
    }
    moving = Date.now();
  }, true);
  const messages = new WeakMap();
  function messagesInView(root) {
    root.querySelectorAll(".kit-messages").forEach((el) => {
      const text = el.textContent.trim();
      const before = messages.get(el);
      messages.set(el, text);
      if (!text || before === undefined || before === text) return;
      moving = null;  // the kernel answered (a step with gaps stays put and says so)
      const r = el.getBoundingClientRect();
      if (r.top < 0 || r.bottom > window.innerHeight) el.scrollIntoView({ block: "nearest" });
    });
  }
  let pending = false;
  function sweep() {
    pending = false;
    liveRegions(document);
    charts(document);
    restoreDrafts(document);
    stepHeadings(document);
    messagesInView(document);
  }
  function schedule() {
    if (!pending) {
      pending = true;
      requestAnimationFrame(sweep);
    }
  }
  function start() {
    // Vega sets the roles again when it redraws a chart in place (no new elements), so
    // attribute changes are watched too; removing them changes nothing further.
    new MutationObserver(schedule).observe(document.body, {
      childList: true, subtree: true, attributes: true,
      attributeFilter: ["role", "aria-roledescription"],
    });
    schedule();
  }
  const DRAFT = /(?:^|\s)kit-draft-([a-z0-9-]+)/;
  function draftKey(el) {
    const box = el && el.closest && el.closest("[class*='kit-draft-']");
    const m = box && DRAFT.exec(box.className);
    return m ? "kit-draft:" + location.pathname + ":" + m[1] : null;
  }
  function store(action) {
    try { return action(window.sessionStorage); } catch (err) { return null; }
  }
  document.addEventListener("input", (e) => {
    const key = draftKey(e.target);
    if (key) store((s) => s.setItem(key, e.target.value));
  }, true);
  function restoreDrafts(root) {
    root.querySelectorAll("[class*='kit-draft-'] textarea, [class*='kit-draft-'] input")
      .forEach((el) => {
        if (el.dataset.kitDraftSeen) return;
        el.dataset.kitDraftSeen = "1";
        const key = draftKey(el);
        const kept = key && store((s) => s.getItem(key));
        if (!kept || el.value) return;
        el.value = kept;
        el.dispatchEvent(new Event("input", { bubbles: true }));
        el.dispatchEvent(new Event("change", { bubbles: true }));
      });
  }
  window.kitForgetDrafts = function (names) {
    store((s) => names.forEach((n) => s.removeItem("kit-draft:" + location.pathname + ":" + n)));
  };
  window.kitForgetAllDrafts = function () {
    store((s) => Object.keys(s).filter((k) => k.startsWith("kit-draft:"))
      .forEach((k) => s.removeItem(k)));
  };
  const KEEP = /(?:^|\s)kit-keep-([a-z0-9-]+)/;
  let sent = 0;
  function sendTyping() {
    const el = document.activeElement;
    if (!el) return;
    const typing = el.tagName === "TEXTAREA" ||
      (el.tagName === "INPUT" && /^(text|search|email|url|tel|)$/.test(el.type || ""));
    if (!typing || el.closest(".kit-page-hidden")) return;
    el.dispatchEvent(new Event("change", { bubbles: true }));
    // The text box's own messages go one at a time, so its last words may still be waiting
    // in the page; the hidden field of the app carries them to the kernel at once.
    const box = el.closest("[class*='kit-keep-']");
    const m = box && KEEP.exec(box.className);
    const hidden = document.querySelector(".kit-page-hidden input");
    if (!hidden) return;
    hidden.value = JSON.stringify({ name: m ? m[1] : null, value: el.value, n: ++sent });
    hidden.dispatchEvent(new Event("input", { bubbles: true }));
  }
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") sendTyping();
  });
  // Capture: before the page's own unload handler closes the connection to the kernel.
  window.addEventListener("pagehide", sendTyping, { capture: true });
  window.addEventListener("beforeunload", sendTyping, { capture: true });
  // 6. A page whose kernel stopped says so (before Voila's script opens its connection).
  let leaving = false;
  const leave = () => { leaving = true; };
  window.addEventListener("pagehide", leave, { capture: true });
  window.addEventListener("beforeunload", leave, { capture: true });
  const STOPPED = /"execution_state"\s*:\s*"(?:restarting|autorestarting|dead)"/;
  function kernelStopped() {
    if (leaving || document.getElementById("kit-stopped")) return;
    const box = document.createElement("div");
    box.id = "kit-stopped";
    box.className = "kit-stopped";
    box.setAttribute("role", "alert");
    const words = document.createElement("p");
    words.textContent = "This page has stopped working. Everything you typed before this " +
      "message appeared is saved. Reload the page to carry on.";
    const again = document.createElement("button");
    again.type = "button";
    again.textContent = "Reload the page";
    again.addEventListener("click", () => window.location.reload());
    box.append(words, again);
    (document.getElementById("kit-main") || document.body).prepend(box);
    box.scrollIntoView({ block: "start" });
    again.focus();
  }
  const NativeSocket = window.WebSocket;
  if (NativeSocket) {
    const decoder = new TextDecoder();
    const LOST_AFTER_MS = 15000;
    let lost = null;
    const KitSocket = function (url, protocols) {
      const ws = protocols === undefined ? new NativeSocket(url) : new NativeSocket(url, protocols);
      if (/\/api\/kernels\/[^/]+\/channels/.test(String(url))) {
        // A connection that closes (the server stopped or restarted) is normally reopened
        // by the page within seconds; one that stays closed means the kernel has gone.
        ws.addEventListener("open", () => { clearTimeout(lost); lost = null; });
        ws.addEventListener("close", () => {
          if (!leaving && lost === null) lost = setTimeout(kernelStopped, LOST_AFTER_MS);
        });
        ws.addEventListener("message", (ev) => {
          const d = ev.data;
          let text = null;
          if (typeof d === "string") text = d.length < 8192 ? d : null;
          else if (d instanceof ArrayBuffer && d.byteLength < 8192) text = decoder.decode(d);
          if (text && text.indexOf("execution_state") >= 0 && STOPPED.test(text)) kernelStopped();
        });
      }
      return ws;
    };
    KitSocket.prototype = NativeSocket.prototype;
    ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach((k) => { KitSocket[k] = NativeSocket[k]; });
    window.WebSocket = KitSocket;
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
