// Progressive enhancement for deadline tables: sort by clicking a column header, filter
// by audience and status. The table is complete and readable without this script.
(function () {
  "use strict";
  function cellKey(row, index) {
    if (index === 0) { return row.getAttribute("data-due") || "9999-99-99"; }
    return (row.cells[index] && row.cells[index].textContent || "").trim().toLowerCase();
  }
  function makeSortable(table) {
    var headers = table.querySelectorAll("thead th");
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", index === 0 ? "ascending" : "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = cellKey(a, index), y = cellKey(b, index);
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }
  function applyFilters(form, table) {
    var selects = form.querySelectorAll("select[data-filter]");
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var visible = true;
      Array.prototype.forEach.call(selects, function (select) {
        var wanted = select.value;
        if (!wanted) { return; }
        var values = (row.getAttribute("data-" + select.getAttribute("data-filter")) || "").split(" ");
        if (values.indexOf(wanted) < 0) { visible = false; }
      });
      row.hidden = !visible;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var tables = document.querySelectorAll("table.deadline-table");
    Array.prototype.forEach.call(tables, makeSortable);
    var form = document.querySelector("form.table-filters");
    if (form && tables.length) {
      form.hidden = false;
      form.addEventListener("change", function () { applyFilters(form, tables[0]); });
      var params = new URLSearchParams(window.location.search);
      var audience = params.get("audience");
      var select = form.querySelector("select[data-filter=audiences]");
      if (audience && select) { select.value = audience; applyFilters(form, tables[0]); }
    }
  });
})();
