// Staff pages' small behaviours, kept out of the HTML so the Content-Security-Policy allows no inline script.
"use strict";

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});
