// Diogel's own small script (served by the app; the CSP allows no inline script).
// - Focus the error summary when a page shows one, so screen readers announce it.
// - After an HTMX swap, move focus to an element marked data-focus-after-swap.
(function () {
  "use strict";
  function focusErrorSummary(root) {
    var summary = root.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target) { return; }
    focusErrorSummary(target);
    var next = target.querySelector("[data-focus-after-swap]");
    if (next) { next.focus(); }
  });
})();
