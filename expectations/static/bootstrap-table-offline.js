/* Communiqué: the tables of the GX Data Docs, drawn without bootstrap-table.
 *
 * GX's index page hands each table's rows to bootstrap-table as JavaScript data,
 * and bootstrap-table is not published on PyPI or in Debian, so offline the
 * tables stayed empty. This is the small part the pages use: the rows, sorted as
 * the page asks, each linking to its validation or suite page. Search, filters
 * and paging are left out; calls such as 'resetSearch' do nothing. */
(function ($) {
  "use strict";
  function key(col, name) {
    return (col && col.sortName) || name;
  }
  $.fn.bootstrapTable = function (options) {
    if (typeof options !== "object" || options === null) {
      return this;
    }
    var cols = options.columns || [];
    var rows = (options.data || []).slice();
    if (options.sortName) {
      var col = cols.filter(function (c) { return c.field === options.sortName; })[0];
      var k = key(col, options.sortName);
      var sign = options.sortOrder === "desc" ? -1 : 1;
      rows.sort(function (a, b) { return (a[k] > b[k] ? 1 : a[k] < b[k] ? -1 : 0) * sign; });
    }
    if (options.toolbar) {
      $(options.toolbar).hide();  // its buttons clear the search and filters that are left out
    }
    return this.each(function () {
      var table = $(this).addClass("table table-sm table-hover");
      var head = $("<tr>");
      var body = $("<tbody>");
      cols.forEach(function (c) { head.append($("<th>").text(c.title || c.field)); });
      rows.forEach(function (r) {
        var tr = $("<tr>");
        if (r._table_row_link_path) {
          tr.css("cursor", "pointer").attr("data-href", r._table_row_link_path).on("click", function () {
            window.location.href = $(this).attr("data-href");
          });
        }
        // the cells are GX's own markup (icons, links), as bootstrap-table shows them
        cols.forEach(function (c) { tr.append($("<td>").html(r[c.field] === undefined ? "" : String(r[c.field]))); });
        body.append(tr);
      });
      table.empty().append($("<thead>").append(head), body);
    });
  };
})(jQuery);
