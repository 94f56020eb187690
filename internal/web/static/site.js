// Progressive enhancement only: every feature works without this script.
// The text-size buttons change the size at once instead of reloading the
// page; the choice is kept in the same cookie the server reads.
(function () {
  "use strict";
  var MIN = -2, MAX = 4;
  function current() {
    var m = document.cookie.match(/(?:^|; )textsize=(-?\d+)/);
    var n = m ? parseInt(m[1], 10) : 0;
    return isNaN(n) || n < MIN || n > MAX ? 0 : n;
  }
  function apply(n) {
    var html = document.documentElement;
    html.className = html.className.replace(/\bts-?\d+\b/g, "").trim() + " ts" + n;
    document.cookie = "textsize=" + n + "; path=/; max-age=31536000; SameSite=Lax";
  }
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest(".textsize a[data-step]");
    if (!a) return;
    ev.preventDefault();
    var n = current(), step = a.getAttribute("data-step");
    if (step === "up") n = Math.min(n + 1, MAX);
    else if (step === "down") n = Math.max(n - 1, MIN);
    else n = 0;
    apply(n);
  });
})();

// The print button of the attendance lists needs this script, so it stays
// hidden without it; the browser's own Print does the same.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();
