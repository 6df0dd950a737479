"""The IKM arithmetic checked against hand-computed numbers and the reference file."""

from decimal import Decimal
from fractions import Fraction

import pytest

from skm.rules.ikm import AGE_BANDS, UnsurTally, WeightMode, band_for, compute_ikm, krejcie_morgan, round_half_up


def tallies_from_expected(expected):
    return [
        UnsurTally(u["code"], u["total"], u["answered"], {int(k): v for k, v in u["distribution"].items()})
        for u in expected["unsur"]
    ]


@pytest.mark.parametrize("mode", ["exact", "0.111", "0.11"])
def test_reference_ikm_per_weight(reference_expected, mode):
    result = compute_ikm(tallies_from_expected(reference_expected), respondents=50, weight_mode=WeightMode(mode))
    want = reference_expected["weights"][mode]
    assert float(result.ikm) == want["ikm"]
    assert result.grade == want["grade"]
    assert result.label == want["label"]
    assert list(result.priority) == reference_expected["priority"]


def test_blank_answers_are_left_out_not_scored_zero():
    # U1: answers 4, 4, blank -> NRR 8/2 = 4.00 (scoring blank as 0 would give 2.67).
    tallies = [UnsurTally("U1", 8, 2, {4: 2})] + [UnsurTally(f"U{i}", 9, 3, {3: 3}) for i in range(2, 10)]
    result = compute_ikm(tallies, respondents=3)
    assert result.by_code("U1").nrr == Decimal("4.000000")
    assert result.by_code("U1").converted == Decimal("100.00")
    # (4 + 8 x 3) / 9 x 25 = 77.777... -> 77.78
    assert result.ikm == Decimal("77.78")
    assert result.grade == "B"


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("64.99", "D"),
        ("65.00", "C"),
        ("76.60", "C"),
        ("76.61", "B"),
        ("88.30", "B"),
        ("88.31", "A"),
        ("25.00", "D"),
        ("100.00", "A"),
    ],
)
def test_band_boundaries(value, grade):
    assert band_for(Decimal(value)).grade == grade


def test_round_half_up_not_bankers():
    assert round_half_up(Fraction(86025, 1000)) == Decimal("86.03")
    assert round_half_up(Decimal("0.125")) == Decimal("0.13")


@pytest.mark.parametrize(("population", "sample"), [(100, 80), (1000, 278), (10000, 370), (1000000, 384)])
def test_krejcie_morgan(population, sample):
    assert krejcie_morgan(population) == sample


def test_unanswered_unsur_leaves_ikm_undefined():
    tallies = [UnsurTally(f"U{i}", 3, 1, {3: 1}) for i in range(1, 9)]  # no U9 answers
    result = compute_ikm(tallies, respondents=1, weight_mode=WeightMode.EXACT)
    assert result.ikm is None
    assert result.priority[-1] == "U9"


# --- additions for issue 3 --------------------------------------------------------

from skm.rules.ikm import age_band_index, ikm_payload, mean_of_ikms, sample_adequacy_for  # noqa: E402


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (None, None),
        (10, "≤ 20"),
        (20, "≤ 20"),
        (21, "21 - 30"),
        (30, "21 - 30"),
        (31, "31 - 40"),
        (60, "51 - 60"),
        (61, "> 60"),
    ],
)
def test_age_band_edges(age, band):
    index = age_band_index(age)
    assert (None if index is None else AGE_BANDS[index][0]) == band


def test_sample_adequacy_flags():
    # Krejcie & Morgan: N=100 -> 80.
    assert sample_adequacy_for("KTP", 100, 80).flag == "cukup"
    assert sample_adequacy_for("KTP", 100, 79).flag == "belum cukup"
    assert sample_adequacy_for("KTP", None, 5).flag == "populasi belum diisi"


def test_pooled_ikm_differs_from_mean_of_services():
    # Service A: 1 respondent all 4 -> 100.00; service B: 3 respondents all 2 -> 50.00.
    a = compute_ikm([UnsurTally(f"U{i}", 4, 1, {4: 1}) for i in range(1, 10)], respondents=1)
    b = compute_ikm([UnsurTally(f"U{i}", 6, 3, {2: 3}) for i in range(1, 10)], respondents=3)
    pooled = compute_ikm([UnsurTally(f"U{i}", 10, 4, {4: 1, 2: 3}) for i in range(1, 10)], respondents=4)
    assert (a.ikm, b.ikm) == (Decimal("100.00"), Decimal("50.00"))
    assert pooled.ikm == Decimal("62.50")  # NRR 10/4 = 2.5 for every unsur, x 25
    assert mean_of_ikms([a.ikm, b.ikm]) == Decimal("75.00")


def test_payload_shape_and_rounding():
    # U1 10/3 = 3.333333.. ; converted 83.333.. -> 83.33; others 3 -> 75.00.
    tallies = [UnsurTally("U1", 10, 3, {3: 2, 4: 1})] + [UnsurTally(f"U{i}", 9, 3, {3: 3}) for i in range(2, 10)]
    result = compute_ikm(tallies, respondents=3, weight_mode=WeightMode.EXACT)
    payload = ikm_payload(result, unit="x", period="2024-S2", layanan=None)
    assert list(payload) == [
        "unit",
        "period",
        "layanan",
        "weight",
        "respondents",
        "unsur",
        "ikm",
        "grade",
        "label",
        "priority",
        "layanan_breakdown",
    ]
    assert payload["unsur"][0]["nrr"] == 3.333333
    assert payload["unsur"][0]["converted"] == 83.33
    assert payload["unsur"][0]["distribution"] == {"1": 0, "2": 0, "3": 2, "4": 1}
    # IKM = (10/3 + 8 x 3) / 9 x 25 = 82/27 x 25 = 75.925.. -> 75.93 (C)
    assert (payload["ikm"], payload["grade"]) == (75.93, "C")
    assert payload["priority"][-1] == "U1"


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([], {1: 0, 2: 0, 3: 0, 4: 0}),
        ([4], {1: 0, 2: 0, 3: 0, 4: 1}),
        ([3, 3, 4, 1, 2, 2, 4, 4], {1: 1, 2: 2, 3: 2, 4: 3}),
        ([3] * 34 + [4] * 16, {1: 0, 2: 0, 3: 34, 4: 16}),
    ],
)
def test_distribution_from_sum_count_and_low_counts(answers, expected):
    from skm.rules.ikm import distribution_from

    n1, n2 = answers.count(1), answers.count(2)
    assert distribution_from(sum(answers), len(answers), n1, n2) == expected


def test_distribution_from_rejects_impossible_tallies():
    from skm.rules.ikm import distribution_from

    with pytest.raises(ValueError):
        distribution_from(total=10, answered=1, n1=0, n2=0)  # one answer cannot sum to 10
