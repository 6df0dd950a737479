"""The league table (``surveys.models.Standing``): each unit's respondents and
index per period and instrument, kept up to date so a ranking of half a
million units reads one narrow row per unit instead of summing and scoring
every unit's tallies on each request.

How it stays exact:

- every tally write (``surveys.services_tallies`` and the web insert's one
  statement) also upserts (unit, period) into ``StandingStale``, in the same
  transaction; the upsert locks that row until the writer commits;
- ``standings_refresh`` first DELETEs the stale rows (waiting for a writer
  that holds one), then, in a second statement and so a new snapshot that
  sees what those writers committed, recomputes their ``Standing`` rows. A
  writer that commits later marks its row stale again. Refreshes take a
  self-conflicting table lock on ``Standing`` (readers are not blocked), so
  an older computation never overwrites a newer one;
- the comparison refreshes the stale rows of its period before it reads
  (usually none: the beat refreshes every minute), so what it ranks is what
  the tallies say now;
- ``standings_rebuild`` (``skm_rebuild``, after ``tally_rebuild``) recomputes
  a scope outright.

The SKM index of every unit is computed in PostgreSQL numeric integers, in
one statement for the three weight modes:

    IKM x 100 rounded half-up = div(2 * 2500 * p * NUM + q * DEN, 2 * q * DEN)

where the weight is p/q, DEN is the product of the nine answered counts and NUM
the sum over the unsur of total_i x the other eight answered counts (so
NUM / DEN is the exact sum of the nine NRRs). Those products are costly
(numeric), so they are only evaluated near a rounding tie: IKM x 100 is first
computed in double precision (error below 1e-9); when it lies more than
TIE_MARGIN (1e-6) from a half-cent, rounding the float gives the exact
result, and only the rest (an exact tie such as 86.125, or a near one) takes
the integer formula. This is the rounding of ``skm.rules.ikm.compute_ikm`` (a
Fraction rounded half-up), with no float and no truncated division; the tests
compare it with the engine unit by unit. Other instruments (few units ask
them) and every instrument on SQLite are scored by the engine itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from skm.rules.ikm import WEIGHTS, UnsurTally, WeightMode, compute_ikm, round_half_up
from skm.rules.instrument import InstrumentError, instrument_index
from skm.rules.instrument import ItemTally as InstrumentTally
from skm.rules.unsur import UNSUR_CODES

from .answers import SKM_CODE, instrument_get
from .models import RESPONDENTS_ITEM, ItemTally, Period, Response, Standing, StandingStale, Unit

# The Standing column of each SKM weight mode (other instruments: index100_exact).
STANDING_COLUMNS: dict[WeightMode, str] = {
    WeightMode.EXACT: "index100_exact",
    WeightMode.W0111: "index100_w0111",
    WeightMode.W011: "index100_w011",
}

_N = len(UNSUR_CODES)
TIE_MARGIN = 1e-6  # a float further than this from a half-cent rounds like the exact value

# The IKM's items pivoted out of the narrow ItemTally rows ``r`` (item 0: the respondents).
TALLY_COLUMNS_SQL = ", ".join(
    f"coalesce(sum(r.total) FILTER (WHERE r.item = {i}), 0) AS t{i}, "
    f"coalesce(sum(r.answered) FILTER (WHERE r.item = {i}), 0) AS a{i}"
    for i in range(1, _N + 1)
)


def unit_period_q(*, unit_id: int | None, period_id: int | None) -> Q:
    """The rows of a unit and/or period (None: any) of a tally or league table."""
    q = Q()
    if unit_id is not None:
        q &= Q(unit_id=unit_id)
    if period_id is not None:
        q &= Q(period_id=period_id)
    return q


def standing_column(mode: WeightMode) -> str:
    return STANDING_COLUMNS[mode]


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


# --- marking stale ----------------------------------------------------------------


def _stale_tail() -> str:
    return "ON CONFLICT (unit_id, period_id) DO UPDATE SET touched_at = EXCLUDED.touched_at"


def stale_mark_sql(*, source: str) -> str:
    """The statement (a CTE of the web insert) marking the (unit, period) of the
    ``source`` rows stale."""
    return (
        f"INSERT INTO {_qn(StandingStale._meta.db_table)} (unit_id, period_id, touched_at) "
        f"SELECT DISTINCT unit_id, period_id, CURRENT_TIMESTAMP FROM {source} WHERE 1 = 1 {_stale_tail()}"
    )


def standings_mark(*, keys: Iterable[tuple[int, int]]) -> None:
    """Mark (unit_id, period_id) pairs stale (in the caller's transaction)."""
    rows = sorted(set(keys))
    if not rows:
        return
    values = ", ".join(["(%s, %s, CURRENT_TIMESTAMP)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_qn(StandingStale._meta.db_table)} (unit_id, period_id, touched_at) "
            f"VALUES {values} {_stale_tail()}",
            [v for row in rows for v in row],
        )


def standings_mark_query(*, where: str, params: list) -> None:
    """Mark stale the (unit, period) of the response rows matching ``where`` (raw
    SQL over the response table aliased ``r``)."""
    source = f"(SELECT r.unit_id, r.period_id FROM {_qn(Response._meta.db_table)} AS r WHERE {where}) AS s"
    with connection.cursor() as cursor:
        cursor.execute(stale_mark_sql(source=source), list(params))


# --- recomputing --------------------------------------------------------------------


def _num_expr() -> str:
    terms = []
    for i in range(1, _N + 1):
        others = " * ".join(f"a.a{j}" for j in range(1, _N + 1) if j != i)
        terms.append(f"a.t{i}::numeric * {others}")
    return " + ".join(terms)


def _den_expr() -> str:
    return " * ".join(f"a.a{i}::numeric" for i in range(1, _N + 1))


def _ikm100_expr(mode: WeightMode) -> str:
    """The exact IKM x 100 rounded half-up of the pivoted tallies ``a`` (NULL
    without respondents or with an unanswered unsur), for one weight mode."""
    weight = WEIGHTS[mode]
    p, q = weight.numerator, weight.denominator
    approx = f"({2500 * p}::float8 / {q}) * (" + " + ".join(f"a.t{i}::float8 / a.a{i}" for i in range(1, _N + 1)) + ")"
    all_answered = " AND ".join(f"a.a{i} > 0" for i in range(1, _N + 1))
    y = f"({approx} + 0.5)"
    return (
        f"(CASE WHEN NOT coalesce(a.n > 0 AND {all_answered}, FALSE) THEN NULL "
        f"WHEN abs({y} - round({y})) > {TIE_MARGIN} THEN floor({y}) "
        f"ELSE div(2 * 2500 * {p} * ({_num_expr()}) + {q} * {_den_expr()}, 2 * {q} * {_den_expr()}) END)::integer"
    )


_UNIT_COLUMNS = "unit_code, unit_name, unit_path, name_key"


def _insert_skm_sql(*, units: bool) -> str:
    """INSERT the SKM Standing rows of every unit (or those in %(units)s) in the
    periods %(periods)s, from their tallies: a unit without answers gets a row
    without index (PostgreSQL)."""
    modes = list(STANDING_COLUMNS)
    unit_where = "u.id = ANY(%(units)s)" if units else "TRUE"
    period_source = "unnest(%(periods)s::integer[])"
    return f"""
INSERT INTO {_qn(Standing._meta.db_table)}
    (unit_id, period_id, instrument, respondents, {", ".join(STANDING_COLUMNS[m] for m in modes)},
     {_UNIT_COLUMNS}, updated_at)
SELECT u.id, p.id, '{SKM_CODE}', coalesce(a.n, 0), {", ".join(_ikm100_expr(m) for m in modes)},
    u.code, u.name, u.path, lower(u.name), %(now)s
FROM {_qn(Unit._meta.db_table)} u CROSS JOIN {period_source} AS p(id)
LEFT JOIN (
    SELECT r.unit_id, r.period_id,
        coalesce(sum(r.answered) FILTER (WHERE r.item = {RESPONDENTS_ITEM}), 0) AS n, {TALLY_COLUMNS_SQL}
    FROM {_qn(ItemTally._meta.db_table)} r
    WHERE r.instrument = '{SKM_CODE}' AND r.period_id IN (SELECT * FROM {period_source} AS pp(id))
    GROUP BY r.unit_id, r.period_id
) a ON a.unit_id = u.id AND a.period_id = p.id
WHERE {unit_where}
"""


def _engine_rows(*, units: list[int] | None, periods: list[int], skm: bool, now) -> list[Standing]:
    """Standing rows scored by the engine (``compute_ikm`` for the SKM, the
    instrument's own weights otherwise): every unit of ``units`` x ``periods`` for
    the SKM when ``skm``, the units with tallies for the other instruments."""
    tallies = ItemTally.objects.all() if skm else ItemTally.objects.exclude(instrument=SKM_CODE)
    unit_rows = Unit.objects.all()
    if units is not None:
        tallies, unit_rows = tallies.filter(unit_id__in=units), unit_rows.filter(pk__in=units)
    tallies = tallies.filter(period_id__in=periods)
    sums = tallies.values("unit_id", "period_id", "instrument", "item").annotate(t=Sum("total"), a=Sum("answered"))
    grouped: dict[tuple[int, int, str], dict[int, tuple[int, int]]] = {}
    for sum_row in sums.order_by():
        key = (sum_row["unit_id"], sum_row["period_id"], sum_row["instrument"])
        grouped.setdefault(key, {})[sum_row["item"]] = (int(sum_row["t"] or 0), int(sum_row["a"] or 0))
    if not skm:  # only the units with another instrument's tallies need their labels
        unit_rows = unit_rows.filter(pk__in={unit_id for unit_id, _p, _c in grouped})
    labels = {u["id"]: u for u in unit_rows.values("id", "code", "name", "path")}
    if skm:
        for unit_id in labels:
            for period_id in periods:
                grouped.setdefault((unit_id, period_id, SKM_CODE), {})
    out: list[Standing] = []
    for (unit_id, period_id, code), items in grouped.items():
        unit = labels.get(unit_id)
        if unit is None:
            continue
        respondents = items.get(RESPONDENTS_ITEM, (0, 0))[1]
        row = Standing(
            unit_id=unit_id,
            period_id=period_id,
            instrument=code,
            respondents=respondents,
            unit_code=unit["code"],
            unit_name=unit["name"],
            unit_path=unit["path"],
            name_key=unit["name"].lower(),
            updated_at=now,
        )
        if code == SKM_CODE:
            unsur = [UnsurTally(c, *items.get(i, (0, 0))) for i, c in enumerate(UNSUR_CODES, start=1)]
            for mode, column in STANDING_COLUMNS.items():
                ikm = compute_ikm(unsur, respondents=respondents, weight_mode=mode).ikm
                setattr(row, column, None if ikm is None else int(ikm * 100))
        else:
            try:
                definition = instrument_get(code)
            except InstrumentError:
                continue  # a code no instrument answers to any more: nothing to rank
            tallies_of = [
                InstrumentTally(item.code, *items.get(i, (0, 0))) for i, item in enumerate(definition.items, start=1)
            ]
            index = instrument_index(definition, tallies_of, respondents=respondents).index_exact
            row.index100_exact = None if index is None else int(round_half_up(index, 2) * 100)
        out.append(row)
    return out


def standings_started(*, period_id: int) -> bool:
    """Whether the period has its league table (a row for every unit)."""
    return Standing.objects.filter(period_id=period_id, instrument=SKM_CODE).exists()


def _recompute(*, units: list[int] | None = None, periods: list[int] | None = None) -> None:
    """Replace the Standing rows of the given units x periods (None: all) by what
    the units and their tallies give now. A period with answers but no league
    table yet gets a row for every unit (those without answers rank last)."""
    if units is not None:
        candidates = periods if periods is not None else list(Period.objects.values_list("id", flat=True))
        started = [p for p in candidates if standings_started(period_id=p)]
        new = [p for p in candidates if p not in started and ItemTally.objects.filter(period_id=p).exists()]
        if new:
            _recompute(periods=new)
        if not started:
            return
        periods = started
    now = timezone.now()
    scope = Q()
    if units is not None:
        scope &= Q(unit_id__in=units)
    if periods is not None:
        scope &= Q(period_id__in=periods)
    Standing.objects.filter(scope).delete()
    if periods is None:  # every period that has answers
        periods = [
            p for p in Period.objects.values_list("id", flat=True) if ItemTally.objects.filter(period_id=p).exists()
        ]
    if not periods:
        return
    skm_in_python = connection.vendor != "postgresql"
    if not skm_in_python:
        with connection.cursor() as cursor:
            cursor.execute(_insert_skm_sql(units=units is not None), {"units": units, "periods": periods, "now": now})
    rows = _engine_rows(units=units, periods=periods, skm=skm_in_python, now=now)
    Standing.objects.bulk_create(rows, batch_size=2000)


def _recompute_pairs(pairs: list[tuple[int, int]]) -> None:
    """Recompute stale pairs: the units x periods of the pairs (one period in the
    usual case, so exactly the pairs)."""
    _recompute(units=sorted({u for u, _p in pairs}), periods=sorted({p for _u, p in pairs}))


def standings_mark_units(*, path: str, subtree: bool) -> None:
    """Mark stale the unit at ``path`` (after it was created or renamed) or, with
    ``subtree``, it and its descendants (after a move), in every period that has
    a league table."""
    if not path:
        return
    stale, standing = _qn(StandingStale._meta.db_table), _qn(Standing._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {stale} (unit_id, period_id, touched_at) "
            f"SELECT u.id, p.id, CURRENT_TIMESTAMP FROM {_qn(Unit._meta.db_table)} u, {_qn(Period._meta.db_table)} p "
            f"WHERE u.path {'LIKE' if subtree else '='} %s AND EXISTS (SELECT 1 FROM {standing} s WHERE s.period_id = p.id AND s.instrument = %s) "
            f"{_stale_tail()}",
            [path + "%" if subtree else path, SKM_CODE],  # a path holds digits and dots only
        )


def _lock() -> None:
    """Serialise refreshes and rebuilds (SHARE ROW EXCLUSIVE conflicts with itself
    and with writes; the readers' ACCESS SHARE is not blocked)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {_qn(Standing._meta.db_table)} IN SHARE ROW EXCLUSIVE MODE")


REFRESH_CHUNK = 5000  # stale (unit, period) pairs per transaction


def standings_refresh(*, period_id: int | None = None) -> int:
    """Recompute the Standing rows of the stale (unit, period) pairs (of one
    period, or all), REFRESH_CHUNK pairs per transaction. Returns how many
    pairs were refreshed; one query when there are none."""
    stale = StandingStale.objects.all() if period_id is None else StandingStale.objects.filter(period_id=period_id)
    if not stale.exists():
        return 0
    done = 0
    while True:  # until a chunk is not full (writers marking rows meanwhile wait for the next refresh)
        with transaction.atomic():
            _lock()
            where, params = ("period_id = %s", [period_id]) if period_id is not None else ("1 = 1", [])
            table = _qn(StandingStale._meta.db_table)
            with connection.cursor() as cursor:
                # Waits for a writer holding one of these rows; the next statement sees its tallies.
                cursor.execute(
                    f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE {where} ORDER BY id LIMIT %s) "
                    "RETURNING unit_id, period_id",
                    [*params, REFRESH_CHUNK],
                )
                pairs = [(int(u), int(p)) for u, p in cursor.fetchall()]
            if pairs:
                _recompute_pairs(pairs)
        done += len(pairs)
        if len(pairs) < REFRESH_CHUNK:
            return done


def standings_rebuild(*, unit_id: int | None = None, period_id: int | None = None) -> int:
    """Recompute the Standing rows of a unit and/or period (None: all) from the
    tallies (after ``tally_rebuild``, in its transaction when there is one). Returns how
    many rows the scope holds afterwards."""
    scope = unit_period_q(unit_id=unit_id, period_id=period_id)
    with transaction.atomic():
        _lock()
        StandingStale.objects.filter(scope).delete()
        _recompute(
            units=None if unit_id is None else [unit_id],
            periods=None if period_id is None else [period_id],
        )
    return Standing.objects.filter(scope).count()
