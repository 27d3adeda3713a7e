(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  var form = document.querySelector("form.cmp-filter");
  if (!form) { return; }
  var select = form.querySelector("select");
  var only = form.querySelector("input[name=differs]");
  var out = form.querySelector("output");
  var rows = document.querySelectorAll("table.cmp tbody tr[data-row]");
  var groups = document.querySelectorAll("table.cmp tbody tr.group");
  function apply() {
    var want = select.value;
    var shown = 0;
    each(rows, function (tr) {
      var on = (!want || tr.getAttribute("data-row") === want) &&
        (!only.checked || tr.getAttribute("data-differs") === "1");
      tr.hidden = !on;
      if (on) { shown += 1; }
    });
    each(groups, function (g) {
      var name = g.getAttribute("data-group");
      var any = false;
      each(rows, function (tr) { if (tr.getAttribute("data-group") === name && !tr.hidden) { any = true; } });
      g.hidden = !any;
    });
    out.textContent = out.getAttribute("data-shown") + " " + shown + " " + out.getAttribute("data-of") + " " +
      rows.length + " " + out.getAttribute("data-unit");
  }
  form.hidden = false;
  select.addEventListener("change", apply);
  only.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
}());
