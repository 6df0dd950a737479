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

  form.addEventListener("keydown", function (ev) {
    var el = ev.target;
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
        form.querySelectorAll("input[type=text]").forEach(function (i) { i.value = ""; i.classList.remove("is-ok", "is-invalid"); });
        form.querySelectorAll("select").forEach(function (s) { if (s.id !== "id_layanan") { s.selectedIndex = 0; } });
        fields()[0].focus();
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
