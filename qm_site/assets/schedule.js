// Progressive enhancement: filter schedule rows by month and by online/offline.
// The form is in the page from the start (no layout shift); without JavaScript a <noscript> style hides it and
// every row is shown.
(function () {
  "use strict";
  var form = document.querySelector(".schedule-filter");
  if (!form) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll(".schedule-table tbody tr"));
  var template = form.getAttribute("data-count") || "{n} / {total}";
  function apply() {
    var month = form.elements.month.value;
    var mode = form.elements.mode.value;
    var shown = 0;
    rows.forEach(function (tr) {
      var months = (tr.getAttribute("data-months") || "").split(" ");
      var rowMode = tr.getAttribute("data-mode");
      var ok = (!month || months.indexOf(month) >= 0) &&
        (!mode || rowMode === mode || rowMode === "mixed");
      tr.hidden = !ok;
      if (ok) shown += 1;
    });
    form.elements.count.value = template.replace("{n}", shown).replace("{total}", rows.length);
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
})();
