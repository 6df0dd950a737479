// Import job page: poll the job's status and move the progress bar; once the
// job has finished, reload so the page lists the result or the row errors.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) return;
  var bar = document.getElementById("job-bar");
  var prog = document.getElementById("job-progress");
  function poll() {
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        bar.style.width = d.percent + "%";
        bar.textContent = d.percent + "%";
        prog.setAttribute("aria-valuenow", d.percent);
        document.getElementById("job-status").textContent = d.status_label;
        document.getElementById("job-message").textContent = d.message;
        if (d.finished) { window.location.reload(); return; }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
