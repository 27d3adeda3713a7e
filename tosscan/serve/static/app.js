/* The page of `tosscan serve`: send the form to the JSON API, show the report in a sandboxed frame,
   offer the three downloads. Agreement text never becomes markup here: the report is a blob in a frame
   without same-origin rights (its own Content-Security-Policy applies), messages are textContent. */
(function () {
  "use strict";
  var M = JSON.parse(document.getElementById("messages").getAttribute("data-messages"));
  var statusEl = document.getElementById("status");
  var result = document.getElementById("result");
  var frame = document.getElementById("report");
  var urls = [];

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function say(text, bad) {
    statusEl.textContent = text;
    statusEl.classList.toggle("bad", !!bad);
  }

  function blobUrl(content, type) {
    var u = URL.createObjectURL(new Blob([content], { type: type }));
    urls.push(u);
    return u;
  }

  /* the source pickers: show the panel of the checked choice */
  each(document.querySelectorAll("fieldset.source"), function (fs) {
    function sync() {
      var checked = fs.querySelector("input[type=radio]:checked").value;
      each(fs.querySelectorAll(".panel"), function (p) { p.hidden = p.getAttribute("data-for") !== checked; });
    }
    each(fs.querySelectorAll("input[type=radio]"), function (r) { r.addEventListener("change", sync); });
    sync();
    var drop = fs.querySelector(".drop");
    var input = drop.querySelector("input[type=file]");
    var chosen = drop.querySelector(".chosen");
    function show() { chosen.textContent = input.files.length ? M.chosen + input.files[0].name : ""; }
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (t) {
      drop.addEventListener(t, function (ev) { ev.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      drop.addEventListener(t, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (ev) {
      ev.preventDefault();
      if (ev.dataTransfer && ev.dataTransfer.files.length) {
        input.files = ev.dataTransfer.files;
        show();
      }
    });
  });

  /* the tabs: scan | diff */
  var tabs = document.querySelector(".tabs");
  tabs.hidden = false;
  function select(tab) {
    each(tabs.querySelectorAll("[role=tab]"), function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    });
  }
  each(tabs.querySelectorAll("[role=tab]"), function (t) { t.addEventListener("click", function () { select(t); }); });
  select(document.getElementById("tab-scan"));
  document.documentElement.classList.add("js");

  function missing(form) {
    var gap = null;
    each(form.querySelectorAll("fieldset.source"), function (fs) {
      if (gap) { return; }
      var p = fs.getAttribute("data-prefix");
      var which = fs.querySelector("input[type=radio]:checked").value;
      if (which === "text" && !form.elements[p + "text"].value.trim()) { gap = M.need_text; }
      if (which === "file" && !form.elements[p + "file"].files.length) { gap = M.need_file; }
      if (which === "url" && !form.elements[p + "url"].value.trim()) { gap = M.need_url; }
    });
    return gap;
  }

  each(document.querySelectorAll("form.job"), function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var gap = missing(form);
      if (gap) { say(gap, true); return; }
      var data = new FormData(form);
      var byUrl = false;
      each(form.querySelectorAll("fieldset.source"), function (fs) {
        var p = fs.getAttribute("data-prefix");
        var which = fs.querySelector("input[type=radio]:checked").value;
        ["text", "file", "url"].forEach(function (k) { if (k !== which) { data.delete(p + k); } });
        byUrl = byUrl || which === "url";
      });
      data.set("format", "all");
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      say(byUrl ? M.fetching : M.working, false);
      fetch(form.getAttribute("action"), { method: "POST", body: data, credentials: "omit" })
        .then(function (r) {
          return r.json().then(function (body) { return { ok: r.ok, body: body }; },
                               function () { return { ok: false, body: { error: "HTTP " + r.status } }; });
        })
        .then(function (res) {
          if (!res.ok) { say(M.failed + (res.body.error || "?"), true); return; }
          show(res.body);
          say(M.done, false);
        }, function () { say(M.network, true); })
        .then(function () { button.disabled = false; });
    });
  });

  function show(body) {
    urls.forEach(function (u) { URL.revokeObjectURL(u); });
    urls = [];
    var name = body.name || "tosscan";
    var html = blobUrl(body.html, "text/html;charset=utf-8");
    var links = { "dl-html": [html, ".html"],
                  "dl-md": [blobUrl(body.md, "text/markdown;charset=utf-8"), ".md"],
                  "dl-json": [blobUrl(body.json, "application/json;charset=utf-8"), ".json"] };
    Object.keys(links).forEach(function (id) {
      var a = document.getElementById(id);
      a.href = links[id][0];
      a.setAttribute("download", name + links[id][1]);
    });
    frame.src = html;
    result.hidden = false;
    result.scrollIntoView({ block: "start" });
  }
})();
