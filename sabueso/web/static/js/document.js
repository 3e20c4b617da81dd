/* Sabueso document page: bring the highlighted evidence sentence into view (the #ev anchor
 * already does so natively; this centres it and also works when the URL has no fragment). */
(function () {
  "use strict";
  function go() {
    var ev = document.getElementById("ev");
    if (!ev) return;
    ev.classList.add("current");
    ev.scrollIntoView({ block: "center", behavior: "instant" });
    try { ev.focus({ preventScroll: true }); } catch (e) { /* old browsers */ }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
  else go();
})();
