"""The questionnaire's staff preview (stores nothing) and test mode (test
answers kept in PracticeResponse, out of every result)."""

import io
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from conftest import PASSWORD
from surveys.models import PracticeClear, PracticeResponse, Response, SurveyRound, UnsurWording
from surveys.selectors import ikm_for, tally_totals
from surveys.services_rounds import round_close
from surveys.tests.factories import ResponseFactory, ServiceFactory, publish_round

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("during_period")]


def preview(unit, **query):
    base = reverse("surveys:questionnaire_preview", args=[unit.code])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def uji(unit):
    return reverse("surveys:questionnaire_test", args=[unit.code])


def clear(unit):
    return reverse("surveys:practice_clear", args=[unit.code])


def login(client, user):
    client.login(username=user.username, password=PASSWORD)


def token_from(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def answers(score: int = 1, **overrides):
    data = {"jenis_kelamin": "L", "usia": "40", "pendidikan": "SMA", "pekerjaan": "PNS", "saran": "Uji coba"}
    data.update({f"u{i}": str(score) for i in range(1, 10)})
    data.update(overrides)
    return data


def submit(client, target, score: int = 1, **overrides):
    page = client.get(target)
    assert page.status_code == 200
    data = answers(score, **overrides)
    data.setdefault("token", token_from(page.content.decode()))
    return client.post(target, data)


def database_fingerprint() -> dict[str, tuple]:
    """Every table's row count and a digest of all its rows (PostgreSQL)."""
    result = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"
            )
            result[table] = cursor.fetchone()
    return result


# --- the preview -----------------------------------------------------------


def test_preview_shows_the_respondents_form_with_a_banner(client, alice, unit, period):
    ServiceFactory(unit=unit, name="Surat pindah")
    ServiceFactory(unit=unit, name="KTP elektronik")
    UnsurWording.objects.create(
        unit=unit,
        code="U8",
        question="Bagaimana penanganan pengaduan di Pulutan?",
        label_1="Tidak baik",
        label_2="Kurang baik",
        label_3="Baik",
        label_4="Sangat baik",
    )
    login(client, alice)
    response = client.get(preview(unit))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pratinjau — jawaban tidak disimpan" in html
    assert "Pemberitahuan privasi" in html and "Semester II Tahun 2024" in html
    assert "Surat pindah" in html and "KTP elektronik" in html and 'name="layanan"' in html
    assert "Bagaimana penanganan pengaduan di Pulutan?" in html
    assert html.count("<fieldset") == 12  # jenis layanan, jenis kelamin, disabilitas + nine unsur
    assert "no-store" in response["Cache-Control"]


def test_preview_works_while_no_round_is_open(client, alice, unit, period):
    round_close(round=SurveyRound.objects.get(unit=unit, period=period), user=alice)
    login(client, alice)
    assert client.get(reverse("surveys:questionnaire", args=[unit.code])).status_code == 404
    response = client.get(preview(unit))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pratinjau — jawaban tidak disimpan" in html and 'name="u9"' in html
    assert "Belum ada putaran survei yang dibuka" in html and "None" not in html
    result = submit(client, preview(unit), 4)
    assert result.status_code == 200 and "tidak ada yang disimpan" in result.content.decode()


def test_preview_submission_validates_shows_the_answers_and_writes_nothing(client, alice, unit, period):
    ResponseFactory(unit=unit, period=period)
    login(client, alice)
    page = client.get(preview(unit))
    data = answers(4, u3="2", saran="Ruang tunggu panas")
    data["token"] = token_from(page.content.decode())
    before = database_fingerprint()
    response = client.post(preview(unit), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ini pratinjau: tidak ada yang disimpan" in html
    assert "2 — Kurang cepat" in html and "Ruang tunggu panas" in html
    assert database_fingerprint() == before
    # An incomplete one comes back with the respondents' own messages, still writing nothing.
    del data["u5"]
    response = client.post(preview(unit), data)
    assert response.status_code == 400 and "Pertanyaan nomor 5 belum dijawab." in response.content.decode()
    assert database_fingerprint() == before


def test_preview_of_one_jenis_layanan(client, alice, unit, period):
    service = ServiceFactory(unit=unit, name="Surat pindah")
    ServiceFactory(unit=unit, name="KTP elektronik")
    login(client, alice)
    html = client.get(preview(unit, layanan=service.pk)).content.decode()
    assert "Layanan: Surat pindah" in html and 'name="layanan"' not in html
    assert client.get(preview(unit, layanan=999999)).status_code == 404


# --- test mode -------------------------------------------------------------


def test_test_answer_is_kept_marked_and_apart_from_responses(client, alice, unit, period):
    service = ServiceFactory(unit=unit, name="Surat pindah")
    login(client, alice)
    response = submit(client, uji(unit), 1)
    assert response.status_code == 200
    assert "disimpan sebagai jawaban uji" in response.content.decode()
    practice = PracticeResponse.objects.get()
    assert (practice.unit, practice.period, practice.service, practice.created_by) == (unit, period, service, alice)
    assert practice.answers() == {f"U{i}": 1 for i in range(1, 10)}
    assert (practice.gender, practice.age, practice.suggestion) == ("L", 40, "Uji coba")
    assert not Response.all_objects.exists()
    html = client.get(preview(unit)).content.decode()
    assert "1 jawaban uji tersimpan" in html and "U1–U9: 1 1 1 1 1 1 1 1 1" in html


def test_test_answer_is_stored_once_for_one_form(client, alice, unit, period):
    login(client, alice)
    page = client.get(uji(unit))
    data = answers(2, token=token_from(page.content.decode()))
    assert client.post(uji(unit), data).status_code == 200
    again = client.post(uji(unit), data)
    assert "sudah disimpan sebelumnya" in again.content.decode()
    assert PracticeResponse.objects.count() == 1


def test_test_mode_works_while_no_round_is_open(client, alice, unit):
    login(client, alice)
    assert submit(client, uji(unit), 3).status_code == 200
    practice = PracticeResponse.objects.get()
    assert practice.period is None and not SurveyRound.objects.filter(unit=unit).exists()


@pytest.fixture
def two_respondents(unit, period):
    """One respondent answered 4 everywhere, one 2: every NRR is 3,00 and the IKM 75,00."""
    ResponseFactory(unit=unit, period=period, **{f"U{i}": 4 for i in range(1, 10)})
    ResponseFactory(unit=unit, period=period, **{f"U{i}": 2 for i in range(1, 10)})


def _body(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return response.getvalue()


def _xlsx_rows(data: bytes) -> list[tuple]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


def _figures(client, unit, period):
    """What every staff and public channel shows of the round (alice is logged in)."""
    result = ikm_for(unit=unit, period=period)
    respondents, tallies = tally_totals(unit=unit, period=period)[None]
    results_html = client.get(reverse("surveys:results", args=[unit.code, period.code])).content.decode()
    links_html = client.get(reverse("surveys:unit_links", args=[unit.code])).content.decode()
    dashboard_html = client.get(reverse("surveys:dashboard")).content.decode()
    return {
        "ikm": result.ikm,
        "respondents": (result.respondents, respondents),
        "tallies": [(t.code, t.total, t.answered) for t in tallies],
        "results_page": re.search(r'data-testid="ikm">([^<]+)<', results_html).group(1),
        "links_counts": re.search(r"Jawaban masuk: [^.]+\.", links_html).group(0),
        "dashboard": re.search(r'data-label="Jawaban periode ini">(\d+)<', dashboard_html).group(1),
        "raw_csv": _body(client, reverse("surveys:round_raw_download", args=[unit.code, period.code, "csv"])),
        "raw_xlsx_rows": _xlsx_rows(
            _body(client, reverse("surveys:round_raw_download", args=[unit.code, period.code, "xlsx"]))
        ),
        "worksheet_rows": _xlsx_rows(
            _body(client, reverse("surveys:results_worksheet", args=[unit.code, period.code]))
        ),
        "saran_csv": _body(client, reverse("surveys:round_saran_download", args=[unit.code, period.code, "csv"])),
        "responses_page": re.search(
            r"(\d+) jawaban cocok \(dari (\d+)",
            client.get(reverse("surveys:round_responses", args=[unit.code, period.code])).content.decode(),
        ).groups(),
    }


def test_test_answers_change_no_figure(client, alice, bob, unit, period, two_respondents):
    login(client, alice)
    before = _figures(client, unit, period)
    assert before["ikm"] == Decimal("75.00") and before["respondents"] == (2, 2)
    assert before["results_page"] == "75,00" and before["dashboard"] == "2"
    assert before["links_counts"] == "Jawaban masuk: 2 web, 0 kertas, 0 impor."
    for score in (1, 1, 1):  # counted, they would pull the IKM to (4+2+1+1+1)/5 × 25 = 45,00
        assert submit(client, uji(unit), score, saran="Saran uji").status_code == 200
    assert PracticeResponse.objects.count() == 3
    after = _figures(client, unit, period)
    assert after == before
    assert b"Saran uji" not in after["saran_csv"]
    ikm_row = next(r for r in after["worksheet_rows"] if r and r[0] == "IKM Unit Layanan")
    assert ikm_row[2] == 75

    # Published: the snapshot, the public page, the open data and the comparison hold the 2 respondents.
    publication = publish_round(unit, period, user=bob)
    assert (publication.respondents, publication.ikm) == (2, Decimal("75.00"))
    public_html = client.get(reverse("public_results", args=[unit.code])).content.decode()
    assert "75,00" in public_html and "45,00" not in public_html
    data = json.loads(client.get(reverse("public_results_json", args=[unit.code])).content)
    assert '"respondents": 2' in json.dumps(data) and '"respondents": 5' not in json.dumps(data)
    login(client, bob)
    compare_html = client.get(reverse("surveys:results_compare") + f"?periode={period.code}").content.decode()
    assert "75,00" in compare_html and "45,00" not in compare_html


def test_a_respondents_normal_link_is_unaffected(client, alice, unit, period):
    login(client, alice)
    submit(client, uji(unit), 1)
    client.logout()
    public = client.get(reverse("surveys:questionnaire", args=[unit.code]))
    html = public.content.decode()
    assert public.status_code == 200
    assert "Pratinjau" not in html and "Mode uji" not in html and "jawaban uji" not in html
    response = submit(client, reverse("surveys:questionnaire", args=[unit.code]), 4)
    assert response.status_code == 302
    stored = Response.objects.get()
    assert stored.answers() == {f"U{i}": 4 for i in range(1, 10)} and stored.channel == Response.Channel.WEB
    assert PracticeResponse.objects.count() == 1


# --- deleting the test answers ---------------------------------------------


def test_staff_delete_every_test_answer_after_confirming(client, alice, unit, period):
    login(client, alice)
    submit(client, uji(unit), 1)
    submit(client, uji(unit), 2)
    ResponseFactory(unit=unit, period=period)
    page = client.get(clear(unit))
    assert page.status_code == 200 and "2 jawaban uji Kelurahan Pulutan akan dihapus permanen" in page.content.decode()
    assert PracticeResponse.objects.count() == 2  # the confirmation page deletes nothing
    response = client.post(clear(unit), follow=True)
    html = response.content.decode()
    assert "2 jawaban uji dihapus." in html
    assert not PracticeResponse.objects.exists() and Response.objects.count() == 1
    record = PracticeClear.objects.get()
    assert (record.unit, record.cleared_by, record.count) == (unit, alice, 2)
    assert "Terakhir dihapus: 2 jawaban uji" in html and "oleh alice" in html


def test_deleting_leaves_other_units_test_answers(client, alice, admin_user, unit, other_unit, period):
    login(client, admin_user)
    submit(client, uji(other_unit), 1)
    login(client, alice)
    submit(client, uji(unit), 1)
    client.post(clear(unit))
    assert list(PracticeResponse.objects.values_list("unit__code", flat=True)) == ["kpu-tangerang"]


# --- who may do what -------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "preview_status", "test_get", "test_post", "clear_status"),
    [
        ("alice", 200, 200, 200, 302),
        ("bob", 200, 200, 403, 403),
        ("charlie", 403, 403, 403, 403),
        ("admin_user", 200, 200, 200, 302),
    ],
)
def test_permission_matrix(
    request, client, alice, unit, period, who, preview_status, test_get, test_post, clear_status
):
    login(client, alice)
    token = token_from(client.get(preview(unit)).content.decode())
    submit(client, uji(unit), 1)
    login(client, request.getfixturevalue(who))
    assert client.get(preview(unit)).status_code == preview_status
    assert client.post(preview(unit), answers(3, token=token)).status_code == preview_status
    assert client.get(uji(unit)).status_code == test_get
    stored = PracticeResponse.objects.count()
    assert client.post(uji(unit), answers(3, token=token)).status_code == test_post
    assert PracticeResponse.objects.count() == stored + (1 if test_post == 200 else 0)
    assert client.get(clear(unit)).status_code == (200 if clear_status == 302 else clear_status)
    assert client.post(clear(unit)).status_code == clear_status
    assert PracticeResponse.objects.exists() is (clear_status != 302)


def test_supervisor_sees_the_test_answers_but_no_delete_button(client, alice, bob, unit, period):
    login(client, alice)
    submit(client, uji(unit), 1)
    assert "Hapus semua jawaban uji" in client.get(preview(unit)).content.decode()
    login(client, bob)
    html = client.get(uji(unit)).content.decode()
    assert "1 jawaban uji tersimpan" in html and "Hapus semua jawaban uji" not in html
    assert "Hanya staf unit yang dapat menyimpan jawaban uji" in html


def test_anonymous_is_sent_to_login(client, unit, period):
    for target in (preview(unit), uji(unit), clear(unit)):
        response = client.get(target)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_links_and_round_pages_link_to_the_preview(client, bob, unit, period):
    login(client, bob)
    links = client.get(reverse("surveys:unit_links", args=[unit.code])).content.decode()
    assert preview(unit) in links and uji(unit) in links
    rounds = client.get(reverse("surveys:round_manage", args=[unit.code])).content.decode()
    assert preview(unit) in rounds


def test_preview_in_english(settings, client, alice, unit, period):
    login(client, alice)
    submit(client, uji(unit), 1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(preview(unit)).content.decode()
    assert "Preview — answers are not saved" in html and "1 test answer kept" in html
    assert "Test mode (kept as a test)" in html and "Delete all test answers" in html
