"""Staff pages of a round: the permission matrix of every view, filters,
corrections, deletes, import undo, saran, downloads and the history page."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from conftest import PASSWORD
from surveys.models import ImportBatch, Period, Response, SurveyRound
from surveys.services import import_batch_create, response_delete
from surveys.tests.factories import ResponseFactory, ServiceFactory

pytestmark = pytest.mark.django_db

CSV = b"no,U1,U2,U3,U4,U5,U6,U7,U8,U9,saran\n1,1,1,1,1,1,1,1,1,1,=cmd|' /C calc'!A0\n2,1,1,1,1,1,1,1,1,1,\n"


@pytest.fixture
def rows(unit, period, alice):
    paper = ResponseFactory(
        unit=unit, period=period, channel=Response.Channel.PAPER, number=3, suggestion="Antrean lama", created_by=alice
    )
    web = ResponseFactory(unit=unit, period=period, channel=Response.Channel.WEB, suggestion="", U3=None)
    batch = import_batch_create(fh=io.BytesIO(CSV), filename="data.csv", unit=unit, period=period, user=alice).batch
    return {"paper": paper, "web": web, "batch": batch}


def url(name, unit, period, *args):
    return reverse(f"surveys:{name}", args=[unit.code, period.code, *args])


READ_VIEWS = [
    ("round_responses", ()),
    ("round_response_detail", ("paper",)),
    ("round_imports", ()),
    ("round_saran", ()),
    ("round_saran_download", ("csv",)),
    ("round_saran_download", ("xlsx",)),
    ("round_raw_download", ("csv",)),
    ("round_raw_download", ("xlsx",)),
    ("round_history", ()),
]


def _args(args, rows):
    return [rows[a].pk if a in rows else a for a in args]


def _login(client, request, who):
    if who:
        client.login(username=request.getfixturevalue(who).username, password=PASSWORD)


@pytest.mark.parametrize(("name", "args"), READ_VIEWS)
@pytest.mark.parametrize(
    ("who", "status"), [("alice", 200), ("admin_user", 200), ("bob", 200), ("charlie", 403), (None, 302)]
)
def test_read_views_permissions(request, client, unit, period, rows, name, args, who, status):
    _login(client, request, who)
    response = client.get(url(name, unit, period, *_args(args, rows)))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))


WRITE_VIEWS = [
    ("round_response_edit", ("paper",), {"u1": "1", "alasan": "koreksi"}),
    ("round_response_delete", ("web",), {"alasan": "uji coba"}),
    ("round_response_restore", ("web",), {}),
    ("round_import_undo", ("batch",), {"alasan": "salah berkas"}),
    ("round_import_restore", ("batch",), {}),
]


@pytest.mark.parametrize(("name", "args", "data"), WRITE_VIEWS)
@pytest.mark.parametrize(
    ("who", "status"), [("alice", 302), ("admin_user", 302), ("bob", 403), ("charlie", 403), (None, 302)]
)
def test_write_views_permissions(request, client, unit, period, rows, name, args, data, who, status):
    _login(client, request, who)
    before = list(Response.all_objects.order_by("id").values_list("deleted_at", "scores"))
    response = client.post(url(name, unit, period, *_args(args, rows)), data)
    assert response.status_code == status
    if who in (None, "bob", "charlie"):
        assert list(Response.all_objects.order_by("id").values_list("deleted_at", "scores")) == before


def test_edit_page_get_permissions(client, unit, period, rows, alice, bob):
    path = url("round_response_edit", unit, period, rows["paper"].pk)
    client.login(username="bob", password=PASSWORD)
    assert client.get(path).status_code == 403
    client.login(username="alice", password=PASSWORD)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/unit/tidak-ada/periode/2024-S2/jawaban/",
        "/unit/pulutan/periode/2099-S1/jawaban/",
        "/unit/pulutan/periode/bukan-kode/jawaban/",
        "/unit/pulutan/periode/2024-S2/jawaban/999999/",
        "/unit/pulutan/periode/2024-S2/data.pdf",
        "/unit/pulutan/periode/2024-S2/saran.txt",
    ],
)
def test_unknown_objects_404(client, alice, unit, period, rows, path):
    client.login(username="alice", password=PASSWORD)
    assert client.get(path).status_code == 404


def test_response_of_another_round_is_404(client, alice, unit, period, other_unit):
    other = ResponseFactory(unit=other_unit, period=period)
    earlier = Period.objects.create(code="2024-S1", kind="semester", start_date="2024-01-01", end_date="2024-06-30")
    mine_earlier = ResponseFactory(unit=unit, period=earlier)
    client.login(username="alice", password=PASSWORD)
    assert client.get(url("round_response_detail", unit, period, other.pk)).status_code == 404
    assert client.get(url("round_response_detail", unit, period, mine_earlier.pk)).status_code == 404
    response = client.post(url("round_response_delete", unit, period, other.pk), {"alasan": "x"})
    assert response.status_code == 404
    assert Response.objects.filter(pk=other.pk).exists()


def test_list_filters(client, alice, unit, period, rows):
    service = ServiceFactory(unit=unit, name="KTP")
    ResponseFactory(
        unit=unit, period=period, channel=Response.Channel.WEB, service=service, service_date="2024-09-15", U5=None
    )
    client.login(username="alice", password=PASSWORD)
    base = url("round_responses", unit, period)

    def count(query):
        return client.get(base + query).context["page"].paginator.count

    assert count("") == 5
    assert count("?kanal=impor") == 2
    assert count("?kanal=kertas") == 1
    assert count(f"?layanan={service.pk}") == 1
    assert count("?layanan=tanpa") == 4
    assert count("?unsur=U3&isi=kosong") == 1
    assert count("?unsur=U3&isi=terisi") == 4
    assert count("?dari=2024-09-01&sampai=2024-09-30") == 1
    assert count("?q=antrean") == 1
    assert count("?kanal=bukan&unsur=U99&dari=kemarin") == 5  # bad values are ignored, not a 500


def test_deleted_rows_list(client, alice, unit, period, rows):
    response_delete(response=rows["web"], user=alice, reason="QR staf")
    client.login(username="alice", password=PASSWORD)
    page = client.get(url("round_responses", unit, period) + "?status=dihapus")
    assert page.context["page"].paginator.count == 1
    assert "QR staf" in page.content.decode()
    assert client.get(url("round_responses", unit, period)).context["page"].paginator.count == 3


def test_correct_a_paper_row(client, alice, unit, period, rows):
    client.login(username="alice", password=PASSWORD)
    path = url("round_response_edit", unit, period, rows["paper"].pk)
    form = client.get(path).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update({"u1": "1", "usia": "33", "alasan": "salah baca"})
    response = client.post(path, data)
    assert response.status_code == 302
    paper = Response.objects.get(pk=rows["paper"].pk)
    assert (paper.answers()["U1"], paper.age, paper.answers()["U2"]) == (1, 33, 3)
    assert paper.history.order_by("-history_id").first().history_change_reason == "salah baca"


def test_correction_rejects_bad_input_and_web_rows(client, alice, unit, period, rows):
    client.login(username="alice", password=PASSWORD)
    path = url("round_response_edit", unit, period, rows["paper"].pk)
    bad = client.post(path, {"u1": "7", "tanggal": "2023-01-01"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "Tanggal layanan harus di dalam periode" in html
    assert Response.objects.get(pk=rows["paper"].pk).answers()["U1"] == 3
    web = client.get(url("round_response_edit", unit, period, rows["web"].pk))
    assert web.status_code == 302


def test_correction_to_a_taken_number_asks_for_confirmation(client, alice, unit, period, rows):
    other = ResponseFactory(unit=unit, period=period, channel=Response.Channel.PAPER, number=9)
    client.login(username="alice", password=PASSWORD)
    path = url("round_response_edit", unit, period, other.pk)
    data = {"nomor": "3", "u1": "3"}
    first = client.post(path, data)
    assert first.status_code == 400 and "konfirmasi_duplikat" in first.content.decode()
    assert Response.objects.get(pk=other.pk).number == 9
    assert client.post(path, {**data, "konfirmasi_duplikat": "on"}).status_code == 302
    assert Response.objects.get(pk=other.pk).number == 3


def test_delete_without_reason_is_refused(client, alice, unit, period, rows):
    client.login(username="alice", password=PASSWORD)
    response = client.post(url("round_response_delete", unit, period, rows["web"].pk), {"alasan": " "}, follow=True)
    assert "Alasan wajib diisi." in response.content.decode()
    assert Response.objects.filter(pk=rows["web"].pk).exists()


def test_closed_round_pages_show_no_actions(client, alice, unit, period, rows):
    SurveyRound.objects.filter(unit=unit, period=period).update(status=SurveyRound.Status.CLOSED)
    client.login(username="alice", password=PASSWORD)
    html = client.get(url("round_response_detail", unit, period, rows["paper"].pk)).content.decode()
    assert "tidak sedang dibuka" in html and 'id="delete-form"' not in html and 'id="edit-link"' not in html
    client.post(url("round_response_delete", unit, period, rows["paper"].pk), {"alasan": "x"})
    assert Response.objects.filter(pk=rows["paper"].pk).exists()
    client.post(url("round_import_undo", unit, period, rows["batch"].pk), {"alasan": "x"})
    assert ImportBatch.objects.get().undone_at is None


def test_saran_page_and_downloads(client, alice, unit, period, rows):
    client.login(username="alice", password=PASSWORD)
    page = client.get(url("round_saran", unit, period) + "?q=antrean")
    assert page.context["page"].paginator.count == 1
    body = b"".join(client.get(url("round_saran_download", unit, period, "csv")).streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert table[0] == ["Nomor", "Kanal", "Jenis layanan", "Tanggal layanan", "Waktu pengisian", "Saran"]
    saran = sorted(row[5] for row in table[1:])
    # The formula from the imported file is neutralised (leading apostrophe).
    assert saran == ["'=cmd|' /C calc'!A0", "Antrean lama"]
    xlsx = client.get(url("round_saran_download", unit, period, "xlsx"))
    ws = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sorted(row[5] for row in ws.iter_rows(min_row=2, values_only=True)) == saran


def test_large_raw_xlsx_goes_to_an_export_job(client, alice, unit, period, rows, settings):
    settings.SKM_RAW_EXPORT_SYNC_MAX = 2
    client.login(username="alice", password=PASSWORD)
    response = client.get(url("round_raw_download", unit, period, "xlsx"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:unit_reports", args=[unit.code]) + "?jenis=raw_xlsx&periode=2024-S2"
    assert 'value="raw_xlsx" selected' in client.get(response["Location"]).content.decode()
    # CSV streams at any size.
    assert client.get(url("round_raw_download", unit, period, "csv")).status_code == 200


def test_history_page_lists_user_action_and_reason(client, alice, unit, period, rows):
    client.login(username="alice", password=PASSWORD)
    client.post(url("round_response_delete", unit, period, rows["web"].pk), {"alasan": "QR dipindai staf"})
    client.post(url("round_import_undo", unit, period, rows["batch"].pk), {"alasan": "berkas unit lain"})
    page = client.get(url("round_history", unit, period))
    entries = page.context["entries"]
    summary = [(e.user, e.action, e.reason) for e in entries[:2]]
    assert summary == [
        ("Alice (alice)", "impor dibatalkan", "berkas unit lain"),
        ("Alice (alice)", "dihapus", "QR dipindai staf"),
    ]
    html = page.content.decode()
    assert "QR dipindai staf" in html and "berkas unit lain" in html


def test_import_upload_is_listed_per_round(client, alice, unit, period, django_capture_on_commit_callbacks):
    client.login(username="alice", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):  # the import job runs (eagerly) on commit
        client.post(
            reverse("surveys:import_upload", args=[unit.code]),
            {"berkas": SimpleUploadedFile("a.csv", CSV), "periode": str(period.pk)},
        )
    html = client.get(url("round_imports", unit, period)).content.decode()
    assert "a.csv" in html and "Batalkan impor" in html


def test_paper_number_check(client, alice, bob, unit, period, rows):
    path = reverse("surveys:paper_number_check", args=[unit.code]) + "?periode=2024-S2&nomor="
    client.login(username="bob", password=PASSWORD)
    assert client.get(path + "3").status_code == 403
    client.login(username="alice", password=PASSWORD)
    assert client.get(path + "3").json()["duplicate"] is True
    assert client.get(path + "4").json()["duplicate"] is False
    assert client.get(path + "abc").json()["duplicate"] is False
    client.logout()
    assert client.get(path + "3").status_code == 302


def test_first_change_of_an_imported_row_has_a_before(client, alice, unit, period, rows):
    imported = Response.objects.filter(import_batch=rows["batch"]).order_by("number").first()
    client.login(username="alice", password=PASSWORD)
    client.post(url("round_response_delete", unit, period, imported.pk), {"alasan": "baris ganda"})
    entry = client.get(url("round_history", unit, period)).context["entries"][0]
    assert (entry.action, entry.reason) == ("dihapus", "baris ganda")
    assert ("alasan penghapusan", "–", "baris ganda") in [(c.field, c.old, c.new) for c in entry.changes]
