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

// Questions of a registration form asked only when an earlier answer has
// a value (data-show-if names the earlier answer's field, data-equals the
// value) are hidden until it does, and their fields disabled, so that a
// hidden question is neither required nor sent; the server applies the
// same rule, and without this script every question shows with a hint.
// Focus stays on the field being answered; what appears or goes is said
// in the form's status region for screen readers.
(function () {
  "use strict";
  function valueOf(form, name, hiddenNames) {
    var el = form.elements[name];
    if (!el || hiddenNames[name]) return "";
    if (el.type === "checkbox") return el.checked ? el.value : "";
    return el.value;
  }
  function update(form, announce) {
    var hiddenNames = {}, said = [];
    var questions = form.querySelectorAll(".question");
    for (var i = 0; i < questions.length; i++) {
      var q = questions[i], cond = q.getAttribute("data-show-if");
      var show = !cond || valueOf(form, cond, hiddenNames) === q.getAttribute("data-equals");
      var fields = q.querySelectorAll("input, select, textarea");
      for (var j = 0; j < fields.length; j++) {
        if (!show) hiddenNames[fields[j].name] = true;
        fields[j].disabled = !show;
      }
      if (q.hidden !== !show) {
        q.hidden = !show;
        said.push(q.getAttribute(show ? "data-shown" : "data-hidden"));
      }
    }
    var status = form.querySelector("[data-question-status]");
    if (announce && status && said.length) status.textContent = said.join(" ");
  }
  var forms = document.querySelectorAll("form");
  for (var i = 0; i < forms.length; i++) {
    var form = forms[i];
    if (!form.querySelector(".question[data-show-if]")) continue;
    update(form, false);
    form.addEventListener("change", function (ev) { update(ev.currentTarget, true); });
    form.addEventListener("input", function (ev) { update(ev.currentTarget, true); });
  }
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
