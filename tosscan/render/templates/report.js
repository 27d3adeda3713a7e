(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function setup(doc) {
    var info = {};
    each(doc.querySelectorAll("li.finding[id]"), function (li) {
      info[li.id] = {
        sev: li.getAttribute("data-sev"),
        concepts: (li.getAttribute("data-concepts") || "").split(" "),
        el: li,
        on: true
      };
    });
    var marks = doc.querySelectorAll("a.hl");
    var form = doc.querySelector("form.toolbar");
    var panel = doc.querySelector("aside.panel");
    var body = panel ? panel.querySelector(".panel-body") : null;
    var out = form ? form.querySelector("output") : null;
    var toc = doc.querySelector("details.toc");

    if (toc && window.matchMedia && window.matchMedia("(max-width: 899px)").matches) {
      toc.open = false;
    }

    function marksOf(id) {
      var list = [];
      each(marks, function (m) {
        if ((" " + m.getAttribute("data-f") + " ").indexOf(" " + id + " ") >= 0) { list.push(m); }
      });
      return list;
    }

    function apply() {
      var sevs = {};
      each(form.querySelectorAll("input[name=sev]"), function (cb) { sevs[cb.value] = cb.checked; });
      var concept = form.querySelector("select[name=concept]").value;
      var shown = 0;
      var total = 0;
      Object.keys(info).forEach(function (id) {
        var f = info[id];
        f.on = sevs[f.sev] !== false && (!concept || f.concepts.indexOf(concept) >= 0);
        f.el.hidden = !f.on;
        total += 1;
        if (f.on) { shown += 1; }
      });
      each(marks, function (m) {
        var on = m.getAttribute("data-f").split(" ").some(function (id) { return info[id] && info[id].on; });
        m.classList.toggle("off", !on);
      });
      if (out) {
        out.textContent = out.getAttribute("data-shown") + " " + shown + " " +
          out.getAttribute("data-of") + " " + total + " " + out.getAttribute("data-unit");
      }
    }

    function show(ids) {
      if (!panel || !body) { return; }
      body.textContent = "";
      ids.forEach(function (id) {
        var f = info[id];
        if (!f) { return; }
        var copy = f.el.cloneNode(true);
        copy.removeAttribute("id");
        copy.hidden = false;
        each(copy.querySelectorAll("[id]"), function (e) { e.removeAttribute("id"); });
        each(copy.querySelectorAll("details"), function (d) { d.open = true; });
        body.appendChild(copy);
      });
      each(doc.querySelectorAll("a.hl.active"), function (m) { m.classList.remove("active"); });
      if (ids.length) { marksOf(ids[0]).forEach(function (m) { m.classList.add("active"); }); }
      panel.classList.add("open");
    }

    function flash(target) {
      var els = [target];
      if (target.classList.contains("hl")) { els = marksOf(target.getAttribute("data-f").split(" ")[0]); }
      els.forEach(function (e) {
        e.classList.remove("flash");
        void e.offsetWidth;
        e.classList.add("flash");
      });
      window.setTimeout(function () { els.forEach(function (e) { e.classList.remove("flash"); }); }, 1800);
    }

    function go(target, id) {
      if (target.classList.contains("hl") && target.classList.contains("off")) {
        form.reset();
        apply();
      }
      var sheet = panel && window.getComputedStyle(panel).position === "fixed";
      target.scrollIntoView({ block: sheet && target.classList.contains("hl") ? "start" : "center" });
      try { window.history.replaceState(null, "", "#" + id); } catch (e) { /* file:// in some browsers */ }
      flash(target);
      if (target.classList.contains("hl")) { show(target.getAttribute("data-f").split(" ")); }
    }

    if (form) {
      form.hidden = false;
      form.addEventListener("change", apply);
      form.addEventListener("submit", function (ev) { ev.preventDefault(); });
      apply();
    }
    if (panel) {
      panel.hidden = false;
      var close = panel.querySelector("button.panel-close");
      if (close) {
        close.addEventListener("click", function () {
          panel.classList.remove("open");
          each(doc.querySelectorAll("a.hl.active"), function (m) { m.classList.remove("active"); });
        });
      }
    }

    doc.addEventListener("click", function (ev) {
      var t = ev.target;
      if (!(t instanceof Element)) { return; }
      var mark = t.closest("a.hl");
      if (mark && !mark.classList.contains("off")) {
        ev.preventDefault();
        show(mark.getAttribute("data-f").split(" "));
        return;
      }
      if (mark) { ev.preventDefault(); return; }
      var link = t.closest("a[href^='#']");
      if (!link) { return; }
      var id = link.getAttribute("href").slice(1);
      var target = id ? document.getElementById(id) : null;
      if (!target) { return; }
      ev.preventDefault();
      go(target, id);
    });

    return { info: info };
  }

  each(document.querySelectorAll("article.doc"), setup);

  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") {
      each(document.querySelectorAll("aside.panel.open"), function (p) { p.classList.remove("open"); });
    }
  });

  if (window.location.hash.length > 1) {
    var start = document.getElementById(window.location.hash.slice(1));
    if (start && start.classList.contains("hl")) {
      start.scrollIntoView({ block: "center" });
      start.classList.add("flash");
    }
  }
})();
