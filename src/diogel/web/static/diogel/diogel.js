// Diogel's own small script (served by the app; the CSP allows no inline script).
// - Focus the error summary when a page shows one, so screen readers announce it.
// - After an HTMX swap, focus the new error summary, or else an element marked data-focus-after-swap,
//   inside the swapped region only (never steal focus from someone typing elsewhere).
(function () {
  "use strict";
  function focusFirst(root) {
    var summary = root.querySelector(".error-summary");
    if (summary) { summary.focus(); return true; }
    var next = root.querySelector("[data-focus-after-swap]");
    if (next) { next.focus(); return true; }
    return false;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    if (!target) { return; }
    // An outerHTML swap replaces the target itself: find its successor by id.
    var region = target.isConnected ? target : (target.id && document.getElementById(target.id));
    if (region) { focusFirst(region); }
  });
})();
