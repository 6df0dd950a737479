"""Every page of SKM, with the role that sees it, for the browser sweeps.

The sweeps (``test_browser_pages.py`` for 390 px overflow, ``test_accessibility.py``
for axe-core, ``test_csp.py`` for Content-Security-Policy violations) visit every
entry of ``PAGES``. Adding a page is one line: ``Page(role, path)``, where

* ``role`` is ``anon`` (not logged in), ``alice`` (staff of Kelurahan Pulutan),
  ``bob`` (supervisor of Kecamatan Sidorejo) or ``admin`` (superuser);
* ``path`` may use the ids of the objects made by the ``site`` fixture
  (``skm/tests/conftest.py``): ``{plan}``, ``{row}``, ``{item}``, ``{job}``,
  ``{import_running}``, ``{import_failed}``, ``{import_done}``, ``{service}``, ``{unit_id}``, ``{response}``;
* ``submit`` (optional) is a CSS selector clicked after the page loads, with the
  browser's own form validation switched off, so that the page is checked with
  its validation errors shown; ``fill`` (optional) gives ``(selector, value)``
  pairs typed in before that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from conftest import PASSWORD

ROLES = ("anon", "alice", "bob", "admin")
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Page:
    role: str
    path: str
    submit: str = ""
    fill: tuple[tuple[str, str], ...] = field(default=())

    @property
    def label(self) -> str:
        shown = " (galat validasi)" if self.submit else ""
        return f"{self.role} {self.path}{shown}"


SAVE = "main button[type=submit]"

PAGES: list[Page] = [
    # Public: respondents and everyone.
    Page("anon", "/masuk/"),
    Page("anon", "/masuk/", submit=SAVE, fill=(("#id_username", "alice"), ("#id_password", "salah"))),
    Page("anon", "/isi/pulutan/"),
    Page("anon", "/isi/pulutan/", submit=SAVE),
    Page("anon", "/isi/pulutan/?kiosk=1"),
    Page("anon", "/isi/pulutan/layanan/{service}/"),
    Page("anon", "/isi/pulutan/terima-kasih/"),
    Page("anon", "/isi/pulutan/terima-kasih/?kiosk=1"),
    Page("anon", "/isi/tertutup/"),
    Page("anon", "/publik/pulutan/hasil/"),
    Page("anon", "/publik/pulutan/hasil/2024-S1/?versi=1"),
    Page("anon", "/halaman-yang-tidak-ada/"),
    Page("anon", "/kata-sandi/lupa/"),
    Page("anon", "/kata-sandi/lupa/", submit=SAVE, fill=(("#id_email", "bukan-email"),)),
    Page("anon", "/kata-sandi/lupa/terkirim/"),
    Page("anon", "/kata-sandi/atur/MQ/tautan-kedaluwarsa/"),
    Page("anon", "/kata-sandi/atur/selesai/"),
    # Unit staff.
    Page("alice", "/"),
    Page("alice", "/akun/token-api/"),
    Page("alice", "/unit/pulutan/putaran/"),
    Page("alice", "/unit/pulutan/putaran/", submit=SAVE, fill=(("#id_periode", "2024-S9"),)),
    Page("alice", "/unit/pulutan/tautan/"),
    Page("alice", "/unit/pulutan/poster/"),
    Page("alice", "/unit/pulutan/entri/"),
    Page("alice", "/unit/pulutan/entri/", submit="#entry-save"),
    Page("alice", "/unit/pulutan/impor/"),
    Page("alice", "/unit/pulutan/impor/", submit=SAVE),
    Page("alice", "/unit/pulutan/impor/tugas/{import_running}/"),
    Page("alice", "/unit/pulutan/impor/tugas/{import_failed}/"),
    Page("alice", "/unit/pulutan/impor/tugas/{import_done}/"),
    Page("alice", "/hasil/pulutan/2024-S2/"),
    Page("alice", "/hasil/pulutan/2024-S1/"),
    Page("alice", "/tindak-lanjut/unit/pulutan/"),
    Page("alice", "/tindak-lanjut/rtl/{plan}/"),
    Page("alice", "/tindak-lanjut/prioritas/{row}/kegiatan/tambah/"),
    Page("alice", "/tindak-lanjut/prioritas/{row}/kegiatan/tambah/", submit=SAVE),
    Page("alice", "/tindak-lanjut/kegiatan/{item}/"),
    Page("alice", "/tindak-lanjut/kegiatan/{item}/", submit="#form-realisasi button[type=submit]"),
    Page("alice", "/tindak-lanjut/kegiatan/{item}/ubah/"),
    Page("alice", "/laporan/unit/pulutan/"),
    Page("alice", "/laporan/tugas/"),
    Page("alice", "/laporan/tugas/{job}/"),
    Page("alice", "/unit/kpu-tangerang/entri/"),
    Page("alice", "/unit/pulutan/periode/2024-S2/jawaban/"),
    Page("alice", "/unit/pulutan/periode/2024-S2/jawaban/?kanal=kertas&unsur=U3&isi=kosong&q=antrean"),
    Page("alice", "/unit/pulutan/periode/2024-S2/jawaban/?status=dihapus"),
    Page("alice", "/unit/pulutan/periode/2024-S2/jawaban/{response}/"),
    Page("alice", "/unit/pulutan/periode/2024-S2/jawaban/{response}/", submit="#delete-form button"),
    Page("alice", "/unit/pulutan/periode/2024-S2/jawaban/{response}/ubah/"),
    Page(
        "alice",
        "/unit/pulutan/periode/2024-S2/jawaban/{response}/ubah/",
        submit="#edit-form button[type=submit]",
        fill=(("#id_usia", "5"),),
    ),
    Page("alice", "/unit/pulutan/periode/2024-S2/saran/"),
    Page("alice", "/unit/pulutan/periode/2024-S2/impor/"),
    Page("alice", "/unit/pulutan/periode/2024-S2/riwayat/"),
    Page("alice", "/unit/pulutan/periode/2024-S1/jawaban/"),
    Page("alice", "/hasil/perbandingan/"),
    Page("alice", "/laporan/unit/pulutan/narasi/2024-S2/"),
    Page("alice", "/laporan/unit/pulutan/narasi/2024-S2/bagian/u9/"),
    Page(
        "alice",
        "/laporan/unit/pulutan/narasi/2024-S2/bagian/kesimpulan/",
        submit="#section-form button[value=simpan]",
        fill=(("#id_text", ""),),
    ),
    Page("alice", "/unit/pulutan/profil/"),
    Page("alice", "/unit/pulutan/profil/", submit="#earlier-ikm-form button[type=submit]"),
    Page("alice", "/kata-sandi/ganti/"),
    Page("alice", "/kata-sandi/ganti/", submit=SAVE, fill=(("#id_old_password", "salah"),)),
    Page("alice", "/kata-sandi/ganti/selesai/"),
    Page("alice", "/notifikasi/"),
    # Supervisors.
    Page("bob", "/"),
    Page("bob", "/hasil/perbandingan/"),
    Page("bob", "/hasil/perbandingan/?min=abc"),
    Page("bob", "/hasil/perbandingan/?q=pulutan&tingkat=3&induk=sidorejo"),
    Page("bob", "/hasil/perbandingan/?tingkat=x&hal=9"),
    Page("bob", "/?induk=sidorejo&tingkat=3&q=pul"),
    Page("bob", "/tindak-lanjut/?q=pulutan&induk=sidorejo&tingkat=3"),
    Page("bob", "/hasil/pulutan/2024-S2/?bobot=0.111"),
    Page("bob", "/unit/pulutan/putaran/"),
    Page("bob", "/tindak-lanjut/"),
    Page("bob", "/tindak-lanjut/rtl/{plan}/"),
    Page("bob", "/tindak-lanjut/kegiatan/{item}/"),
    Page("bob", "/laporan/unit/pulutan/"),
    Page("bob", "/unit/pulutan/periode/2024-S2/jawaban/"),
    Page("bob", "/unit/pulutan/periode/2024-S2/jawaban/{response}/"),
    Page("bob", "/unit/pulutan/periode/2024-S2/riwayat/"),
    Page("bob", "/laporan/unit/pulutan/narasi/2024-S2/"),
    Page("bob", "/laporan/unit/pulutan/narasi/2024-S2/bagian/penutup/"),
    Page("bob", "/unit/pulutan/profil/"),
    # Admins.
    Page("admin", "/"),
    Page("admin", "/admin/"),
    Page("admin", "/akun/token-api/"),
    Page("admin", "/admin/surveys/unit/"),
    Page("admin", "/admin/surveys/unit/{unit_id}/change/"),
    Page("admin", "/admin/surveys/unit/add/", submit="input[name=_save]"),
    Page("admin", "/admin/surveys/period/"),
    Page("admin", "/admin/surveys/surveyround/"),
    Page("admin", "/admin/surveys/response/"),
    Page("admin", "/admin/surveys/response/{response}/history/"),
    Page("admin", "/admin/auth/user/"),
]


def pages_of(role: str) -> list[Page]:
    return [p for p in PAGES if p.role == role]


def log_in(page, base_url: str, role: str) -> None:
    if role == "anon":
        return
    username = "admin" if role == "admin" else role
    page.goto(f"{base_url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/masuk/" not in url)


def visit(page, base_url: str, entry: Page, site: dict) -> None:
    """Open the page (and show its validation errors when it has a submit)."""
    page.goto(base_url + entry.path.format(**site))
    if entry.submit:
        page.evaluate("document.querySelectorAll('form').forEach((f) => { f.noValidate = true; })")
        for selector, value in entry.fill:
            page.fill(selector, value)
        page.click(entry.submit)
        page.wait_for_load_state("load")
        # Pages that save through fetch (paper entry) show their message in place.
        page.wait_for_timeout(300)


def new_page(browser, role: str, base_url: str, *, viewport=PHONE, **context_args):
    """A fresh browser context (phone-sized by default) logged in as ``role``."""
    context = browser.new_context(viewport=viewport, locale="id-ID", **context_args)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base_url, role)
    return context, page
