// Export job page: poll the status endpoint and update the progress bar
// until the job is finished, then show the download link (and the attachment
// link of a large Laporan SKM) or the error.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "true") { return; }
  var bar = document.getElementById("job-bar");
  var prog = document.getElementById("job-progress");
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (d) {
        bar.style.width = d.percent + "%";
        bar.textContent = d.percent + "%";
        prog.setAttribute("aria-valuenow", d.percent);
        document.getElementById("job-status").textContent = d.status_label;
        document.getElementById("job-message").textContent = d.message;
        if (d.finished) {
          bar.classList.remove("progress-bar-striped", "progress-bar-animated");
          if (d.status === "done") {
            bar.classList.add("bg-success");
            if (d.download_url) {
              document.getElementById("job-download").href = d.download_url;
              document.getElementById("job-done").classList.remove("d-none");
            }
            if (d.attachment_url) {
              var attachment = document.getElementById("job-attachment");
              attachment.href = d.attachment_url;
              attachment.classList.remove("d-none");
            }
          } else {
            bar.classList.add("bg-danger");
            document.getElementById("job-error").textContent = d.error;
            document.getElementById("job-failed").classList.remove("d-none");
          }
          return;
        }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
