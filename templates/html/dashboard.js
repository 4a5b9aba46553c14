"use strict";
(function () {
  var table = document.getElementById("programme-table");
  var form = document.getElementById("filters");
  if (!table || !form) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var heat = document.querySelectorAll("tr[data-heat]");
  var count = document.getElementById("shown");
  var fields = ["department", "rating", "category"];

  function filter() {
    var want = {};
    fields.forEach(function (f) { want[f] = form.elements[f].value; });
    var shown = {};
    var n = 0;
    rows.forEach(function (row) {
      var ok = (!want.department || row.dataset.department === want.department) &&
        (!want.rating || row.dataset.rating === want.rating) &&
        (!want.category || (" " + row.dataset.categories + " ").indexOf(" " + want.category + " ") >= 0);
      row.hidden = !ok;
      if (ok) { shown[row.dataset.key] = true; n += 1; }
    });
    Array.prototype.forEach.call(heat, function (row) { row.hidden = !shown[row.dataset.heat]; });
    count.textContent = n + " of " + rows.length;
  }

  function value(row, index) {
    var cell = row.cells[index];
    if (cell.dataset.value !== undefined) { return Number(cell.dataset.value); }
    return (cell.dataset.text !== undefined ? cell.dataset.text : cell.textContent).trim().toLowerCase();
  }

  function sort(button) {
    var th = button.parentNode;
    var index = th.cellIndex;
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = value(a, index), y = value(b, index);
      var c = x < y ? -1 : x > y ? 1 : Number(a.dataset.order) - Number(b.dataset.order);
      return ascending ? c : -c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  form.hidden = false;
  form.addEventListener("change", filter);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(filter, 0); });
  Array.prototype.forEach.call(table.querySelectorAll("th button[data-sort]"), function (b) {
    b.disabled = false;
    b.addEventListener("click", function () { sort(b); });
  });
  filter();
})();
