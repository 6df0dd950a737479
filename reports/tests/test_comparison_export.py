"""The comparison XLSX export job: who may ask, what the file holds."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import PASSWORD
from reports.models import ExportJob
from surveys.tests.factories import ResponseFactory, UnitFactory

# The job is sent to Celery in transaction.on_commit: real commits needed.
pytestmark = pytest.mark.django_db(transaction=True)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def answers(value):
    return {f"U{i}": value for i in range(1, 10)}


@pytest.fixture
def tree(district, unit, period, other_unit):
    sibling = UnitFactory(code="blotongan", name='=HYPERLINK("x") Blotongan', parent=district)
    ResponseFactory(unit=unit, period=period, **answers(3))  # 75,00 C
    ResponseFactory(unit=sibling, period=period, **answers(4))  # 100,00 A
    ResponseFactory(unit=sibling, period=period, U1=None, **{f"U{i}": 4 for i in range(2, 10)})
    ResponseFactory(unit=other_unit, period=period, **answers(2))
    return sibling


def request_export(client, code, period="2024-S2"):
    return client.post(reverse("reports:comparison_export"), {"induk": code, "periode": period, "bobot": "exact"})


def read_rows(client, job):
    dl = client.get(reverse("reports:job_download", args=[job.pk]))
    assert dl.status_code == 200 and "perbandingan-ikm-" in dl["Content-Disposition"]
    ws = load_workbook(io.BytesIO(b"".join(dl.streaming_content)), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows.index(next(r for r in rows if r and r[0] == "Peringkat"))
    return rows[header], rows[header + 1 :]


def test_supervisor_gets_every_unit_of_the_subtree(client, bob, district, tree):
    response = request_export(login(client, bob), "sidorejo")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:job_detail", args=[job.pk])
    assert job.kind == ExportJob.Kind.COMPARISON_XLSX and job.status == ExportJob.Status.DONE
    assert "progress-bar" in client.get(response["Location"]).content.decode()
    header, rows = read_rows(client, job)
    assert header[:8] == ("Peringkat", "Unit", "Kode", "Induk", "Responden", "IKM", "Mutu", "Kinerja")
    assert header[8:] == tuple(f"NRR U{i}" for i in range(1, 10))
    by_code = {r[2]: r for r in rows}
    assert set(by_code) == {"sidorejo", "pulutan", "blotongan"}  # not kpu-tangerang
    b = by_code["blotongan"]
    # Formula-looking names are neutralised: stored as text with a leading apostrophe.
    assert b[0] == 1 and b[1].startswith("'=") and b[3] == "Kecamatan Sidorejo"
    assert (b[4], b[5], b[6]) == (2, 100.0, "A") and b[8:] == (4.0,) * 9
    p = by_code["pulutan"]
    assert (p[0], p[4], p[5], p[6], p[7]) == (2, 1, 75.0, "C", "Kurang Baik") and p[8:] == (3.0,) * 9
    s = by_code["sidorejo"]
    assert (s[0], s[4], s[5], s[6]) == (None, 0, None, None)  # an empty cell, not a text


def test_staff_export_holds_only_their_own_unit(client, alice, unit, tree):
    request_export(login(client, alice), "pulutan")
    job = ExportJob.objects.get()
    _header, rows = read_rows(client, job)
    assert [r[2] for r in rows] == ["pulutan"]


@pytest.mark.parametrize(("who", "code", "status"), [("charlie", "sidorejo", 403), ("alice", "sidorejo", 403)])
def test_outsiders_are_refused(client, request, tree, who, code, status):
    response = request_export(login(client, request.getfixturevalue(who)), code)
    assert response.status_code == status and not ExportJob.objects.exists()


def test_anonymous_get_and_unknown(client, bob, tree):
    assert client.post(reverse("reports:comparison_export"), {"induk": "sidorejo"}).status_code == 302
    login(client, bob)
    assert client.get(reverse("reports:comparison_export")).status_code == 405
    assert request_export(client, "tidak-ada").status_code == 404
    assert request_export(client, "sidorejo", period="1999-S1").status_code == 404
    assert request_export(client, "").status_code == 404
    bad = client.post(reverse("reports:comparison_export"), {"induk": "sidorejo", "periode": "2024-S2", "bobot": "x"})
    assert bad.status_code == 302 and not ExportJob.objects.exists()


def test_comparison_page_offers_the_export(client, bob, tree):
    html = login(client, bob).get(reverse("surveys:results_compare") + "?periode=2024-S2").content.decode()
    assert reverse("reports:comparison_export") in html and 'name="induk" value="sidorejo"' in html


def test_other_instruments_get_a_sheet_each_with_every_unit(client, bob, district, unit, period, other_unit, tree):
    """SPAK (5 items, weight 1/5, scale 1-6): pulutan answers 6 everywhere -> NRR 6,
    IPAK 6 x 100/6 = 100,00 (A); blotongan answers 3 and 4 -> NRR 7/2 each,
    IPAK 7/2 x 100/6 = 58,33 (D). The unit outside the subtree is not listed."""
    ResponseFactory(unit=unit, period=period, scores={"SKM": [3] * 9, "SPAK": [6] * 5})
    ResponseFactory(unit=tree, period=period, scores={"SKM": [3] * 9, "SPAK": [3] * 5})
    ResponseFactory(unit=tree, period=period, scores={"SKM": [3] * 9, "SPAK": [4] * 5})
    ResponseFactory(unit=other_unit, period=period, scores={"SKM": [3] * 9, "SPAK": [5] * 5})
    request_export(login(client, bob), "sidorejo")
    job = ExportJob.objects.get()
    dl = client.get(reverse("reports:job_download", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(dl.streaming_content)), read_only=True)
    assert book.sheetnames == ["Perbandingan IKM", "SPAK"]
    rows = [r for r in book["SPAK"].iter_rows(values_only=True) if any(c is not None for c in r)]
    assert rows[0][0] == "Survei Persepsi Anti Korupsi: IPAK per unit"
    assert rows[3] == ("Peringkat", "Unit", "Kode", "Responden", "IPAK", "Mutu", *(f"NRR AK{i}" for i in range(1, 6)))
    assert rows[4] == (1, "Kelurahan Pulutan", "pulutan", 1, 100.0, "A", *(6.0,) * 5)
    assert rows[5] == (2, '\'=HYPERLINK("x") Blotongan', "blotongan", 2, 58.33, "D", *(3.5,) * 5)
    assert len(rows) == 6
