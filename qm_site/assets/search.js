// The search page: Pagefind's interface over the index the build wrote into pagefind/ (qm_site/site/search.py).
// A query from the search box on every page arrives as ?q= and is searched at once.
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: box.getAttribute("data-bundle"),
    baseUrl: box.getAttribute("data-base"),
    showImages: false,
    showSubResults: true,
    autofocus: !new URLSearchParams(location.search).get("q")
  });
  // Pagefind's box has only a placeholder: give it a visible label, as every form field has.
  var input = box.querySelector("input");
  if (input) {
    var label = document.createElement("label");
    input.id = "search-q";
    label.htmlFor = input.id;
    label.className = "search-label";
    label.textContent = box.getAttribute("data-label");
    box.insertBefore(label, box.firstChild);
  }
  var q = new URLSearchParams(location.search).get("q");
  if (q) ui.triggerSearch(q);
})();
