/* Sabueso API page: Swagger UI (from npm, make frontend) over /openapi.json. */
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("swagger-ui");
    if (!box || typeof window.SwaggerUIBundle !== "function") return;
    box.textContent = "";
    window.SwaggerUIBundle({ url: box.getAttribute("data-url"), dom_id: "#swagger-ui", deepLinking: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
