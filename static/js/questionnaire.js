// Public questionnaire (phone and kiosk).
// - A page restored from the back-forward cache is reloaded, so Back never
//   shows a previous respondent's answers (the server sends no-store and the
//   form has autocomplete=off; this covers browsers that cache anyway).
// - Kiosk: a form with answers and no activity for data-idle-seconds is
//   emptied after a visible countdown. (The kiosk thank-you page returns to a
//   new form through skm.js, data-kiosk-return.)
// No inline script or handler anywhere: this file works under a strict CSP.
(function () {
  "use strict";
  var WARN_SECONDS = 20;

  window.addEventListener("pageshow", function (ev) {
    if (ev.persisted) {
      Array.prototype.forEach.call(document.forms, function (f) { f.reset(); });
      window.location.reload();
    }
  });

  var form = document.getElementById("kuesioner");
  if (!form) { return; }

  var idle = parseInt(form.dataset.idleSeconds || "0", 10);
  if (!idle) { return; }
  var box = document.getElementById("kiosk-idle");
  var count = document.getElementById("kiosk-idle-count");
  var lastActivity = Date.now();

  var hasAnswers = function () {
    var fields = form.querySelectorAll("input, select, textarea");
    for (var i = 0; i < fields.length; i += 1) {
      var el = fields[i];
      if (el.type === "hidden" || el.name === "website" || el.name === "csrfmiddlewaretoken") { continue; }
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) { return true; }
      } else if (el.value) {
        return true;
      }
    }
    return false;
  };
  var activity = function () {
    lastActivity = Date.now();
    if (box && !box.hidden) { box.hidden = true; }
  };
  ["input", "change", "keydown", "pointerdown", "touchstart", "wheel"].forEach(function (name) {
    document.addEventListener(name, activity, { capture: true, passive: true });
  });
  var resume = document.getElementById("kiosk-idle-continue");
  if (resume) { resume.addEventListener("click", activity); }

  var reset = function () {
    form.reset();
    // A fresh page: a new one-time token, nothing left in the history entry.
    window.location.replace(form.dataset.resetUrl || window.location.href);
  };
  window.setInterval(function () {
    if (!hasAnswers()) {
      lastActivity = Date.now();
      if (box) { box.hidden = true; }
      return;
    }
    var remaining = idle - Math.floor((Date.now() - lastActivity) / 1000);
    if (remaining <= 0) {
      reset();
      return;
    }
    if (remaining <= Math.min(WARN_SECONDS, idle) && box) {
      if (count) { count.textContent = String(remaining); }
      box.hidden = false;
    }
  }, 250);
}());
