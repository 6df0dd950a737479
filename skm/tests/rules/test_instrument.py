"""The instrument rules: validation, the exact index, and the built-in SKM against the IKM.

Every expected NRR and index below is worked out by hand in the comments and
written as a Fraction; none comes from the code under test.
"""

import importlib
from decimal import Decimal
from fractions import Fraction

import pytest

from skm.rules.ikm import UnsurTally, WeightMode, compute_ikm, merge_tallies
from skm.rules.instrument import (
    Band,
    ErrorCode,
    Instrument,
    InstrumentError,
    Item,
    ItemTally,
    Scale,
    Text,
    instrument_index,
    merge_item_tallies,
    tally_answers,
)
from skm.rules.instruments_data import SKM, SPAK, SPKP, builtin
from skm.rules.unsur import DEFAULT_UNSUR

# --- helpers (no arithmetic in them) ----------------------------------------------------


def scale(k):
    return Scale(k, tuple(Text(f"p{i}") for i in range(1, k + 1)))


def items(*codes):
    return tuple(Item(c, Text(c), Text(f"Pertanyaan {c}")) for c in codes)


def bands(floor="25.00"):
    return (
        Band("A", Text("Sangat Baik"), Decimal("88.31"), Decimal("100.00")),
        Band("B", Text("Baik"), Decimal("76.61"), Decimal("88.30")),
        Band("C", Text("Kurang Baik"), Decimal("65.00"), Decimal("76.60")),
        Band("D", Text("Tidak Baik"), Decimal(floor), Decimal("64.99")),
    )


def make(**overrides):
    fields = {
        "code": "X",
        "name": Text("Uji"),
        "index_name": "IX",
        "scale": scale(4),
        "items": items("Q1", "Q2"),
        "bands": bands(),
    }
    fields.update(overrides)
    return Instrument(**fields)


def error_of(fn):
    with pytest.raises(InstrumentError) as exc:
        fn()
    return exc.value.code


# --- validation -------------------------------------------------------------------------


@pytest.mark.parametrize("k", [1, 11, 0])
def test_scale_needs_two_to_ten_points(k):
    assert error_of(lambda: scale(k)) is ErrorCode.SCALE_POINTS


@pytest.mark.parametrize("k", [2, 10])
def test_scale_ends_are_allowed(k):
    assert scale(k).scores == tuple(range(1, k + 1))


def test_scale_needs_one_label_per_point():
    assert error_of(lambda: Scale(5, (Text("a"),) * 4)) is ErrorCode.SCALE_LABELS


def test_item_codes_are_unique_ignoring_case():
    assert error_of(lambda: make(items=items("Q1", "q1"))) is ErrorCode.DUPLICATE_ITEM


def test_an_instrument_needs_items():
    assert error_of(lambda: make(items=())) is ErrorCode.NO_ITEMS


def test_item_labels_one_per_point():
    bad = (Item("Q1", Text("Q1"), Text("?"), labels=(Text("a"), Text("b"), Text("c"))),)
    assert error_of(lambda: make(items=bad)) is ErrorCode.ITEM_LABELS


@pytest.mark.parametrize(
    ("weights", "code"),
    [
        ((Fraction(1, 2),), ErrorCode.WEIGHT_COUNT),
        ((Fraction(1), Fraction(0)), ErrorCode.WEIGHT_NOT_POSITIVE),
        ((Fraction(3, 2), Fraction(-1, 2)), ErrorCode.WEIGHT_NOT_POSITIVE),
        ((Fraction(1, 2), Fraction(1, 3)), ErrorCode.WEIGHT_SUM),  # 5/6
        ((Fraction(111, 1000), Fraction(889, 1000) + Fraction(1, 10**9)), ErrorCode.WEIGHT_SUM),
    ],
)
def test_weights_positive_and_exactly_one(weights, code):
    assert error_of(lambda: make(weights=weights)) is code


def test_weights_summing_to_one_are_accepted():
    assert make(weights=(Fraction(1, 3), Fraction(2, 3))).item_weights == (Fraction(1, 3), Fraction(2, 3))


def test_equal_weights_by_default():
    assert make(items=items("A", "B", "C")).item_weights == (Fraction(1, 3),) * 3


def test_rounded_weight_modes_only_on_locked_instruments():
    from skm.rules.instrument import WeightMode as Mode

    mode = Mode("0.5", (Fraction(1, 2), Fraction(1, 2)))
    assert error_of(lambda: make(weight_modes=(mode,))) is ErrorCode.WEIGHT_MODE_UNLOCKED
    assert make(weight_modes=(mode,), locked=True).weights_for("0,5") == (Fraction(1, 2),) * 2


def _shift(bs, grade, **change):
    return tuple(
        Band(b.grade, b.label, change.get("low", b.low), change.get("high", b.high)) if b.grade == grade else b
        for b in bs
    )


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (_shift(bands(), "C", low=Decimal("65.01")), ErrorCode.BAND_GAP),  # 64,99 -> 65,01 leaves 65,00
        (_shift(bands(), "C", low=Decimal("64.99")), ErrorCode.BAND_OVERLAP),
        (_shift(bands(), "A", high=Decimal("99.99")), ErrorCode.BAND_CEILING),
        (_shift(bands(), "D", low=Decimal("25.01")), ErrorCode.BAND_FLOOR),  # k=4: 25,00 is reachable
        (_shift(bands(), "D", low=Decimal("70.00")), ErrorCode.BAND_BOUNDS),  # low > high
        (_shift(bands(), "B", low=Decimal("76.605")), ErrorCode.BAND_BOUNDS),  # not 2 decimals
        ((), ErrorCode.NO_BANDS),
        (bands()[:3] + (Band("A", Text("x"), Decimal("25.00"), Decimal("64.99")),), ErrorCode.DUPLICATE_GRADE),
    ],
)
def test_bands_cover_the_reachable_index_without_gaps_or_overlaps(bad, code):
    assert error_of(lambda: make(bands=bad)) is code


def test_band_floor_follows_the_scale():
    # k = 6: every answer 1 gives 100/6 = 16,666.. -> 16,67; a D band from 25,00 leaves it uncovered.
    assert error_of(lambda: make(scale=scale(6))) is ErrorCode.BAND_FLOOR
    assert make(scale=scale(6), bands=bands("16.67")).scale.floor == Decimal("16.67")
    # Bands given in any order are read sorted.
    assert make(bands=tuple(reversed(bands()))).band_for(Decimal("76.61")).grade == "B"


def test_skm_is_locked_and_the_templates_are_editable():
    assert error_of(lambda: SKM.derive(code="SKM2")) is ErrorCode.LOCKED
    mine = SPKP.derive(code="SPKP-UNIT", weights=(Fraction(1, 4),) + (Fraction(3, 28),) * 7)
    assert mine.item_weights[0] == Fraction(1, 4) and SPKP.item_weights[0] == Fraction(1, 8)
    # The copy is validated again: 1/4 + 7 x 1/8 = 9/8.
    assert error_of(lambda: SPKP.derive(weights=(Fraction(1, 4),) + (Fraction(1, 8),) * 7)) is ErrorCode.WEIGHT_SUM


def test_builtin_lookup():
    assert builtin("spkp") is SPKP and builtin(" SPAK ") is SPAK
    with pytest.raises(InstrumentError) as exc:
        builtin("IKD")
    assert exc.value.code is ErrorCode.UNKNOWN_INSTRUMENT and exc.value.params["code"] == "IKD"


def test_unknown_weight_mode():
    assert error_of(lambda: SPKP.weights_for("0.111")) is ErrorCode.UNKNOWN_WEIGHT_MODE


def test_answers_outside_the_scale_or_unknown_items_are_refused():
    assert error_of(lambda: tally_answers(SPAK, [{"AK1": 7}])) is ErrorCode.ANSWER_OUT_OF_SCALE
    assert error_of(lambda: tally_answers(SPAK, [{"AK1": 0}])) is ErrorCode.ANSWER_OUT_OF_SCALE
    assert error_of(lambda: tally_answers(SPAK, [{"AK1": True}])) is ErrorCode.ANSWER_OUT_OF_SCALE
    assert error_of(lambda: tally_answers(SPAK, [{"U1": 4}])) is ErrorCode.UNKNOWN_ITEM
    # A tally no answers on 1..6 can give: 2 answers cannot sum to 13 (at most 12) or to 1.
    for total in (13, 1):
        tallies = [ItemTally("AK1", total, 2)]
        assert error_of(lambda t=tallies: instrument_index(SPAK, t, respondents=2)) is ErrorCode.TALLY_INVALID


# --- the built-in definitions -----------------------------------------------------------


def test_builtin_shapes():
    assert [i.code for i in SKM.items] == [f"U{n}" for n in range(1, 10)]
    assert (SKM.scale.points, SPKP.scale.points, SPAK.scale.points) == (4, 6, 6)
    assert [i.code for i in SPKP.items] == [f"KP{n}" for n in range(1, 9)]
    assert [i.code for i in SPAK.items] == [f"AK{n}" for n in range(1, 6)]
    assert (SKM.index_name, SPKP.index_name, SPAK.index_name) == ("IKM", "IPKP", "IPAK")
    assert SKM.locked and not SPKP.locked and not SPAK.locked
    assert SKM.weight_mode_codes == ("exact", "0.111", "0.11")
    # SKM keeps each unsur's own answer labels (U4: "Gratis" is the best) and the regulation's
    # Indonesian wording; English is added beside it.
    assert SKM.labels_for(SKM.item("U4"))[-1].id == "Gratis"
    assert SKM.labels_for(SKM.item("U4"))[-1].get("en") == "Free"
    for item, unsur in zip(SKM.items, DEFAULT_UNSUR, strict=True):
        assert (item.code, item.name.id, item.text.id) == (unsur.code, unsur.name, unsur.question)
        assert tuple(label.id for label in item.labels) == unsur.labels
        assert item.name.en and item.text.en and all(label.en for label in item.labels)
    # Every SPKP/SPAK text has an Indonesian and an English version and a group.
    for inst in (SPKP, SPAK):
        for item in inst.items:
            assert item.text.id and item.text.en and item.name.en and item.group is not None
            assert item.text.get("en") == item.text.en and item.text.get("id") == item.text.id
        assert [label.id for label in inst.scale.labels][0::5] == ["Sangat tidak setuju", "Sangat setuju"]
        assert not inst.scale.best_first


# --- the SKM instrument gives exactly the IKM ----------------------------------------------


def _reference_tallies(expected):
    unsur = [UnsurTally(u["code"], u["total"], u["answered"]) for u in expected["unsur"]]
    items_ = [ItemTally(u["code"], u["total"], u["answered"]) for u in expected["unsur"]]
    return unsur, items_


@pytest.mark.parametrize("mode", ["exact", "0.111", "0.11"])
def test_skm_equals_ikm_on_the_reference_survey(reference_expected, mode):
    """Pulutan 2024-S2: 86,11 / 86,03 / 85,25 (the reference JSON, worked by hand)."""
    unsur, tallies = _reference_tallies(reference_expected)
    ikm = compute_ikm(unsur, respondents=50, weight_mode=WeightMode(mode))
    got = instrument_index(SKM, tallies, respondents=50, weight_mode=mode)
    assert got.index_exact == ikm.ikm_exact
    want = reference_expected["weights"][mode]
    assert got.index == Decimal(str(want["ikm"])).quantize(Decimal("0.01"))
    assert (got.band.grade, got.band.label.id) == (want["grade"], want["label"])
    assert [r.nrr for r in got.items] == [u.nrr_exact for u in ikm.unsur]


def test_reference_figures_as_printed(reference_expected):
    _, tallies = _reference_tallies(reference_expected)
    printed = [str(instrument_index(SKM, tallies, respondents=50, weight_mode=m).index) for m in SKM.weight_mode_codes]
    assert printed == ["86.11", "86.03", "85.25"]


SEEDS = ("000", "001", "002", "003")


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("mode", ["exact", "0.111", "0.11"])
def test_skm_equals_ikm_on_every_seed_sample_and_pool(seed, mode):
    module = importlib.import_module(f"reports.tests.seeds.seed_{seed}")  # Django-free data
    spec = module.SEED
    groups_ikm, groups_inst = [], []
    for sample in spec.samples:
        unsur = [UnsurTally(code, sample.total(code), sum(sample.counts[code])) for code in sample.counts]
        tallies = [ItemTally(code, sample.total(code), sum(sample.counts[code])) for code in sample.counts]
        ikm = compute_ikm(unsur, respondents=sample.respondents, weight_mode=WeightMode(mode))
        got = instrument_index(SKM, tallies, respondents=sample.respondents, weight_mode=mode)
        assert (got.index_exact, got.index, got.grade) == (ikm.ikm_exact, ikm.ikm, ikm.grade)
        groups_ikm.append((sample.respondents, unsur))
        groups_inst.append((sample.respondents, tallies))
    n, pooled_unsur = merge_tallies(groups_ikm)
    m, pooled_items = merge_item_tallies(groups_inst)
    ikm = compute_ikm(pooled_unsur, respondents=n, weight_mode=WeightMode(mode))
    got = instrument_index(SKM, pooled_items, respondents=m, weight_mode=mode)
    assert (m, got.index_exact, got.index, got.grade) == (n, ikm.ikm_exact, ikm.ikm, ikm.grade)
    if mode == "exact" and module.EXPECTED_IKM:  # seed 001 prints 98,72
        assert str(got.index) == module.EXPECTED_IKM


def test_skm_equals_ikm_on_every_small_tally():
    """Every (total, answered) an unsur can have with up to 3 answers, in every weight mode."""
    import itertools

    cases = [(t, a) for a in range(1, 4) for t in range(a, 4 * a + 1)]
    for (t1, a1), (t2, a2) in itertools.product(cases, repeat=2):
        # U1 and U9 vary, the others are fixed at 7/2.
        totals = {"U1": (t1, a1), "U9": (t2, a2)}
        unsur = [UnsurTally(f"U{i}", *totals.get(f"U{i}", (7, 2))) for i in range(1, 10)]
        tallies = [ItemTally(u.code, u.total, u.answered) for u in unsur]
        for mode in ("exact", "0.111", "0.11"):
            ikm = compute_ikm(unsur, respondents=3, weight_mode=WeightMode(mode))
            got = instrument_index(SKM, tallies, respondents=3, weight_mode=mode)
            assert (got.index_exact, got.index, got.grade) == (ikm.ikm_exact, ikm.ikm, ikm.grade)


def test_below_every_band_is_the_lowest_band():
    # All answers 1 with the 0,11 weight: 9 x 0,11 x 1 x 25 = 24,75, below D's 25,00 (as the IKM).
    tallies = [ItemTally(f"U{i}", 1, 1) for i in range(1, 10)]
    got = instrument_index(SKM, tallies, respondents=1, weight_mode="0.11")
    assert got.index_exact == Fraction(2475, 100) and got.grade == "D"


def test_an_item_without_answers_leaves_the_index_undefined():
    tallies = [ItemTally(f"AK{i}", 6, 1) for i in range(1, 5)]  # nobody answered AK5
    got = instrument_index(SPAK, tallies, respondents=1)
    assert got.index_exact is None and got.index is None and got.band is None
    assert got.by_code("AK5").nrr is None and got.by_code("AK1").nrr == 6


# --- SPAK: a round with blanks, two jenis layanan and unequal weights ---------------------

# Layanan A, 3 respondents; layanan B, 2 respondents. None is a blank.
SPAK_A = [
    {"AK1": 6, "AK2": 5, "AK3": 6, "AK4": 6, "AK5": 4},
    {"AK1": 5, "AK2": None, "AK3": 6, "AK4": 5, "AK5": 3},
    {"AK1": 4, "AK2": 4, "AK3": None, "AK4": 6, "AK5": 5},
]
SPAK_B = [
    {"AK1": 3, "AK2": 6, "AK3": 5, "AK4": None, "AK5": 6},
    {"AK1": 6, "AK2": 5, "AK3": 4, "AK4": 4},  # AK5 left out: a blank too
]
# A unit's copy of the SPAK template with its own weights: 3/10 + 1/5 x 3 + 1/10 = 1.
SPAK_WEIGHTED = SPAK.derive(
    code="SPAK-UNIT",
    weights=(Fraction(3, 10), Fraction(1, 5), Fraction(1, 5), Fraction(1, 5), Fraction(1, 10)),
)

# NRR by hand (sum / answers given):
#   A: AK1 (6+5+4)/3 = 5; AK2 (5+4)/2 = 9/2; AK3 (6+6)/2 = 6; AK4 (6+5+6)/3 = 17/3; AK5 (4+3+5)/3 = 4
#   B: AK1 (3+6)/2 = 9/2; AK2 (6+5)/2 = 11/2; AK3 (5+4)/2 = 9/2; AK4 4/1 = 4; AK5 6/1 = 6
#   pooled: AK1 24/5; AK2 20/4 = 5; AK3 21/4; AK4 21/4; AK5 18/4 = 9/2
SPAK_NRR = {
    "A": [Fraction(5), Fraction(9, 2), Fraction(6), Fraction(17, 3), Fraction(4)],
    "B": [Fraction(9, 2), Fraction(11, 2), Fraction(9, 2), Fraction(4), Fraction(6)],
    "pooled": [Fraction(24, 5), Fraction(5), Fraction(21, 4), Fraction(21, 4), Fraction(9, 2)],
}
# Index = sum(w x NRR) x 100 / 6.
# Equal weights 1/5:
#   A: (5 + 9/2 + 6 + 17/3 + 4) = 151/6; /5 = 151/30; x 100/6 = 755/9 = 83,888.. -> 83,89 B
#   B: (9/2 + 11/2 + 9/2 + 4 + 6) = 49/2; /5 = 49/10; x 100/6 = 245/3 = 81,666.. -> 81,67 B
#   pooled: (24/5 + 5 + 21/4 + 21/4 + 9/2) = 124/5; /5 = 124/25; x 100/6 = 248/3 = 82,666.. -> 82,67 B
# Weights 3/10, 1/5, 1/5, 1/5, 1/10:
#   A: 3/2 + 9/10 + 6/5 + 17/15 + 2/5 = (45+27+36+34+12)/30 = 77/15; x 100/6 = 770/9 = 85,555.. -> 85,56 B
#   B: 27/20 + 11/10 + 9/10 + 4/5 + 3/5 = (27+22+18+16+12)/20 = 19/4; x 100/6 = 475/6 = 79,166.. -> 79,17 B
#   pooled: 36/25 + 1 + 21/20 + 21/20 + 9/20 = (144+100+105+105+45)/100 = 499/100; x 100/6 = 499/6
#           = 83,166.. -> 83,17 B
SPAK_INDEX = {
    ("equal", "A"): (Fraction(755, 9), "83.89", "B"),
    ("equal", "B"): (Fraction(245, 3), "81.67", "B"),
    ("equal", "pooled"): (Fraction(248, 3), "82.67", "B"),
    ("weighted", "A"): (Fraction(770, 9), "85.56", "B"),
    ("weighted", "B"): (Fraction(475, 6), "79.17", "B"),
    ("weighted", "pooled"): (Fraction(499, 6), "83.17", "B"),
}


def _groups(instrument, per_service):
    tallied = {name: tally_answers(instrument, rows) for name, rows in per_service.items()}
    tallied["pooled"] = merge_item_tallies(tallied.values())
    return tallied


@pytest.mark.parametrize("weights", ["equal", "weighted"])
def test_spak_round_by_hand(weights):
    instrument = SPAK if weights == "equal" else SPAK_WEIGHTED
    groups = _groups(instrument, {"A": SPAK_A, "B": SPAK_B})
    assert {g: n for g, (n, _) in groups.items()} == {"A": 3, "B": 2, "pooled": 5}
    for group, (n, tallies) in groups.items():
        got = instrument_index(instrument, tallies, respondents=n)
        assert [r.nrr for r in got.items] == SPAK_NRR[group], group
        exact, printed, grade = SPAK_INDEX[(weights, group)]
        assert (got.index_exact, str(got.index), got.grade) == (exact, printed, grade), group
    # The pooled index is not the mean of the services' (83,89 and 81,67 -> 82,78 vs 82,67).
    assert SPAK_INDEX[("equal", "pooled")][0] != (SPAK_INDEX[("equal", "A")][0] + SPAK_INDEX[("equal", "B")][0]) / 2


# --- SPKP: a round with blanks, two jenis layanan and unequal weights ---------------------

K = ("KP1", "KP2", "KP3", "KP4", "KP5", "KP6", "KP7", "KP8")
SPKP_X = [
    dict(zip(K, (6, 5, 5, 4, 6, 5, 6, None), strict=True)),
    dict(zip(K, (5, None, 6, 4, 6, 3, 5, 4), strict=True)),
]
SPKP_Y = [
    dict(zip(K, (2, 4, None, 5, None, 6, 4, 5), strict=True)),
    dict(zip(K, (4, 6, 3, None, 6, 2, 3, 6), strict=True)),
]
# 1/4 + 1/8 x 5 + 1/16 x 2 = 4/16 + 10/16 + 2/16 = 1.
SPKP_WEIGHTED = SPKP.derive(
    code="SPKP-UNIT",
    weights=tuple(Fraction(1, d) for d in (4, 8, 8, 8, 16, 16, 8, 8)),
)
# NRR by hand:
#   X: KP1 11/2; KP2 5/1 = 5; KP3 11/2; KP4 8/2 = 4; KP5 12/2 = 6; KP6 8/2 = 4; KP7 11/2; KP8 4/1 = 4
#   Y: KP1 6/2 = 3; KP2 10/2 = 5; KP3 3/1 = 3; KP4 5/1 = 5; KP5 6/1 = 6; KP6 8/2 = 4; KP7 7/2; KP8 11/2
#   pooled: KP1 17/4; KP2 15/3 = 5; KP3 14/3; KP4 13/3; KP5 18/3 = 6; KP6 16/4 = 4; KP7 18/4 = 9/2; KP8 15/3 = 5
F = Fraction
SPKP_NRR = {
    "X": [F(11, 2), F(5), F(11, 2), F(4), F(6), F(4), F(11, 2), F(4)],
    "Y": [F(3), F(5), F(3), F(5), F(6), F(4), F(7, 2), F(11, 2)],
    "pooled": [F(17, 4), F(5), F(14, 3), F(13, 3), F(6), F(4), F(9, 2), F(5)],
}
# Equal weights 1/8, index = sum(NRR) / 8 x 100 / 6:
#   X: 11/2 x 3 + 5 + 4 + 6 + 4 + 4 = 79/2; /8 = 79/16; x 100/6 = 1975/24 = 82,291.. -> 82,29 B
#   Y: 3 + 5 + 3 + 5 + 6 + 4 + 7/2 + 11/2 = 35; /8 = 35/8; x 100/6 = 875/12 = 72,916.. -> 72,92 C
#   pooled: 17/4 + 9/2 + (14+13)/3 + 5 + 6 + 4 + 5 = 35/4 + 9 + 20 = 151/4; /8 x 100/6 = 3775/48
#           = 78,645.. -> 78,65 B
# Weights 1/4, 1/8, 1/8, 1/8, 1/16, 1/16, 1/8, 1/8 (sixteenths):
#   X: 22 + 10 + 11 + 8 + 6 + 4 + 11 + 8 = 80 -> 5; x 100/6 = 250/3 = 83,333.. -> 83,33 B
#   Y: 12 + 10 + 6 + 10 + 6 + 4 + 7 + 11 = 66 -> 33/8; x 100/6 = 275/4 = 68,75 C
#   pooled: 17/16 + 10/16 + 7/12 + 13/24 + 6/16 + 4/16 + 9/16 + 10/16 = 56/16 + 27/24 = 7/2 + 9/8 = 37/8;
#           x 100/6 = 925/12 = 77,083.. -> 77,08 B
SPKP_INDEX = {
    ("equal", "X"): (F(1975, 24), "82.29", "B"),
    ("equal", "Y"): (F(875, 12), "72.92", "C"),
    ("equal", "pooled"): (F(3775, 48), "78.65", "B"),
    ("weighted", "X"): (F(250, 3), "83.33", "B"),
    ("weighted", "Y"): (F(275, 4), "68.75", "C"),
    ("weighted", "pooled"): (F(925, 12), "77.08", "B"),
}


@pytest.mark.parametrize("weights", ["equal", "weighted"])
def test_spkp_round_by_hand(weights):
    instrument = SPKP if weights == "equal" else SPKP_WEIGHTED
    groups = _groups(instrument, {"X": SPKP_X, "Y": SPKP_Y})
    for group, (n, tallies) in groups.items():
        got = instrument_index(instrument, tallies, respondents=n)
        assert [r.nrr for r in got.items] == SPKP_NRR[group], group
        assert [r.answered for r in got.items][:3] == {"X": [2, 1, 2], "Y": [2, 2, 1], "pooled": [4, 3, 3]}[group]
        exact, printed, grade = SPKP_INDEX[(weights, group)]
        assert (got.index_exact, str(got.index), got.grade) == (exact, printed, grade), group


def test_rounding_is_half_up_once_at_the_end():
    # A 1-2 scale, 3 items: NRRs 2, 1 and 13/8 -> (2 + 1 + 13/8)/3 x 50 = 37/8 / 3 x 50 = 925/12 = 77,083.. -> 77,08;
    # rounding each NRR first (1,63) would give (4,63/3) x 50 = 77,1666.. -> 77,17.
    two = make(scale=scale(2), items=items("Q1", "Q2", "Q3"), bands=bands("50.00"))
    got = instrument_index(two, [ItemTally("Q1", 2, 1), ItemTally("Q2", 1, 1), ItemTally("Q3", 13, 8)], respondents=8)
    assert got.index_exact == Fraction(925, 12) and str(got.index) == "77.08"
    # A tie rounds up, not to even: k = 8, one item, 20 answers summing to 133:
    # NRR 133/20; x 100/8 = 13300/160 = 665/8 = 83,125 exactly -> 83,13 (banker's rounding: 83,12).
    eight = make(scale=scale(8), items=items("Q1"), bands=bands("12.50"))
    got = instrument_index(eight, [ItemTally("Q1", 133, 20)], respondents=20)
    assert got.index_exact == Fraction(665, 8) and str(got.index) == "83.13"
