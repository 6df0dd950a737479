"""The view-model of one Zona Integritas survey's report (SPKP gives the IPKP,
SPAK the IPAK) for a unit and period: what ``reports.build_instrument`` prints.

Every figure is the exact value of ``skm.rules.instrument`` (NRR and index as
``Fraction``s, the index rounded once by ``InstrumentResult.index``); the builder
formats each one once with ``skm.rules.formatting.format_number``. Respondents
of an instrument are the responses that answered it (``Response.scores`` has its
key): the index, the profile and the saran all count the same people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Q

from skm.rules.instrument import Instrument, InstrumentResult, Item, ItemResult
from surveys.models import Period, Unit
from surveys.results import ProfileTable, profile_tables_for
from surveys.results_instruments import instrument_results_get
from surveys.selectors import round_get

from . import selectors
from .context import Letterhead, Signature, letterhead, signature, unit_heading
from .narrative import report_dates

LANGUAGE = "id"  # the report is in Bahasa Indonesia, whatever the requester reads


class InstrumentNotAsked(LookupError):
    """The unit's round for the period does not ask this instrument (or there is no round)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def asked_instrument(*, unit: Unit, period: Period, code: str) -> Instrument:
    """The instrument ``code`` if the unit's round of ``period`` asks it besides the
    SKM (the SKM has its own report); InstrumentNotAsked otherwise."""
    rnd = round_get(unit=unit, period=period)
    wanted = str(code).strip().upper()
    for instrument in rnd.other_instruments if rnd is not None else ():
        if instrument.code == wanted:
            return instrument
    raise InstrumentNotAsked(wanted)


def index_title(instrument: Instrument) -> str:
    """ "Indeks Persepsi Anti Korupsi" from "Survei Persepsi Anti Korupsi" (the index
    of a "Survei X" is the "Indeks X"); the short name (IPAK) otherwise."""
    name = instrument.name.get(LANGUAGE)
    return "Indeks " + name[len("Survei ") :] if name.startswith("Survei ") else instrument.index_name


@dataclass(frozen=True)
class ItemRow:
    """One item of the per-item table (Tabel II.1)."""

    no: int
    item: Item
    result: ItemResult
    group: str  # the item's group, "" without one

    @property
    def name(self) -> str:
        return self.item.name.get(LANGUAGE)

    @property
    def weighted(self) -> Fraction | None:
        return None if self.result.nrr is None else self.result.weight * self.result.nrr


@dataclass(frozen=True)
class GroupRow:
    """A group of items (``Item.group``): the plain mean of its items' NRR (not
    weighted) and that mean on the index's scale (x 100 / k). None while one of
    its items has no answer, as the index."""

    name: str
    codes: tuple[str, ...]
    mean_nrr: Fraction | None
    converted: Fraction | None


@dataclass(frozen=True)
class PointRow:
    point: int
    label: str
    count: int
    percent: Fraction | None  # of the answers to the item; None when nobody answered


@dataclass(frozen=True)
class ItemDistribution:
    code: str
    name: str
    rows: tuple[PointRow, ...]  # points 1..k, worst first
    answered: int
    blank: int  # respondents of the instrument who left the item blank


@dataclass(frozen=True)
class InstrumentReport:
    unit: Unit
    period: Period
    heading: list[str]
    instrument: Instrument
    index_title: str
    result: InstrumentResult  # every respondent pooled
    services: tuple[tuple[str, InstrumentResult], ...]  # per named jenis layanan
    without_service: int  # respondents who named no jenis layanan (in the pooled result only)
    items: tuple[ItemRow, ...]
    groups: tuple[GroupRow, ...]
    distributions: tuple[ItemDistribution, ...]
    lowest: tuple[ItemRow, ...]  # the items sharing the lowest NRR
    highest: tuple[ItemRow, ...]
    profile: list[ProfileTable]
    saran: selectors.SaranAppendix
    letterhead: Letterhead
    signature: Signature
    report_date: dt.date
    report_year: int

    @property
    def name(self) -> str:
        return self.instrument.name.get(LANGUAGE)

    @property
    def unanswered(self) -> tuple[ItemRow, ...]:
        return tuple(r for r in self.items if r.result.nrr is None)

    @property
    def weighted_sum(self) -> Fraction | None:
        """Σ weight x NRR, the index before x 100 / k; None as the index."""
        if self.result.index_exact is None:
            return None
        return sum((r.weighted for r in self.items if r.weighted is not None), Fraction(0))


def _groups(instrument: Instrument, rows: tuple[ItemRow, ...]) -> tuple[GroupRow, ...]:
    by_name: dict[str, list[ItemRow]] = {}
    for row in rows:
        if row.group:
            by_name.setdefault(row.group, []).append(row)
    k = instrument.scale.points
    out = []
    for name, members in by_name.items():
        nrrs = [m.result.nrr for m in members if m.result.nrr is not None]
        mean = sum(nrrs, Fraction(0)) / len(nrrs) if len(nrrs) == len(members) else None
        converted = None if mean is None else mean * 100 / k
        out.append(GroupRow(name, tuple(m.item.code for m in members), mean, converted))
    return tuple(out)


def _distributions(instrument: Instrument, result: InstrumentResult, counts: dict) -> tuple[ItemDistribution, ...]:
    out = []
    for item_result, item in result.rows:
        points = counts.get(item.code, {})
        answered = item_result.answered
        rows = tuple(
            PointRow(
                point,
                label.get(LANGUAGE),
                points.get(point, 0),
                Fraction(points.get(point, 0) * 100, answered) if answered else None,
            )
            for point, label in zip(instrument.scale.scores, instrument.labels_for(item), strict=True)
        )
        out.append(ItemDistribution(item.code, item.name.get(LANGUAGE), rows, answered, result.respondents - answered))
    return tuple(out)


def instrument_context(*, unit: Unit, period: Period, code: str, today: dt.date | None = None) -> InstrumentReport:
    """The report of instrument ``code`` (asked by the unit's round of ``period``)."""
    instrument = asked_instrument(unit=unit, period=period, code=code)
    results = instrument_results_get(unit=unit, period=period, instrument=instrument.code)
    result = results.pooled
    rows = tuple(
        ItemRow(i, item, item_result, item.group.get(LANGUAGE) if item.group else "")
        for i, (item_result, item) in enumerate(result.rows, start=1)
    )
    answered = [r for r in rows if r.result.nrr is not None]
    nrrs = [r.result.nrr for r in rows if r.result.nrr is not None]
    low, high = (min(nrrs), max(nrrs)) if nrrs else (None, None)
    dates = report_dates(unit=unit, period=period, rnd=round_get(unit=unit, period=period), today=today)
    respondents = Q(unit=unit, period=period, scores__has_key=instrument.code)
    return InstrumentReport(
        unit=unit,
        period=period,
        heading=unit_heading(unit),
        instrument=instrument,
        index_title=index_title(instrument),
        result=result,
        services=results.services,
        without_service=result.respondents - sum(r.respondents for _name, r in results.services),
        items=rows,
        groups=_groups(instrument, rows),
        distributions=_distributions(instrument, result, dict(results.distributions)),
        lowest=tuple(r for r in answered if r.result.nrr == low),
        highest=tuple(r for r in answered if r.result.nrr == high),
        profile=profile_tables_for(filters=respondents) if result.respondents else [],
        saran=selectors.saran_appendix(unit=unit, period=period, instrument=instrument.code),
        letterhead=letterhead(unit),
        signature=signature(unit, dates.report_date, dates.report_place),
        report_date=dates.report_date,
        report_year=dates.report_date.year,
    )
