"""Respondents' privacy (UU 27/2022): notice, optional profile, age and
guardian consent, disability on every channel, retention, small groups."""

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from conftest import PASSWORD
from surveys.importing import ImportFileError, ParsedRow, iter_parsed
from surveys.models import Response, RetentionRun
from surveys.results import profile_tables_get, public_results_get, unit_results_get
from surveys.services import import_batch_create, personal_data_erase_expired, response_create_web
from surveys.tasks import erase_expired_personal_data
from surveys.tests.factories import PeriodFactory, ResponseFactory, ServiceFactory, publish_round
from surveys.tests.test_entry import entry_url, row
from surveys.tests.test_questionnaire import submit, token_from, url

pytestmark = pytest.mark.django_db

ONLY_ANSWERS = {f"u{i}": "3" for i in range(1, 10)}


@pytest.fixture
def minors_unit(unit):
    unit.allow_minors = True
    unit.save()
    return unit


def post_form(client, unit, data):
    token = token_from(client.get(url(unit)).content.decode())
    return client.post(url(unit), {**data, "token": token})


# --- privacy notice -------------------------------------------------------------


@pytest.mark.usefixtures("during_period")
def test_default_notice_names_collector_purpose_retention_and_contact(client, unit, period, settings):
    settings.SKM_RETENTION_MONTHS = 24
    unit.privacy_contact = "ppid@pulutan.go.id"
    unit.save()
    html = client.get(url(unit)).content.decode()
    notice = re.search(r'<details class="skm-privacy.*?</details>', html, re.S).group(0)
    assert "Pemberitahuan privasi" in notice
    assert "Pengumpul data: Kelurahan Pulutan." in notice
    assert "Peraturan Menteri PANRB Nomor 14 Tahun 2017" in notice
    assert "dihapus 24 bulan setelah periode survei berakhir" in notice
    assert "Pertanyaan tentang data Anda: ppid@pulutan.go.id." in notice
    assert "kurang dari 5 responden" in notice


@pytest.mark.usefixtures("during_period")
def test_notice_falls_back_to_the_address_and_says_when_kept_without_limit(client, unit, period, settings):
    settings.SKM_RETENTION_MONTHS = 0
    notice = client.get(url(unit)).content.decode()
    assert "Pertanyaan tentang data Anda: Jl. Argowiyoto No. 1, Pulutan." in notice
    assert "disimpan selama diperlukan untuk pelaporan survei" in notice


@pytest.mark.usefixtures("during_period")
def test_unit_notice_replaces_the_default_and_is_escaped(client, unit, period):
    unit.privacy_notice = "Data dikelola PPID Kota Salatiga.\n\nHubungi <b>ppid@salatiga.go.id</b>."
    unit.save()
    html = client.get(url(unit)).content.decode()
    assert "<p>Data dikelola PPID Kota Salatiga.</p>" in html
    assert "&lt;b&gt;ppid@salatiga.go.id&lt;/b&gt;" in html
    assert "Pengumpul data:" not in html


# --- optional profile, age, consent, disability ------------------------------


@pytest.mark.usefixtures("during_period")
def test_every_profile_question_is_optional(client, unit, period):
    response = post_form(client, unit, ONLY_ANSWERS)
    assert response.status_code == 302
    r = Response.objects.get()
    assert (r.gender, r.age, r.education, r.occupation, r.disability, r.suggestion) == ("", None, "", "", "", "")
    assert r.guardian_consent is False


@pytest.mark.usefixtures("during_period")
@pytest.mark.parametrize(("age", "status"), [("16", 400), ("17", 302), ("120", 302)])
def test_adults_only_by_default(client, unit, period, age, status):
    html = client.get(url(unit)).content.decode()
    assert 'name="persetujuan_wali"' not in html
    assert 'min="17"' in html and "17 tahun ke atas" in html
    response = post_form(client, unit, {**ONLY_ANSWERS, "usia": age})
    assert response.status_code == status
    if status == 400:
        assert "Survei ini untuk responden berusia 17 tahun ke atas." in response.content.decode()
    assert Response.objects.count() == (1 if status == 302 else 0)


@pytest.mark.usefixtures("during_period")
def test_minors_need_the_guardian_consent_tick(client, minors_unit, period):
    html = client.get(url(minors_unit)).content.decode()
    assert 'name="persetujuan_wali"' in html and "orang tua/wali" in html
    refused = post_form(client, minors_unit, {**ONLY_ANSWERS, "usia": "15"})
    assert refused.status_code == 400
    assert "memerlukan persetujuan orang tua/wali" in refused.content.decode()
    too_young = post_form(client, minors_unit, {**ONLY_ANSWERS, "usia": "9", "persetujuan_wali": "on"})
    assert too_young.status_code == 400 and "Usia minimal 10 tahun." in too_young.content.decode()
    assert Response.objects.count() == 0

    assert post_form(client, minors_unit, {**ONLY_ANSWERS, "usia": "15", "persetujuan_wali": "on"}).status_code == 302
    # An adult's stray tick is not a guardian's consent.
    assert post_form(client, minors_unit, {**ONLY_ANSWERS, "usia": "30", "persetujuan_wali": "on"}).status_code == 302
    assert list(Response.objects.order_by("id").values_list("age", "guardian_consent")) == [(15, True), (30, False)]


@pytest.mark.usefixtures("during_period")
def test_service_layer_refuses_a_minor_without_consent(unit, minors_unit, period):
    import uuid

    with pytest.raises(ValidationError, match="persetujuan orang tua/wali"):
        response_create_web(
            unit=minors_unit, period=period, service=None, client_token=uuid.uuid4(), answers={"U1": 3}, age=15
        )
    minors_unit.allow_minors = False
    with pytest.raises(ValidationError, match="17 tahun ke atas"):
        response_create_web(
            unit=minors_unit,
            period=period,
            service=None,
            client_token=uuid.uuid4(),
            answers={"U1": 3},
            age=15,
            guardian_consent=True,
        )
    assert Response.objects.count() == 0


@pytest.mark.usefixtures("during_period")
def test_web_disability_is_stored(client, unit, period):
    assert submit(client, unit, disabilitas="MENTAL").status_code == 302
    assert Response.objects.get().disability == Response.Disability.MENTAL
    bad = post_form(client, unit, {**ONLY_ANSWERS, "disabilitas": "LAINNYA"})
    assert bad.status_code == 400 and Response.objects.count() == 1


@pytest.fixture
def as_alice(client, alice):
    client.login(username="alice", password=PASSWORD)
    return client


def test_paper_entry_disability_and_age_rule(as_alice, unit, period):
    assert as_alice.post(entry_url(unit), row(disabilitas="FISIK")).status_code == 302
    assert Response.objects.get().disability == "FISIK"
    page = as_alice.get(entry_url(unit)).content.decode()
    assert 'id="id_disabilitas"' in page and '<td data-label="Disabilitas">Fisik</td>' in page
    refused = as_alice.post(entry_url(unit), row(usia="16"))
    assert refused.status_code == 400
    assert "Survei ini untuk responden berusia 17 tahun ke atas." in refused.content.decode()
    unit.allow_minors = True
    unit.save()
    assert as_alice.post(entry_url(unit), row(usia="16")).status_code == 302
    assert sorted(Response.objects.values_list("age", flat=True)) == [16, 41]


# --- import: disabilitas column and age floor --------------------------------

HEADER = "jenis_kelamin,usia,disabilitas,U1,U2,U3,U4,U5,U6,U7,U8,U9\n"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("tidak", "TIDAK"),
        ("Tidak ada", "TIDAK"),
        ("FISIK", "FISIK"),
        ("Disabilitas intelektual", "INTELEKTUAL"),
        (" mental ", "MENTAL"),
        ("Sensorik", "SENSORIK"),
        ("", ""),
    ],
)
def test_import_disability_spellings(raw, code):
    (item,) = list(iter_parsed(io.BytesIO(f"{HEADER}L,30,{raw},1,1,1,1,1,1,1,1,1\n".encode())))
    assert isinstance(item, ParsedRow) and item.disability == code


def test_import_unknown_disability_is_an_error():
    (item,) = list(iter_parsed(io.BytesIO(f"{HEADER}L,30,tunanetra,1,1,1,1,1,1,1,1,1\n".encode())))
    assert [str(e) for e in item] == [
        "baris 2, kolom disabilitas: nilai 'tunanetra' tidak valid (tidak, fisik, intelektual, mental atau sensorik)"
    ]


def test_import_stores_disability_and_applies_the_units_age_floor(unit, period, alice):
    data = f"{HEADER}P,16,sensorik,4,4,4,4,4,4,4,4,4\nL,40,,3,3,3,3,3,3,3,3,3\n".encode()
    with pytest.raises(ImportFileError) as exc:
        import_batch_create(fh=io.BytesIO(data), filename="a.csv", unit=unit, period=period, user=alice)
    assert exc.value.errors == [
        "baris 2, kolom usia: usia 16 di bawah 17 tahun: unit ini tidak menerima responden di bawah 17 tahun"
    ]
    assert Response.objects.count() == 0
    unit.allow_minors = True
    unit.save()
    import_batch_create(fh=io.BytesIO(data), filename="a.csv", unit=unit, period=period, user=alice)
    assert list(Response.objects.order_by("age").values_list("age", "disability", "guardian_consent")) == [
        (16, "SENSORIK", False),
        (40, "", False),
    ]


# --- disability breakdown -------------------------------------------------------


def disability_table(unit, period):
    return next(t for t in profile_tables_get(unit=unit, period=period) if t.key == "disability")


def test_disability_has_its_own_profile_table(unit, period):
    for value in ["TIDAK"] * 5 + ["FISIK", "SENSORIK", ""]:
        ResponseFactory(unit=unit, period=period, disability=value)
    table = disability_table(unit, period)
    assert table.title == "Disabilitas" and table.total == 8
    # 5/8 = 62,50 %; 1/8 = 12,50 %.
    assert [(r.label, r.count, str(r.percent)) for r in table.rows] == [
        ("Tidak ada", 5, "62.50"),
        ("Fisik", 1, "12.50"),
        ("Intelektual", 0, "0.00"),
        ("Mental", 0, "0.00"),
        ("Sensorik", 1, "12.50"),
        ("Tidak diisi", 1, "12.50"),
    ]


def test_results_page_shows_the_disability_table(as_alice, unit, period):
    ResponseFactory(unit=unit, period=period, disability="FISIK")
    html = as_alice.get(reverse("surveys:results", args=[unit.code, period.code])).content.decode()
    assert "<th>Disabilitas</th>" in html and "<td>Fisik</td>" in html


# --- public breakdowns: groups under 5 ----------------------------------------


def test_public_page_merges_small_groups_and_says_so(client, unit, period):
    ktp = ServiceFactory(unit=unit, name="KTP")
    akta = ServiceFactory(unit=unit, name="Akta")
    # 12 respondents: SMA 6, Strata 4, SD 2 -> Strata and SD (6) merged; 8 for KTP, 4 for Akta.
    for i, education in enumerate(["SMA"] * 6 + ["STRATA"] * 4 + ["SD"] * 2):
        ResponseFactory(unit=unit, period=period, service=ktp if i < 8 else akta, education=education, gender="P", U1=4)
    publish_round(unit, period)
    data = public_results_get(unit=unit)
    education = next(t for t in data.profile if t.key == "education")
    shown = [(r.label, r.count, r.merged) for r in education.rows if r.count]
    assert shown == [("SMA", 6, ()), ("Lainnya (digabung)", 6, ("SD", "Strata (S1-S3)"))]
    assert [(s.name, s.respondents) for s in data.services] == [("Akta", None), ("KTP", 8)]
    assert data.services[0].ikm is None and data.services[1].ikm is not None

    html = client.get(reverse("public_results", args=[unit.code])).content.decode()
    assert "Lainnya (digabung)<sup>*</sup>" in html and "* Digabung: SD, Strata (S1-S3)." in html
    assert "&lt; 5<sup>*</sup>" in html
    assert 'id="catatan-kelompok-kecil"' in html and "kurang dari 5 responden" in html
    # The staff results page keeps the exact counts.
    gender = next(t for t in unit_results_get(unit=unit, period=period, weight_mode="exact").profile)
    assert [(r.label, r.count) for r in gender.rows] == [("Laki-laki", 0), ("Perempuan", 12)]


def test_public_page_hides_the_profile_below_five_respondents(client, unit, period):
    for _ in range(4):
        ResponseFactory(unit=unit, period=period, gender="L", disability="FISIK")
    publish_round(unit, period)
    html = client.get(reverse("public_results", args=[unit.code])).content.decode()
    assert 'id="profil-disembunyikan"' in html
    assert 'id="profil-publik"' not in html and "Fisik" not in html and "Laki-laki" not in html


def test_public_page_without_small_groups_has_no_footnote(client, unit, period):
    for gender in "LLLLLPPPPP":
        ResponseFactory(
            unit=unit, period=period, gender=gender, age=30, education="SMA", occupation="PNS", disability="TIDAK"
        )
    publish_round(unit, period)
    html = client.get(reverse("public_results", args=[unit.code])).content.decode()
    assert 'id="profil-publik"' in html and 'id="catatan-kelompok-kecil"' not in html


# --- retention ----------------------------------------------------------------------


@pytest.fixture
def old_and_current(unit, period):
    """2022-S1 (ended 30 June 2022) with full profiles, and the current 2024-S2."""
    old = PeriodFactory(code="2022-S1", start_date=dt.date(2022, 1, 1), end_date=dt.date(2022, 6, 30))
    profile = {"gender": "P", "age": 15, "education": "SD", "occupation": "PELAJAR", "disability": "FISIK"}
    ResponseFactory(unit=unit, period=old, suggestion="Pak RT lambat", guardian_consent=True, U1=1, U9=4, **profile)
    ResponseFactory(unit=unit, period=old, suggestion="", gender="L", age=70, U1=4, U9=None)
    ResponseFactory(unit=unit, period=old, U1=2)  # nothing personal to erase
    ResponseFactory(unit=unit, period=period, suggestion="Saran baru", gender="L", age=30)
    return old


def snapshot(unit, period):
    res = unit_results_get(unit=unit, period=period, weight_mode="exact")
    return (
        res.result.respondents,
        res.result.ikm,
        [(u.code, u.nrr, u.total, u.answered) for u in res.result.unsur],
        [(d.code, [(r.count, r.percent) for r in d.rows]) for d in res.distributions],
    )


def test_retention_erases_saran_and_profile_and_keeps_the_results(unit, period, old_and_current, settings):
    settings.SKM_RETENTION_MONTHS = 24
    before = snapshot(unit, old_and_current)
    # 30 June 2022 + 24 months: still kept on 30 June 2024, erased from 1 July 2024.
    assert personal_data_erase_expired(actor="system", today=dt.date(2024, 6, 30)).total == 0
    result = personal_data_erase_expired(actor="system", today=dt.date(2024, 7, 1))
    assert result.per_period == {"2022-S1": 2} and result.cutoff == dt.date(2022, 7, 1)

    for r in Response.objects.filter(period=old_and_current):
        assert (r.gender, r.age, r.education, r.occupation, r.disability, r.suggestion) == ("", None, "", "", "", "")
        assert r.guardian_consent is False
    assert snapshot(unit, old_and_current) == before  # answers untouched: same IKM, NRR, distributions
    current = Response.objects.get(period=period)
    assert (current.suggestion, current.gender, current.age) == ("Saran baru", "L", 30)

    # Every real run is recorded, also one that found nothing.
    assert RetentionRun.objects.count() == 2
    run = RetentionRun.objects.get(responses=2)
    assert (run.actor, run.months, run.cutoff, run.responses, run.periods) == (
        "system",
        24,
        dt.date(2022, 7, 1),
        2,
        "2022-S1 (2)",
    )
    # A second run finds nothing left to erase.
    assert personal_data_erase_expired(actor="system", today=dt.date(2024, 7, 1)).total == 0


def test_retention_dry_run_and_disabled_change_nothing(unit, period, old_and_current, settings):
    result = personal_data_erase_expired(actor="x", months=24, today=dt.date(2025, 1, 1), dry_run=True)
    assert result.total == 2 and result.dry_run
    settings.SKM_RETENTION_MONTHS = 0
    assert personal_data_erase_expired(actor="x", today=dt.date(2030, 1, 1)).cutoff is None
    assert Response.objects.exclude(suggestion="").count() == 2 and RetentionRun.objects.count() == 0


@pytest.fixture
def today_2025(monkeypatch):
    """Today is 1 January 2025: 2022-S1 + 24 months is past, 2024-S2 + 24 months is not."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2025, 1, 1))


def test_retention_task_runs_as_system(unit, period, old_and_current, settings, today_2025):
    settings.SKM_RETENTION_MONTHS = 24
    assert erase_expired_personal_data.delay().get() == 2  # eager in tests
    assert RetentionRun.objects.get().actor == "system"
    assert "surveys.tasks.erase_expired_personal_data" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


def test_retention_command_prints_counts_and_dry_run_keeps_data(unit, period, old_and_current, admin_user, today_2025):
    out = io.StringIO()
    call_command("skm_retention", "--dry-run", "--months", "24", stdout=out)
    text = out.getvalue()
    assert (
        "Masa simpan 24 bulan: periode yang berakhir sebelum 1 Januari 2023." in text
        and "2022-S1: 2" in text
        and "Uji coba: 2 jawaban" in text
    )
    assert RetentionRun.objects.count() == 0 and Response.objects.exclude(suggestion="").count() == 2

    out = io.StringIO()
    call_command("skm_retention", "--months", "24", "--user", "admin", stdout=out)
    assert "2 jawaban dihapus saran dan data profilnya (dicatat atas nama admin)" in out.getvalue()
    assert RetentionRun.objects.get().actor == "admin"
    assert Response.objects.exclude(suggestion="").count() == 1  # the current period's saran stays


@pytest.mark.parametrize("args", [["--months", "0"], ["--user", "nobody"]])
def test_retention_command_bad_input(db, args):
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("skm_retention", *args, stdout=io.StringIO())


# --- admin: privacy fields and the read-only retention log --------------------


@pytest.mark.parametrize(("who", "status"), [("admin_user", 200), ("alice", 302), ("bob", 302), (None, 302)])
def test_retention_log_admin_permissions(request, client, who, status, alice, bob):
    RetentionRun.objects.create(actor="system", months=24, cutoff=dt.date(2022, 7, 1), responses=3)
    if who:
        client.login(username=request.getfixturevalue(who).username, password=PASSWORD)
    response = client.get(reverse("admin:surveys_retentionrun_changelist"))
    assert response.status_code == status
    if status == 302:
        assert "/admin/login/" in response["Location"]


def test_retention_log_is_read_only_for_admins(client, admin_user):
    run = RetentionRun.objects.create(actor="system", months=24, cutoff=dt.date(2022, 7, 1), responses=3)
    client.login(username="admin", password=PASSWORD)
    assert client.get(reverse("admin:surveys_retentionrun_add")).status_code == 403
    assert client.get(reverse("admin:surveys_retentionrun_delete", args=[run.pk])).status_code == 403
    page = client.get(reverse("admin:surveys_retentionrun_change", args=[run.pk]))
    assert page.status_code == 200 and 'name="actor"' not in page.content.decode()


def test_unit_admin_edits_the_privacy_fields(client, admin_user, unit):
    client.login(username="admin", password=PASSWORD)
    html = client.get(reverse("admin:surveys_unit_change", args=[unit.pk])).content.decode()
    for name in ("privacy_notice", "privacy_contact", "allow_minors"):
        assert f'name="{name}"' in html


def test_retention_erases_extra_answers_too(unit, period, settings):
    settings.SKM_RETENTION_MONTHS = 24
    old = PeriodFactory(code="2022-S1", start_date=dt.date(2022, 1, 1), end_date=dt.date(2022, 6, 30))
    ResponseFactory(unit=unit, period=old, U1=3, extra={"1": "Rumah saya di Jl. Melati 3"})
    ResponseFactory(unit=unit, period=period, U1=3, extra={"1": "Baru"})
    result = personal_data_erase_expired(actor="system", today=dt.date(2024, 7, 1))
    assert result.per_period == {"2022-S1": 1}
    assert Response.objects.get(period=old).extra == {}
    assert Response.objects.get(period=period).extra == {"1": "Baru"}
    assert all(h.extra == {} for h in Response.history.filter(period_id=old.pk))
