"""Typed view-models of the two reports.

Every number and every label in a sentence is derived from the same value
(e.g. a kinerja label is always ``band_for`` of the value printed beside it),
so the hand errors of the seeds (label contradicting value, "80 %" of 3/4)
cannot happen. The sentences themselves are built in ``skm.rules.sentences``.
The report templates name only fields of these dataclasses; a test renders
both with ``string_if_invalid`` to prove it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.functional import Promise

from followup.models import Plan, PlanItem, PlanUnsur, Realisation
from followup.selectors import plan_get_for_report
from skm.rules.formatting import BandRow, band_table, format_weight
from skm.rules.ikm import WEIGHT_DESCRIPTIONS, IkmResult, SampleAdequacy, UnsurResult, WeightMode
from skm.rules.sentences import distribution_sentence, join_id, ordinal_all, terbilang, trend_sentence
from skm.rules.textblocks import TextBlock
from surveys.models import Period, Unit
from surveys.results import (
    MEAN_OF_SERVICES_LABEL,
    DistributionTable,
    ProfileTable,
    ServiceIkm,
    TrendPoint,
    UnitResults,
    service_breakdown_list,
    service_ikm_mean,
    unit_results_get,
)
from surveys.selectors import ikm_for

from . import selectors
from .appendix import RuledTable, respondent_table
from .assets import InlineImage, inline_image, media_asset
from .layout import DEFAULT_LAYOUT, LhtlLayout
from .narrative import (
    FOLLOWUP,
    SURVEY,
    NarrativeFacts,
    ReportDates,
    ScheduleRow,
    effective_texts,
    narrative_blocks,
    narrative_facts_build,
)

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]


def _png_chart(name: str, *args) -> InlineImage | None:
    """A matplotlib chart (``surveys.charts.<name>``) as PNG, for the PDF (served
    from memory by its fenced fetcher; WeasyPrint places a PNG ~0,35 s faster than
    it draws matplotlib's SVG) and for Word.

    A chart must never cost the unit its report: on an error the tables still
    carry every number, so log and leave the figure out. ``surveys.charts`` loads
    matplotlib, so it is imported here, when a report is built, not with this module."""
    from surveys import charts

    func = getattr(charts, name)
    try:
        png = func(*args)
    except Exception:
        logger.exception("chart %s failed", getattr(func, "__name__", func))
        return None
    return inline_image(png) if png else None


# -------------------------------------------------------------- shared parts


def unit_heading(unit: Unit) -> list[str]:
    """The unit and its parents, top-down (cover lines)."""
    return [u.name for u in reversed(unit.ancestors())] + [unit.name]


@dataclass(frozen=True)
class SummaryRow:
    """One row of the per-unsur table (Tabel IV.1), printed from the exact NRR."""

    no: int
    code: str
    name: str
    total: int
    answered: int
    nrr: Any  # Fraction | None: the exact value, formatted once by |angka
    converted: Decimal | None
    weighted: Decimal | None
    grade: str | None
    label: str | None


def summary_rows(result: IkmResult) -> list[SummaryRow]:
    return [
        SummaryRow(
            i, u.code, u.name, u.total, u.answered, u.nrr, u.converted, u.weighted(result.weight_mode), u.grade, u.label
        )
        for i, u in enumerate(result.unsur, start=1)
    ]


@dataclass(frozen=True)
class Signature:
    city: str
    date: dt.date
    title: str
    name: str
    rank: str
    nip: str


def signature(unit: Unit, when: dt.date, place: str | None = None) -> Signature:
    return Signature(
        unit.city or "" if place is None else place,
        when,
        unit.signatory_title,
        unit.signatory_name,
        unit.signatory_rank,
        unit.signatory_nip,
    )


@dataclass(frozen=True)
class Letterhead:
    """The cover's unit identity: logo (a fenced /media/ URL) and contact lines."""

    logo_url: str | None
    address: str
    phone: str
    website: str


def letterhead(unit: Unit) -> Letterhead:
    return Letterhead(
        media_asset(unit.logo.name) if unit.logo else None, unit.address or "", unit.phone or "", unit.website or ""
    )


# ------------------------------------------------------- follow-up report


@dataclass
class PhotoRef:
    number: int
    url: str
    caption: str


@dataclass(frozen=True)
class ItemEntry:
    """A program/kegiatan with its realisation, photos and quarter ticks."""

    item: PlanItem
    row: PlanUnsur
    real: Realisation | None
    done: bool
    photos: list[PhotoRef]
    schedule: list[tuple[int, tuple[bool, ...]]]


@dataclass(frozen=True)
class Priority:
    row: PlanUnsur
    items: list[ItemEntry]
    unsur: UnsurResult | None


@dataclass
class PlanSections:
    """The plan walked once: priorities (BAB II), items (BAB III), photos, BAB IV rows."""

    priorities: list[Priority] = field(default_factory=list)
    items: list[ItemEntry] = field(default_factory=list)
    photos: list[PhotoRef] = field(default_factory=list)
    unrealised: list[ItemEntry] = field(default_factory=list)
    strategies: list[ItemEntry] = field(default_factory=list)
    years: set[int] = field(default_factory=set)

    @property
    def realised(self) -> int:
        return sum(e.done for e in self.items)


def _plan_for(unit: Unit, period: Period) -> Plan | None:
    return plan_get_for_report(unit=unit, period=period)


def _item_entry(item: PlanItem, row: PlanUnsur, sections: PlanSections) -> ItemEntry:
    real = getattr(item, "realisation", None)
    photos = []
    for photo in item.photos.all():
        ref = PhotoRef(len(sections.photos) + 1, media_asset(photo.image.name), photo.caption)
        photos.append(ref)
        sections.photos.append(ref)
    schedule = list(item.schedule_rows)
    sections.years.update(year for year, _ticks in schedule)
    return ItemEntry(item, row, real, bool(real and real.is_done), photos, schedule)


def plan_sections(plan: Plan | None, result: IkmResult) -> PlanSections:
    sections = PlanSections()
    if plan is None:
        return sections
    for row in plan.unsur_rows.all():
        entries = [_item_entry(item, row, sections) for item in row.items.all()]
        for entry in entries:
            sections.items.append(entry)
            if not entry.done:
                sections.unrealised.append(entry)
            # Tabel 4 (Strategi) holds realised items too (seeds 003 and 004).
            if entry.real and (entry.real.strategy or entry.real.target_time):
                sections.strategies.append(entry)
        sections.priorities.append(Priority(row, entries, result.by_code(row.code) if row.code else None))
    return sections


@dataclass(frozen=True)
class FollowupReport:
    """The Laporan Hasil Tindak Lanjut (BAB I-IV): what ``reports/_followup_body.html`` names."""

    unit: Unit
    period: Period
    heading: list[str]
    result: IkmResult
    services: list[ServiceIkm]
    services_mean: Decimal | None
    mean_label: Promise
    summary: list[SummaryRow]
    bands: tuple[BandRow, ...]
    weight_description: str
    plan: Plan | None
    priorities: list[Priority]
    items: list[ItemEntry]
    photos: list[PhotoRef]
    unrealised: list[ItemEntry]
    strategies: list[ItemEntry]
    realised: int
    total: int
    percent: Decimal
    band_label: str
    all_realised: bool
    months_to_realisation: int | None
    speed_label: str
    n_priority: int
    n_priority_words: str
    priority_collective: str
    has_saran_priorities: bool
    realised_names: str
    years: list[int]
    report_year: int
    signature: Signature
    # Deprecated: the effective lhtl_latar_belakang text; use ``narrative``.
    background_text: str
    # Section key -> paragraphs/lists (reports.sections, skm.rules.textblocks):
    # the unit's own text of the round, else the generated text.
    narrative: dict[str, tuple[TextBlock, ...]]
    letterhead: Letterhead
    dates: ReportDates
    # Unrealised items whose reason is written (BAB IV lists only these).
    unrealised_with_reason: list[ItemEntry]
    # How the unit lays its LHTL out (reports.layout; chosen on the report page, per unit).
    layout: LhtlLayout = DEFAULT_LAYOUT


def followup_context(
    *, unit: Unit, period: Period, weight_mode: WeightMode, today: dt.date | None = None
) -> FollowupReport:
    """The Laporan Hasil Tindak Lanjut (BAB I-IV) of a unit and period."""
    result = ikm_for(unit=unit, period=period, weight_mode=weight_mode)
    services = service_breakdown_list(unit=unit, period=period, weight_mode=weight_mode) if result.respondents else []
    plan = _plan_for(unit, period)
    sections = plan_sections(plan, result)
    layout = selectors.report_layout_get(unit=unit)
    facts = narrative_facts_build(
        unit=unit, period=period, result=result, distributions=[], plan=plan, today=today, layout=layout
    )
    texts = effective_texts(facts=facts)
    progress = plan.progress if plan is not None else None
    n_priority = sum(1 for p in sections.priorities if p.row.code)
    return FollowupReport(
        unit=unit,
        period=period,
        heading=unit_heading(unit),
        result=result,
        services=services if len(services) > 1 else [],
        services_mean=service_ikm_mean(services),
        mean_label=MEAN_OF_SERVICES_LABEL,
        summary=summary_rows(result),
        bands=band_table(),
        weight_description=WEIGHT_DESCRIPTIONS[weight_mode],
        plan=plan,
        priorities=sections.priorities,
        items=sections.items,
        photos=sections.photos,
        unrealised=sections.unrealised,
        strategies=sections.strategies,
        realised=sections.realised,
        total=len(sections.items),
        percent=progress.percent if progress is not None else Decimal("0.00"),
        band_label=progress.band_label if progress is not None else "",
        all_realised=bool(progress and progress.all_realised),
        months_to_realisation=progress.months_to_realisation if progress is not None else None,
        speed_label=progress.speed_label if progress is not None else "",
        n_priority=n_priority,
        n_priority_words=terbilang(n_priority),
        priority_collective=ordinal_all(n_priority) if n_priority else "",
        has_saran_priorities=any(not p.row.code for p in sections.priorities),
        realised_names=join_id(p.row.title for p in sections.priorities if any(e.done for e in p.items)),
        years=sorted(sections.years),
        report_year=facts.dates.report_date.year,
        signature=signature(unit, facts.dates.report_date, facts.dates.report_place),
        background_text=texts["lhtl_latar_belakang"],
        narrative=narrative_blocks(texts, report=FOLLOWUP),
        letterhead=letterhead(unit),
        dates=facts.dates,
        unrealised_with_reason=[e for e in sections.unrealised if e.real and e.real.reason.strip()],
        layout=layout,
    )


# ------------------------------------------------------------ survey report


@dataclass(frozen=True)
class UnsurAnalysis:
    """Per-unsur paragraph of BAB IV: the distribution sentence and the values."""

    unsur: UnsurResult
    parts: str
    dist: DistributionTable
    # The unit's explanation of causes (one section per unsur, reports.sections.unsur_key), printed after
    # the numbers sentence.
    explanation: tuple[TextBlock, ...] = ()


@dataclass(frozen=True)
class SurveyReport:
    """The Laporan SKM (BAB I-V and lampiran): the names ``reports/survey_report.html`` uses."""

    unit: Unit
    period: Period
    heading: list[str]
    result: IkmResult
    res: UnitResults
    services: list[ServiceIkm]
    mean_label: Promise
    summary: list[SummaryRow]
    bands: tuple[BandRow, ...]
    weight_mode: WeightMode
    weight_description: str
    weight_decimal: str
    profile: list[ProfileTable]
    # Tabel III.n: the profile tables come first, so later numbers follow their count.
    profile_tables: int
    distributions: list[DistributionTable]
    analysis: list[UnsurAnalysis]
    lowest: list[UnsurResult]
    highest: list[UnsurResult]
    grade_groups: list[tuple[str, str, int]]
    trend: list[TrendPoint]
    trend_sentence: str
    trend_has_entered: bool
    samples: list[SampleAdequacy]
    respondents_words: str
    wording: list
    # Large periods: the per-respondent appendix is in the XLSX attachment, not the PDF.
    appendix_in_attachment: bool
    appendix_max: int
    # The per-respondent appendix as ruled pre-formatted lines (reports.appendix).
    appendix: RuledTable | None
    saran: selectors.SaranAppendix
    plan: Plan | None
    prev_followup: FollowupReport | None
    previous_period: Period | None
    chart_unsur: InlineImage | None
    chart_trend: InlineImage | None
    signature: Signature
    report_year: int
    # Section key -> paragraphs/lists (reports.sections, skm.rules.textblocks).
    narrative: dict[str, tuple[TextBlock, ...]]
    letterhead: Letterhead
    dates: ReportDates
    schedule: list[ScheduleRow]
    # The period's own plan walked once (Tabel IV.1), as the LHTL's Tabel 2 shows it.
    priorities: list[Priority] = field(default_factory=list)
    # The results of the unit's extra questions (Lampiran: Pertanyaan Tambahan); never in the IKM.
    extra: list = field(default_factory=list)

    def as_template_context(self) -> dict[str, Any]:
        """The fields as top-level template names (shallow: values stay objects)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


def _trend_until(res: UnitResults, period: Period) -> list[TrendPoint]:
    """The trend up to this period (later periods do not belong in this report), last eight."""
    trend = []
    for point in res.trend:
        trend.append(point)
        if point.period_code == period.code:
            break
    return trend[-8:]


def _trend_sentence(unit: Unit, period: Period, trend: list[TrendPoint]) -> str:
    previous = [p for p in trend if p.period_code != period.code and p.ikm is not None]
    current = next((p for p in trend if p.period_code == period.code), None)
    if not previous or current is None or current.ikm is None or previous[-1].ikm is None:
        return ""
    return trend_sentence(
        unit_name=unit.name,
        period_label=period.label,
        ikm=current.ikm,
        previous_label=previous[-1].period_label,
        previous_ikm=previous[-1].ikm,
    )


def _grade_groups(result: IkmResult) -> list[tuple[str, str, int]]:
    groups: dict[str, list[str]] = {}
    for u in result.unsur:
        if u.label:
            groups.setdefault(u.label, []).append(u.name)
    return [(label, join_id(names), len(names)) for label, names in groups.items()]


def survey_context(
    *,
    unit: Unit,
    period: Period,
    weight_mode: WeightMode,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> SurveyReport:
    """The Laporan SKM (BAB I-V and lampiran) of a unit and period."""
    step: Progress = progress or (lambda pct, msg: None)
    res = unit_results_get(unit=unit, period=period, weight_mode=weight_mode)
    result = res.result
    trend = _trend_until(res, period)
    step(30, "Menyusun analisis")
    ranked = [result.by_code(c) for c in result.priority if result.by_code(c).nrr is not None]
    plan = _plan_for(unit, period)
    facts: NarrativeFacts = narrative_facts_build(
        unit=unit,
        period=period,
        result=result,
        distributions=res.distributions,
        plan=plan,
        today=today,
        samples=res.adequacy,
    )
    narrative = narrative_blocks(effective_texts(facts=facts), report=SURVEY)
    analysis = [
        UnsurAnalysis(
            u,
            distribution_sentence((r.label, r.count, r.percent) for r in dist.rows),
            dist,
            narrative.get(u.code.lower(), ()),
        )
        for u, dist in zip(result.unsur, res.distributions, strict=True)
    ]
    report_date = facts.dates.report_date
    previous = selectors.previous_period(period=period)
    prev_followup = None
    if previous is not None and _plan_for(unit, previous) is not None:
        prev_followup = followup_context(unit=unit, period=previous, weight_mode=weight_mode, today=report_date)
    step(40, "Menyiapkan grafik")
    appendix_external = selectors.appendix_in_attachment(unit=unit, period=period, respondents=result.respondents)
    return SurveyReport(
        unit=unit,
        period=period,
        heading=unit_heading(unit),
        result=result,
        res=res,
        services=res.services if len(res.services) > 1 else [],
        mean_label=MEAN_OF_SERVICES_LABEL,
        summary=summary_rows(result),
        bands=band_table(),
        weight_mode=weight_mode,
        weight_description=WEIGHT_DESCRIPTIONS[weight_mode],
        weight_decimal=format_weight(weight_mode),
        profile=res.profile,
        profile_tables=len(res.profile),
        distributions=res.distributions,
        analysis=analysis,
        lowest=ranked[:3],
        highest=list(reversed(ranked[-3:])),
        grade_groups=_grade_groups(result),
        trend=trend,
        trend_sentence=_trend_sentence(unit, period, trend),
        trend_has_entered=any(p.entered for p in trend),
        samples=res.adequacy,
        respondents_words=terbilang(result.respondents),
        wording=res.wording,
        appendix_in_attachment=appendix_external,
        appendix_max=settings.SKM_REPORT_APPENDIX_MAX_RESPONDENTS,
        appendix=None if appendix_external else respondent_table(selectors.respondent_rows(unit=unit, period=period)),
        saran=selectors.saran_appendix(unit=unit, period=period),
        plan=plan,
        prev_followup=prev_followup,
        previous_period=previous,
        chart_unsur=_png_chart("chart_unsur_bars_png", result) if result.respondents else None,
        chart_trend=_png_chart("chart_trend_png", trend) if len(trend) > 1 else None,
        signature=signature(unit, report_date, facts.dates.report_place),
        report_year=report_date.year,
        narrative=narrative,
        letterhead=letterhead(unit),
        dates=facts.dates,
        schedule=facts.dates.schedule(),
        priorities=plan_sections(plan, result).priorities,
        extra=selectors.extra_appendix(unit=unit, period=period),
    )
