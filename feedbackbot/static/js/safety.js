// Leave this site quickly: the button (fixed on screen) or Esc pressed three times.
// Replaces this page in the history and forgets the chat kept in this tab and on the server.
(function () {
  "use strict";

  var link = document.getElementById("quick-exit");
  if (!link) { return; }
  var presses = [];

  function leave(event) {
    if (event) { event.preventDefault(); }
    try { sessionStorage.clear(); } catch (e) { /* storage may be off */ }
    // The link's own address (/leave) forgets a chat kept by the server too; asked for in the
    // background so that leaving never waits for it.
    try {
      fetch(link.href, { credentials: "same-origin", keepalive: true, redirect: "manual" });
    } catch (e) { /* an old browser: the page still goes */ }
    window.location.replace(link.getAttribute("data-exit") || link.href);
  }

  link.addEventListener("click", leave);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) { leave(event); }
  });
})();
