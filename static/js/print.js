// The poster's "Print" button; without JavaScript the browser's own print still works.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
