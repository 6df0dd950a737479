"""Results of any instrument (SPKP, SPAK, and the SKM read the same way): item NRRs
and the index from the tallies, pooled and per jenis layanan (issue 20 point 5).

The arithmetic is ``skm.rules.instrument.instrument_index``; this module only reads
the ItemTally rows (one GROUP BY) and names the jenis layanan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Sum

from skm.rules.ikm import UnsurTally
from skm.rules.instrument import Instrument, InstrumentResult, ItemTally, instrument_index, merge_item_tallies

from .access import user_unit_access
from .answers import SKM_CODE, instrument_get, optional_instruments
from .models import RESPONDENTS_ITEM, Period, Service, SurveyRound, Unit
from .models import ItemTally as ItemTallyModel
from .results import NO_SERVICE_LABEL
from .selectors import tally_totals


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
            (names.get(key) or str(NO_SERVICE_LABEL), instrument_index(definition, _item_tallies(t), respondents=n))
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
    """Per instrument besides the SKM: the units the user may read, ranked by
    index (best first, units without an index last, then by name), at most
    ``limit`` of them, and how many units there are. One query when no unit
    of the scope asked another instrument in the period, two otherwise."""
    access = user_unit_access(user=user)
    scope = Unit.objects.filter(access.unit_q())
    if scope_q is not None:
        scope = scope.filter(scope_q)
    rows = (
        ItemTallyModel.objects.filter(period=period, unit_id__in=scope.values("id"))
        .exclude(instrument=SKM_CODE)
        .values("instrument", "unit_id", "item")
        .annotate(total=Sum("total"), answered=Sum("answered"))
        .order_by()
    )
    grouped: dict[str, dict[int, dict[int, tuple[int, int]]]] = {}
    for row in rows:
        grouped.setdefault(row["instrument"], {}).setdefault(row["unit_id"], {})[row["item"]] = (
            row["total"],
            row["answered"],
        )
    if not grouped:
        return []
    unit_ids = {unit_id for units in grouped.values() for unit_id in units}
    names = {u["id"]: u for u in Unit.objects.filter(pk__in=unit_ids).values("id", "code", "name")}
    out = []
    for code in sorted(grouped, key=lambda c: [i.code for i in optional_instruments()].index(c)):
        definition = instrument_get(code)
        results = []
        for unit_id, items in grouped[code].items():
            respondents = items.get(RESPONDENTS_ITEM, (0, 0))[1]
            if not respondents:
                continue
            tallies = [
                ItemTally(item.code, *items.get(position, (0, 0)))
                for position, item in enumerate(definition.items, start=1)
            ]
            unit = names[unit_id]
            results.append((unit, instrument_index(definition, tallies, respondents=respondents)))
        results.sort(key=lambda ur: (ur[1].index_exact is None, -(ur[1].index_exact or 0), ur[0]["name"].lower()))
        ranked = []
        rank = 0
        for unit, result in results[:limit]:
            if result.index_exact is not None:
                rank += 1
            ranked.append(
                RankedUnit(rank if result.index_exact is not None else None, unit["code"], unit["name"], result)
            )
        out.append((definition, ranked, len(results)))
    return out
