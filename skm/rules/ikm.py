"""IKM arithmetic of Permenpan RB 14/2017, on exact numbers.

Pure module: no Django imports, so every rule can be checked against hand
arithmetic. NRR is kept as an exact ``Fraction``; values are rounded half-up
to two decimals with ``Decimal`` only at the end, and grades are read from
the rounded value (as the regulation's tables do).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from fractions import Fraction

from .unsur import DEFAULT_BY_CODE, SCORES, UNSUR_CODES

CONVERSION = 25


class WeightMode(StrEnum):
    EXACT = "exact"
    W0111 = "0.111"
    W011 = "0.11"


WEIGHTS: dict[WeightMode, Fraction] = {
    WeightMode.EXACT: Fraction(1, 9),
    WeightMode.W0111: Fraction(111, 1000),
    WeightMode.W011: Fraction(11, 100),
}

WEIGHT_DESCRIPTIONS: dict[WeightMode, str] = {
    WeightMode.EXACT: "bobot 1/9 (rumus Permenpan RB 14/2017)",
    WeightMode.W0111: "bobot 0,111 (pembulatan lembar kerja)",
    WeightMode.W011: "bobot 0,11 (contoh perhitungan Permenpan)",
}


@dataclass(frozen=True)
class Band:
    grade: str
    label: str
    min_converted: Decimal  # inclusive lower bound of the converted value
    min_nrr: Decimal  # the same bound on the 1-4 scale, as printed in the regulation
    max_converted: Decimal
    max_nrr: Decimal


BANDS: tuple[Band, ...] = (
    Band("A", "Sangat Baik", Decimal("88.31"), Decimal("3.5324"), Decimal("100.00"), Decimal("4.00")),
    Band("B", "Baik", Decimal("76.61"), Decimal("3.0644"), Decimal("88.30"), Decimal("3.532")),
    Band("C", "Kurang Baik", Decimal("65.00"), Decimal("2.60"), Decimal("76.60"), Decimal("3.064")),
    Band("D", "Tidak Baik", Decimal("25.00"), Decimal("1.00"), Decimal("64.99"), Decimal("2.5996")),
)


def parse_weight_mode(value: str | WeightMode) -> WeightMode:
    """Parse a weight mode at the edge (settings, a URL, a command option, a stored job).

    "0,111" (Indonesian comma) is read as "0.111". Everything downstream takes WeightMode."""
    try:
        return WeightMode(str(value).strip().replace(",", "."))
    except ValueError:
        raise ValueError(f"mode bobot tidak dikenal: {value!r} (pilih exact, 0.111 atau 0.11)") from None


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """Round half-up to ``places`` decimals without passing through float."""
    if isinstance(value, Fraction):
        with localcontext() as ctx:
            ctx.prec = 60
            value = Decimal(value.numerator) / Decimal(value.denominator)
    quantum = Decimal(1).scaleb(-places)
    with localcontext() as ctx:
        ctx.prec = 60
        return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def nrr_of(total: int | None, answered: int | None) -> Fraction | None:
    """NRR of one unsur: the sum of its answers over the number who answered it."""
    return Fraction(total or 0, answered) if answered else None


def converted_value(nrr: Fraction | None) -> Decimal | None:
    """The per-unsur converted value NRR x 25, rounded half-up to 2 decimals."""
    return None if nrr is None else round_half_up(nrr * CONVERSION, 2)


def band_for(converted: Decimal) -> Band:
    """Grade a converted value (25-100) that is already rounded to 2 decimals."""
    for band in BANDS:
        if converted >= band.min_converted:
            return band
    return BANDS[-1]


@dataclass(frozen=True)
class UnsurTally:
    """What the database aggregate returns for one unsur."""

    code: str
    total: int
    answered: int
    distribution: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class UnsurResult:
    code: str
    name: str
    total: int
    answered: int
    distribution: dict[int, int]
    nrr_exact: Fraction | None

    @property
    def nrr(self) -> Fraction | None:
        """The exact NRR (sum / answered). Print it with ``format_number``, once."""
        return self.nrr_exact

    @property
    def converted(self) -> Decimal | None:
        return converted_value(self.nrr_exact)

    @property
    def band(self) -> Band | None:
        converted = self.converted
        return None if converted is None else band_for(converted)

    @property
    def grade(self) -> str | None:
        return self.band.grade if self.band else None

    @property
    def label(self) -> str | None:
        return self.band.label if self.band else None

    def weighted(self, mode: WeightMode) -> Decimal | None:
        """NRR tertimbang (NRR x weight), 4 decimals for display."""
        if self.nrr_exact is None:
            return None
        return round_half_up(self.nrr_exact * WEIGHTS[mode], 4)


@dataclass(frozen=True)
class IkmResult:
    weight_mode: WeightMode
    respondents: int
    unsur: tuple[UnsurResult, ...]
    ikm_exact: Fraction | None

    @property
    def ikm(self) -> Decimal | None:
        return None if self.ikm_exact is None else round_half_up(self.ikm_exact, 2)

    @property
    def band(self) -> Band | None:
        return None if self.ikm is None else band_for(self.ikm)

    @property
    def grade(self) -> str | None:
        return self.band.grade if self.band else None

    @property
    def label(self) -> str | None:
        return self.band.label if self.band else None

    @property
    def weight_description(self) -> str:
        return WEIGHT_DESCRIPTIONS[self.weight_mode]

    @property
    def priority(self) -> tuple[str, ...]:
        return priority_order(self.unsur)

    def by_code(self, code: str) -> UnsurResult:
        return next(u for u in self.unsur if u.code == code)

    @property
    def mean_nrr(self) -> Fraction | None:
        """The exact mean of the answered unsur's NRR."""
        values = [u.nrr_exact for u in self.unsur if u.nrr_exact is not None]
        return sum(values, Fraction(0)) / len(values) if values else None


def priority_order(results: Iterable[UnsurResult]) -> tuple[str, ...]:
    """Unsur codes, lowest NRR first; ties by code order; unanswered unsur last."""
    order = {code: i for i, code in enumerate(UNSUR_CODES)}
    ranked = sorted(
        results,
        key=lambda u: (u.nrr_exact is None, u.nrr_exact or 0, order[u.code]),
    )
    return tuple(u.code for u in ranked)


def compute_ikm(
    tallies: Iterable[UnsurTally],
    *,
    respondents: int,
    weight_mode: WeightMode = WeightMode.EXACT,
    names: Mapping[str, str] | None = None,
) -> IkmResult:
    """NRR per unsur = total / answered (blanks excluded, never scored 0);
    IKM = sum(NRR x weight) x 25. IKM is None while any unsur has no answer."""
    by_code = {t.code: t for t in tallies}
    results = []
    for code in UNSUR_CODES:
        tally = by_code.get(code, UnsurTally(code, 0, 0, {}))
        distribution = {score: int(tally.distribution.get(score, 0)) for score in SCORES}
        nrr = nrr_of(tally.total, tally.answered)
        name = (names or {}).get(code) or DEFAULT_BY_CODE[code].name
        results.append(UnsurResult(code, name, tally.total, tally.answered, distribution, nrr))
    nrrs = [u.nrr_exact for u in results if u.nrr_exact is not None]
    ikm: Fraction | None = None
    if respondents and len(nrrs) == len(results):
        ikm = sum((nrr * WEIGHTS[weight_mode] for nrr in nrrs), Fraction(0)) * CONVERSION
    return IkmResult(weight_mode, respondents, tuple(results), ikm)


def distribution_from(total: int, answered: int, n1: int, n2: int) -> dict[int, int]:
    """The full 1-4 distribution from SUM, COUNT and the counts of 1s and 2s.

    Answers are 1..4 (a database CHECK), so with R = answered - n1 - n2 and
    T = total - n1 - 2*n2 the rest satisfies n3 + n4 = R and 3*n3 + 4*n4 = T:
    n4 = T - 3R, n3 = 4R - T. Two filtered counts instead of four keep the
    aggregate within reach of a bare SUM/COUNT (see bench/bench_ikm.py)."""
    rest = answered - n1 - n2
    rest_total = total - n1 - 2 * n2
    n4 = rest_total - 3 * rest
    n3 = 4 * rest - rest_total
    if n3 < 0 or n4 < 0:
        raise ValueError("inconsistent tallies: answers outside 1-4?")
    return {1: n1, 2: n2, 3: n3, 4: n4}


def merge_tallies(
    groups: Iterable[tuple[int, Iterable[UnsurTally]]],
    *,
    codes: Sequence[str] = UNSUR_CODES,
    scores: Sequence[int] = SCORES,
) -> tuple[int, list[UnsurTally]]:
    """Pool the per-group aggregates of a GROUP BY (a handful of rows, one per
    group) into the unit's totals: sums of sums and counts are exact. ``codes``
    and ``scores``: another instrument's items and scale (the SKM's by default)."""
    respondents = 0
    sums = dict.fromkeys(codes, 0)
    answered = dict.fromkeys(codes, 0)
    counts = {code: dict.fromkeys(scores, 0) for code in codes}
    for n, tallies in groups:
        respondents += n
        for t in tallies:
            sums[t.code] += t.total
            answered[t.code] += t.answered
            for score in scores:
                counts[t.code][score] += int(t.distribution.get(score, 0))
    return respondents, [UnsurTally(code, sums[code], answered[code], counts[code]) for code in codes]


def mean_of_ikms(values: Iterable[Decimal | None]) -> Decimal | None:
    """Unweighted mean of per-service IKMs; shown only when labelled as such."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    return round_half_up(Fraction(sum(present, Decimal(0))) / len(present), 2)


def krejcie_morgan(population: int) -> int:
    """Sample size for a population N (chi-square 3.841, p=0.5, d=0.05), rounded up."""
    if population <= 0:
        return 0
    n = Fraction(population)
    chi = Fraction(3841, 1000)
    s = chi * n * Fraction(1, 4) / (Fraction(25, 10000) * (n - 1) + chi * Fraction(1, 4))
    return min(population, math.ceil(s))


AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    # Seed 004 (Tabel III.2) counts a 20-year-old in its first band.
    ("≤ 20", None, 20),
    ("21 - 30", 21, 30),
    ("31 - 40", 31, 40),
    ("41 - 50", 41, 50),
    ("51 - 60", 51, 60),
    ("> 60", 61, None),
)


def percentage(part: int, whole: int) -> Decimal:
    return round_half_up(Fraction(part * 100, whole), 2) if whole else Decimal("0.00")


def age_band_index(age: int | None) -> int | None:
    """Index of the AGE_BANDS row an age falls in; None when unknown.

    The SQL form (``surveys.results.age_band_expression``) is built from the same
    AGE_BANDS rows, and a test checks that both agree for every age."""
    if age is None:
        return None
    for i, (_label, low, high) in enumerate(AGE_BANDS):
        if (low is None or age >= low) and (high is None or age <= high):
            return i
    return None


@dataclass(frozen=True)
class SampleAdequacy:
    """Krejcie & Morgan check for one jenis layanan."""

    service: str
    population: int | None
    required: int | None
    respondents: int

    @property
    def adequate(self) -> bool | None:
        return None if self.required is None else self.respondents >= self.required

    @property
    def flag(self) -> str:
        if self.adequate is None:
            return "populasi belum diisi"
        return "cukup" if self.adequate else "belum cukup"


def sample_adequacy_for(service: str, population: int | None, respondents: int) -> SampleAdequacy:
    required = krejcie_morgan(population) if population else None
    return SampleAdequacy(service, population, required, respondents)


def _json_number(value: Decimal | None) -> float | None:
    # Decimals are already rounded; float() of a short decimal prints it back exactly.
    return None if value is None else float(value)


def ikm_payload(
    result: IkmResult,
    *,
    unit: str,
    period: str,
    layanan: str | None,
    breakdown: Iterable[tuple[str, IkmResult]] = (),
) -> dict:
    """The `skm_ikm --json` document (shape fixed by the issue): nrr with 6
    decimals, converted and ikm rounded half-up to 2, priority lowest first."""
    return {
        "unit": unit,
        "period": period,
        "layanan": layanan,
        "weight": str(result.weight_mode),
        "respondents": result.respondents,
        "unsur": [
            {
                "code": u.code,
                "name": u.name,
                "total": u.total,
                "answered": u.answered,
                "nrr": _json_number(None if u.nrr_exact is None else round_half_up(u.nrr_exact, 6)),
                "converted": _json_number(u.converted),
                "grade": u.grade,
                "label": u.label,
                "distribution": {str(score): u.distribution.get(score, 0) for score in SCORES},
            }
            for u in result.unsur
        ],
        "ikm": _json_number(result.ikm),
        "grade": result.grade,
        "label": result.label,
        "priority": list(result.priority),
        "layanan_breakdown": [
            {"layanan": name, "respondents": r.respondents, "ikm": _json_number(r.ikm), "grade": r.grade}
            for name, r in breakdown
        ],
    }
