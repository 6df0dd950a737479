"""An instrument is data: a scale, items, weights and grade bands, and its exact index.

Pure module: no Django imports. The arithmetic is the IKM's, generalised from
the 1-4 scale to 1-k (issue 20, point 1):

- NRR of an item = sum of its answers / number of answers given (a blank is
  not an answer, never scored 0);
- index = sum(weight_i x NRR_i) x 100 / k, on ``Fraction``s, rounded half-up to
  2 decimals once, at the end, with ``skm.rules.ikm.round_half_up``.

For k = 4 and the weight 1/9 this is the IKM of Permenpan RB 14/2017
(x 100 / 4 = x 25); ``skm/tests/rules/test_instrument.py`` proves the SKM
instrument gives exactly ``compute_ikm``'s value in every weight mode.

Validation failures raise ``InstrumentError`` with a stable ``code`` and its
``params``; Django code translates them (``surveys.instruments``), this module
never formats a user-facing sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from .ikm import round_half_up

MIN_POINTS = 2
MAX_POINTS = 10
HUNDRED = Decimal("100.00")
STEP = Decimal("0.01")  # bands are read on the index rounded to 2 decimals
EXACT_MODE = "exact"  # the instrument's own weights (equal, or the ones it states)


class ErrorCode(StrEnum):
    SCALE_POINTS = "scale_points"  # k outside 2..10
    SCALE_LABELS = "scale_labels"  # not one label per point
    NO_ITEMS = "no_items"
    DUPLICATE_ITEM = "duplicate_item"
    ITEM_LABELS = "item_labels"  # an item's own labels, not one per point
    WEIGHT_COUNT = "weight_count"  # not one weight per item
    WEIGHT_NOT_POSITIVE = "weight_not_positive"
    WEIGHT_SUM = "weight_sum"  # weights do not add up to exactly 1
    WEIGHT_MODE_UNLOCKED = "weight_mode_unlocked"  # rounded weight modes are for locked built-ins only
    NO_BANDS = "no_bands"
    BAND_BOUNDS = "band_bounds"  # low > high, or not on 2 decimals
    BAND_FLOOR = "band_floor"  # the lowest band starts above the lowest reachable index
    BAND_CEILING = "band_ceiling"  # the highest band does not end at 100.00
    BAND_GAP = "band_gap"
    BAND_OVERLAP = "band_overlap"
    DUPLICATE_GRADE = "duplicate_grade"
    LOCKED = "locked"  # the SKM instrument of the regulation cannot be edited
    UNKNOWN_INSTRUMENT = "unknown_instrument"
    UNKNOWN_WEIGHT_MODE = "unknown_weight_mode"
    UNKNOWN_ITEM = "unknown_item"  # an answer or tally for an item the instrument lacks
    ANSWER_OUT_OF_SCALE = "answer_out_of_scale"
    TALLY_INVALID = "tally_invalid"  # answered < 0, or a total no answers on 1..k can give


class InstrumentError(ValueError):
    """A typed rule error: ``code`` says which rule, ``params`` the values in it."""

    def __init__(self, error: ErrorCode, /, **params: Any) -> None:
        super().__init__(f"{error.value}: {params}")
        self.code = error
        self.params = params


@dataclass(frozen=True)
class Text:
    """A user-facing text in Bahasa Indonesia (``id``) and English (``en``)."""

    id: str
    en: str = ""

    def get(self, language: str = "id") -> str:
        """The text in ``language`` ("id" or "en"); Indonesian where no English is given."""
        return self.en if language.startswith("en") and self.en else self.id


@dataclass(frozen=True)
class Scale:
    """Points 1..k. ``labels`` run from the worst (1) to the best (k), always;
    ``best_first`` says that a printed form lists the best point first."""

    points: int
    labels: tuple[Text, ...]
    best_first: bool = False

    def __post_init__(self) -> None:
        if not MIN_POINTS <= self.points <= MAX_POINTS:
            raise InstrumentError(ErrorCode.SCALE_POINTS, points=self.points, low=MIN_POINTS, high=MAX_POINTS)
        if len(self.labels) != self.points:
            raise InstrumentError(ErrorCode.SCALE_LABELS, points=self.points, labels=len(self.labels))

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(range(1, self.points + 1))

    @property
    def floor(self) -> Decimal:
        """The lowest index reachable (every answer 1, weights summing to 1): 100/k, rounded."""
        return round_half_up(Fraction(100, self.points), 2)


@dataclass(frozen=True)
class Item:
    """One question. ``labels`` (worst to best) override the scale's for this item."""

    code: str
    name: Text  # the short aspect name ("Persyaratan")
    text: Text  # the question or statement as the form prints it
    labels: tuple[Text, ...] = ()
    group: Text | None = None


@dataclass(frozen=True)
class Band:
    """A grade on the rounded 0-100 index, ``low`` and ``high`` both inclusive (2 decimals)."""

    grade: str
    label: Text
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class WeightMode:
    """A named alternative set of weights, one per item. Only the locked SKM
    instrument has any: the regulation's rounded printings 0.111 and 0.11 of 1/9,
    which do not add up to 1 and are kept because units print them."""

    code: str
    weights: tuple[Fraction, ...]
    description: Text = field(default_factory=lambda: Text(""))


@dataclass(frozen=True)
class Instrument:
    code: str
    name: Text
    index_name: str  # "IKM", "IPKP", "IPAK": what the index is called in reports
    scale: Scale
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    # None: equal weights (1/n each). Otherwise one positive Fraction per item, summing to 1.
    weights: tuple[Fraction, ...] | None = None
    weight_modes: tuple[WeightMode, ...] = ()
    locked: bool = False
    basis: Text = field(default_factory=lambda: Text(""))  # legal basis / where the items come from

    def __post_init__(self) -> None:
        n = len(self.items)
        if n == 0:
            raise InstrumentError(ErrorCode.NO_ITEMS)
        seen: set[str] = set()
        for item in self.items:
            key = item.code.strip().upper()
            if key in seen:
                raise InstrumentError(ErrorCode.DUPLICATE_ITEM, item=item.code)
            seen.add(key)
            if item.labels and len(item.labels) != self.scale.points:
                raise InstrumentError(
                    ErrorCode.ITEM_LABELS, item=item.code, points=self.scale.points, labels=len(item.labels)
                )
        if self.weights is not None:
            _check_weights(self.weights, n, must_sum_to_one=True)
        for mode in self.weight_modes:
            if not self.locked:
                raise InstrumentError(ErrorCode.WEIGHT_MODE_UNLOCKED, mode=mode.code)
            _check_weights(mode.weights, n, must_sum_to_one=False)
        _check_bands(self.bands, self.scale.floor)

    # --- reading -----------------------------------------------------------------

    @property
    def item_weights(self) -> tuple[Fraction, ...]:
        """The instrument's own weights, one per item (equal: 1/n each)."""
        if self.weights is None:
            return (Fraction(1, len(self.items)),) * len(self.items)
        return self.weights

    @property
    def weight_mode_codes(self) -> tuple[str, ...]:
        return (EXACT_MODE, *(m.code for m in self.weight_modes))

    def weights_for(self, mode: str = EXACT_MODE) -> tuple[Fraction, ...]:
        """The weights of ``mode``: "exact" is the instrument's own; others are named modes."""
        key = str(mode).strip().replace(",", ".")
        if key == EXACT_MODE:
            return self.item_weights
        for m in self.weight_modes:
            if m.code == key:
                return m.weights
        raise InstrumentError(ErrorCode.UNKNOWN_WEIGHT_MODE, mode=mode, modes=self.weight_mode_codes)

    def labels_for(self, item: Item) -> tuple[Text, ...]:
        return item.labels or self.scale.labels

    def item(self, code: str) -> Item:
        for item in self.items:
            if item.code == code:
                return item
        raise InstrumentError(ErrorCode.UNKNOWN_ITEM, item=code, instrument=self.code)

    def band_for(self, index: Decimal) -> Band:
        """Grade an index already rounded to 2 decimals: the band whose low it reaches;
        below every band (only rounded weight modes get there) the lowest band."""
        ordered = sorted(self.bands, key=lambda b: b.low, reverse=True)
        for band in ordered:
            if index >= band.low:
                return band
        return ordered[-1]

    # --- a unit's copy -------------------------------------------------------------

    def derive(self, **changes: Any) -> Instrument:
        """An edited copy (another code, weights, wording, items...), validated again.
        The locked SKM instrument of the regulation refuses."""
        if self.locked:
            raise InstrumentError(ErrorCode.LOCKED, instrument=self.code)
        return replace(self, **changes)


def _check_weights(weights: tuple[Fraction, ...], n: int, *, must_sum_to_one: bool) -> None:
    if len(weights) != n:
        raise InstrumentError(ErrorCode.WEIGHT_COUNT, items=n, weights=len(weights))
    for i, w in enumerate(weights):
        if not isinstance(w, Fraction | int) or isinstance(w, bool) or w <= 0:
            raise InstrumentError(ErrorCode.WEIGHT_NOT_POSITIVE, position=i + 1, weight=str(w))
    if must_sum_to_one and sum(weights, Fraction(0)) != 1:
        raise InstrumentError(ErrorCode.WEIGHT_SUM, total=str(sum(weights, Fraction(0))))


def _check_bands(bands: tuple[Band, ...], floor: Decimal) -> None:
    """Bands must cover every reachable rounded index, [100/k rounded, 100.00], at
    0.01 resolution: no gap, no overlap, each with low <= high."""
    if not bands:
        raise InstrumentError(ErrorCode.NO_BANDS)
    grades = [b.grade for b in bands]
    if len(set(grades)) != len(grades):
        raise InstrumentError(ErrorCode.DUPLICATE_GRADE, grades=grades)
    for b in bands:
        if b.low > b.high or b.low != b.low.quantize(STEP) or b.high != b.high.quantize(STEP):
            raise InstrumentError(ErrorCode.BAND_BOUNDS, grade=b.grade, low=str(b.low), high=str(b.high))
    ordered = sorted(bands, key=lambda b: b.low)
    if ordered[0].low > floor:
        raise InstrumentError(ErrorCode.BAND_FLOOR, grade=ordered[0].grade, low=str(ordered[0].low), floor=str(floor))
    if ordered[-1].high != HUNDRED:
        raise InstrumentError(ErrorCode.BAND_CEILING, grade=ordered[-1].grade, high=str(ordered[-1].high))
    for below, above in zip(ordered, ordered[1:], strict=False):
        if above.low <= below.high:
            raise InstrumentError(ErrorCode.BAND_OVERLAP, lower=below.grade, upper=above.grade)
        if above.low != below.high + STEP:
            raise InstrumentError(
                ErrorCode.BAND_GAP, lower=below.grade, upper=above.grade, high=str(below.high), low=str(above.low)
            )


# --- the index ----------------------------------------------------------------------


@dataclass(frozen=True)
class ItemTally:
    """Sum and count of one item's answers (a blank counts in neither)."""

    code: str
    total: int
    answered: int


@dataclass(frozen=True)
class ItemResult:
    code: str
    total: int
    answered: int
    weight: Fraction
    nrr: Fraction | None  # exact; None while nobody answered the item


@dataclass(frozen=True)
class InstrumentResult:
    instrument: Instrument
    weight_mode: str
    respondents: int
    items: tuple[ItemResult, ...]
    index_exact: Fraction | None  # None while any item has no answer

    @property
    def index(self) -> Decimal | None:
        """The index rounded half-up to 2 decimals, once."""
        return None if self.index_exact is None else round_half_up(self.index_exact, 2)

    @property
    def band(self) -> Band | None:
        index = self.index
        return None if index is None else self.instrument.band_for(index)

    @property
    def grade(self) -> str | None:
        return None if self.band is None else self.band.grade

    @property
    def rows(self) -> tuple[tuple[ItemResult, Item], ...]:
        """Each item's result with its definition (name, text, group), in order."""
        return tuple(zip(self.items, self.instrument.items, strict=True))

    def by_code(self, code: str) -> ItemResult:
        for r in self.items:
            if r.code == code:
                return r
        raise InstrumentError(ErrorCode.UNKNOWN_ITEM, item=code, instrument=self.instrument.code)


def tally_answers(instrument: Instrument, answers: Iterable[Mapping[str, int | None]]) -> tuple[int, list[ItemTally]]:
    """Respondents and per-item tallies from answer rows ({item code: 1..k or None}).

    A missing key or None is a blank; a value outside 1..k is refused."""
    codes = [item.code for item in instrument.items]
    known = set(codes)
    total = dict.fromkeys(codes, 0)
    answered = dict.fromkeys(codes, 0)
    respondents = 0
    for row in answers:
        respondents += 1
        for code, value in row.items():
            if code not in known:
                raise InstrumentError(ErrorCode.UNKNOWN_ITEM, item=code, instrument=instrument.code)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value not in instrument.scale.scores:
                raise InstrumentError(
                    ErrorCode.ANSWER_OUT_OF_SCALE, item=code, value=value, points=instrument.scale.points
                )
            total[code] += value
            answered[code] += 1
    return respondents, [ItemTally(code, total[code], answered[code]) for code in codes]


def merge_item_tallies(groups: Iterable[tuple[int, Iterable[ItemTally]]]) -> tuple[int, list[ItemTally]]:
    """Pool per-group tallies (one group per jenis layanan): sums of sums and counts are exact."""
    respondents = 0
    total: dict[str, int] = {}
    answered: dict[str, int] = {}
    for n, tallies in groups:
        respondents += n
        for t in tallies:
            total[t.code] = total.get(t.code, 0) + t.total
            answered[t.code] = answered.get(t.code, 0) + t.answered
    return respondents, [ItemTally(code, total[code], answered[code]) for code in total]


def instrument_index(
    instrument: Instrument,
    tallies: Iterable[ItemTally],
    *,
    respondents: int,
    weight_mode: str = EXACT_MODE,
) -> InstrumentResult:
    """Item NRRs and the index, exactly: index = sum(w_i x NRR_i) x 100 / k.

    An item without a tally, or with no answers, has no NRR, and the index is
    then None (as the IKM: a mean over the answered items would change the weights)."""
    weights = instrument.weights_for(weight_mode)
    k = instrument.scale.points
    by_code: dict[str, ItemTally] = {}
    known = {item.code for item in instrument.items}
    for t in tallies:
        if t.code not in known:
            raise InstrumentError(ErrorCode.UNKNOWN_ITEM, item=t.code, instrument=instrument.code)
        if t.answered < 0 or not t.answered <= t.total <= k * t.answered:
            raise InstrumentError(ErrorCode.TALLY_INVALID, item=t.code, total=t.total, answered=t.answered)
        by_code[t.code] = t
    results = []
    for item, weight in zip(instrument.items, weights, strict=True):
        t = by_code.get(item.code, ItemTally(item.code, 0, 0))
        nrr = Fraction(t.total, t.answered) if t.answered else None
        results.append(ItemResult(item.code, t.total, t.answered, weight, nrr))
    index: Fraction | None = None
    if respondents and all(r.nrr is not None for r in results):
        weighted = sum((r.weight * r.nrr for r in results if r.nrr is not None), Fraction(0))
        index = weighted * 100 / k
    return InstrumentResult(instrument, str(weight_mode), respondents, tuple(results), index)


# --- the `skm_instrument show --json` document -------------------------------------------


def _fraction_text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def instrument_payload(instrument: Instrument, *, language: str = "id") -> dict[str, Any]:
    """``{"code", "name", "scale_max", "items": [{"code", "text", "weight"}], "bands": [...]}``.

    Numbers are strings, so nothing passes through float: a weight is the exact
    fraction ("1/9"), a band bound has 2 decimals ("88.31"). Bands are listed
    best first, as the regulation's table prints them."""
    return {
        "code": instrument.code,
        "name": instrument.name.get(language),
        "scale_max": instrument.scale.points,
        "items": [
            {"code": item.code, "text": item.text.get(language), "weight": _fraction_text(w)}
            for item, w in zip(instrument.items, instrument.item_weights, strict=True)
        ],
        "bands": [
            {"grade": b.grade, "label": b.label.get(language), "low": f"{b.low:.2f}", "high": f"{b.high:.2f}"}
            for b in sorted(instrument.bands, key=lambda b: b.low, reverse=True)
        ],
    }


# --- the `skm_ikm --instrument CODE --json` document -----------------------------------


def _json_decimal(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def instrument_result_payload(
    result: InstrumentResult,
    *,
    unit: str,
    period: str,
    layanan: str | None = None,
    breakdown: Iterable[tuple[str, InstrumentResult]] = (),
    language: str = "id",
) -> dict[str, Any]:
    """``{"instrument", "respondents", "index", "grade", "items": [{"code", "nrr", ...}]}``.

    ``nrr`` is rounded half-up to 6 decimals and ``index`` to 2 (as ``skm_ikm``
    prints the SKM); ``nrr_exact`` gives the exact fraction ("17/5") for checks."""
    instrument = result.instrument

    def body(r: InstrumentResult) -> dict[str, Any]:
        band = r.band
        return {
            "respondents": r.respondents,
            "index": _json_decimal(r.index),
            "grade": r.grade,
            "label": None if band is None else band.label.get(language),
            "items": [
                {
                    "code": item.code,
                    "total": item.total,
                    "answered": item.answered,
                    "weight": _fraction_text(item.weight),
                    "nrr": _json_decimal(None if item.nrr is None else round_half_up(item.nrr, 6)),
                    "nrr_exact": None if item.nrr is None else _fraction_text(item.nrr),
                }
                for item in r.items
            ],
        }

    return {
        "instrument": instrument.code,
        "index_name": instrument.index_name,
        "unit": unit,
        "period": period,
        "layanan": layanan,
        "scale_max": instrument.scale.points,
        **body(result),
        "per_layanan": [{"layanan": name, **body(r)} for name, r in breakdown],
    }
