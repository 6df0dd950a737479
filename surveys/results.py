"""Result view-models: what the results, comparison and public pages (and the
reports) show, each built from one aggregate per grouping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, Count, F, FilteredRelation, IntegerField, Q, Value, When
from django.utils.translation import gettext, gettext_lazy

from skm.rules.ikm import (
    AGE_BANDS,
    WEIGHT_DESCRIPTIONS,
    IkmResult,
    SampleAdequacy,
    WeightMode,
    band_for,
    compute_ikm,
    mean_of_ikms,
    merge_tallies,
    parse_weight_mode,
    percentage,
    sample_adequacy_for,
)
from skm.rules.privacy import SMALL_GROUP, merge_small_groups
from skm.rules.unsur import DEFAULT_UNSUR

from .models import Period, ProfileTally, Response, RoundPublication, Service, ServicePopulation, Unit
from .selectors import tally_totals, unit_wording
from .selectors_rounds import PublishedResult, publication_latest_per_round, publication_list_public, publication_result

WEIGHT_CHOICES: tuple[tuple[str, str], ...] = tuple((str(m), WEIGHT_DESCRIPTIONS[m]) for m in WeightMode)


class WeightModeError(ValueError):
    """A weight mode that is not exact, 0.111 or 0.11 (message in Indonesian)."""


def weight_mode_resolve(*, value: str | None = None) -> WeightMode:
    """The requested weight mode, or the site default (settings.SKM_WEIGHT_MODE)."""
    if value in (None, ""):
        return settings.SKM_WEIGHT_MODE  # parsed once, in the settings
    try:
        return parse_weight_mode(str(value))
    except ValueError:
        raise WeightModeError(
            gettext("Bobot '%(raw)s' tidak dikenal. Pilih salah satu: exact (1/9), 0.111 atau 0.11.") % {"raw": value}
        ) from None


@dataclass(frozen=True)
class ServiceIkm:
    """One row of the per-jenis-layanan matrix (Tabel 1 of seed 001)."""

    service_id: int | None
    name: str
    result: IkmResult


NO_SERVICE_LABEL = gettext_lazy("Tanpa jenis layanan")


def _breakdown_rows(grouped: dict, weight_mode) -> list[ServiceIkm]:
    if not any(key is not None for key in grouped):
        return []
    names = dict(Service.objects.filter(id__in=[k for k in grouped if k is not None]).values_list("id", "name"))
    rows = [
        ServiceIkm(
            key, names.get(key) or str(NO_SERVICE_LABEL), compute_ikm(tallies, respondents=n, weight_mode=weight_mode)
        )
        for key, (n, tallies) in grouped.items()
    ]
    # Named services alphabetically, the unnamed group last.
    rows.sort(key=lambda r: (r.service_id is None, r.name.lower()))
    return rows


def service_breakdown_list(*, unit: Unit, period: Period, weight_mode: WeightMode) -> list[ServiceIkm]:
    """IKM per jenis layanan from the pre-aggregated tallies. Empty when no response
    names a jenis layanan (a unit without services has no breakdown)."""
    grouped = tally_totals(unit=unit, period=period, group_by="service_id")
    return _breakdown_rows(grouped, weight_mode)


def unit_ikm_breakdown(*, unit: Unit, period: Period, weight_mode: WeightMode) -> tuple[IkmResult, list[ServiceIkm]]:
    """Pooled unit IKM and the per-jenis-layanan rows from the tallies (one row
    per jenis layanan, ``RoundTally``): the unit totals are the sums of the few
    group rows, so no response is scanned."""
    grouped = tally_totals(unit=unit, period=period, group_by="service_id")
    respondents, tallies = merge_tallies(grouped.values())
    names = {u.code: u.name for u in DEFAULT_UNSUR}
    pooled = compute_ikm(tallies, respondents=respondents, weight_mode=weight_mode, names=names)
    return pooled, _breakdown_rows(grouped, weight_mode)


def service_ikm_mean(rows: Iterable[ServiceIkm]) -> Decimal | None:
    """Unweighted mean of the named services' IKMs. Show it only under the label
    MEAN_OF_SERVICES_LABEL: it is not the unit IKM when sample sizes differ."""
    named = [r.result.ikm for r in rows if r.service_id is not None]
    return mean_of_ikms(named) if len(named) > 1 else None


MEAN_OF_SERVICES_LABEL = gettext_lazy("Rata-rata IKM per jenis layanan (tidak tertimbang)")


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int
    percent: Decimal


@dataclass(frozen=True)
class ProfileTable:
    key: str
    title: str
    rows: tuple[CountRow, ...]
    total: int


def _profile_titles() -> dict[str, str]:
    return {
        "gender": gettext("Jenis Kelamin"),
        "age": gettext("Usia"),
        "education": gettext("Pendidikan"),
        "occupation": gettext("Pekerjaan"),
        "disability": gettext("Disabilitas"),
    }


UNKNOWN_LABEL = gettext_lazy("Tidak diisi")


def age_band_expression() -> Case:
    """Index of the AGE_BANDS row (None when the age is unknown), computed in SQL."""
    whens = []
    for i, (_label, low, high) in enumerate(AGE_BANDS):
        q = Q(age__isnull=False)
        if low is not None:
            q &= Q(age__gte=low)
        if high is not None:
            q &= Q(age__lte=high)
        whens.append(When(q, then=Value(i)))
    return Case(*whens, default=Value(None), output_field=IntegerField())


def _profile_categories() -> dict[str, list[tuple[object, str]]]:
    """Per profile dimension: (value in the GROUP BY row, label); unknown last."""
    unknown = str(UNKNOWN_LABEL)
    return {
        "gender": [(v, str(label)) for v, label in Response.Gender.choices] + [("", unknown)],
        "age": [(i, label) for i, (label, _lo, _hi) in enumerate(AGE_BANDS)] + [(None, unknown)],
        "education": [(v, str(label)) for v, label in Response.Education.choices] + [("", unknown)],
        "occupation": [(v, str(label)) for v, label in Response.Occupation.choices] + [("", unknown)],
        "disability": [(v, str(label)) for v, label in Response.Disability.choices] + [("", unknown)],
    }


def profile_tables_get(*, unit: Unit, period: Period, service: Service | None = None) -> list[ProfileTable]:
    """Respondent profile (Tabel III.1-III.4 of seed 004, and disability): counts and
    percentages of all five dimensions, from the profile tallies kept with every
    write (``ProfileTally``, one query over a few dozen rows, whatever the number
    of responses). "Tidak diisi" rows appear only when some respondent left the
    field empty."""
    rows = ProfileTally.objects.filter(unit=unit, period=period)
    if service is not None:
        rows = rows.filter(service_key=service.pk)
    margins: dict[str, dict[object, int]] = {key: {} for key in ProfileTally.Dimension.values}
    for dimension, value, n in rows.values_list("dimension", "value", "n"):
        if not n:
            continue
        key: object = value
        if dimension == ProfileTally.Dimension.AGE:
            key = int(value) if value else None
        margins[dimension][key] = margins[dimension].get(key, 0) + n
    # Every respondent has exactly one value per dimension: any dimension's sum is the total.
    total = sum(margins[ProfileTally.Dimension.GENDER].values())
    return _profile_tables(margins, total)


def profile_tables_for(*, filters: Q) -> list[ProfileTable]:
    """profile_tables_get for any response filter (e.g. "no jenis layanan").

    ONE GROUP BY over (jenis kelamin, pendidikan, pekerjaan, disabilitas, usia band):
    a few hundred group rows in practice, whose margins give the five tables. Measured on
    1M rows it is ~1.4x a bare SUM/COUNT, where 27 filtered counts cost ~2x."""
    groups = (
        Response.objects.filter(filters)
        .order_by()
        .annotate(age_band=age_band_expression())
        .values("gender", "education", "occupation", "disability", "age_band")
        .annotate(n=Count("*"))
    )
    keys = {
        "gender": "gender",
        "age": "age_band",
        "education": "education",
        "occupation": "occupation",
        "disability": "disability",
    }
    margins: dict[str, dict[object, int]] = {key: {} for key in keys}
    total = 0
    for row in groups:
        total += row["n"]
        for key, column in keys.items():
            value = row[column] if row[column] is not None or key == "age" else ""
            margins[key][value] = margins[key].get(value, 0) + row["n"]
    return _profile_tables(margins, total)


def _profile_tables(margins: dict[str, dict[object, int]], total: int) -> list[ProfileTable]:
    """The five tables from each dimension's counts per stored value (age: the band index)."""
    tables = []
    titles = _profile_titles()
    unknown_label = str(UNKNOWN_LABEL)
    for key, categories in _profile_categories().items():
        # A value outside the choices (legacy data) is counted as unknown, so rows add up to the total.
        known = {value for value, _label in categories}
        unknown = sum(n for value, n in margins[key].items() if value not in known)
        out = []
        for value, label in categories:
            is_unknown = label == unknown_label
            count = margins[key].get(value, 0) + (unknown if is_unknown else 0)
            if is_unknown and count == 0:
                continue
            out.append(CountRow(label, count, percentage(count, total)))
        tables.append(ProfileTable(key, titles[key], tuple(out), total))
    return tables


@dataclass(frozen=True)
class DistributionTable:
    """Answers to one unsur (Tabel III.5-III.13 of seed 004), labels in the unit's wording."""

    code: str
    name: str
    rows: tuple[CountRow, ...]
    answered: int
    blank: int


def distribution_tables_build(*, result: IkmResult, wording) -> list[DistributionTable]:
    """No query: the distribution already came with the tallies aggregate."""
    labels = {w.code: w.labels for w in wording}
    tables = []
    for u in result.unsur:
        rows = tuple(
            CountRow(
                labels[u.code][score - 1],
                u.distribution.get(score, 0),
                percentage(u.distribution.get(score, 0), u.answered),
            )
            for score in (1, 2, 3, 4)
        )
        tables.append(DistributionTable(u.code, u.name, rows, u.answered, result.respondents - u.answered))
    return tables


def sample_adequacy_list(
    *, unit: Unit, period: Period, respondents_by_service: dict[int | None, int]
) -> list[SampleAdequacy]:
    """Krejcie & Morgan per active jenis layanan, from the population entered for the period."""
    services = list(unit.services.filter(is_active=True).order_by("name").values_list("id", "name"))
    populations = dict(
        ServicePopulation.objects.filter(period=period, service__unit=unit).values_list("service_id", "population")
    )
    return [
        sample_adequacy_for(name, populations.get(sid), respondents_by_service.get(sid, 0)) for sid, name in services
    ]


@dataclass(frozen=True)
class TrendPoint:
    period_code: str
    period_label: str
    respondents: int
    ikm: Decimal | None
    grade: str | None
    # An IKM entered by the unit for a period before the system (EarlierIkm),
    # printed labelled "dimasukkan manual"; respondents may then be None.
    entered: bool = False
    source: str = ""
    # The period's dates: the report's trend chart places each period on a time axis.
    start: dt.date | None = None
    end: dt.date | None = None


def unit_trend_list(*, unit: Unit, weight_mode: WeightMode) -> list[TrendPoint]:
    """IKM of every period the unit has responses in, oldest first: from the tallies.
    Periods without responses show the value the unit entered (EarlierIkm), if any."""
    grouped = tally_totals(unit=unit, group_by="period_id")
    # One query for the periods and the unit's entered values (a join, not a second query).
    periods = (
        Period.objects.annotate(entered=FilteredRelation("earlier_ikm", condition=Q(earlier_ikm__unit=unit)))
        .filter(Q(id__in=list(grouped)) | Q(entered__isnull=False))
        .annotate(e_ikm=F("entered__ikm"), e_n=F("entered__respondents"), e_source=F("entered__source"))
        .order_by("start_date", "code")
    )
    points = []
    for p in periods:
        if p.id in grouped:
            n, tallies = grouped[p.id]
            r = compute_ikm(tallies, respondents=n, weight_mode=weight_mode)
            points.append(TrendPoint(p.code, p.label, n, r.ikm, r.grade, start=p.start_date, end=p.end_date))
        else:
            points.append(
                TrendPoint(
                    p.code,
                    p.label,
                    p.e_n,
                    p.e_ikm,
                    band_for(p.e_ikm).grade,
                    True,
                    p.e_source,
                    start=p.start_date,
                    end=p.end_date,
                )
            )
    return points


@dataclass
class UnitResults:
    """Everything the results page shows for one unit and period."""

    unit: Unit
    period: Period
    weight_mode: WeightMode
    result: IkmResult
    services: list[ServiceIkm]
    services_mean: Decimal | None
    profile: list[ProfileTable]
    distributions: list[DistributionTable]
    adequacy: list[SampleAdequacy]
    trend: list[TrendPoint]
    wording: list = field(default_factory=list)

    @property
    def weight_description(self) -> str:
        return WEIGHT_DESCRIPTIONS[self.weight_mode]

    @property
    def is_empty(self) -> bool:
        return self.result.respondents == 0

    @property
    def mean_of_services_label(self) -> str:
        return MEAN_OF_SERVICES_LABEL


def unit_results_get(*, unit: Unit, period: Period, weight_mode: WeightMode) -> UnitResults:
    """Pooled unit IKM plus every table of the results page. One aggregate per
    grouping: unit (tallies), service_id, period_id (trend), profile."""
    mode = weight_mode
    wording = unit_wording(unit=unit)
    result, services = unit_ikm_breakdown(unit=unit, period=period, weight_mode=mode)
    counts = {s.service_id: s.result.respondents for s in services}
    return UnitResults(
        unit=unit,
        period=period,
        weight_mode=mode,
        result=result,
        services=services,
        services_mean=service_ikm_mean(services),
        profile=profile_tables_get(unit=unit, period=period) if result.respondents else [],
        distributions=distribution_tables_build(result=result, wording=wording),
        adequacy=sample_adequacy_list(unit=unit, period=period, respondents_by_service=counts),
        trend=unit_trend_list(unit=unit, weight_mode=mode),
        wording=wording,
    )


SMALL_GROUP_LABEL = gettext_lazy("Lainnya (digabung)")


@dataclass(frozen=True)
class PublicCountRow:
    label: str
    count: int
    percent: Decimal
    merged: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublicProfileTable:
    key: str
    title: str
    rows: tuple[PublicCountRow, ...]
    total: int

    @property
    def merged(self) -> tuple[str, ...]:
        return tuple(label for row in self.rows for label in row.merged)


def profile_tables_public(tables: Iterable[ProfileTable]) -> list[PublicProfileTable]:
    """Profile tables safe to publish (UU 27/2022): every group of fewer than
    SMALL_GROUP respondents is merged into one "Lainnya (digabung)" row, grown
    until it is not small itself, so no small count can be worked out from the total."""
    out = []
    for table in tables:
        groups = merge_small_groups([(r.label, r.count) for r in table.rows], other_label=str(SMALL_GROUP_LABEL))
        rows = tuple(PublicCountRow(g.label, g.count, percentage(g.count, table.total), g.merged) for g in groups)
        out.append(PublicProfileTable(table.key, table.title, rows, table.total))
    return out


@dataclass(frozen=True)
class PublicServiceRow:
    name: str
    respondents: int | None  # None: fewer than SMALL_GROUP, not shown
    ikm: Decimal | None
    grade: str | None


def service_rows_public(rows: Iterable[ServiceIkm]) -> list[PublicServiceRow]:
    """IKM per jenis layanan for the public: a service with fewer than SMALL_GROUP
    respondents shows neither its count nor its IKM (a few people's answers)."""
    out = []
    for row in rows:
        n = row.result.respondents
        if n < SMALL_GROUP:
            out.append(PublicServiceRow(row.name, None, None, None))
        else:
            out.append(PublicServiceRow(row.name, n, row.result.ikm, row.result.grade))
    return out


@dataclass(frozen=True)
class ArchiveRow:
    """One published round in the public archive (its newest version)."""

    period: Period
    version: int
    published_at: object
    report_date: object
    respondents: int
    ikm: Decimal | None
    grade: str


@dataclass(frozen=True)
class PublicResults:
    unit: Unit
    period: Period | None
    result: IkmResult | None
    profile: list[PublicProfileTable] = field(default_factory=list)
    services: list[PublicServiceRow] = field(default_factory=list)
    profile_hidden: bool = False  # fewer than SMALL_GROUP respondents: no profile at all
    publication: RoundPublication | None = None
    versions: list[RoundPublication] = field(default_factory=list)  # of the shown round, newest first
    archive: list[ArchiveRow] = field(default_factory=list)  # every published round, newest first
    required_sample: int | None = None
    population: int | None = None
    instruments: tuple = ()  # the published results of the round's other instruments (InstrumentResult)

    @property
    def weight_description(self) -> str:
        return self.result.weight_description if self.result else ""

    @property
    def has_suppressed(self) -> bool:
        return (
            self.profile_hidden
            or any(t.merged for t in self.profile)
            or any(s.respondents is None for s in self.services)
        )

    @property
    def below_sample(self) -> bool:
        """Fewer respondents than Krejcie & Morgan's sample for the unit's population."""
        return (
            self.result is not None
            and self.required_sample is not None
            and self.result.respondents < self.required_sample
        )

    @property
    def is_latest_version(self) -> bool:
        return bool(self.versions) and self.publication is not None and self.versions[0].pk == self.publication.pk


def _profile_from_snapshot(rows: list[dict]) -> list[PublicProfileTable]:
    return [
        PublicProfileTable(
            t["key"],
            t["title"],
            tuple(
                PublicCountRow(r["label"], r["count"], percentage(r["count"], t["total"]), tuple(r["merged"]))
                for r in t["rows"]
            ),
            t["total"],
        )
        for t in rows
    ]


def _services_from_snapshot(published: PublishedResult) -> list[PublicServiceRow]:
    if len(published.services) <= 1:
        return []
    return service_rows_public(ServiceIkm(None, name, result) for name, result in published.services)


class PublicationNotFound(LookupError):
    """No published version for the requested period or version."""


def public_results_get(*, unit: Unit, period_code: str | None = None, version: int | None = None) -> PublicResults:
    """The unit's published results, read only from frozen publications: the
    newest published round (or the one named), its newest version (or the one
    named), every earlier version of it and the archive of all published
    rounds. An open or never-published round is never shown. Raises
    PublicationNotFound for a period or version that was never published."""
    publications = publication_list_public(unit=unit)
    latest = publication_latest_per_round(publications)
    archive = [
        ArchiveRow(p.round.period, p.version, p.published_at, p.report_date, p.respondents, p.ikm, p.grade)
        for p in latest
    ]
    if not latest:
        if period_code or version:
            raise PublicationNotFound(period_code)
        return PublicResults(unit, None, None)
    if period_code:
        chosen = next((p for p in latest if p.round.period.code == period_code.upper()), None)
        if chosen is None:
            raise PublicationNotFound(period_code)
    else:
        chosen = latest[0]
    versions = [p for p in publications if p.round_id == chosen.round_id]
    if version is not None:
        chosen = next((p for p in versions if p.version == version), None)
        if chosen is None:
            raise PublicationNotFound(version)
    published = publication_result(chosen)
    result = published.result
    show_profile = result.respondents >= SMALL_GROUP
    return PublicResults(
        unit,
        chosen.round.period,
        result,
        profile=_profile_from_snapshot(published.profile) if show_profile else [],
        services=_services_from_snapshot(published),
        profile_hidden=0 < result.respondents < SMALL_GROUP,
        publication=chosen,
        versions=versions,
        archive=archive,
        required_sample=published.required_sample,
        population=published.population,
        instruments=published.instruments,
    )
