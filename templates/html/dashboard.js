"use strict";
(function () {
  var table = document.getElementById("programme-table");
  var form = document.getElementById("filters");
  if (!table || !form) { return; }
  var body = table.tBodies[0];
  var count = document.getElementById("shown");
  var heatBody = document.querySelector("table.heatmap tbody");
  var heat = {};
  if (heatBody) {
    Array.prototype.forEach.call(heatBody.rows, function (row) { heat[row.dataset.heat] = row; });
  }
  // One entry per programme: its row, its detail row, its first place, and sort keys computed
  // once per column the first time that column is sorted.
  var entries = [];
  Array.prototype.forEach.call(body.rows, function (row) {
    if (row.classList.contains("detail")) {
      entries[entries.length - 1].detail = row;
      return;
    }
    entries.push({
      row: row, detail: null, heat: heat[row.dataset.key] || null,
      order: Number(row.dataset.order), toggle: row.querySelector("details"), keys: {}
    });
  });
  var byToggle = new Map();
  entries.forEach(function (e) { if (e.toggle) { byToggle.set(e.toggle, e); } });

  // A detail row's content waits in a <template> until the row is first opened: inert, it
  // costs nothing when rows are sorted.
  function showDetail(e) {
    if (!e.detail) { return; }
    var open = !e.row.hidden && !!(e.toggle && e.toggle.open);
    if (open) {
      var cell = e.detail.cells[0];
      var template = cell.querySelector("template");
      if (template) { cell.appendChild(template.content); cell.removeChild(template); }
    }
    e.detail.hidden = !open;
  }

  function filter() {
    var f = form.elements;
    var asAt = f.as_at ? f.as_at.value : "";
    var dept = f.department.value, rating = f.rating.value, category = f.category.value;
    var n = 0;
    entries.forEach(function (e) {
      var d = e.row.dataset;
      var ok = (!dept || d.department === dept) &&
        (!rating || d.rating === rating) &&
        (!category || (" " + d.categories + " ").indexOf(" " + category + " ") >= 0) &&
        (!asAt || (asAt === "current" ? d.current === "1" : d.asAt === asAt));
      e.row.hidden = !ok;
      showDetail(e);
      if (e.heat) { e.heat.hidden = !ok; }
      if (ok) { n += 1; }
    });
    count.textContent = n + " of " + entries.length;
  }

  function key(cell) {
    var v = cell.getAttribute("data-value");
    if (v !== null) { return v === "" ? null : Number(v); }
    var t = cell.getAttribute("data-text");
    t = (t !== null ? t : cell.textContent).trim().toLowerCase();
    return t === "" || t === "n/a" || t === "none" ? null : t;
  }

  // Empty the body at once, then put its rows back in order in one fragment: moving rows one
  // by one out of a laid-out table costs far more.
  function reorder(section, fill) {
    section.textContent = "";
    var rows = document.createDocumentFragment();
    fill(function (row) { rows.appendChild(row); });
    section.appendChild(rows);
  }

  // Missing values (null) go last in both directions; ties keep the worst-first order.
  function sort(th) {
    var index = th.cellIndex;
    var col = th.dataset.col;
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    var dir = ascending ? 1 : -1;
    if (!entries.length || !(col in entries[0].keys)) {
      entries.forEach(function (e) { e.keys[col] = key(e.row.cells[index]); });
    }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    entries.sort(function (a, b) {
      var x = a.keys[col], y = b.keys[col];
      if (x === null || y === null) {
        return x === y ? a.order - b.order : (x === null ? 1 : -1);
      }
      return x < y ? -dir : x > y ? dir : a.order - b.order;
    });
    reorder(body, function (add) {
      entries.forEach(function (e) { add(e.row); if (e.detail) { add(e.detail); } });
    });
  }

  // Columns: hide or show each; the detail rows span what is shown.
  var cols = {};
  Array.prototype.forEach.call(table.querySelectorAll("col[data-col]"), function (c) { cols[c.dataset.col] = c; });
  function columns() {
    Array.prototype.forEach.call(form.querySelectorAll("input[name=column]"), function (box) {
      var col = cols[box.value];
      if (col) { col.classList.toggle("collapsed", !box.checked); }
      table.classList.toggle("hide-" + box.value, !box.checked);
    });
  }

  form.hidden = false;
  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "column") { columns(); } else { filter(); }
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(function () { filter(); columns(); }, 0); });
  table.addEventListener("toggle", function (event) {
    var e = byToggle.get(event.target);
    if (e) { showDetail(e); }
  }, true);
  Array.prototype.forEach.call(table.querySelectorAll("th button[data-sort]"), function (b) {
    b.disabled = false;
    b.addEventListener("click", function () { sort(b.parentNode); });
  });
  filter();
})();
