/* The widget page's "sandbox" banner: dismissed with its button (or Escape while it has focus). */
(function () {
  "use strict";
  var banner = document.getElementById("sandbox-banner");
  var close = document.getElementById("sandbox-banner-close");
  if (!banner || !close) return;
  function dismiss() {
    banner.remove();
    var heading = document.getElementById("step-heading");
    if (heading) heading.focus();
  }
  close.addEventListener("click", dismiss);
  banner.addEventListener("keydown", function (e) { if (e.key === "Escape") dismiss(); });
})();
