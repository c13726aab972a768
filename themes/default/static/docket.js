// Progressive enhancement for deadline tables: sort by clicking a column header, filter
// by audience, agency and status. The table is complete and readable without this script.
(function () {
  "use strict";
  // Sort keys: the ISO due date for the first column (undated last), the day count for
  // a column marked data-sort="days" (undated last), the cell's text otherwise.
  function cellKey(row, index, kind) {
    if (index === 0) { return row.getAttribute("data-due") || "9999-99-99"; }
    if (kind === "days") {
      var days = row.getAttribute("data-days");
      return days === "" || days === null ? Number.MAX_SAFE_INTEGER : Number(days);
    }
    return (row.cells[index] && row.cells[index].textContent || "").trim().toLowerCase();
  }
  function makeSortable(table) {
    var headers = table.querySelectorAll("thead th");
    Array.prototype.forEach.call(headers, function (th, index) {
      var kind = th.getAttribute("data-sort");
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
          var x = cellKey(a, index, kind), y = cellKey(b, index, kind);
          return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }
  function applyFilters(form, table) {
    var selects = form.querySelectorAll("select[data-filter]");
    var shown = 0, rows = table.tBodies[0].rows;
    Array.prototype.forEach.call(rows, function (row) {
      var visible = true;
      Array.prototype.forEach.call(selects, function (select) {
        var wanted = select.value;
        if (!wanted) { return; }
        var values = (row.getAttribute("data-" + select.getAttribute("data-filter")) || "").split(" ");
        if (values.indexOf(wanted) < 0) { visible = false; }
      });
      row.hidden = !visible;
      if (visible) { shown += 1; }
    });
    var count = form.querySelector(".filter-count");
    if (count) { count.textContent = "Showing " + shown + " of " + rows.length + " deadlines."; }
    // A table filtered to nothing says so, with a way back, instead of a bare header.
    var empty = form.querySelector(".filter-empty");
    if (empty) { empty.hidden = shown > 0; }
  }
  function resetFilters(form, table) {
    Array.prototype.forEach.call(form.querySelectorAll("select[data-filter]"), function (select) { select.value = ""; });
    var notice = form.querySelector(".filter-notice");
    if (notice) { notice.hidden = true; notice.textContent = ""; }
    applyFilters(form, table);
  }
  // The filter area: a message for "no match" with a reset button, and a notice for a
  // query value that names nothing (?audience=typo), which would otherwise show everything.
  function addMessages(form, table) {
    var empty = document.createElement("p");
    empty.className = "filter-empty";
    empty.hidden = true;
    empty.setAttribute("role", "status");
    empty.appendChild(document.createTextNode("No deadline matches these filters. "));
    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "filter-reset";
    reset.textContent = "Show all deadlines";
    reset.addEventListener("click", function () { resetFilters(form, table); });
    empty.appendChild(reset);
    form.appendChild(empty);
    var notice = document.createElement("p");
    notice.className = "filter-notice";
    notice.hidden = true;
    notice.setAttribute("role", "alert");
    form.appendChild(notice);
    return notice;
  }
  // The conflicts page: show all, open or reviewed conflicts (the form is hidden
  // without this script, which it needs).
  function conflictFilter(form) {
    form.hidden = false;
    form.addEventListener("change", function () {
      var wanted = form.querySelector("input[name=show]:checked").value;
      Array.prototype.forEach.call(document.querySelectorAll(".conflict[data-reviewed]"), function (c) {
        var reviewed = c.getAttribute("data-reviewed") === "yes";
        c.hidden = (wanted === "open" && reviewed) || (wanted === "reviewed" && !reviewed);
      });
      Array.prototype.forEach.call(document.querySelectorAll(".conflict-group"), function (g) {
        g.hidden = !g.querySelector(".conflict:not([hidden])");
      });
    });
  }
  // "Cite this page": the citation is text without the script; with it, a button copies
  // it and says so in a live region.
  function copyButtons() {
    Array.prototype.forEach.call(document.querySelectorAll(".cite-this"), function (box) {
      var text = box.querySelector(".cite-text");
      if (!text || !navigator.clipboard) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-citation";
      button.textContent = "Copy citation";
      var status = document.createElement("span");
      status.className = "copy-status";
      status.setAttribute("role", "status");
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(text.textContent.trim()).then(function () {
          status.textContent = "Copied.";
        }, function () {
          status.textContent = "Could not copy: select the text instead.";
        });
      });
      box.appendChild(button);
      box.appendChild(status);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    copyButtons();
    var conflicts = document.querySelector("form.conflict-filter");
    if (conflicts) { conflictFilter(conflicts); }
    var tables = document.querySelectorAll("table.deadline-table");
    Array.prototype.forEach.call(tables, makeSortable);
    var form = document.querySelector("form.table-filters");
    if (form && tables.length) {
      form.hidden = false;
      var notice = addMessages(form, tables[0]);
      form.addEventListener("change", function () { applyFilters(form, tables[0]); });
      // ?audience=ID, ?agency=ID and ?status=SLUG preselect the filters, so audience and
      // agency pages can link to their own view of the table.
      var params = new URLSearchParams(window.location.search);
      var preset = false;
      [["audience", "audiences"], ["agency", "agencies"], ["instrument", "instrument"], ["status", "status"]].forEach(function (pair) {
        var value = params.get(pair[0]);
        var select = form.querySelector("select[data-filter=" + pair[1] + "]");
        if (!value || !select) { return; }
        var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
        if (known) {
          select.value = value;
          preset = true;
        } else {
          notice.hidden = false;
          notice.textContent = (notice.textContent ? notice.textContent + " " : "") +
            "The link asks for " + pair[0] + " “" + value + "”, which this table does not know; all deadlines are shown.";
        }
      });
      if (preset) { applyFilters(form, tables[0]); }
    }
  });
})();
