"""Results of any instrument (SPKP, SPAK, and the SKM read the same way): item NRRs
and the index from the tallies, pooled and per jenis layanan (issue 20 point 5).

The arithmetic is ``skm.rules.instrument.instrument_index``; this module only reads
the ItemTally rows (one GROUP BY) and names the jenis layanan.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any, cast

from django.db.models import F, Q, Sum

from skm.db_rows import rows_iter
from skm.rules.ikm import UnsurTally
from skm.rules.instrument import Instrument, InstrumentResult, ItemTally, instrument_index, merge_item_tallies

from .answers import SKM_CODE, instrument_get, optional_instruments
from .models import ItemTally as ItemTallyModel
from .models import Period, Service, SurveyRound, Unit
from .results import NO_SERVICE_LABEL
from .selectors import tally_totals
from .selectors_comparison import standings_in_scope
from .services_standings import standings_refresh


@dataclass(frozen=True)
class InstrumentResults:
    instrument: Instrument
    pooled: InstrumentResult
    services: tuple[tuple[str, InstrumentResult], ...]  # per named jenis layanan, by name
    # Pooled answers per item and point, {item code: {1: count, ..., k: count}} (the reports' tables).
    distributions: Mapping[str, Mapping[int, int]] = field(default_factory=dict)

    @property
    def respondents(self) -> int:
        return self.pooled.respondents


def _item_tallies(tallies: list[UnsurTally]) -> list[ItemTally]:
    return [ItemTally(t.code, t.total, t.answered) for t in tallies]


def _pooled_distributions(groups) -> dict[str, dict[int, int]]:
    out: dict[str, dict[int, int]] = {}
    for _n, tallies in groups:
        for t in tallies:
            counts = out.setdefault(t.code, {})
            for point, count in t.distribution.items():
                counts[point] = counts.get(point, 0) + count
    return out


def instrument_results_get(
    *, unit: Unit, period: Period, instrument: str, service: Service | None = None
) -> InstrumentResults:
    """One instrument's result for a unit and period: pooled over every jenis
    layanan (or only ``service``'s) and per jenis layanan, from one query."""
    definition = instrument_get(instrument)
    grouped = tally_totals(unit=unit, period=period, group_by="service_id", instrument=definition.code)
    if service is not None:
        grouped = {k: v for k, v in grouped.items() if k == service.pk}
    respondents, pooled = merge_item_tallies((n, _item_tallies(t)) for n, t in grouped.values())
    names = dict(Service.objects.filter(unit=unit, pk__in=[k for k in grouped if k]).values_list("pk", "name"))
    services = sorted(
        (
            (
                names.get(cast(int, key)) or str(NO_SERVICE_LABEL),
                instrument_index(definition, _item_tallies(t), respondents=n),
            )
            for key, (n, t) in grouped.items()
            if key is not None
        ),
        key=lambda pair: pair[0].lower(),
    )
    return InstrumentResults(
        definition,
        instrument_index(definition, pooled, respondents=respondents),
        tuple(services),
        _pooled_distributions(grouped.values()),
    )


def round_instrument_results(*, round: SurveyRound) -> list[InstrumentResults]:
    """The results of every instrument the round asks besides the SKM."""
    return [
        instrument_results_get(unit=round.unit, period=round.period, instrument=i.code) for i in round.other_instruments
    ]


@dataclass(frozen=True)
class InstrumentTrendPoint:
    period: Period
    result: InstrumentResult


def instrument_trend_list(*, unit: Unit, instrument: str) -> list[InstrumentTrendPoint]:
    """One instrument's index in every period the unit has its answers in, oldest
    first: one GROUP BY period over the tallies and one query for the periods."""
    definition = instrument_get(instrument)
    grouped = tally_totals(unit=unit, group_by="period_id", instrument=definition.code)
    periods = Period.objects.filter(pk__in=list(grouped)).order_by("start_date", "code")
    return [
        InstrumentTrendPoint(
            p, instrument_index(definition, _item_tallies(grouped[p.pk][1]), respondents=grouped[p.pk][0])
        )
        for p in periods
    ]


@dataclass(frozen=True)
class RankedUnit:
    rank: int | None  # None while the unit has no index (an item without answers)
    code: str
    name: str
    result: InstrumentResult


RANKING_FIELDS = ("instrument", "unit_id", "unit_code", "unit_name", "respondents", "index100_exact")


def _ranking_rows(*, user, period: Period, scope_q=None):
    """The league-table rows of every instrument besides the SKM with answers, in
    ranking order: best index first, units without an index last, then by name."""
    standings_refresh(period_id=period.pk)
    return (
        standings_in_scope(user=user, period=period, scope_q=scope_q)
        .filter(Q(instrument__lt=SKM_CODE) | Q(instrument__gt=SKM_CODE), respondents__gt=0)
        .order_by(F("index100_exact").desc(nulls_last=True), "name_key", "unit_id")
    )


def _in_instrument_order(codes) -> list[str]:
    order = [i.code for i in optional_instruments()]
    return sorted(codes, key=lambda c: (order.index(c) if c in order else len(order), c))


def _ranked_units(*, period: Period, rows: list[Mapping[str, Any]], first_position: int = 1) -> list[RankedUnit]:
    """The rows (of one or several instruments, each in its ranking order) as ranked
    units, with their item results from the tallies (one GROUP BY for all of them);
    the first row of each instrument is at ``first_position``."""
    if not rows:
        return []
    sums = (
        ItemTallyModel.objects.filter(
            period=period,
            instrument__in={r["instrument"] for r in rows},
            unit_id__in={r["unit_id"] for r in rows},
        )
        .values("instrument", "unit_id", "item")
        .annotate(total=Sum("total"), answered=Sum("answered"))
        .order_by()
    )
    tallies: dict[tuple[str, int], dict[int, tuple[int, int]]] = {}
    for t in sums:
        tallies.setdefault((t["instrument"], t["unit_id"]), {})[t["item"]] = (t["total"], t["answered"])
    ranked = []
    positions: dict[str, int] = {}  # each instrument's ranking counts on its own
    for row in rows:
        position = positions.get(row["instrument"], first_position)
        positions[row["instrument"]] = position + 1
        definition = instrument_get(row["instrument"])
        items = tallies.get((row["instrument"], row["unit_id"]), {})
        result = instrument_index(
            definition,
            [ItemTally(item.code, *items.get(i, (0, 0))) for i, item in enumerate(definition.items, start=1)],
            respondents=row["respondents"],
        )
        rank = position if row["index100_exact"] is not None else None
        ranked.append(RankedUnit(rank, row["unit_code"], row["unit_name"], result))
    return ranked


@dataclass(frozen=True)
class InstrumentRanking:
    instrument: Instrument
    units: list[RankedUnit]  # the first ``limit`` of the ranking
    total: int  # units with answers
    bands: dict[str, int]  # {grade: units}, every band of the instrument, best first


def _grade_counts(instrument: Instrument, rows: list[Mapping[str, Any]]) -> dict[str, int]:
    """How many of the rows fall in each of the instrument's bands (read on the index
    rounded to 2 decimals, as the league table keeps it); rows without an index in none."""
    counts = {band.grade: 0 for band in sorted(instrument.bands, key=lambda b: b.low, reverse=True)}
    for row in rows:
        if row["index100_exact"] is not None:
            counts[instrument.band_for(Decimal(row["index100_exact"]) / 100).grade] += 1
    return counts


def instrument_ranking_list(*, user, period: Period, scope_q=None, limit: int = 100) -> list[InstrumentRanking]:
    """Per instrument besides the SKM: the units the user may read that have its
    answers, ranked by index (best first, units without an index last, then by
    name), at most ``limit`` of them, how many units there are and how many fall
    in each grade. Read from the league table (``Standing``), then the tallies of
    the units shown."""
    by_instrument: dict[str, list[Any]] = {}
    for row in _ranking_rows(user=user, period=period, scope_q=scope_q).values(*RANKING_FIELDS):
        by_instrument.setdefault(row["instrument"], []).append(row)
    shown = {code: units[:limit] for code, units in by_instrument.items()}
    ranked = _ranked_units(period=period, rows=[r for units in shown.values() for r in units])
    out = []
    for code in _in_instrument_order(shown):
        instrument = instrument_get(code)
        units = [r for r in ranked if r.result.instrument.code == code]
        bands = _grade_counts(instrument, by_instrument[code])
        out.append(InstrumentRanking(instrument, units, len(by_instrument[code]), bands))
    return out


def instrument_ranking_all(
    *, user, period: Period, scope_q=None, chunk_size: int = 2000
) -> Iterator[tuple[Instrument, Iterator[RankedUnit]]]:
    """Every unit of every instrument's ranking (the comparison XLSX), instrument by
    instrument, a chunk of units at a time: the same order and ranks as
    :func:`instrument_ranking_list`, without its limit."""
    rows = _ranking_rows(user=user, period=period, scope_q=scope_q)
    codes = set(rows.order_by().values_list("instrument", flat=True).distinct())
    for code in _in_instrument_order(codes):
        yield (
            instrument_get(code),
            _ranked_chunks(
                period=period, rows=rows.filter(instrument=code).values(*RANKING_FIELDS), chunk_size=chunk_size
            ),
        )


def _ranked_chunks(*, period: Period, rows, chunk_size: int) -> Iterator[RankedUnit]:
    stream = rows_iter(rows, chunk_size=chunk_size)
    position = 1
    while chunk := list(islice(stream, chunk_size)):
        yield from _ranked_units(period=period, rows=chunk, first_position=position)
        position += len(chunk)
