// Moves focus to a form's error summary, so a keyboard or screen reader user starts at
// the list of what to correct; following an entry focuses its field.
// Each summary brings this script, so it runs once however many summaries a page has.
(function () {
  "use strict";
  var root = document.documentElement;
  if (root.dataset.errorSummary) {
    return;
  }
  root.dataset.errorSummary = "ready";
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    }
  });
})();
