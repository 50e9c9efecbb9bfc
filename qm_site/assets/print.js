// Print sheets: the print button opens the browser's print dialog (the page's @page rule sets the paper size).
(function () {
  "use strict";
  var button = document.querySelector(".sheet-print");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
