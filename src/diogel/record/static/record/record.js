// The child's record: the print button, and telling the person when an autosave could not reach the server.
// (No inline script is allowed by the Content-Security-Policy; HTMX does the saving itself.)
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { window.print(); }
  });
  function status(form) { return form && form.querySelector(".draft-status"); }
  function problem(event, message) {
    var form = event.detail && event.detail.elt;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-autosave")) { return; }
    var line = status(form);
    if (line) { line.textContent = line.getAttribute(message) || ""; line.classList.add("draft-problem"); }
  }
  document.addEventListener("htmx:sendError", function (event) { problem(event, "data-offline"); });
  document.addEventListener("htmx:responseError", function (event) { problem(event, "data-failed"); });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (form && form.hasAttribute && form.hasAttribute("data-autosave") && event.detail.successful) {
      var line = status(form);
      if (line) { line.classList.remove("draft-problem"); }
    }
  });
})();
