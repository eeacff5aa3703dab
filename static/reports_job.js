// Follows a report job: polls its status (GET /api/v1/reports/<id>/) and moves the progress bar
// until the PDF is done or the job failed. No framework, no external script.
(function () {
  "use strict";
  var box = document.getElementById("report-job");
  if (!box) { return; }
  var url = box.dataset.statusUrl;
  var bar = box.querySelector(".reports-progress-bar");
  var meter = document.getElementById("report-progress");
  var percent = document.getElementById("report-percent");
  var label = document.getElementById("report-label");
  var download = document.getElementById("report-download");
  var pages = document.getElementById("report-pages");
  var error = document.getElementById("report-error");
  var errorText = document.getElementById("report-error-text");
  var badge = document.getElementById("report-status");
  var note = document.getElementById("report-note");
  var delay = 700;

  function show(job) {
    var value = Math.max(0, Math.min(100, job.progress || 0));
    bar.setAttribute("width", value + "%");
    meter.setAttribute("aria-valuenow", String(value));
    percent.textContent = String(value);
    label.textContent = box.dataset["label" + job.status.charAt(0).toUpperCase() + job.status.slice(1)] || job.status;
    box.dataset.status = job.status;
    badge.textContent = job.status_label;
    if (note) {
      var running = job.status === "pending" || job.status === "running";
      note.textContent = running && job.progress_note ? " · " + job.progress_note : "";
    }
    if (job.status === "done") {
      download.hidden = false;
      if (job.pages && pages) { pages.textContent = box.dataset.labelPages.replace("%s", String(job.pages)); }
    }
    if (job.status === "failed") {
      error.hidden = false;
      errorText.textContent = job.error;
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (job) {
        show(job);
        delay = 700;
        if (job.status === "pending" || job.status === "running") { window.setTimeout(poll, delay); }
      })
      .catch(function () {
        label.textContent = box.dataset.labelLost;
        delay = Math.min(delay * 2, 10000);
        window.setTimeout(poll, delay);
      });
  }

  if (box.dataset.status === "pending" || box.dataset.status === "running") { poll(); }
})();
