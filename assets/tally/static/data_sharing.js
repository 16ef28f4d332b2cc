// Data-sharing page: while an import runs, re-reads the page every few seconds and swaps in the fresh import
// section (progress bars stay server-rendered; without JavaScript the page is simply static).
(function () {
  "use strict";
  function refresh() {
    var section = document.getElementById("import-section");
    if (!section || !section.dataset.refresh) return;
    fetch(section.dataset.refresh, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("import-section");
        if (fresh) section.replaceWith(fresh);
        setTimeout(refresh, 3000);
      })
      .catch(function () { setTimeout(refresh, 10000); });
  }
  setTimeout(refresh, 3000);
})();
