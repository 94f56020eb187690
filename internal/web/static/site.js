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

// The campaign editor. The palette of fields becomes buttons that insert
// {{field}} where the cursor was last in the letter (the body of the
// language being written, when nowhere yet); the preview follows the
// letter as it is typed: the form is posted a moment after the last key,
// nothing saved, and the letter's HTML shown beside it, in the language
// being written. Without this script the palette is a list to read and
// the Preview button renders the page with the letter.
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview]");
  var preview = document.getElementById("preview");
  if (!form || !preview || !window.fetch) return;
  var swapHint = function (id) {
    var el = document.getElementById(id);
    if (el && el.getAttribute("data-js-text")) el.textContent = el.getAttribute("data-js-text");
  };
  swapHint("palette-hint");
  swapHint("preview-hint");
  var last = null;
  form.addEventListener("focusin", function (ev) {
    if (ev.target.getAttribute && ev.target.getAttribute("data-lang")) last = ev.target;
  });
  function insert(name) {
    var target = last || form.elements[(document.documentElement.lang || "fr") + "_body"] || form.elements.fr_body;
    if (!target) return;
    var text = "{{" + name + "}}", v = target.value;
    var start = typeof target.selectionStart === "number" ? target.selectionStart : v.length;
    var end = typeof target.selectionEnd === "number" ? target.selectionEnd : start;
    target.value = v.slice(0, start) + text + v.slice(end);
    target.focus();
    target.setSelectionRange(start + text.length, start + text.length);
    target.dispatchEvent(new Event("input", { bubbles: true }));
  }
  var items = document.querySelectorAll(".palette-list li[data-field]");
  for (var i = 0; i < items.length; i++) {
    var li = items[i], b = document.createElement("button");
    b.type = "button";
    b.className = "palette-insert";
    b.setAttribute("data-field", li.getAttribute("data-field"));
    while (li.firstChild) b.appendChild(li.firstChild);
    li.appendChild(b);
  }
  // A click on a button keeps the cursor's place: mousedown would move
  // the focus away from the letter first.
  document.addEventListener("mousedown", function (ev) {
    if (ev.target.closest && ev.target.closest(".palette-insert")) ev.preventDefault();
  });
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest(".palette-insert");
    if (b) insert(b.getAttribute("data-field"));
  });
  var timer = null, seq = 0;
  function refresh() {
    var n = ++seq, body = new URLSearchParams(new FormData(form));
    body.set("fragment", "1");
    // Busy while it loads, so that a screen reader reads the new letter
    // once, not each piece as it changes.
    preview.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("data-preview"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) { if (n === seq) preview.innerHTML = html; })
      .catch(function () {})
      .then(function () { if (n === seq) preview.removeAttribute("aria-busy"); });
  }
  function later(ev) {
    var lang = ev.target.getAttribute && ev.target.getAttribute("data-lang");
    var choice = form.elements.preview_lang;
    if (lang && choice && choice.value !== lang) choice.value = lang;
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  ["preview_recipient", "preview_lang"].forEach(function (id) {
    var el = document.getElementById(id);
    if (el) el.addEventListener("change", function () { clearTimeout(timer); refresh(); });
  });
})();

// Fields that pick an organisation of the directory by name (a series'
// co-organisers, an edition's host) suggest the names that match as one
// types: a WAI-ARIA combobox (the field) with a listbox of suggestions,
// each with its key, « Nancy (fr-54395) », which the server reads back.
// Up and Down move among the suggestions, Enter takes one, Escape closes
// the list; the number of suggestions is said in a live region. Without
// this script the field is a plain text field: the server finds the name
// typed, and offers the candidates when several organisations have it.
(function () {
  "use strict";
  var seq = 0;
  function label(o, lang) {
    var n = (o.name && (o.name[lang] || o.name.fr || o.name.en || o.name.ja)) || o.key;
    return n + " (" + o.key + ")";
  }
  function enhance(input) {
    var id = input.id || ("org-pick-" + (++seq));
    input.id = id;
    var list = document.createElement("ul");
    list.id = id + "-listbox";
    list.className = "org-listbox";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var name = input.labels && input.labels[0] ? input.labels[0].textContent.trim() : "";
    if (name) list.setAttribute("aria-label", name);
    var status = document.createElement("p");
    status.className = "sr-only";
    status.setAttribute("role", "status");
    input.parentNode.insertBefore(list, input.nextSibling);
    list.parentNode.insertBefore(status, list.nextSibling);
    input.removeAttribute("list");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var active = -1, timer = null, asked = "", chose = false;
    var lang = document.documentElement.lang || "fr";
    function options() { return list.querySelectorAll("[role=option]"); }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function move(i) {
      var opts = options();
      if (!opts.length) return;
      if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      active = (i + opts.length) % opts.length;
      for (var k = 0; k < opts.length; k++) opts[k].setAttribute("aria-selected", k === active ? "true" : "false");
      input.setAttribute("aria-activedescendant", opts[active].id);
      opts[active].scrollIntoView({ block: "nearest" });
    }
    function choose(opt) {
      input.value = opt.getAttribute("data-value");
      close();
      status.textContent = "";
    }
    function show(orgs) {
      while (list.firstChild) list.removeChild(list.firstChild);
      active = -1;
      input.removeAttribute("aria-activedescendant");
      orgs.forEach(function (o, i) {
        var li = document.createElement("li");
        li.id = id + "-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-value", label(o, lang));
        li.textContent = label(o, lang);
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(li); });
        list.appendChild(li);
      });
      var n = orgs.length;
      list.hidden = n === 0;
      input.setAttribute("aria-expanded", n ? "true" : "false");
      var say = input.getAttribute(n ? "data-suggestions" : "data-no-suggestion") || "";
      status.textContent = say.replace("{n}", String(n));
    }
    function suggest() {
      var q = input.value.trim();
      if (!q || /\)$/.test(q)) { close(); return; }
      if (q === asked) return;
      asked = q;
      fetch("/api/v1/organisations?limit=8&q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) {
          if (!body || input.value.trim() !== q) return;
          show(body.organisations || []);
        })
        .catch(function () {});
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      asked = "";
      timer = setTimeout(suggest, 150);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") { ev.preventDefault(); move(active + 1); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); move(active - 1); }
      else if (ev.key === "Enter" && !list.hidden && active >= 0) { ev.preventDefault(); chose = true; choose(options()[active]); }
      else if (ev.key === "Escape" && !list.hidden) { ev.preventDefault(); close(); }
    });
    // The Enter that took a suggestion does not also submit the form.
    input.addEventListener("keypress", function (ev) { if (ev.key === "Enter" && chose) ev.preventDefault(); });
    input.addEventListener("keyup", function () { chose = false; });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }
  function init() {
    var inputs = document.querySelectorAll("input[data-org-search]");
    for (var i = 0; i < inputs.length; i++) enhance(inputs[i]);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// The twinning map's filters change the map without reloading: a change
// fetches the page for the new filter and swaps in its map and list, the
// address follows (history.replaceState) and the count is said in the
// status region. Without this script the form is submitted as usual.
(function () {
  "use strict";
  var form = document.querySelector("form[data-map-form]");
  var results = document.getElementById("map-results");
  if (!form || !results || !window.fetch || !window.DOMParser) return;
  var pending = 0;
  function query() {
    var params = [];
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (el.name && el.value !== "") params.push(encodeURIComponent(el.name) + "=" + encodeURIComponent(el.value));
    }
    return params.join("&");
  }
  function refresh() {
    var q = query(), url = form.getAttribute("action") + (q ? "?" + q : ""), n = ++pending;
    results.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "Accept": "text/html" }, credentials: "same-origin" }).then(function (res) {
      return res.text();
    }).then(function (html) {
      if (n !== pending) return; // a later change won
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.getElementById("map-results"), freshForm = doc.querySelector("form[data-map-form]");
      if (!fresh || !freshForm) { window.location.href = url; return; }
      results.innerHTML = fresh.innerHTML;
      // Errors of the filter beside their fields, as the server wrote them.
      var active = document.activeElement && document.activeElement.id;
      form.innerHTML = freshForm.innerHTML;
      if (active && document.getElementById(active)) document.getElementById(active).focus();
      var status = document.getElementById("map-status"), freshStatus = doc.getElementById("map-status");
      if (status && freshStatus) status.textContent = freshStatus.textContent;
      history.replaceState(null, "", url);
      results.removeAttribute("aria-busy");
    }).catch(function () { window.location.href = url; });
  }
  form.addEventListener("change", refresh);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); refresh(); });
})();

// « Le réseau » in the main menu opens and closes without script (it is a
// <details>); with script, Escape closes it and gives the focus back to
// its summary, and a click elsewhere closes it, as menus do.
(function () {
  var menu = document.querySelector("nav.main li.network details");
  if (!menu) return;
  menu.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && menu.open) { menu.open = false; menu.querySelector("summary").focus(); }
  });
  document.addEventListener("click", function (ev) {
    if (menu.open && !menu.contains(ev.target)) menu.open = false;
  });
})();

// A participant's programme (me_event.html) is given on the event's clock
// and on their authority's country's; when the device keeps another time
// (a delegation travelling through a third country), each entry also gets
// its day and hours on the device's clock, named.
(function () {
  "use strict";
  var list = document.querySelector(".me-programme[data-event-zone]");
  if (!list || !window.Intl) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || zone === list.getAttribute("data-event-zone") || zone === list.getAttribute("data-own-zone")) return;
  var lang = document.documentElement.lang || "fr";
  var day = new Intl.DateTimeFormat(lang, {timeZone: zone, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit"});
  var hour = new Intl.DateTimeFormat(lang, {timeZone: zone, hour: "2-digit", minute: "2-digit"});
  var label = list.getAttribute("data-device-label").replace("{zone}", zone);
  list.querySelectorAll("li[data-start]").forEach(function (li) {
    var span = document.createElement("span");
    span.className = "device-time";
    span.textContent = label + " " + day.format(new Date(li.getAttribute("data-start"))) + (lang === "ja" ? "〜" : "–") +
      hour.format(new Date(li.getAttribute("data-end")));
    li.appendChild(document.createElement("br"));
    li.appendChild(span);
  });
})();
