"""Results of any instrument (SPKP, SPAK, and the SKM read the same way): item NRRs
and the index from the tallies, pooled and per jenis layanan (issue 20 point 5).

The arithmetic is ``skm.rules.instrument.instrument_index``; this module only reads
the ItemTally rows (one GROUP BY) and names the jenis layanan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import F, Q, Sum

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


def instrument_ranking_list(
    *, user, period: Period, scope_q=None, limit: int = 100
) -> list[tuple[Instrument, list[RankedUnit], int]]:
    """Per instrument besides the SKM: the units the user may read that have its
    answers, ranked by index (best first, units without an index last, then by
    name), at most ``limit`` of them, and how many units there are. Read from the
    league table (``Standing``), then the tallies of the units shown."""
    standings_refresh(period_id=period.pk)
    rows = (
        standings_in_scope(user=user, period=period, scope_q=scope_q)
        .filter(Q(instrument__lt=SKM_CODE) | Q(instrument__gt=SKM_CODE), respondents__gt=0)
        .order_by(F("index100_exact").desc(nulls_last=True), "name_key", "unit_id")
        .values("instrument", "unit_id", "unit_code", "unit_name", "respondents", "index100_exact")
    )
    by_instrument: dict[str, list[Any]] = {}
    for row in rows:
        by_instrument.setdefault(row["instrument"], []).append(row)
    if not by_instrument:
        return []
    shown = {code: units[:limit] for code, units in by_instrument.items()}
    sums = (
        ItemTallyModel.objects.filter(
            period=period,
            instrument__in=list(shown),
            unit_id__in={r["unit_id"] for units in shown.values() for r in units},
        )
        .values("instrument", "unit_id", "item")
        .annotate(total=Sum("total"), answered=Sum("answered"))
        .order_by()
    )
    tallies: dict[tuple[str, int], dict[int, tuple[int, int]]] = {}
    for t in sums:
        tallies.setdefault((t["instrument"], t["unit_id"]), {})[t["item"]] = (t["total"], t["answered"])
    order = [i.code for i in optional_instruments()]
    out = []
    for code in sorted(shown, key=lambda c: (order.index(c) if c in order else len(order), c)):
        definition = instrument_get(code)
        ranked = []
        for position, unit_row in enumerate(shown[code], start=1):
            items = tallies.get((code, unit_row["unit_id"]), {})
            result = instrument_index(
                definition,
                [ItemTally(item.code, *items.get(i, (0, 0))) for i, item in enumerate(definition.items, start=1)],
                respondents=unit_row["respondents"],
            )
            rank = position if unit_row["index100_exact"] is not None else None
            ranked.append(RankedUnit(rank, unit_row["unit_code"], unit_row["unit_name"], result))
        out.append((definition, ranked, len(by_instrument[code])))
    return out
