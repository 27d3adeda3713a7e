/* The page of `tosscan serve`: send the form to the JSON API, show the report in a sandboxed frame,
   offer the downloads. Agreement text never becomes markup here: the report is a blob in a frame
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

  /* a source picker's fields, looked up inside its fieldset (a comparison repeats the same names) */
  function fields(fs) {
    return { text: fs.querySelector("textarea"), file: fs.querySelector("input[type=file]"),
             url: fs.querySelector("input[type=url]"), name: fs.querySelector("input[name=name]"),
             which: fs.querySelector("input[type=radio]:checked").value };
  }

  /* the source pickers: show the panel of the checked choice; drop a file */
  function setup(fs) {
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
  }
  each(document.querySelectorAll("fieldset.source"), setup);

  /* the comparison: two agreements to start with, more added (up to data-max) and removed */
  var docs = document.querySelector("#compare-form .docs");
  var add = document.querySelector("#compare-form button.add");
  var serial = docs.querySelectorAll("fieldset.doc").length;
  function renumber() {
    var rows = docs.querySelectorAll("fieldset.doc");
    each(rows, function (fs, i) {
      fs.querySelector("legend").textContent = M.doc_n.replace("{n}", String(i + 1));
      fs.querySelector("button.remove").hidden = rows.length <= 2;
    });
    add.hidden = rows.length >= Number(docs.getAttribute("data-max"));
  }
  function wireRemove(fs) {
    fs.querySelector("button.remove").addEventListener("click", function () {
      fs.parentNode.removeChild(fs);
      renumber();
    });
  }
  each(docs.querySelectorAll("fieldset.doc"), wireRemove);
  add.addEventListener("click", function () {
    var rows = docs.querySelectorAll("fieldset.doc");
    var fs = rows[rows.length - 1].cloneNode(true);
    serial += 1;
    each(fs.querySelectorAll("input[type=radio]"), function (r) {
      r.name = "doc" + serial + "_source";
      r.checked = r.value === "text";
    });
    each(fs.querySelectorAll("textarea, input[type=url], input[type=text], input[type=file]"),
         function (el) { el.value = ""; });
    fs.querySelector(".chosen").textContent = "";
    docs.appendChild(fs);
    setup(fs);
    wireRemove(fs);
    renumber();
    fs.querySelector("input[name=name]").focus();
  });
  renumber();

  /* the tabs: scan | diff | compare */
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
      var f = fields(fs);
      if (f.which === "text" && !f.text.value.trim()) { gap = M.need_text; }
      if (f.which === "file" && !f.file.files.length) { gap = M.need_file; }
      if (f.which === "url" && !f.url.value.trim()) { gap = M.need_url; }
    });
    return gap;
  }

  /* the form as the API reads it: only the chosen source of each picker is sent. A comparison sends its
     agreements in order (repeated file/text/url fields) with one name each (empty: the document's title). */
  function formData(form) {
    var data;
    var byUrl = false;
    if (form.getAttribute("data-kind") === "compare") {
      data = new FormData();
      each(form.querySelectorAll("fieldset.source"), function (fs) {
        var f = fields(fs);
        if (f.which === "file") { data.append("file", f.file.files[0]); }
        else { data.append(f.which, f.which === "text" ? f.text.value : f.url.value); }
        data.append("name", f.name.value);
        byUrl = byUrl || f.which === "url";
      });
      data.set("lang", form.elements.lang.value);
      data.set("ui_lang", form.elements.ui_lang.value);
    } else {
      data = new FormData(form);
      each(form.querySelectorAll("fieldset.source"), function (fs) {
        var p = fs.getAttribute("data-prefix");
        var which = fields(fs).which;
        ["text", "file", "url"].forEach(function (k) { if (k !== which) { data.delete(p + k); } });
        byUrl = byUrl || which === "url";
      });
    }
    data.set("format", "all");
    return { data: data, byUrl: byUrl };
  }

  each(document.querySelectorAll("form.job"), function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var gap = missing(form);
      if (gap) { say(gap, true); return; }
      var sent = formData(form);
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      say(sent.byUrl ? M.fetching : M.working, false);
      fetch(form.getAttribute("action"), { method: "POST", body: sent.data, credentials: "omit" })
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
                  "dl-json": [blobUrl(body.json, "application/json;charset=utf-8"), ".json"],
                  "dl-csv": [typeof body.csv === "string" ? blobUrl(body.csv, "text/csv;charset=utf-8") : null, ".csv"] };
    Object.keys(links).forEach(function (id) {
      var a = document.getElementById(id);
      a.hidden = !links[id][0];
      if (links[id][0]) {
        a.href = links[id][0];
        a.setAttribute("download", name + links[id][1]);
      } else {
        a.removeAttribute("href");
      }
    });
    frame.src = html;
    result.hidden = false;
    result.scrollIntoView({ block: "start" });
  }
})();
