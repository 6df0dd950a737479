// Behaviour shared by every page, wired with addEventListener so that the
// Content-Security-Policy can forbid inline script (script-src 'self').
(function () {
  "use strict";

  // <select data-autosubmit>: submit its form as soon as the choice changes.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // <select data-navigate>: each option's value is a URL; keep the query string.
  document.querySelectorAll("select[data-navigate]").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.value) { window.location = select.value + window.location.search; }
    });
  });

  // <form data-confirm="question">: ask before a destructive post.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (!window.confirm(form.dataset.confirm)) { ev.preventDefault(); }
    });
  });

  // <button data-print>: print the page (the A4 poster).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // [data-focus-on-load]: move focus there (the questionnaire's error summary).
  var focusTarget = document.querySelector("[data-focus-on-load]");
  if (focusTarget) { focusTarget.focus(); }

  // [data-show-unless-status="value"]: a part of a form hidden while the status radio has that value.
  document.querySelectorAll("[data-show-unless-status]").forEach(function (section) {
    var radios = document.querySelectorAll("input[name=status]");
    var sync = function () {
      var checked = document.querySelector("input[name=status]:checked");
      section.hidden = checked !== null && checked.value === section.dataset.showUnlessStatus;
    };
    radios.forEach(function (r) { r.addEventListener("change", sync); });
    sync();
  });

  // Kiosk thank-you page: return to an empty form after a few seconds, unless the
  // respondent asks to stay (WCAG 2.2.1: a time limit the user can turn off).
  var kiosk = document.querySelector("[data-kiosk-return]");
  if (kiosk) {
    // replace(): the thank-you page leaves no history entry, so Back from the new form
    // never lands on it (and the form behind it is fetched afresh, empty).
    var timer = window.setTimeout(function () { window.location.replace(kiosk.dataset.kioskReturn); },
      1000 * parseInt(kiosk.dataset.kioskSeconds || "6", 10));
    var stay = document.getElementById("kiosk-stay");
    if (stay) {
      stay.hidden = false;
      stay.addEventListener("click", function () {
        window.clearTimeout(timer);
        stay.hidden = true;
        var note = document.getElementById("kiosk-note");
        if (note) { note.hidden = true; }
      });
    }
  }
})();
