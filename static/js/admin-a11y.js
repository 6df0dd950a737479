// Django admin: tabular inlines, list_editable columns and select2 autocompletes
// render inputs whose only label is the column header (WCAG 1.3.1, 4.1.2). Give
// each one an accessible name from its column header or its field label. Every
// cell also gets data-label (its column name) for the stacked rows of admin-phone.css.
(function () {
  "use strict";

  function text(el) { return el ? el.textContent.replace(/\s+/g, " ").trim() : ""; }

  function labelTableInputs(table) {
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var rowName = text(row.querySelector("th, td.original p, td.original"));
      Array.prototype.slice.call(row.children).forEach(function (cell) {
        var index = 0;
        for (var c = cell.previousElementSibling; c; c = c.previousElementSibling) { index += c.colSpan || 1; }
        var header = headers.filter(function (th) { return th.cellIndex === index; })[0];
        if (text(header) && !cell.dataset.label) { cell.dataset.label = text(header); }
        cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
          if (field.labels && field.labels.length) { return; }
          if (field.getAttribute("aria-label") || field.getAttribute("aria-labelledby")) { return; }
          var name = text(header) || field.name;
          field.setAttribute("aria-label", rowName ? name + " – " + rowName : name);
        });
      });
    });
  }

  function labelSelect2() {
    document.querySelectorAll("select.admin-autocomplete, select[data-select2-id]").forEach(function (select) {
      var label = select.id ? document.querySelector("label[for='" + select.id + "']") : null;
      var name = text(label).replace(/:$/, "") || select.name;
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) { return; }
      container.querySelectorAll("[role=combobox], [role=textbox]").forEach(function (el) {
        if (!el.getAttribute("aria-label")) { el.setAttribute("aria-label", name); }
      });
    });
  }

  function run() {
    document.querySelectorAll(".inline-group .tabular table, #result_list").forEach(labelTableInputs);
    labelSelect2();
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", run); } else { run(); }
  // select2 widgets (built by jQuery after the page loads) and rows added with
  // "Tambah lagi" are labelled as they appear.
  var pending = false;
  new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    window.setTimeout(function () { pending = false; run(); }, 0);
  }).observe(document.body, { childList: true, subtree: true });
})();
