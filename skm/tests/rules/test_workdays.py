"""Working days by hand: weekdays counted on a calendar, minus the holidays listed in each test."""

import datetime as dt

from skm.rules.workdays import holidays_between, weekdays, working_days

D = dt.date


def test_seed_002_window_has_no_holiday():
    # Seed 002: "01 Oktober s.d 17 November 2023". 1 Oct 2023 is a Sunday.
    # October: 2-6, 9-13, 16-20, 23-27, 30-31 = 22; November: 1-3, 6-10, 13-17 = 13; 35 weekdays.
    # No national holiday or cuti bersama (Maulid was 28 Sep 2023, Natal 25 Dec 2023).
    assert weekdays(D(2023, 10, 1), D(2023, 11, 17)) == 35
    assert holidays_between(D(2023, 10, 1), D(2023, 11, 17)) == []
    assert working_days(D(2023, 10, 1), D(2023, 11, 17)) == 35


def test_idul_fitri_2024():
    # April 2024: Mon 1 .. Tue 30, four full weeks (20) + Mon 29, Tue 30 = 22 weekdays.
    # Public holidays: Wed 10 and Thu 11 April (Idul Fitri 1445 H).
    # Cuti bersama: Mon 8, Tue 9, Fri 12, Mon 15 April.
    assert weekdays(D(2024, 4, 1), D(2024, 4, 30)) == 22
    assert holidays_between(D(2024, 4, 1), D(2024, 4, 30)) == [
        D(2024, 4, 8),
        D(2024, 4, 9),
        D(2024, 4, 10),
        D(2024, 4, 11),
        D(2024, 4, 12),
        D(2024, 4, 15),
    ]
    assert working_days(D(2024, 4, 1), D(2024, 4, 30)) == 22 - 6 == 16
    assert working_days(D(2024, 4, 1), D(2024, 4, 30), cuti_bersama=False) == 22 - 2 == 20


def test_christmas_2024():
    # Mon 2 .. Tue 31 December 2024: four full weeks (20) + Mon 30, Tue 31 = 22 weekdays.
    # Wed 25 December (Natal) and Thu 26 December (cuti bersama).
    assert holidays_between(D(2024, 12, 2), D(2024, 12, 31)) == [D(2024, 12, 25), D(2024, 12, 26)]
    assert working_days(D(2024, 12, 2), D(2024, 12, 31)) == 20
    assert working_days(D(2024, 12, 2), D(2024, 12, 31), cuti_bersama=False) == 21


def test_across_the_new_year():
    # Mon 18 Dec 2023 .. Fri 5 Jan 2024: three full weeks, 15 weekdays.
    # Mon 25 Dec 2023 (Natal), Tue 26 Dec 2023 (cuti bersama), Mon 1 Jan 2024 (Tahun Baru).
    assert working_days(D(2023, 12, 18), D(2024, 1, 5)) == 15 - 3 == 12


def test_semester_ii_2024():
    # 1 Jul .. 31 Dec 2024: 26 full weeks (130) + Mon 30, Tue 31 Dec = 132 weekdays.
    # On weekdays: Mon 16 Sep (Maulid Nabi), Wed 27 Nov (Pilkada), Wed 25 Dec (Natal), Thu 26 Dec
    # (cuti bersama). Sun 7 Jul (1 Muharram) and Sat 17 Aug fall on a weekend and change nothing.
    assert weekdays(D(2024, 7, 1), D(2024, 12, 31)) == 132
    assert working_days(D(2024, 7, 1), D(2024, 12, 31)) == 128
    # Up to Fri 20 Dec 2024: 132 - 7 (23-27, 30-31 Dec) = 125 weekdays, minus 16 Sep and 27 Nov.
    assert working_days(D(2024, 7, 1), D(2024, 12, 20)) == 123


def test_edges():
    assert working_days(D(2024, 7, 6), D(2024, 7, 6)) == 0  # a Saturday
    assert working_days(D(2024, 12, 25), D(2024, 12, 25)) == 0  # Natal, a Wednesday
    assert working_days(D(2024, 12, 24), D(2024, 12, 24)) == 1
    assert working_days(D(2024, 7, 8), D(2024, 7, 1)) == 0
    assert holidays_between(D(2024, 7, 8), D(2024, 7, 1)) == []
