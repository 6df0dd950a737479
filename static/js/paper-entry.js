// Paper entry grid: keyboard only. Answers accept 1-4 or a-d and advance by
// themselves; Enter saves the row through fetch and starts a new one.
// Without JavaScript the form still posts normally.
(function () {
  "use strict";
  var form = document.getElementById("entry-form");
  if (!form) { return; }
  var status = document.getElementById("entry-status");
  var LETTERS = { a: "1", b: "2", c: "3", d: "4" };
  var fields = function () {
    return Array.prototype.slice.call(form.querySelectorAll("input:not([type=hidden]), select"));
  };
  var next = function (el) {
    var list = fields();
    var i = list.indexOf(el);
    if (i >= 0 && i + 1 < list.length) { list[i + 1].focus(); if (list[i + 1].select) { list[i + 1].select(); } }
  };
  // Translated texts come from the template's data-msg-* attributes.
  var msg = function (key, fallback) { return form.dataset[key] || fallback; };
  var show = function (kind, text) {
    status.className = "alert alert-" + kind;
    status.textContent = text;
  };

  // Selects with data-kind=typeahead: the letters typed within a second are
  // matched against each option's code, label and usual spellings (data-keys),
  // so "S1" picks Strata and "SWASTA" picks Karyawan. Exact words win over prefixes.
  var typed = "", typedAt = 0;
  var pick = function (select, text) {
    var options = Array.prototype.slice.call(select.options).filter(function (o) { return o.value; });
    var keysOf = function (o) { return (o.dataset.keys || "").split("|"); };
    var hit = options.filter(function (o) { return keysOf(o).indexOf(text) >= 0; })[0] ||
      options.filter(function (o) { return keysOf(o).some(function (k) { return k.indexOf(text) === 0; }); })[0];
    if (hit) { select.value = hit.value; }
    return !!hit;
  };

  form.addEventListener("keydown", function (ev) {
    var el = ev.target;
    if (el.dataset.kind === "typeahead" && ev.key.length === 1 && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
      ev.preventDefault();
      var now = Date.now();
      typed = (now - typedAt > 1000 ? "" : typed) + ev.key.toLowerCase();
      typedAt = now;
      if (!pick(el, typed)) { typed = ev.key.toLowerCase(); pick(el, typed); }
      return;
    }
    if (ev.key === "Enter") {
      ev.preventDefault();
      save();
      return;
    }
    if (el.dataset.kind === "ans" && ev.key.length === 1 && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
      ev.preventDefault();
      var key = ev.key.toLowerCase();
      var value = LETTERS[key] || ("1234".indexOf(key) >= 0 ? key : null);
      if (value) { el.value = value; el.classList.add("is-ok"); next(el); }
      else if (key === " " || key === "-" || key === "0") { el.value = ""; el.classList.remove("is-ok"); next(el); }
      else { show("warning", msg("msgAnswer", "Jawaban hanya 1-4 atau a-d (spasi = kosong).")); }
    } else if (el.dataset.kind === "jk" && ev.key.length === 1 && !ev.ctrlKey && !ev.metaKey) {
      ev.preventDefault();
      var g = ev.key.toUpperCase();
      if (g === "L" || g === "P") { el.value = g; next(el); }
      else if (g === " ") { el.value = ""; next(el); }
      else { show("warning", msg("msgSex", "Jenis kelamin hanya L atau P.")); }
    }
  });

  form.addEventListener("submit", function (ev) { ev.preventDefault(); save(); });

  // Warn as soon as a questionnaire number that the round already has is typed.
  var number = document.getElementById("id_nomor");
  var confirmField = document.getElementById("id_konfirmasi_duplikat");
  if (number && form.dataset.checkUrl) {
    number.addEventListener("change", function () {
      confirmField.value = "";
      number.classList.remove("is-warning");
      if (!/^[0-9]+$/.test(number.value.trim())) { return; }
      fetch(form.dataset.checkUrl + "&nomor=" + encodeURIComponent(number.value.trim()), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (r) { return r.json(); }).then(function (data) {
        if (data.duplicate) { number.classList.add("is-warning"); show("warning", data.message); }
      }).catch(function () { /* the save itself checks again */ });
    });
  }

  var saving = false;
  function save() {
    if (saving) { return; }
    saving = true;
    var body = new FormData(form);
    fetch(window.location.href, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (r) { return r.json(); }).then(function (data) {
      if (data.ok) {
        var tbody = document.querySelector("#entry-rows tbody");
        if (tbody) {
          var empty = tbody.querySelector(".empty-row");
          if (empty) { empty.remove(); }
          tbody.insertAdjacentHTML("afterbegin", data.row);
          tbody.firstElementChild.classList.add("row-new");
        }
        var count = document.getElementById("entry-count");
        if (count) { count.textContent = data.count; }
        show("success", msg("msgSaved", "Kuesioner nomor {n} tersimpan. Lanjut kuesioner berikutnya.").replace("{n}", data.number));
        form.querySelectorAll("input[type=text], input[type=date]").forEach(function (i) { i.value = ""; i.classList.remove("is-ok", "is-invalid", "is-warning"); });
        if (confirmField) { confirmField.value = ""; }
        form.querySelectorAll("select").forEach(function (s) { if (s.id !== "id_layanan") { s.selectedIndex = 0; } });
        fields()[0].focus();
      } else if (data.duplicate && confirmField && confirmField.value !== "1" &&
                 window.confirm(msg("msgConfirmDuplicate", "Nomor kuesioner ini sudah dipakai. Tetap simpan?"))) {
        confirmField.value = "1";
        setTimeout(save, 0);  // after this request's "saving" flag is cleared below
      } else {
        var messages = [];
        Object.keys(data.errors || {}).forEach(function (name) {
          var input = form.querySelector("[name=" + name + "]");
          if (input) { input.classList.add("is-invalid"); }
          (data.errors[name] || []).forEach(function (e) {
            messages.push((name === "__all__" ? "" : (input && input.id && document.querySelector("label[for=" + input.id + "]") ? document.querySelector("label[for=" + input.id + "]").textContent + ": " : name + ": ")) + (e.message || e));
          });
        });
        show("danger", msg("msgNotSaved", "Belum tersimpan.") + " " + messages.join(" "));
        var bad = form.querySelector(".is-invalid");
        if (bad) { bad.focus(); }
      }
    }).catch(function () {
      show("danger", msg("msgNetwork", "Gagal menyimpan (jaringan). Coba tekan Enter lagi."));
    }).then(function () { saving = false; });
  }
  var first = fields()[0];
  if (first) { first.focus(); }
})();
