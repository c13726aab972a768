// Starts the Pagefind UI on the search page. The bundle and the base of result URLs come
// from data attributes the page sets, so search works under a sub-path and with relative
// URLs. Each result's title is prefixed with the item's kind ("provision", "source"...).
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") { return; }
  new PagefindUI({
    element: "#search",
    bundlePath: element.getAttribute("data-bundle"),
    baseUrl: element.getAttribute("data-base-url"),
    showSubResults: true,
    showImages: false,
    processResult: function (result) {
      if (result.meta && result.meta.kind) {
        result.meta.title = result.meta.kind + " · " + (result.meta.title || "");
      }
      return result;
    }
  });
  var input = element.querySelector("input");
  if (input) {
    // Pagefind's input is labelled only by its title; name it by the page's heading.
    input.setAttribute("aria-labelledby", "search-heading");
    input.setAttribute("aria-describedby", "search-help");
  }
  var query = new URLSearchParams(window.location.search).get("q");
  if (input && query) {
    input.value = query;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
})();
