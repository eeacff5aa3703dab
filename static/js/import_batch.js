// A ledger import's page: while the check or the import is running, poll its status and reload the page
// when it has moved on (the page itself has a plain "Refresh" link without JavaScript).
(function () {
  "use strict";
  var section = document.getElementById("import-batch");
  if (!section || section.dataset.working !== "1") {
    return;
  }
  var url = section.dataset.statusUrl;
  var percent = document.getElementById("import-percent");
  var bar = section.querySelector("progress");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (batch) {
        if (batch && ["pending", "checking", "importing"].indexOf(batch.status) === -1) {
          window.location.reload();
          return;
        }
        if (batch && percent) {
          percent.textContent = batch.progress;
          if (bar) { bar.value = batch.progress; }
        }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
