"""Report sentences, checked against hand-written Indonesian."""

from decimal import Decimal

import pytest

from skm.rules.sentences import (
    distribution_sentence,
    format_percent,
    join_id,
    ordinal_all,
    priority_basis_sentence,
    terbilang,
    trend_sentence,
)


@pytest.mark.parametrize(
    "n,words",
    [
        (1, "satu"),
        (11, "sebelas"),
        (15, "lima belas"),
        (50, "lima puluh"),
        (100, "seratus"),
        (278, "dua ratus tujuh puluh delapan"),
        (1000, "seribu"),
        (1050, "seribu lima puluh"),
        (384000, "tiga ratus delapan puluh empat ribu"),
        (2_000_001, "dua juta satu"),
    ],
)
def test_terbilang(n, words):
    assert terbilang(n) == words


def test_join_id():
    assert join_id([]) == ""
    assert join_id(["a"]) == "a"
    assert join_id(["a", "", "b"]) == "a dan b"
    assert join_id(["a", "b", "c"]) == "a, b, dan c"


def test_ordinal_all():
    assert ordinal_all(1) == "unsur tersebut"
    assert ordinal_all(3) == "ketiga unsur tersebut"


def test_distribution_sentence_in_the_seeds_style():
    # Pulutan U1: 33 x "Sesuai" and 17 x "Sangat sesuai" of 50 -> 66% and 34%.
    rows = [
        ("Tidak sesuai", 0, Decimal("0.00")),
        ("Kurang sesuai", 0, Decimal("0.00")),
        ("Sesuai", 33, Decimal("66.00")),
        ("Sangat sesuai", 17, Decimal("34.00")),
    ]
    assert distribution_sentence(rows) == "66,00% menyatakan sesuai dan 34,00% menyatakan sangat sesuai"
    assert format_percent(Decimal("66.67")) == "66,67%"
    # The same two decimals as the tables' 50,00%, also for a whole percentage.
    assert format_percent(Decimal("50")) == "50,00%"


@pytest.mark.parametrize(
    ("now", "before", "phrase"),
    [
        (Decimal("86.03"), Decimal("84.10"), "mengalami peningkatan"),
        (Decimal("80.00"), Decimal("84.10"), "mengalami penurunan"),
        (Decimal("84.10"), Decimal("84.10"), "tidak berubah"),
    ],
)
def test_trend_sentence(now, before, phrase):
    sentence = trend_sentence(
        unit_name="Kelurahan Pulutan",
        period_label="Semester II Tahun 2024",
        ikm=now,
        previous_label="Semester I Tahun 2024",
        previous_ikm=before,
    )
    assert sentence == (
        f"IKM Kelurahan Pulutan pada Semester II Tahun 2024 ({str(now).replace('.', ',')}) {phrase} "
        f"dibandingkan dengan Semester I Tahun 2024 ({str(before).replace('.', ',')})."
    )


# --- the prioritisation clause of the LHTL (issue 23) -------------------------------


def test_priority_basis_lowest_only():
    assert priority_basis_sentence(
        lowest=["Sarana dan Prasarana", "Waktu Penyelesaian", "Kompetensi Pelaksana"], added=[], saran=0
    ) == (
        "yang terdiri dari 3 (tiga) unsur dengan nilai terendah "
        "(Sarana dan Prasarana, Waktu Penyelesaian, dan Kompetensi Pelaksana)"
    )


def test_priority_basis_lowest_plus_added():
    assert priority_basis_sentence(lowest=["Waktu Penyelesaian"], added=["Persyaratan", "Biaya/Tarif"], saran=0) == (
        "yang terdiri dari 1 (satu) unsur dengan nilai terendah (Waktu Penyelesaian), "
        "ditambah 2 (dua) unsur lain yang dipilih unit (Persyaratan dan Biaya/Tarif)"
    )


def test_priority_basis_only_added():
    # No "lain" (other) when nothing lowest comes before.
    assert priority_basis_sentence(lowest=[], added=["Biaya/Tarif"], saran=0) == (
        "yang terdiri dari 1 (satu) unsur yang dipilih unit (Biaya/Tarif)"
    )


def test_priority_basis_with_saran():
    assert priority_basis_sentence(lowest=[], added=[], saran=2) == (
        "yang terdiri dari 2 (dua) prioritas dari saran dan masukan responden"
    )
    assert priority_basis_sentence(lowest=["Waktu Pelayanan"], added=[], saran=1) == (
        "yang terdiri dari 1 (satu) unsur dengan nilai terendah (Waktu Pelayanan), "
        "ditambah 1 (satu) prioritas dari saran dan masukan responden"
    )
    assert priority_basis_sentence(lowest=["Sarana dan Prasarana"], added=["Persyaratan"], saran=3) == (
        "yang terdiri dari 1 (satu) unsur dengan nilai terendah (Sarana dan Prasarana), "
        "ditambah 1 (satu) unsur lain yang dipilih unit (Persyaratan) "
        "dan 3 (tiga) prioritas dari saran dan masukan responden"
    )


def test_priority_basis_nothing():
    assert priority_basis_sentence(lowest=(), added=(), saran=0) == "yang belum memuat satu pun prioritas"
    with pytest.raises(ValueError):
        priority_basis_sentence(lowest=(), added=(), saran=-1)
