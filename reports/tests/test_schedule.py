"""Tabel II.1 (Jadwal Pelaksanaan) computed once, in ReportDates.schedule(): the prefill from the round's
dates, the clamp at the report date, the unit's own rows, and the round's window in the JADWAL text.
Working days are counted by hand (Monday-Friday, minus the holidays named beside each number)."""

import datetime as dt

import pytest
from django.utils import timezone

from reports.narrative import ReportDates, ScheduleRow, generated_texts, narrative_facts_build, report_dates
from skm.rules.ikm import WeightMode
from surveys.models import SurveyRound
from surveys.results import unit_results_get

D = dt.date
S2_2024 = (D(2024, 7, 1), D(2024, 12, 31))


def test_prefill_from_the_round_dates():
    # Opened Mon 24 Jun 2024, before the period; closed 20 Dec; report dated Wed 15 Jan 2025.
    dates = ReportDates(*S2_2024, D(2024, 6, 24), D(2024, 12, 20), D(2025, 1, 15), "Pulutan")
    assert dates.schedule() == [
        # Mon 24 - Fri 28 Jun: 5 (Idul Adha 17 Jun and its cuti bersama 18 Jun are earlier).
        ScheduleRow(1, "Persiapan", D(2024, 6, 24), D(2024, 6, 30), "24 Juni 2024 – 30 Juni 2024", 5),
        # 132 weekdays minus Mon 16 Sep, Wed 27 Nov, Wed 25 Dec, Thu 26 Dec (cuti bersama).
        ScheduleRow(2, "Pengumpulan Data", D(2024, 7, 1), D(2024, 12, 31), "1 Juli 2024 – 31 Desember 2024", 128),
        # Wed 1 - Tue 14 Jan 2025: 3 + 5 + 2 = 10 weekdays, minus Wed 1 Jan (Tahun Baru).
        ScheduleRow(
            3,
            "Pengolahan Data dan Analisis Hasil",
            D(2025, 1, 1),
            D(2025, 1, 14),
            "1 Januari 2025 – 14 Januari 2025",
            9,
        ),
        ScheduleRow(4, "Penyusunan dan Pelaporan Hasil", D(2025, 1, 15), D(2025, 1, 15), "15 Januari 2025", 1),
    ]


def test_collection_row_is_clamped_at_the_report_date():
    # Seed 002's window, 1 Oct - 17 Nov 2023, but the report is dated Fri 10 Nov 2023; never opened.
    dates = ReportDates(
        D(2023, 7, 1),
        D(2023, 12, 31),
        None,
        None,
        D(2023, 11, 10),
        "",
        collection_start=D(2023, 10, 1),
        collection_end=D(2023, 11, 17),
    )
    assert dates.collection == (D(2023, 10, 1), D(2023, 11, 10))
    rows = dates.schedule()
    assert rows[0] == ScheduleRow(1, "Persiapan", None, None, "Oktober 2023", None)
    # October 22 weekdays + 1-3 and 6-10 November = 30; no holiday in between.
    assert rows[1] == ScheduleRow(
        2, "Pengumpulan Data", D(2023, 10, 1), D(2023, 11, 10), "1 Oktober 2023 – 10 November 2023", 30
    )
    assert rows[2] == ScheduleRow(3, "Pengolahan Data dan Analisis Hasil", None, None, "November 2023", None)
    assert all(r.end is None or r.end <= D(2023, 11, 10) for r in rows)


def test_report_date_before_the_window_never_runs_past_it():
    dates = ReportDates(*S2_2024, None, None, D(2024, 7, 20), "", D(2024, 8, 1), D(2024, 9, 30))
    assert dates.collection == (D(2024, 7, 20), D(2024, 7, 20))


def test_seed_002_window_with_its_working_days():
    # Opened Mon 25 Sep 2023, window 1 Oct - 17 Nov 2023, closed 20 Nov, report Fri 1 Dec 2023.
    dates = ReportDates(
        D(2023, 7, 1),
        D(2023, 12, 31),
        D(2023, 9, 25),
        D(2023, 11, 20),
        D(2023, 12, 1),
        "",
        D(2023, 10, 1),
        D(2023, 11, 17),
    )
    rows = dates.schedule()
    # Mon 25 - Fri 29 Sep: 5, minus Thu 28 Sep (Maulid Nabi).
    assert (rows[0].when, rows[0].days) == ("25 September 2023 – 30 September 2023", 4)
    # 22 October + 13 November weekdays, no holiday.
    assert (rows[1].when, rows[1].days) == ("1 Oktober 2023 – 17 November 2023", 35)
    # Mon 20 - Fri 24 and Mon 27 - Thu 30 Nov: 9.
    assert (rows[2].when, rows[2].days) == ("18 November 2023 – 30 November 2023", 9)
    assert (rows[3].when, rows[3].days) == ("1 Desember 2023", 1)


def test_the_units_own_rows_replace_the_prefill():
    own = ReportDates.parse_schedule(
        [
            {"activity": "Persiapan", "start": "2024-07-01", "end": "2024-07-02"},
            {"activity": "Rusak", "start": "bukan", "end": "2024-07-02"},
            {"activity": "", "start": "2024-07-01", "end": "2024-07-02"},
            "bukan baris",
            {"activity": "Pengumpulan Data", "start": "2024-07-03", "end": "2024-10-31"},
        ]
    )
    dates = ReportDates(*S2_2024, None, None, D(2024, 11, 30), "", own_schedule=own)
    assert [(r.no, r.activity, r.when) for r in dates.schedule()] == [
        (1, "Persiapan", "1 Juli 2024 – 2 Juli 2024"),
        (2, "Pengumpulan Data", "3 Juli 2024 – 31 Oktober 2024"),
    ]
    # Mon 1, Tue 2 Jul: 2. Wed 3 Jul - Thu 31 Oct: 3 + 16 weeks (80) + Mon 28 - Thu 31 Oct (4) = 87 weekdays,
    # minus Mon 16 Sep (Maulid Nabi); 17 Aug is a Saturday.
    assert [r.days for r in dates.schedule()] == [2, 86]
    assert ReportDates.parse_schedule(None) == () and ReportDates.parse_schedule({"a": 1}) == ()


@pytest.mark.django_db
def test_round_window_in_report_dates_and_the_jadwal_text(unit, period, reference_responses):
    rnd = SurveyRound.objects.get(unit=unit, period=period)
    rnd.status = SurveyRound.Status.CLOSED
    rnd.closed_at = timezone.make_aware(dt.datetime(2024, 12, 20, 10))
    rnd.collection_start, rnd.collection_end = D(2024, 8, 1), D(2024, 9, 30)
    rnd.report_date = D(2024, 10, 15)
    rnd.save()
    dates = report_dates(unit=unit, period=period, rnd=rnd)
    assert dates.collection == (D(2024, 8, 1), D(2024, 9, 30))
    res = unit_results_get(unit=unit, period=period, weight_mode=WeightMode.EXACT)
    facts = narrative_facts_build(unit=unit, period=period, result=res.result, distributions=res.distributions, rnd=rnd)
    # August: Thu 1, Fri 2 + 4 weeks = 22; September: 4 weeks + Mon 30 = 21; 43 weekdays minus Mon 16 Sep.
    assert generated_texts(facts)["jadwal"] == (
        "Survei Semester II Tahun 2024 dilaksanakan pada periode 1 Agustus 2024 sampai dengan 30 September 2024 "
        "(42 hari kerja). Data diolah pada Oktober 2024 dan laporan disusun pada 15 Oktober 2024, dengan jadwal "
        "sebagaimana Tabel II.1."
    )
    assert facts.dates.schedule()[1].when == "1 Agustus 2024 – 30 September 2024"
