"""Bad input anywhere gets a clear error page, never a 500.

Every URL of the product is requested with malformed path segments, query
parameters and form data by the owner, a supervisor, an outsider and an
anonymous visitor.
"""

import pytest
from django.urls import reverse

from followup.demo import load_demo
from followup.models import EvidencePhoto, PlanItem, PlanUnsur

pytestmark = pytest.mark.django_db

BAD_SEGMENTS = ["XXXX", "2024-S9", "2024-s2", "..%2F..", "%00", "9999-TW1", "'%20OR%201=1", "2024-S2%0A"]

GARBAGE_POSTS = [
    {},
    {"token": "garbage", "u1": "9", "usia": "-5", "jenis_kelamin": "X", "website": ""},
    {"kind": "zzz", "period": "BAD", "weight_mode": "x", "periode": "2024-S9", "lowest_n": "abc"},
    {"nomor": "abc", "u1": "e", "usia": "999", "status": "zzz", "date": "31/02/2024", "schedule": "1999-9"},
    {"title": "x" * 5000, "program": "", "code": "U99", "reason": "", "caption": "x" * 1000, "order": "-1"},
]


def get_paths(plan_id, item_id, row_id, photo_id):
    paths = [
        "/",
        "/hasil/perbandingan/",
        "/hasil/perbandingan/?periode=XXX&induk=abc&min=-1&mutu=Z",
        "/hasil/pulutan/",
        "/hasil/pulutan/2024-S2/?bobot=zzz",
        "/hasil/pulutan/2024-S2/lembar-kerja.xlsx?bobot=q",
        "/publik/pulutan/hasil/",
        "/publik/nope/hasil/",
        "/isi/pulutan/?periode=BAD",
        "/isi/pulutan/?kiosk=abc",
        "/isi/pulutan/layanan/99999/",
        "/isi/pulutan/terima-kasih/?lagi=%00",
        "/isi/pulutan/qr.svg",
        "/isi/nope/qr.svg",
        "/unit/pulutan/tautan/",
        "/unit/pulutan/poster/?layanan=abc",
        "/unit/pulutan/entri/?periode=X&hal=abc",
        "/unit/pulutan/entri/?hal=99999",
        "/unit/pulutan/impor/?hal=-3",
        "/tindak-lanjut/?urut=zzz&hal=-1&periode=X",
        "/tindak-lanjut/unit/pulutan/?periode=BAD",
        "/tindak-lanjut/rtl/999999/",
        "/tindak-lanjut/kegiatan/99999/",
        "/tindak-lanjut/foto/99999/",
        f"/tindak-lanjut/rtl/{plan_id}/?hal=zz",
        f"/tindak-lanjut/kegiatan/{item_id}/",
        f"/tindak-lanjut/foto/{photo_id}/",
        "/laporan/unit/pulutan/?hal=x",
        "/laporan/tugas/?hal=zz&status=bad",
        "/laporan/tugas/99999/",
        "/laporan/tugas/99999/status/",
        "/laporan/tugas/99999/unduh/",
    ]
    for bad in BAD_SEGMENTS:
        paths += [
            f"/hasil/pulutan/{bad}/",
            f"/isi/{bad}/",
            f"/unit/{bad}/entri/",
            f"/tindak-lanjut/unit/{bad}/",
            f"/laporan/unit/{bad}/",
            f"/hasil/perbandingan/?periode={bad}",
        ]
    return paths


def post_paths(plan_id, item_id, row_id, photo_id):
    return [
        "/isi/pulutan/",
        "/unit/pulutan/entri/",
        "/unit/pulutan/impor/",
        "/laporan/unit/pulutan/ekspor/",
        "/tindak-lanjut/unit/pulutan/",
        "/laporan/tugas/99999/coba-lagi/",
        "/bahasa/",
        f"/tindak-lanjut/rtl/{plan_id}/ubah/",
        f"/tindak-lanjut/rtl/{plan_id}/prioritas/tambah/",
        f"/tindak-lanjut/prioritas/{row_id}/kegiatan/tambah/",
        f"/tindak-lanjut/kegiatan/{item_id}/ubah/",
        f"/tindak-lanjut/kegiatan/{item_id}/realisasi/",
        f"/tindak-lanjut/kegiatan/{item_id}/foto/",
        f"/tindak-lanjut/rtl/{plan_id}/buka-kembali/",
        f"/tindak-lanjut/prioritas/{row_id}/naik/",
    ]


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", None])
def test_no_server_error_on_bad_input(client, request, who, unit, period, reference_responses):
    staff = request.getfixturevalue("alice")
    load_demo(unit=unit, period=period, user=staff)
    item = PlanItem.objects.filter(plan_unsur__plan__unit=unit).first()
    ids = (
        item.plan_unsur.plan_id,
        item.pk,
        PlanUnsur.objects.filter(plan__unit=unit).first().pk,
        EvidencePhoto.objects.first().pk if EvidencePhoto.objects.exists() else 99999,
    )
    if who:
        client.force_login(request.getfixturevalue(who))
    failures = []
    for path in get_paths(*ids):
        status = client.get(path).status_code
        if status >= 500:
            failures.append(("GET", path, status))
    for path in post_paths(*ids):
        for data in GARBAGE_POSTS:
            status = client.post(path, data).status_code
            if status >= 500:
                failures.append(("POST", path, sorted(data), status))
    assert not failures, failures


def test_nul_bytes_get_an_indonesian_400(client, unit, period):
    response = client.get(reverse("surveys:questionnaire", args=[unit.code]), {"periode": "2024-S2\x00"})
    assert response.status_code == 400
    assert "Permintaan tidak valid" in response.content.decode()
    # set_language would otherwise redirect (302); multipart and urlencoded bodies are both checked.
    assert client.post("/bahasa/", {"language": "en\x00", "next": "/"}).status_code == 400
    body = "language=en%00&next=/"
    assert client.post("/bahasa/", body, content_type="application/x-www-form-urlencoded").status_code == 400
    assert client.post("/bahasa/", {"language": "en", "next": "/"}).status_code == 302


def test_period_code_outside_the_grammar_is_404(client, alice, unit, period):
    client.force_login(alice)
    response = client.get(reverse("surveys:results", args=[unit.code, "2024-S9"]))
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
