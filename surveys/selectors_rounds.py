"""Reads for survey rounds and their published versions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from skm.rules.ikm import IkmResult, UnsurTally, compute_ikm, parse_weight_mode, round_half_up
from skm.rules.instrument import InstrumentResult, instrument_index
from skm.rules.instrument import ItemTally as ItemSums
from skm.rules.periods import PeriodTiming, period_display_order, period_timing
from skm.rules.rounds import RoundStatus, RoundStepKind, round_step_kind
from skm.rules.unsur import DEFAULT_UNSUR

from .answers import SKM_CODE, instrument_get
from .models import RESPONDENTS_ITEM, ItemTally, Period, RoundPublication, SurveyRound, Unit


def round_list_for_unit(*, unit: Unit) -> QuerySet[SurveyRound]:
    """The unit's rounds, newest period first, with their respondent count (from
    the per-round tallies, not the responses) and their published versions
    (newest first): two queries."""
    respondents = (
        ItemTally.objects.filter(
            unit_id=OuterRef("unit_id"), period_id=OuterRef("period_id"), instrument=SKM_CODE, item=RESPONDENTS_ITEM
        )
        .order_by()
        .values("period_id")
        .annotate(n=Sum("answered"))
        .values("n")
    )
    return (
        SurveyRound.objects.filter(unit=unit)
        .select_related("period", "opened_by", "closed_by", "published_by")
        .annotate(responses=Coalesce(Subquery(respondents, output_field=IntegerField()), 0))
        .prefetch_related(
            Prefetch(
                "publications",
                queryset=RoundPublication.objects.select_related("published_by").order_by("-version"),
            )
        )
        .order_by("-period__start_date", "period__code")
    )


@dataclass(frozen=True)
class RoundStep:
    """One step of a round's lifecycle: who took it, when, with the note given."""

    kind: RoundStepKind
    at: dt.datetime
    by: Any  # the user, None when deleted or taken by the system
    note: str = ""
    publication: RoundPublication | None = None


def round_steps_for_rounds(*, rounds: list[SurveyRound]) -> dict[int, list[RoundStep]]:
    """Every step of each round, oldest first, read from the round's audit
    history (one query) and its published versions (prefetched by
    ``round_list_for_unit``). A round without history rows (made before the
    history existed) falls back to its latest opening and closing."""
    by_round: dict[int, list[RoundStep]] = {r.pk: [] for r in rounds}
    previous: dict[int, RoundStatus | None] = {}
    history = (
        SurveyRound.history.filter(id__in=list(by_round))
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    seen: set[int] = set()
    for row in history:
        seen.add(row.id)
        status = RoundStatus(row.status)
        kind = round_step_kind(previous.get(row.id), status)
        previous[row.id] = status
        if kind is None or kind is RoundStepKind.PUBLISHED:  # publications carry the publishing steps
            continue
        by_round[row.id].append(RoundStep(kind, row.history_date, row.history_user, row.history_change_reason or ""))
    for rnd in rounds:
        steps = by_round[rnd.pk]
        if rnd.pk not in seen:
            if rnd.opened_at:
                steps.append(RoundStep(RoundStepKind.OPENED, rnd.opened_at, rnd.opened_by))
            if rnd.closed_at:
                steps.append(RoundStep(RoundStepKind.CLOSED, rnd.closed_at, rnd.closed_by))
        for pub in rnd.publications.all():
            steps.append(RoundStep(RoundStepKind.PUBLISHED, pub.published_at, pub.published_by, pub.note, pub))
        steps.sort(key=lambda step: step.at)
    return by_round


@dataclass(frozen=True)
class RoundRow:
    round: SurveyRound
    steps: list[RoundStep]
    timing: PeriodTiming


def round_rows_for_unit(*, unit: Unit, today: dt.date) -> list[RoundRow]:
    """The unit's rounds with every step and whether their period has started:
    the running periods first, then the ended ones newest first, then those not
    started yet (three queries)."""
    rounds = list(round_list_for_unit(unit=unit))
    steps = round_steps_for_rounds(rounds=rounds)
    rows = [
        RoundRow(r, steps[r.pk], period_timing(start=r.period.start_date, end=r.period.end_date, today=today))
        for r in rounds
    ]
    rows.sort(
        key=lambda row: period_display_order(
            start=row.round.period.start_date, end=row.round.period.end_date, today=today
        )
    )
    return rows


@dataclass(frozen=True)
class PublishedResult:
    """One published version, with its figures derived again from the frozen integers."""

    publication: RoundPublication
    result: IkmResult
    services: tuple[tuple[str, IkmResult], ...]
    instruments: tuple[InstrumentResult, ...] = ()  # the round's other instruments (SPKP, SPAK)

    @property
    def period(self):
        return self.publication.round.period

    @property
    def population(self) -> int | None:
        return self.publication.snapshot.get("population")

    @property
    def required_sample(self) -> int | None:
        return self.publication.snapshot.get("required_sample")

    @property
    def below_sample(self) -> bool:
        required = self.required_sample
        return required is not None and self.publication.respondents < required

    @property
    def profile(self) -> list[dict]:
        return self.publication.snapshot.get("profile", [])


def _tallies(rows: list[dict]) -> list[UnsurTally]:
    return [
        UnsurTally(r["code"], r["total"], r["answered"], {int(k): v for k, v in r.get("distribution", {}).items()})
        for r in rows
    ]


def publication_result(publication: RoundPublication) -> PublishedResult:
    """Rebuild the result of a published version from its snapshot alone."""
    snap = publication.snapshot
    mode = parse_weight_mode(snap["weight_mode"])
    names = {u.code: u.name for u in DEFAULT_UNSUR}
    result = compute_ikm(_tallies(snap["unsur"]), respondents=snap["respondents"], weight_mode=mode, names=names)
    services = tuple(
        (s["name"], compute_ikm(_tallies(s["unsur"]), respondents=s["respondents"], weight_mode=mode))
        for s in snap.get("services", [])
    )
    instruments = tuple(
        instrument_index(
            instrument_get(row["code"]),
            [ItemSums(t["code"], t["total"], t["answered"]) for t in row["items"]],
            respondents=row["respondents"],
        )
        for row in snap.get("instruments", [])
    )
    return PublishedResult(publication, result, services, instruments)


def publications_public() -> QuerySet[RoundPublication]:
    """What is public, defined once: the frozen versions (``RoundPublication``).
    Only a publish step writes one, so a draft, open, closed or never-published
    round has none, and an earlier version stays public after a correction. The
    public page, the open data and the DCAT catalogue all start from here."""
    return RoundPublication.objects.all()


def publication_list_public(*, unit: Unit) -> list[RoundPublication]:
    """Every published version of the unit's rounds, newest period first and,
    within a period, newest version first. One query."""
    return list(
        publications_public()
        .filter(round__unit=unit)
        .select_related("round__period")
        .order_by("-round__period__start_date", "round__period__code", "-version")
    )


def publication_latest_per_round(publications: list[RoundPublication]) -> list[RoundPublication]:
    """The newest version of each round, in the given (newest first) order."""
    seen: set[int] = set()
    latest = []
    for pub in publications:
        if pub.round_id not in seen:
            seen.add(pub.round_id)
            latest.append(pub)
    return latest


def publication_open_data(*, unit_ids, round_id: int | None = None, up_to_version: int | None = None) -> list[dict]:
    """Every published version for these units as plain values (the JSON and
    CSV open data): unit, period, version, dates, n, IKM and per-unsur NRR,
    all derived from the frozen integers. Newest period first.

    ``round_id`` keeps one round's versions only and ``up_to_version`` the
    versions published until then (the data embedded in a published report)."""
    publications = publications_public().filter(round__unit_id__in=unit_ids)
    if round_id is not None:
        publications = publications.filter(round_id=round_id)
    if up_to_version is not None:
        publications = publications.filter(version__lte=up_to_version)
    publications = publications.select_related("round__unit", "round__period").order_by(
        "round__unit__code", "-round__period__start_date", "-version"
    )
    rows = []
    for pub in publications:
        published = publication_result(pub)
        result = published.result
        rows.append(
            {
                "unit_code": pub.round.unit.code,
                "unit": pub.round.unit.name,
                "period": pub.round.period.code,
                "version": pub.version,
                "published_at": pub.published_at.isoformat(),
                "report_date": pub.report_date.isoformat(),
                "weight_mode": pub.weight_mode,
                "respondents": pub.respondents,
                "required_sample": pub.snapshot.get("required_sample"),
                "ikm": None if result.ikm is None else str(result.ikm),
                "grade": result.grade or "",
                "unsur": [
                    {
                        "code": u.code,
                        "nrr": None if u.nrr is None else str(round_half_up(u.nrr, 3)),
                        "converted": None if u.converted is None else str(u.converted),
                    }
                    for u in result.unsur
                ],
                "instruments": [instrument_open_data(r) for r in published.instruments],
            }
        )
    return rows


def instrument_open_data(result: InstrumentResult) -> dict:
    """One instrument's published figures as plain values (open data, API)."""
    return {
        "code": result.instrument.code,
        "index_name": result.instrument.index_name,
        "respondents": result.respondents,
        "index": None if result.index is None else str(result.index),
        "grade": result.grade or "",
        "items": [
            {"code": i.code, "nrr": None if i.nrr is None else str(round_half_up(i.nrr, 3))} for i in result.items
        ],
    }


def publication_catalog(*, root: Unit | None = None, period: Period | None = None) -> QuerySet[RoundPublication]:
    """The published versions the DCAT catalogue lists: those of active units
    (an inactive unit's public page and open data are 404), optionally of one
    period and of one unit with its whole subtree (``path LIKE 'prefix%'``, no
    id list). In publication order (ascending id), so a page a harvester has
    read keeps its content when later versions are published. Without the
    frozen snapshot: the catalogue lists metadata, never figures."""
    publications = publications_public().filter(round__unit__is_active=True)
    if root is not None:
        publications = publications.filter(round__unit__path__startswith=root.path)
    if period is not None:
        publications = publications.filter(round__period=period)
    return (
        publications.select_related("round__unit", "round__period")
        .only(
            "version",
            "published_at",
            "report_date",
            "respondents",
            "round__unit__code",
            "round__unit__name",
            "round__unit__path",
            "round__unit__website",
            "round__instruments",
            "round__period__code",
            "round__period__kind",
            "round__period__start_date",
            "round__period__end_date",
        )
        .order_by("pk")
    )


def publication_cache_token(*, unit_ids) -> str:
    """What a cached public page or open-data file of these units depends on:
    the newest publication id and the number of publications of the units, and
    the newest change to any unit (names, tree, from the unit audit trail).
    A new publication or a unit edit gives a new token. Two small queries."""
    from django.db.models import Max

    pubs = RoundPublication.objects.filter(round__unit_id__in=unit_ids).aggregate(m=Max("pk"), n=Count("pk"))
    units = Unit.history.aggregate(m=Max("history_id"))
    return f"{pubs['m'] or 0}.{pubs['n']}.{units['m'] or 0}"
