"""The public questionnaire: validation, one-time token, honeypot, rate
limit, closed periods, kiosk mode, QR, links and poster permissions."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core import signing
from django.urls import reverse

from conftest import PASSWORD
from surveys.forms import TOKEN_SALT
from surveys.models import Response, SubmissionThrottle, SurveyRound, UnsurWording
from surveys.services_rounds import round_close
from surveys.tests.factories import PeriodFactory, ServiceFactory, SurveyRoundFactory
from surveys.throttle import Rate, parse_rate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("during_period")]


def url(unit, **query):
    base = reverse("surveys:questionnaire", args=[unit.code])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def token_from(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def answers(**overrides):
    data = {
        "jenis_kelamin": "P",
        "usia": "34",
        "pendidikan": "SMA",
        "pekerjaan": "SWASTA",
        "saran": "Antrian dipercepat",
    }
    data.update({f"u{i}": str(1 + i % 4) for i in range(1, 10)})
    data.update(overrides)
    return data


def submit(client, unit, path=None, **overrides):
    target = path or url(unit)
    page = client.get(target)
    assert page.status_code == 200
    data = answers(**overrides)
    data.setdefault("token", token_from(page.content.decode()))
    return client.post(target, data)


def test_form_renders_unit_wording_accessibly(client, unit, period):
    UnsurWording.objects.create(
        unit=unit,
        code="U8",
        question="Bagaimana penanganan pengaduan di Pulutan?",
        label_1="Tidak baik",
        label_2="Kurang baik",
        label_3="Baik",
        label_4="Sangat baik",
    )
    html = client.get(url(unit)).content.decode()
    assert "Kelurahan Pulutan" in html and "Semester II Tahun 2024" in html
    assert "Bagaimana penanganan pengaduan di Pulutan?" in html and "Sangat baik" in html
    assert "Dikelola dengan baik" not in html  # the default U8 label is replaced
    assert html.count("<fieldset") == 11  # jenis kelamin, disabilitas + nine unsur
    assert html.count("<legend") == 11
    assert 'for="id_usia"' in html and 'for="id_saran"' in html
    assert 'class="skm-hp" aria-hidden="true"' in html


def test_valid_submission_is_stored_once(client, unit, period):
    response = submit(client, unit)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("surveys:questionnaire_thanks", args=["pulutan"]))
    stored = Response.objects.get()
    assert stored.channel == Response.Channel.WEB and stored.unit == unit and stored.period == period
    assert stored.answers() == {f"U{i}": 1 + i % 4 for i in range(1, 10)}
    assert (stored.gender, stored.age, stored.education, stored.occupation) == ("P", 34, "SMA", "SWASTA")
    assert stored.suggestion == "Antrian dipercepat" and stored.client_token is not None
    assert "Terima kasih" in client.get(response["Location"]).content.decode()


def test_replayed_post_is_refused_and_not_duplicated(client, unit, period):
    page = client.get(url(unit))
    data = answers(token=token_from(page.content.decode()))
    assert client.post(url(unit), data).status_code == 302
    again = client.post(url(unit), data)
    assert again.status_code == 409
    assert "sudah kami terima sebelumnya" in again.content.decode()
    assert Response.objects.count() == 1


def test_missing_answers_get_clear_messages(client, unit, period):
    page = client.get(url(unit))
    data = answers(token=token_from(page.content.decode()))
    del data["u3"], data["jenis_kelamin"]
    data["usia"] = "7"
    response = client.post(url(unit), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pertanyaan nomor 3 belum dijawab." in html
    # The profile is optional (UU 27/2022); this unit takes respondents of 17 and over only.
    assert "Pilih jenis kelamin." not in html
    assert "Survei ini untuk responden berusia 17 tahun ke atas." in html
    assert 'value="4" required checked' in html  # earlier answers kept (u3 absent, u7 -> 4)
    assert Response.objects.count() == 0


def test_honeypot_pretends_success_and_stores_nothing(client, unit, period):
    response = submit(client, unit, website="http://spam.example")
    assert response.status_code == 302
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    "token",
    [
        "",
        "rubbish",
        signing.dumps({"t": "0" * 32, "u": 999999}, salt=TOKEN_SALT),
        signing.dumps({"t": "0" * 32, "u": 1}, salt="another-salt"),
    ],
)
def test_forged_token_refused(client, unit, period, token):
    response = client.post(url(unit), answers(token=token))
    assert response.status_code == 400
    assert Response.objects.count() == 0
    html = response.content.decode()
    assert "Formulir tidak sah" in html or "Isian ini wajib" in html or "wajib" in html


def test_expired_token_keeps_answers_and_issues_a_new_one(client, unit, period, monkeypatch):
    import surveys.forms

    page = client.get(url(unit))
    old = token_from(page.content.decode())
    monkeypatch.setattr(surveys.forms, "TOKEN_MAX_AGE", -1)
    response = client.post(url(unit), answers(token=old))
    assert response.status_code == 400
    html = response.content.decode()
    assert "terlalu lama terbuka" in html
    new = token_from(html)
    assert new != old
    monkeypatch.setattr(surveys.forms, "TOKEN_MAX_AGE", 3600)
    assert client.post(url(unit), answers(token=new)).status_code == 302
    assert Response.objects.count() == 1


def test_rate_limit_per_client(client, unit, period, settings):
    settings.SKM_SUBMIT_RATE_LIMIT = "2/h"
    assert submit(client, unit).status_code == 302
    assert submit(client, unit).status_code == 302
    blocked = submit(client, unit)
    assert blocked.status_code == 429
    assert "Terlalu banyak" in blocked.content.decode()
    assert Response.objects.count() == 2
    # Another address has its own window; raw IPs are never stored.
    assert submit(client, unit, path=None).status_code == 429
    page = client.get(url(unit))
    other = client.post(url(unit), answers(token=token_from(page.content.decode())), REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302
    assert not SubmissionThrottle.objects.filter(client_key__contains="127.0.0.1").exists()


def test_parse_rate():
    assert parse_rate("30/h") == Rate(30, 3600)
    assert parse_rate("5/10m") == Rate(5, 600)
    with pytest.raises(ValueError):
        parse_rate("banyak")


def test_closed_round_page(client, unit):
    SurveyRoundFactory(unit=unit, period=PeriodFactory(code="2024-S2"), status=SurveyRound.Status.CLOSED)
    response = client.get(url(unit))
    assert response.status_code == 404  # no open round at all
    assert "belum ada periode survei yang dibuka" in response.content.decode()
    response = client.get(url(unit, periode="2024-S2"))
    assert response.status_code == 410
    assert "tidak sedang dibuka" in response.content.decode()


def test_round_closed_between_get_and_post(client, unit, period, alice):
    page = client.get(url(unit))
    round_close(round=SurveyRound.objects.get(unit=unit, period=period), user=alice)
    response = client.post(url(unit), answers(token=token_from(page.content.decode())))
    assert response.status_code == 404  # the unit has no open round any more
    assert "belum ada periode survei yang dibuka" in response.content.decode()
    named = client.post(url(unit, periode="2024-S2"), answers(token=token_from(page.content.decode())))
    assert named.status_code == 410 and "tidak sedang dibuka" in named.content.decode()
    assert Response.objects.count() == 0


def test_another_units_open_round_opens_nothing_here(client, unit, other_unit, period):
    SurveyRound.objects.filter(unit=unit).delete()
    SurveyRoundFactory(unit=other_unit, period=period)
    assert client.get(url(unit)).status_code == 404
    assert client.get(url(other_unit)).status_code == 200


def test_open_round_outside_its_dates_takes_no_public_answers(client, unit, during_period):
    """A round opened early (next period) or reopened for paper forms (past
    period) is open for staff, but the public form says when the survey runs."""
    SurveyRound.objects.filter(unit=unit).delete()
    future = PeriodFactory(code="2025-S1", start_date="2025-01-01", end_date="2025-06-30")
    past = PeriodFactory(code="2023-S2", start_date="2023-07-01", end_date="2023-12-31")
    SurveyRoundFactory(unit=unit, period=future)
    SurveyRoundFactory(unit=unit, period=past)
    early = client.get(url(unit, periode="2025-S1"))
    assert early.status_code == 410 and "belum dimulai" in early.content.decode()
    assert "1 Januari 2025" in early.content.decode()
    late = client.get(url(unit, periode="2023-S2"))
    assert late.status_code == 410 and "sudah berakhir pada 31 Desember 2023" in late.content.decode()
    assert Response.objects.count() == 0


def test_unknown_unit_period_and_service_are_polite_404(client, unit, period):
    for path in (
        "/isi/tidak-ada/",
        url(unit, periode="2099-S1"),
        url(unit, periode="omong-kosong"),
        reverse("surveys:questionnaire_service", args=[unit.code, 424242]),
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "tidak ditemukan" in response.content.decode() or "tidak ada" in response.content.decode()


def test_the_shortest_open_round_containing_today_is_preferred(client, unit, period):
    """Today is 1 October 2024: both the unit's 2024-S2 and 2024-TW4 rounds are open."""
    quarter = PeriodFactory(code="2024-TW4", kind="triwulan", start_date="2024-10-01", end_date="2024-12-31")
    SurveyRoundFactory(unit=unit, period=quarter)
    assert submit(client, unit).status_code == 302
    assert Response.objects.get().period.code == "2024-TW4"


def test_several_services_require_a_choice(client, unit, period):
    ktp = ServiceFactory(unit=unit, name="KTP")
    ServiceFactory(unit=unit, name="Surat Pindah")
    html = client.get(url(unit)).content.decode()
    assert "Jenis layanan yang Anda terima" in html and "Surat Pindah" in html
    response = submit(client, unit)
    assert response.status_code == 400
    assert "Pilih jenis layanan yang Anda terima." in response.content.decode()
    assert submit(client, unit, layanan=str(ktp.pk)).status_code == 302
    assert Response.objects.get().service == ktp


def test_service_link_fixes_the_service(client, unit, period):
    ServiceFactory(unit=unit, name="KTP")
    pindah = ServiceFactory(unit=unit, name="Surat Pindah")
    path = reverse("surveys:questionnaire_service", args=[unit.code, pindah.pk])
    assert "Layanan: Surat Pindah" in client.get(path).content.decode()
    assert submit(client, unit, path=path).status_code == 302
    assert Response.objects.get().service == pindah


def test_single_service_is_assigned_without_asking(client, unit, period):
    only = ServiceFactory(unit=unit, name="Administrasi Kependudukan")
    assert "Jenis layanan yang Anda terima" not in client.get(url(unit)).content.decode()
    submit(client, unit)
    assert Response.objects.get().service == only


def test_kiosk_mode_returns_to_an_empty_form(client, unit, period):
    response = submit(client, unit, path=url(unit, kiosk=1))
    assert "kiosk=1" in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert 'data-kiosk-return="/isi/pulutan/?kiosk=1"' in html
    form = client.get(url(unit, kiosk=1)).content.decode()
    assert "checked" not in form


def test_thanks_page_does_not_redirect_elsewhere(client, unit):
    path = reverse("surveys:questionnaire_thanks", args=[unit.code]) + "?kiosk=1&lagi=https://evil.example/"
    html = client.get(path).content.decode()
    assert "evil.example" not in html


def test_qr_code_is_public_svg(client, unit, period):
    response = client.get(reverse("surveys:questionnaire_qr", args=[unit.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


@pytest.mark.parametrize("name", ["unit_links", "unit_poster"])
@pytest.mark.parametrize(
    ("who", "status"), [("alice", 200), ("bob", 200), ("charlie", 403), ("admin_user", 200), (None, 302)]
)
def test_links_and_poster_permissions(request, client, unit, period, name, who, status):
    if who:
        client.login(username=request.getfixturevalue(who).username, password=PASSWORD)
    response = client.get(reverse(f"surveys:{name}", args=[unit.code]))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "<svg" in html and "http://testserver/isi/pulutan/" in html


def test_poster_has_print_css_and_period(client, alice, unit, period):
    client.login(username="alice", password=PASSWORD)
    html = client.get(reverse("surveys:unit_poster", args=[unit.code])).content.decode()
    assert "/static/css/poster.css" in html
    poster_css = (Path(__file__).resolve().parents[2] / "static" / "css" / "poster.css").read_text()
    assert "@page { size: A4" in poster_css and "@media print" in poster_css
    assert "Kelurahan Pulutan" in html and "Semester II Tahun 2024" in html


def test_questionnaire_is_public_for_everyone(client, unit, period, alice, bob, charlie):
    assert client.get(url(unit)).status_code == 200
    for user in ("alice", "bob", "charlie"):
        client.login(username=user, password=PASSWORD)
        assert client.get(url(unit)).status_code == 200
        client.logout()


def test_required_service_question_is_marked_and_above_the_optional_note(client, unit, period):
    ServiceFactory(unit=unit, name="KTP")
    ServiceFactory(unit=unit, name="Surat Pindah")
    html = client.get(url(unit)).content.decode()
    service_at = html.index("Jenis layanan yang Anda terima")
    note_at = html.index("Pertanyaan data responden lainnya tidak wajib diisi.")
    assert service_at < note_at < html.index('name="jenis_kelamin"')
    assert "Semua pertanyaan data responden tidak wajib diisi." not in html
    legend = html[html.index('<fieldset id="f-layanan"') : service_at + 200]
    assert "wajib diisi" in legend and 'aria-required="true"' in html


def test_optional_note_stays_when_the_service_is_not_asked(client, unit, period):
    ServiceFactory(unit=unit, name="KTP")
    html = client.get(url(unit)).content.decode()
    assert "Semua pertanyaan data responden tidak wajib diisi." in html and 'id="f-layanan"' not in html


def _semester(code, year, half):
    start, end = (
        (dt.date(year, 1, 1), dt.date(year, 6, 30)) if half == 1 else (dt.date(year, 7, 1), dt.date(year, 12, 31))
    )
    return PeriodFactory(code=code, start_date=start, end_date=end)


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("bob", 200), ("charlie", 403)])
def test_links_page_says_a_future_round_does_not_take_answers_yet(request, client, unit, who, status):
    """Only 2025-S1 is open on 1 October 2024: the public link answers 410, and the links page says so."""
    SurveyRoundFactory(unit=unit, period=_semester("2025-S1", 2025, 1))
    ServiceFactory(unit=unit, name="KTP")
    assert client.get(url(unit)).status_code == 410
    client.login(username=request.getfixturevalue(who).username, password=PASSWORD)
    response = client.get(reverse("surveys:unit_links", args=[unit.code]))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Tautan belum menerima jawaban." in html
        assert "Periode Semester I Tahun 2025 belum dimulai; survei dibuka mulai 1 Januari 2025." in html
        assert "sedang dibuka" not in html and "menerima jawaban</span>" not in html
        assert html.count("periode belum dimulai") == 2  # beside each link (all services, and the one service)


def test_links_page_prefers_a_reopened_past_round_to_a_future_one(client, alice, unit):
    SurveyRoundFactory(unit=unit, period=_semester("2025-S1", 2025, 1))
    SurveyRoundFactory(unit=unit, period=_semester("2024-S1", 2024, 1))
    client.login(username="alice", password=PASSWORD)
    html = client.get(reverse("surveys:unit_links", args=[unit.code])).content.decode()
    assert "Tautan publik memakai putaran <strong>Semester I Tahun 2024</strong>" in html
    listed = html[html.index('id="putaran-dibuka"') :]
    assert listed.index("Semester I Tahun 2024") < listed.index("Semester I Tahun 2025")
    assert "periode sudah berakhir" in listed and "periode belum dimulai" in listed


def test_links_page_shows_an_accepting_round(client, alice, unit, period):
    client.login(username="alice", password=PASSWORD)
    html = client.get(reverse("surveys:unit_links", args=[unit.code])).content.decode()
    assert "menerima jawaban</span>" in html and "Tautan belum menerima jawaban." not in html
