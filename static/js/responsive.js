// Tables read as cards on a phone: every data cell gets its column's name (data-label) from the
// table's header, and the table the class "table-cards", which static/css/responsive.css lays out
// as one card per row below 640 px. Without this script a table keeps its columns and scrolls
// sideways inside its frame (the page itself never does).
(function () {
  "use strict";

  function headerLabels(table) {
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!row) { return null; }
    var labels = [];
    Array.prototype.forEach.call(row.cells, function (cell) {
      var text = (cell.getAttribute("data-label") || cell.textContent || "").replace(/\s+/g, " ").trim();
      for (var span = 0; span < (cell.colSpan || 1); span += 1) { labels.push(text); }
    });
    return labels;
  }

  function labelCells(table) {
    var labels = headerLabels(table);
    if (!labels) { return; }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && (cell.colSpan || 1) === 1) {
            cell.setAttribute("data-label", labels[column] || "");
          }
          column += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("table-cards");
  }

  function setUp() {
    Array.prototype.forEach.call(document.querySelectorAll("table.table:not(.no-cards)"), labelCells);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
