"""The Tabel II.1 page of the report text: prefill with ISO date inputs, save, reset, bad input and who may
write (owner, supervisor, outsider)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import SurveyRound

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def rnd(unit, period):
    return SurveyRound.objects.update_or_create(
        unit=unit,
        period=period,
        defaults={"status": SurveyRound.Status.CLOSED, "closed_at": timezone.make_aware(dt.datetime(2024, 12, 20, 10))},
    )[0]


URL = reverse("reports:narrative_schedule", args=["pulutan", "2024-S2"])


def post_data(rows, *, start="", end="", aksi="simpan", initial=None):
    data = {
        "baris-TOTAL_FORMS": str(len(rows)),
        "baris-INITIAL_FORMS": str(len(rows) if initial is None else initial),
        "baris-MIN_NUM_FORMS": "0",
        "baris-MAX_NUM_FORMS": "12",
        "collection_start": start,
        "collection_end": end,
        "aksi": aksi,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"baris-{i}-{key}"] = value
    return data


ROWS = [
    {"activity": "Persiapan", "start": "2024-07-01", "end": "2024-07-02"},
    {"activity": "Pengumpulan Data", "start": "2024-08-01", "end": "2024-09-30"},
    {"activity": "Dibuang", "start": "2024-10-01", "end": "2024-10-02", "DELETE": "on"},
    {"activity": "", "start": "", "end": ""},
]


@pytest.mark.parametrize(("who", "status", "form"), [("alice", 200, True), ("bob", 200, False), ("charlie", 403, None)])
def test_access(client, request, rnd, who, status, form):
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == status
    if form is not None:
        assert ('id="schedule-form"' in response.content.decode()) is form
    assert client.post(URL, post_data(ROWS, initial=0)).status_code == (302 if who == "alice" else 403)
    rnd.refresh_from_db()
    assert bool(rnd.schedule) is (who == "alice")


def test_prefill_with_iso_dates_and_clamped_collection(client, alice, rnd):
    client.force_login(alice)
    html = client.get(URL).content.decode()
    # Collection ends at the close date, Fri 20 Dec 2024 (the report date): 125 weekdays minus 16 Sep, 27 Nov.
    assert '<td>1 Juli 2024 – 20 Desember 2024</td><td class="text-end">123</td>' in html
    assert 'name="baris-1-start" value="2024-07-01"' in html and 'name="baris-1-end" value="2024-12-20"' in html
    assert 'name="baris-0-activity" value="Persiapan"' in html
    assert 'name="baris-3-start" value="2024-12-20"' in html
    assert "Kembalikan ke isian otomatis" in html
    overview = client.get(reverse("reports:narrative_overview", args=["pulutan", "2024-S2"])).content.decode()
    assert "Pengumpulan Data: 1 Juli 2024 – 20 Desember 2024 (123 hari kerja)" in overview


def test_save_rows_and_window_then_reset(client, alice, rnd):
    client.force_login(alice)
    response = client.post(URL, post_data(ROWS, start="2024-08-01", end="2024-09-30", initial=3))
    assert response.status_code == 302
    rnd.refresh_from_db()
    assert rnd.schedule == [
        {"activity": "Persiapan", "start": "2024-07-01", "end": "2024-07-02"},
        {"activity": "Pengumpulan Data", "start": "2024-08-01", "end": "2024-09-30"},
    ]
    assert (rnd.collection_start, rnd.collection_end) == (D(2024, 8, 1), D(2024, 9, 30))
    assert rnd.history.first().history_user == alice
    html = client.get(URL).content.decode()
    # 1 Aug - 30 Sep 2024: 43 weekdays minus Mon 16 Sep (Maulid Nabi).
    assert '<td>Pengumpulan Data</td><td>1 Agustus 2024 – 30 September 2024</td><td class="text-end">42</td>' in html
    response = client.post(URL, post_data([], aksi="baku"), follow=True)
    assert "Jadwal pelaksanaan kembali ke isian otomatis." in response.content.decode()
    rnd.refresh_from_db()
    assert rnd.schedule == [] and rnd.collection_start == D(2024, 8, 1)


@pytest.mark.parametrize(
    ("rows", "start", "end", "message"),
    [
        ([{"activity": "Olah", "start": "2024-07-02", "end": "2024-07-01"}], "", "", "Tanggal selesai tidak boleh"),
        ([{"activity": "x" * 201, "start": "2024-07-01", "end": "2024-07-01"}], "", "", "paling banyak 200 karakter"),
        ([{"activity": "Olah", "start": "01-07-2024", "end": ""}], "", "", "Isi tanggal selesai."),
        ([{"activity": "", "start": "2024-07-01", "end": "2024-07-02"}], "", "", "Isi nama kegiatan."),
        (ROWS[:2], "2024-08-01", "", "Isi awal dan akhir pengumpulan data"),
        (ROWS[:2], "2024-06-01", "2024-08-01", "harus di dalam periode"),
        (ROWS[:2], "bukan", "2024-08-01", "Masukkan tanggal yang valid."),
        (ROWS[:2], "2024-12-21", "2024-12-31", "Tanggal laporan (20 Desember 2024) sebelum awal pengumpulan data"),
    ],
)
def test_bad_input_gets_a_message_and_nothing_is_saved(client, alice, rnd, rows, start, end, message):
    client.force_login(alice)
    response = client.post(URL, post_data(rows, start=start, end=end))
    assert response.status_code == 400
    assert message in response.content.decode()
    rnd.refresh_from_db()
    assert rnd.schedule == [] and rnd.collection_start is None


def test_tampered_management_form_is_a_400_not_a_500(client, alice, rnd):
    client.force_login(alice)
    response = client.post(URL, {"aksi": "simpan", "baris-TOTAL_FORMS": "abc"})
    assert response.status_code == 400
    response = client.post(URL, post_data(ROWS[:1] * 13))
    assert response.status_code == 400 and "12" in response.content.decode()
    rnd.refresh_from_db()
    assert rnd.schedule == []


def test_published_round_shows_the_schedule_read_only(client, alice, bob, rnd, reference_responses):
    client.force_login(bob)
    client.post(reverse("reports:round_publish", args=["pulutan", "2024-S2"]), {"catatan": ""})
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert 'id="schedule-form"' not in html and 'id="schedule-preview"' in html
    assert client.post(URL, post_data(ROWS[:2])).status_code == 403
