"""The English catalogue: pages switch language only by the user's choice (cookie),
and every Indonesian msgid has a reviewed English translation."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _get(client, url, *, english):
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _assert_language(html, *, present, absent):
    for text in present:
        assert text in html, text
    for text in absent:
        assert text not in html, text


# (English, Indonesian) pairs that each page must show in exactly one language.
LOGIN = [("Log in to SKM", "Masuk ke SKM")]
DASHBOARD = [
    ("Your service units", "Unit layanan Anda"),
    (
        "Answers are counted for period <strong>Semester II 2024</strong>.",
        "Jumlah jawaban dihitung untuk periode <strong>Semester II Tahun 2024</strong>.",
    ),
    ("Log out", "Keluar"),
]
RESULTS = [
    ("Improvement priorities (lowest NRR first)", "Prioritas perbaikan (NRR terendah dulu)"),
    ("Service unit IKM", "IKM unit layanan"),
    ("Respondent profile", "Profil responden"),
    # Pulutan 2024-S2 (reference expected JSON): every unsur and the unit are grade B.
    ("<td>Good</td>", "<td>Baik</td>"),
    # The weighting line (the SVG charts are shared with the PDFs and stay Indonesian).
    ('"bobot">weight 1/9 (Permenpan RB 14/2017 formula)<', '"bobot">bobot 1/9 (rumus Permenpan RB 14/2017)<'),
]
QUESTIONNAIRE = [
    ("Help us improve our service.", "Bantu kami memperbaiki pelayanan."),
    ("Submit answers", "Kirim jawaban"),
    ("Highest education", "Pendidikan terakhir"),
]


@pytest.mark.parametrize("english", [True, False], ids=["en", "id"])
def test_login_page(client, english):
    html = _get(client, reverse("login"), english=english)
    en, id_ = zip(*LOGIN, strict=False)
    _assert_language(html, present=en if english else id_, absent=id_ if english else en)


@pytest.mark.parametrize("english", [True, False], ids=["en", "id"])
def test_dashboard(client, alice, period, english):
    client.force_login(alice)
    html = _get(client, reverse("surveys:dashboard"), english=english)
    en, id_ = zip(*DASHBOARD, strict=False)
    _assert_language(html, present=en if english else id_, absent=id_ if english else en)


@pytest.mark.parametrize("english", [True, False], ids=["en", "id"])
def test_results_page(client, alice, reference_responses, english):
    client.force_login(alice)
    html = _get(client, reverse("surveys:results", args=["pulutan", "2024-S2"]), english=english)
    en, id_ = zip(*RESULTS, strict=False)
    _assert_language(html, present=en if english else id_, absent=id_ if english else en)
    # The unit's own questionnaire wording is content, not interface: never translated.
    assert "Persyaratan" in html


@pytest.mark.usefixtures("during_period")
@pytest.mark.parametrize("english", [True, False], ids=["en", "id"])
def test_public_questionnaire(client, unit, period, english):
    html = _get(client, reverse("surveys:questionnaire", args=["pulutan"]), english=english)
    en, id_ = zip(*QUESTIONNAIRE, strict=False)
    _assert_language(html, present=en if english else id_, absent=id_ if english else en)


def _po_entries():
    """Blank-line separated entries -> (flags, {keyword: text}); enough for our own file."""
    entries = []
    for block in PO_PATH.read_text(encoding="utf-8").split("\n\n"):
        flags, fields, key = [], {}, None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += [f.strip() for f in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            elif m := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line):
                key = m.group(1)
                fields[key] = m.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if "msgid" in fields:
            entries.append((flags, fields))
    return entries


def test_catalogue_is_complete_and_reviewed():
    entries = [(flags, f) for flags, f in _po_entries() if f["msgid"]]  # skip the header
    assert len(entries) > 600
    untranslated = [f["msgid"] for _, f in entries if any(v == "" for k, v in f.items() if k.startswith("msgstr"))]
    fuzzy = [f["msgid"] for flags, f in entries if "fuzzy" in flags]
    assert untranslated == [], "run makemessages and translate these"
    assert fuzzy == [], "check these translations and remove the fuzzy flag"


def test_compiled_catalogue_matches_po():
    """django.mo is committed (no gettext needed at install); it must not lag the .po."""
    import ast
    import gettext

    with PO_PATH.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)

    def unescape(text):  # .po strings use C escapes, which Python reads the same way
        return ast.literal_eval(f'"{text}"')

    stale = [
        f["msgid"]
        for _, f in _po_entries()
        if f["msgid"] and "msgstr" in f and compiled.gettext(unescape(f["msgid"])) != unescape(f["msgstr"])
    ]
    assert stale == [], "run compilemessages and commit django.mo"


def test_change_log_is_stored_in_indonesian_and_shown_in_the_readers_language(client, unit, period, alice):
    from django.utils import translation

    from followup import services
    from followup.models import ChangeLog, Plan, PlanUnsur

    plan = Plan.objects.create(unit=unit, period=period, created_by=alice)
    row = PlanUnsur.objects.create(plan=plan, code="U9", title="Sarana dan Prasarana", order=1)
    with translation.override("en"):  # an English-speaking staff member writes
        item = services.item_create(
            plan_unsur=row, user=alice, program="Rehab ruang tunggu", responsible="Lurah", schedule=[[2025, 1]]
        )
    log = ChangeLog.objects.get(item_id_ref=item.pk)
    assert log.object_type == "program / kegiatan RTL"
    assert {"program / kegiatan", "penanggung jawab", "jadwal (tahun, triwulan)"} <= set(log.changes)
    assert log.changes["jadwal (tahun, triwulan)"] == ["", "2025 TW I"]

    client.force_login(alice)
    url = reverse("followup:item", args=[item.pk])
    html = _get(client, url, english=False)
    _assert_language(
        html,
        present=["dibuat program / kegiatan RTL", "penanggung jawab:</dt>"],
        absent=["created RTL programme / activity", "person in charge:</dt>"],
    )
    html = _get(client, url, english=True)
    _assert_language(
        html,
        present=["created RTL programme / activity", "person in charge:</dt>"],
        absent=["dibuat program / kegiatan RTL", "penanggung jawab:</dt>"],
    )


def test_export_job_messages_are_stored_in_indonesian_and_shown_translated(client, unit, period, alice):
    from reports import services as report_services
    from reports.models import ExportJob

    job = ExportJob.objects.create(kind="xlsx", unit=unit, period=period, requested_by=alice, status="failed")
    # What the services store for a job whose queue was unavailable: Indonesian msgids.
    ExportJob.objects.filter(pk=job.pk).update(message="Gagal", error=report_services.QUEUE_UNAVAILABLE)
    client.force_login(alice)
    status_url = reverse("reports:job_status", args=[job.pk])
    detail_url = reverse("reports:job_detail", args=[job.pk])

    assert client.get(status_url).json()["message"] == "Gagal"
    _assert_language(
        _get(client, detail_url, english=False),
        present=["antrean ekspor sedang tidak tersedia"],
        absent=["export queue service is currently unavailable"],
    )

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    payload = client.get(status_url).json()
    assert payload["message"] == "Failed"
    assert payload["error"].startswith("The export queue service is currently unavailable")
    _assert_language(
        _get(client, detail_url, english=True),
        present=["export queue service is currently unavailable"],
        absent=["antrean ekspor sedang tidak tersedia"],
    )


@pytest.mark.parametrize(
    "path",
    ["/isi/pulutan/?kiosk=1", "/isi/pulutan/?periode=2024-S2", "/publik/pulutan/hasil/", "/publik/sidorejo/hasil/"],
)
@pytest.mark.usefixtures("during_period")
def test_respondents_and_citizens_have_a_language_menu_that_keeps_their_place(client, unit, period, path):
    from surveys.tests.factories import ResponseFactory, publish_round

    ResponseFactory(unit=unit, period=period)
    publish_round(unit, period)
    if path.startswith("/isi/"):
        from surveys.services_rounds import round_open

        round_open(unit=unit, period=period, user=None, reason="koreksi")
    html = _get(client, path, english=False)
    menu = html[html.rindex("<form", 0, html.index('class="language-menu')) :]
    menu = menu[: menu.index("</form>")]
    assert f'name="next" type="hidden" value="{path.replace("&", "&amp;")}"' in menu
    assert 'name="language" value="en"' in menu and ">English<" in menu and ">Bahasa Indonesia<" in menu
    assert 'action="/bahasa/pilih/"' in menu and "csrfmiddlewaretoken" not in menu
    response = client.post(reverse("choose_language"), {"language": "en", "next": path})
    assert response.status_code == 302 and response["Location"] == path
    html = client.get(path).content.decode()
    assert 'lang="en"' in html and "Semester II 2024" in html and "Semester II Tahun 2024" not in html


@pytest.mark.usefixtures("during_period")
def test_switching_language_keeps_the_one_time_token(client, unit, period):
    """A form answered after switching language is stored once; its replay is still refused."""
    from surveys.models import Response
    from surveys.tests.test_questionnaire import answers, token_from

    path = reverse("surveys:questionnaire", args=["pulutan"])
    token = token_from(client.get(path).content.decode())
    client.post(reverse("choose_language"), {"language": "en", "next": path})
    data = {**answers(), "token": token}
    assert client.post(path, data).status_code == 302
    replay = client.post(path, data)
    assert replay.status_code == 409 and "already" in replay.content.decode()
    assert Response.objects.count() == 1


@pytest.mark.usefixtures("during_period")
def test_period_names_and_weights_follow_the_chosen_language(client, unit, period, alice):
    from reports.models import ExportJob

    job = ExportJob.objects.create(kind="xlsx", unit=unit, period=period, requested_by=alice, status="failed")
    client.force_login(alice)
    html = _get(client, reverse("reports:job_detail", args=[job.pk]), english=True)
    _assert_language(
        html,
        present=["Semester II 2024", "weight 1/9 (Permenpan RB 14/2017 formula)"],
        absent=["Semester II Tahun 2024", "weighting exact"],
    )
    # Messages of the round steps name the period through Period.label.
    client.post(reverse("surveys:round_step", args=["pulutan", "2024-S2", "tutup"]))
    html = _get(client, reverse("surveys:round_manage", args=["pulutan"]), english=True)
    assert "Round Semester II 2024 closed." in html, html[:3000]


def test_change_log_statuses_follow_the_chosen_language(client, unit, period, alice):
    from followup import services
    from followup.models import Plan, PlanUnsur, Realisation

    plan = Plan.objects.create(unit=unit, period=period, created_by=alice)
    row = PlanUnsur.objects.create(plan=plan, code="U9", title="Sarana dan Prasarana", order=1)
    item = services.item_create(plan_unsur=row, user=alice, program="Sudah", responsible="Lurah", schedule=[[2025, 1]])
    services.realisation_save(item=item, user=alice, status=Realisation.Status.BELUM)
    services.realisation_save(
        item=item, user=alice, status=Realisation.Status.SUDAH, realised_on=period.end_date, description="Selesai"
    )
    client.force_login(alice)
    html = _get(client, reverse("followup:item", args=[item.pk]), english=True)
    log = html[html.index("audit-log") :]
    assert "<del>Not yet</del> → Done" in log and "<del>Belum</del>" not in log
    assert '<dd class="d-inline mb-0">Sudah</dd>' in log  # the programme the unit named "Sudah" stays as written


def test_public_menu_needs_no_token_and_redirects_only_to_this_site(settings):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("choose_language"), {"language": "en", "next": "/publik/pulutan/hasil/"})
    assert response.status_code == 302 and response["Location"] == "/publik/pulutan/hasil/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.post(reverse("choose_language"), {"language": "en", "next": "https://evil.example/"})
    assert "evil.example" not in response.get("Location", "")
    assert client.get(reverse("choose_language")).status_code == 405
    # Staff pages keep the CSRF-protected view.
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 403
