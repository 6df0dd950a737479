"""Results of any instrument (SPKP, SPAK, and the SKM read the same way): item NRRs
and the index from the tallies, pooled and per jenis layanan (issue 20 point 5).

The arithmetic is ``skm.rules.instrument.instrument_index``; this module only reads
the ItemTally rows (one GROUP BY) and names the jenis layanan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from skm.rules.ikm import UnsurTally
from skm.rules.instrument import Instrument, InstrumentResult, ItemTally, instrument_index, merge_item_tallies

from .answers import instrument_get
from .models import Period, Service, SurveyRound, Unit
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
