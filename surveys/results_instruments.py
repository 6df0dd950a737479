"""Results of any instrument (SPKP, SPAK, and the SKM read the same way): item NRRs
and the index from the tallies, pooled and per jenis layanan (issue 20 point 5).

The arithmetic is ``skm.rules.instrument.instrument_index``; this module only reads
the ItemTally rows (one GROUP BY) and names the jenis layanan.
"""

from __future__ import annotations

from dataclasses import dataclass

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

    @property
    def respondents(self) -> int:
        return self.pooled.respondents


def _item_tallies(tallies: list[UnsurTally]) -> list[ItemTally]:
    return [ItemTally(t.code, t.total, t.answered) for t in tallies]


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
    return InstrumentResults(definition, instrument_index(definition, pooled, respondents=respondents), tuple(services))


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
