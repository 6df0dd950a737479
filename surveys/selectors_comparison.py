"""The comparison of units (a supervisor's subtree, up to a province) in ONE query per page.

The unit scope is selected in SQL on ``Unit.path`` (never an inlined id list),
the period's per-round tallies (``ItemTally``) are summed per unit, and the IKM of every unit
is computed *exactly* in PostgreSQL numeric integers:

    IKM x 100 rounded half-up = div(2 * 2500 * p * NUM + q * DEN, 2 * q * DEN)

where the weight is p/q, DEN is the product of the nine answered counts and NUM
the sum over the unsur of total_i x the other eight answered counts (so
NUM / DEN is the exact sum of the nine NRRs). Those products are costly
(numeric), so they are only evaluated near a rounding tie: IKM x 100 is first
computed in double precision (error below 1e-9); when it lies more than
TIE_MARGIN (1e-6) from a half-cent, rounding the float gives the exact
result, and only the rest (an exact tie such as 86.125, or a near one) takes
the integer formula. This is the rounding of
``skm.rules.ikm.compute_ikm`` (a Fraction rounded half-up), with no float and
no truncated division, so the ranking, the grade bands and the top/bottom N
agree with the engine to the last digit. The rows shown are then recomputed
with ``compute_ikm`` from the same tallies (display values come from the
engine, not from SQL).

One statement returns the page rows, the N best and N worst units, the totals
and the number of units per grade band (window aggregates).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Q, Sum

from skm.rules.ikm import BANDS, WEIGHTS, IkmResult, UnsurTally, WeightMode, band_for, compute_ikm
from skm.rules.unsur import UNSUR_CODES

from .access import user_unit_access
from .answers import SKM_CODE
from .models import RESPONDENTS_ITEM, ItemTally, Period, Unit

PER_PAGE = 50
EXTREMES = 10
GRADES = tuple(b.grade for b in BANDS)

_N = len(UNSUR_CODES)


def _num_expr() -> str:
    terms = []
    for i in range(1, _N + 1):
        others = " * ".join(f"a.a{j}" for j in range(1, _N + 1) if j != i)
        terms.append(f"a.t{i}::numeric * {others}")
    return " + ".join(terms)


def _den_expr() -> str:
    return " * ".join(f"a.a{i}::numeric" for i in range(1, _N + 1))


def _approx_expr() -> str:
    """IKM x 100 in double precision (error below 1e-9 at this magnitude)."""
    return "%(w100)s::float8 * (" + " + ".join(f"a.t{i}::float8 / a.a{i}" for i in range(1, _N + 1)) + ")"


TIE_MARGIN = 1e-6  # a float further than this from a half-cent rounds like the exact value


def _grade_expr(col: str) -> str:
    whens = " ".join(f"WHEN {col} >= {int(b.min_converted * 100)} THEN '{b.grade}'" for b in BANDS[:-1])
    return f"CASE WHEN {col} IS NULL THEN NULL {whens} ELSE '{BANDS[-1].grade}' END"


# The per-round tallies (a few rows per unit: one per jenis layanan), not the responses.
# The IKM's items pivoted out of the narrow ItemTally rows (item 0: the respondents).
_TALLY_COLUMNS = ", ".join(
    f"coalesce(sum(r.total) FILTER (WHERE r.item = {i}), 0) AS t{i}, "
    f"coalesce(sum(r.answered) FILTER (WHERE r.item = {i}), 0) AS a{i}"
    for i in range(1, _N + 1)
)
_TALLY_OUT = ", ".join(f"a.t{i}, a.a{i}" for i in range(1, _N + 1))
_ALL_ANSWERED = " AND ".join(f"a.a{i} > 0" for i in range(1, _N + 1))
_BAND_WINDOWS = ", ".join(f"count(*) FILTER (WHERE grade = '{g}') OVER () AS band_{g.lower()}" for g in GRADES)
# lower(name) in code-point order, as Python sorts str.lower() (and faster than the locale collation).
_ORDER = 'ikm100 DESC NULLS LAST, lower(name) COLLATE "C", id'


def _sql(*, scope_sql: str, search_sql: str | None, page_clause: bool) -> str:
    # Narrow rows through the window stages (id, name, n, ikm100, grade); the
    # tallies and labels are joined back only for the rows returned. ``scope`` is
    # inlined (NOT MATERIALIZED) so the planner sees the unit table's statistics;
    # ``agg`` is read twice and so computed once.
    matches = search_sql or "TRUE"
    where = (
        "WHERE (s.matches AND s.spos > %(lo)s AND s.spos <= %(hi)s)"
        " OR (s.ikm100 IS NOT NULL AND (s.pos <= %(extremes)s OR s.pos > s.with_ikm - %(extremes)s))"
        if page_clause
        else "WHERE TRUE"
    )
    return f"""
WITH scope AS NOT MATERIALIZED ({scope_sql}),
agg AS MATERIALIZED (
    SELECT r.unit_id, coalesce(sum(r.answered) FILTER (WHERE r.item = {RESPONDENTS_ITEM}), 0) AS n, {_TALLY_COLUMNS}
    FROM {ItemTally._meta.db_table} r JOIN scope ON scope.id = r.unit_id
    WHERE r.period_id = %(period)s AND r.instrument = '{SKM_CODE}'
    GROUP BY r.unit_id
),
scored AS (
    SELECT u.id, u.name, u.code AS unit_code, coalesce(a.n, 0) AS n,
        (CASE WHEN a.y IS NULL THEN NULL
            WHEN abs(a.y + 0.5 - round(a.y + 0.5)) > {TIE_MARGIN} THEN floor(a.y + 0.5)
            ELSE div(2 * 2500 * %(p)s * ({_num_expr()}) + %(q)s * {_den_expr()}, 2 * %(q)s * {_den_expr()})
        END)::integer AS ikm100
    FROM scope u LEFT JOIN (
        SELECT a.*, CASE WHEN a.n > 0 AND {_ALL_ANSWERED} THEN {_approx_expr()} END AS y FROM agg a
    ) a ON a.unit_id = u.id
),
graded AS (
    SELECT *, {_grade_expr("ikm100")} AS grade,
        CASE WHEN ikm100 IS NOT NULL THEN row_number() OVER (ORDER BY {_ORDER}) END AS rank
    FROM scored
),
kept AS (
    SELECT *, ({matches}) AS matches
    FROM graded WHERE n >= %(min_n)s AND (%(grade)s = '' OR grade = %(grade)s)
),
s AS (
    SELECT *, row_number() OVER (ORDER BY {_ORDER}) AS pos,
        row_number() OVER (PARTITION BY matches ORDER BY {_ORDER}) AS spos,
        count(*) FILTER (WHERE matches) OVER () AS stotal,
        count(*) OVER () AS total, count(ikm100) OVER () AS with_ikm, {_BAND_WINDOWS}
    FROM kept
)
SELECT s.id, s.name, s.n, s.ikm100, s.grade, s.rank, s.pos, s.total, s.with_ikm,
    {", ".join(f"s.band_{g.lower()}" for g in GRADES)},
    CASE WHEN s.matches THEN s.spos END AS spos, s.stotal,
    u.code, u.path, u.parent_name, {_TALLY_OUT}
FROM s JOIN scope u ON u.id = s.id LEFT JOIN agg a ON a.unit_id = s.id
{where}
ORDER BY s.pos
"""


@dataclass(frozen=True)
class ComparisonUnitRow:
    unit: Unit
    parent_name: str
    respondents: int
    result: IkmResult
    rank: int | None
    ikm100: int | None  # SQL's exact rounded IKM x 100 (equal to result.ikm x 100)

    @property
    def ikm(self) -> Decimal | None:
        return self.result.ikm

    @property
    def grade(self) -> str | None:
        return self.result.grade

    @property
    def label(self) -> str | None:
        return self.result.label


@dataclass
class ComparisonPage:
    page: Page
    rows: list[ComparisonUnitRow]
    top: list[ComparisonUnitRow]
    bottom: list[ComparisonUnitRow]
    bands: dict[str, int] = field(default_factory=dict)
    total: int = 0  # units after the parent/level/min/grade filters
    with_ikm: int = 0
    matched: int = 0  # of those, units matching the search


def _scope_sql(*, user, scope_q: Q) -> tuple[str, list]:
    access = user_unit_access(user=user)
    qs = (
        Unit.objects.filter(access.unit_q())
        .filter(scope_q)
        .order_by()
        .values("id", "code", "name", "path", "parent__name")
    )
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # a user with no unit at all
        sql, params = "SELECT NULL::integer, '', '', '', '' WHERE FALSE", []
    # Name the columns plainly for the CTE.
    return (
        f"SELECT id, code, name, path, parent_name FROM ({sql}) AS scope_inner(id, code, name, path, parent_name)",
        list(params),
    )


def _search_sql(query: str) -> tuple[str | None, dict]:
    if not query:
        return None, {}
    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return "(name ILIKE %(search)s OR unit_code ILIKE %(search)s)", {"search": pattern}


def _row(record: dict, weight_mode: WeightMode) -> ComparisonUnitRow:
    tallies = [
        UnsurTally(code, int(record[f"t{i}"] or 0), int(record[f"a{i}"] or 0)) for i, code in enumerate(UNSUR_CODES, 1)
    ]
    result = compute_ikm(tallies, respondents=record["n"], weight_mode=weight_mode)
    unit = Unit(id=record["id"], code=record["code"], name=record["name"], path=record["path"])
    return ComparisonUnitRow(unit, record["parent_name"] or "", record["n"], result, record["rank"], record["ikm100"])


def _execute(sql_parts: tuple[str, list], sql: str, params: dict) -> list[dict]:
    scope_sql, scope_params = sql_parts
    # The scope's own %s placeholders become named ones so one style is used throughout.
    names = {f"scope{i}": value for i, value in enumerate(scope_params)}
    scope_named = scope_sql
    for i in range(len(scope_params)):
        scope_named = scope_named.replace("%s", f"%(scope{i})s", 1)
    full = sql.replace("__SCOPE__", scope_named)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One round trip before the statement: JIT compiling the CASE
            # expressions costs more than it saves at this size (0.3 s of 1.7 s
            # measured at 20 000 units), and the per-unit aggregate of a province
            # spills to disk with the default 4 MB work_mem.
            cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '32MB'")
        cursor.execute(full, {**params, **names})
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _portable_tallies(scope, period_id: int) -> dict[int, dict]:
    rows = (
        ItemTally.objects.filter(period_id=period_id, instrument=SKM_CODE, unit_id__in=scope.values("id"))
        .values("unit_id", "item")
        .annotate(total=Sum("total"), answered=Sum("answered"))
        .order_by()
    )
    out: dict[int, dict] = {}
    for row in rows:
        record = out.setdefault(row["unit_id"], {"n": 0, **{f"{k}{i}": 0 for i in range(1, _N + 1) for k in "ta"}})
        if row["item"] == RESPONDENTS_ITEM:
            record["n"] = row["answered"]
        else:
            record[f"t{row['item']}"], record[f"a{row['item']}"] = row["total"], row["answered"]
    return out


def _portable_record(unit: dict, agg: dict, weight_mode: WeightMode) -> dict:
    """One unit's record as the statement's ``scored``/``graded`` stages give it (rank set later)."""
    record = {
        "id": unit["id"],
        "code": unit["code"],
        "name": unit["name"],
        "path": unit["path"],
        "parent_name": unit["parent__name"],
        "n": int(agg.get("n") or 0),
        "rank": None,
        "ikm100": None,
        **{f"t{i}": agg.get(f"t{i}") for i in range(1, _N + 1)},
        **{f"a{i}": agg.get(f"a{i}") for i in range(1, _N + 1)},
    }
    ikm = _row(record, weight_mode).result.ikm if record["n"] else None
    if ikm is not None:
        record["ikm100"] = int(ikm * 100)
    record["grade"] = None if ikm is None else band_for(Decimal(record["ikm100"]) / 100).grade
    return record


def _portable_order(record: dict) -> tuple:
    # The statement's ORDER BY: ikm100 DESC NULLS LAST, lower(name), id.
    return (record["ikm100"] is None, -(record["ikm100"] or 0), record["name"].lower(), record["id"])


def _portable_positions(kept: list[dict], query: str) -> None:
    """The ``s`` stage's window columns: pos, spos, totals and the band counts."""
    needle = query.lower()
    with_ikm = sum(1 for r in kept if r["ikm100"] is not None)
    bands = {f"band_{g.lower()}": sum(1 for r in kept if r["grade"] == g) for g in GRADES}
    spos = 0
    for pos, record in enumerate(kept, start=1):
        matches = not needle or needle in record["name"].lower() or needle in record["code"].lower()
        spos += matches
        record.update(bands, pos=pos, spos=spos if matches else None, matches=matches)
        record.update(total=len(kept), with_ikm=with_ikm)
    for record in kept:
        record["stotal"] = spos


def _portable_on_page(record: dict, params: dict) -> bool:
    """The statement's page clause: a row of the page, or one of the N best / N worst."""
    if record["matches"] and params["lo"] < record["spos"] <= params["hi"]:
        return True
    extremes = params["extremes"]
    return record["ikm100"] is not None and (record["pos"] <= extremes or record["pos"] > record["with_ikm"] - extremes)


def _records_portable(
    *, user, scope_q: Q, params: dict, query: str, page_clause: bool, weight_mode: WeightMode
) -> list[dict]:
    """The same records as the SQL statement, computed with the ORM and
    ``compute_ikm``: for databases other than PostgreSQL (the SQLite of
    ``dev.sh``), where the units are few. Stage by stage as the statement."""
    access = user_unit_access(user=user)
    scope = Unit.objects.filter(access.unit_q()).filter(scope_q)
    tallies = _portable_tallies(scope, params["period"])
    units = scope.order_by().values("id", "code", "name", "path", "parent__name")
    scored = sorted((_portable_record(u, tallies.get(u["id"], {}), weight_mode) for u in units), key=_portable_order)
    for rank, record in enumerate((r for r in scored if r["ikm100"] is not None), start=1):
        record["rank"] = rank
    grade = params["grade"]
    kept = [r for r in scored if r["n"] >= params["min_n"] and (not grade or r["grade"] == grade)]
    _portable_positions(kept, query)
    if not page_clause:
        return kept
    return [r for r in kept if _portable_on_page(r, params)]


def _records(
    *, user, scope_q: Q, sql: str, params: dict, query: str, page_clause: bool, weight_mode: WeightMode
) -> list[dict]:
    if connection.vendor != "postgresql":
        return _records_portable(
            user=user, scope_q=scope_q, params=params, query=query, page_clause=page_clause, weight_mode=weight_mode
        )
    return _execute(_scope_sql(user=user, scope_q=scope_q), sql, params)


def _params(*, period: Period, weight_mode: WeightMode, min_respondents: int, grade: str | None) -> dict:
    weight = WEIGHTS[weight_mode]
    return {
        "period": period.pk,
        "w100": 2500 * weight.numerator / weight.denominator,
        "p": weight.numerator,
        "q": weight.denominator,
        "min_n": min_respondents,
        "grade": grade or "",
    }


def unit_comparison_page(
    *,
    user,
    period: Period,
    weight_mode: WeightMode,
    scope_q: Q | None = None,
    query: str = "",
    min_respondents: int = 0,
    grade: str | None = None,
    page_number: int = 1,
    per_page: int = PER_PAGE,
    extremes: int = EXTREMES,
) -> ComparisonPage:
    """One page of the ranking plus the top/bottom ``extremes`` and the units per
    grade band, in ONE SQL statement (a second only when the page asked for is
    past the last one)."""
    scope_q = scope_q or Q()
    search_sql, search_params = _search_sql(query)
    sql = _sql(scope_sql="__SCOPE__", search_sql=search_sql, page_clause=True)
    params = _params(period=period, weight_mode=weight_mode, min_respondents=min_respondents, grade=grade)
    params.update(search_params, extremes=extremes)
    number = max(page_number, 1)
    fetch = {
        "user": user,
        "scope_q": scope_q,
        "sql": sql,
        "query": query,
        "page_clause": True,
        "weight_mode": weight_mode,
    }
    records = _records(**fetch, params={**params, "lo": (number - 1) * per_page, "hi": number * per_page})
    matched = next((r["stotal"] for r in records if r["stotal"] is not None), 0)
    paginator = Paginator(range(matched), per_page)
    if number > paginator.num_pages:
        number = paginator.num_pages
        records = _records(**fetch, params={**params, "lo": (number - 1) * per_page, "hi": number * per_page})
    page = paginator.page(number)
    first = records[0] if records else {}
    lo, hi = (number - 1) * per_page, number * per_page
    rows, top, bottom = [], [], []
    with_ikm = first.get("with_ikm", 0)
    for record in records:
        row = _row(record, weight_mode)
        if record["spos"] is not None and lo < record["spos"] <= hi:
            rows.append(row)
        if record["ikm100"] is not None:
            if record["pos"] <= extremes:
                top.append(row)
            if record["pos"] > with_ikm - extremes:
                bottom.append(row)
    page.object_list = rows
    return ComparisonPage(
        page=page,
        rows=rows,
        top=top,
        bottom=list(reversed(bottom)),
        bands={g: first.get(f"band_{g.lower()}", 0) for g in GRADES},
        total=first.get("total", 0),
        with_ikm=with_ikm,
        matched=matched,
    )


def unit_comparison_all(
    *,
    user,
    period: Period,
    weight_mode: WeightMode,
    scope_q: Q | None = None,
    min_respondents: int = 0,
    grade: str | None = None,
) -> Iterator[ComparisonUnitRow]:
    """Every unit of the comparison in ranking order (the XLSX export), one statement."""
    sql = _sql(scope_sql="__SCOPE__", search_sql=None, page_clause=False)
    params = _params(period=period, weight_mode=weight_mode, min_respondents=min_respondents, grade=grade)
    params["extremes"] = 0
    records = _records(
        user=user, scope_q=scope_q or Q(), sql=sql, params=params, query="", page_clause=False, weight_mode=weight_mode
    )
    for record in records:
        yield _row(record, weight_mode)
