"""Writes of the pre-aggregated tallies (``surveys.models.ItemTally``).

Every write to the responses calls one of these in its own transaction, so the
tallies always equal an aggregate of the live (not soft-deleted) responses, per
(unit, period, jenis layanan, instrument, item):

- one row written (web, paper, edit, delete, restore): ``tally_apply`` with the
  row's scores before and/or after, ONE ``INSERT ... ON CONFLICT DO UPDATE
  SET col = col + EXCLUDED.col`` over the items it touches;
- many rows (import, undo and restore of an import): ``tally_apply_query``
  aggregates them in SQL once (``INSERT ... SELECT ... GROUP BY``, same upsert),
  unnesting each row's ``scores`` with the database's JSON functions.

``tally_rebuild`` recomputes from the raw rows (data migration, bulk loads that
bypass the services, and the consistency tests).

Every change of the answer tallies also marks its (unit, period) stale for the
league table (``surveys.services_standings``), in the same transaction.

The respondent profile (``surveys.models.ProfileTally``: per jenis layanan, the
count of each value of gender, age band, education, occupation and disability)
is kept by the same functions in the same statements' transaction: a change is
(key, scores, profile, sign), ``response_state`` gives all three.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from django.db import connection, transaction

from skm.rules.ikm import AGE_BANDS, age_band_index

from .models import RESPONDENTS_ITEM, TALLY_COUNT_COLUMNS, ItemTally, ProfileTally, Response, Standing
from .services_standings import standings_mark, standings_mark_query, standings_rebuild, unit_period_q

KEY_COLUMNS = ("unit_id", "period_id", "service_id", "service_key", "instrument", "item")
COLUMNS = ("answered", "total", *TALLY_COUNT_COLUMNS)

TallyKey = tuple[int, int, int | None]  # unit_id, period_id, service_id
# The profile questions in ProfileTally.Dimension order; a profile is one value per dimension.
PROFILE_DIMENSIONS: tuple[str, ...] = tuple(ProfileTally.Dimension.values)
PROFILE_KEY_COLUMNS = ("unit_id", "period_id", "service_id", "service_key", "dimension", "value")
Profile = tuple[str, ...]


def _table() -> str:
    return connection.ops.quote_name(ItemTally._meta.db_table)


def _upsert_rows(*, table: str, columns: tuple[str, ...], rows: list[list], tail: str) -> None:
    """One ``INSERT INTO table (columns) VALUES (...), (...) tail`` (the tail is an
    upsert adding to the counters) for the answer and the profile tallies."""
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([placeholders] * len(rows))} {tail}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def tally_upsert_tail() -> str:
    table = _table()
    sets = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in COLUMNS)
    return f"ON CONFLICT (unit_id, period_id, service_key, instrument, item) DO UPDATE SET {sets}"


def row_delta(scores: Mapping[str, Any], sign: int = 1) -> dict[tuple[str, int], list[int]]:
    """The counter deltas (in COLUMNS order) per (instrument, item position) of one
    response with ``scores`` ({instrument: [score or None, ...]}), added (sign 1)
    or removed (sign -1). Item 0 counts the instrument's respondent."""
    width = len(COLUMNS)
    out: dict[tuple[str, int], list[int]] = {}
    for instrument, values in scores.items():
        respondent = [0] * width
        respondent[0] = sign
        out[(instrument, RESPONDENTS_ITEM)] = respondent
        for position, value in enumerate(values, start=1):
            delta = [0] * width
            if value is not None:
                delta[0], delta[1], delta[1 + value] = sign, sign * value, sign
            out[(instrument, position)] = delta
    return out


class HasProfile(Protocol):
    """A Response or a parsed import row: the profile answers, read only."""

    @property
    def gender(self) -> str: ...
    @property
    def age(self) -> int | None: ...
    @property
    def education(self) -> str: ...
    @property
    def occupation(self) -> str: ...
    @property
    def disability(self) -> str: ...


def profile_of(row: HasProfile) -> Profile:
    """One respondent's profile values (a Response, or a parsed import row), in
    PROFILE_DIMENSIONS order ('' = not filled in)."""
    band = age_band_index(row.age)
    return (
        row.gender or "",
        "" if band is None else str(band),
        row.education or "",
        row.occupation or "",
        row.disability or "",
    )


def response_state(response: Response) -> tuple[TallyKey, dict[str, Any], Profile]:
    """The tally key, scores and profile of a response as it is now in memory."""
    key = (response.unit_id, response.period_id, response.service_id)
    return key, dict(response.scores or {}), profile_of(response)


def tally_apply(*, changes: Iterable[tuple[TallyKey, Mapping[str, Any], Profile, int]]) -> None:
    """Add (sign 1) or remove (sign -1) single rows: ``changes`` holds
    (key (unit_id, period_id, service_id), scores, profile, sign). Deltas on one
    key are summed first, so this is one upsert statement for the answers and
    one for the profile, whatever the change."""
    changes = list(changes)
    profile_apply(changes=[(key, profile, sign) for key, _scores, profile, sign in changes])
    merged: dict[tuple[int, int, int | None, str, int], list[int]] = {}
    for key, scores, _profile, sign in changes:
        for (instrument, item), delta in row_delta(scores, sign).items():
            full = (*key, instrument, item)
            if full in merged:
                merged[full] = [a + b for a, b in zip(merged[full], delta, strict=True)]
            else:
                merged[full] = delta
    merged = {k: v for k, v in merged.items() if any(v)}
    if not merged:
        return
    # Sorted keys: two multi-key upserts lock the rows in the same order.
    rows = [
        [unit_id, period_id, service_id, service_id or 0, instrument, item, *delta]
        for (unit_id, period_id, service_id, instrument, item), delta in sorted(
            merged.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0, kv[0][3], kv[0][4])
        )
    ]
    _upsert_rows(table=_table(), columns=KEY_COLUMNS + COLUMNS, rows=rows, tail=tally_upsert_tail())
    standings_mark(keys=((unit_id, period_id) for unit_id, period_id, *_rest in merged))


def _unnest() -> tuple[str, str, str, str]:
    """The vendor's FROM clauses that unnest ``r.scores``: per instrument (``i``)
    and per item (``a``), with the item's position and score expressions."""
    if connection.vendor == "postgresql":
        return (
            "jsonb_each(r.scores) AS i",
            "jsonb_array_elements(i.value) WITH ORDINALITY AS a(v, idx)",
            "a.idx",
            "(a.v #>> '{}')::integer",
        )
    return ("json_each(r.scores) AS i", "json_each(i.value) AS a", "(a.key + 1)", "a.value")


def tally_aggregate_sql(*, source: str, sign: int = 1, where: str = "1 = 1") -> tuple[str, int]:
    """INSERT INTO the tallies SELECT the aggregate of ``source`` rows (a table or
    a CTE with unit_id, period_id, service_id and scores). Returns the SQL and how
    many times the ``where`` parameters repeat in it."""
    each_instrument, each_item, position, value = _unnest()
    keys = "r.unit_id, r.period_id, r.service_id, COALESCE(r.service_id, 0), i.key"
    group = "r.unit_id, r.period_id, r.service_id, i.key"
    points = range(1, len(TALLY_COUNT_COLUMNS) + 1)
    respondent_parts = ["COUNT(*)", "0", *("0" for _ in points)]
    item_parts = [
        f"COUNT({value})",
        f"COALESCE(SUM({value}), 0)",
        *(f"SUM(CASE WHEN {value} = {p} THEN 1 ELSE 0 END)" for p in points),
    ]
    if sign < 0:
        respondent_parts = [f"-({p})" for p in respondent_parts]
        item_parts = [f"-({p})" for p in item_parts]
    select = (
        f"SELECT {keys}, {RESPONDENTS_ITEM}, {', '.join(respondent_parts)} FROM {source} AS r, {each_instrument} "
        f"WHERE {where} GROUP BY {group} "
        f"UNION ALL SELECT {keys}, {position}, {', '.join(item_parts)} FROM {source} AS r, {each_instrument}, "
        f"{each_item} WHERE {where} GROUP BY {group}, {position}"
    )
    columns = ", ".join(KEY_COLUMNS + COLUMNS)
    # The outer WHERE: SQLite's parser needs one before an upsert's ON CONFLICT.
    return f"INSERT INTO {_table()} ({columns}) SELECT * FROM ({select}) AS s WHERE 1 = 1", 2


def tally_apply_query(*, where: str, params: list, sign: int) -> None:
    """Add or remove the rows of the response table matching ``where`` (raw SQL
    over the response table's columns), aggregated in SQL once (the answers,
    then the profile)."""
    table = connection.ops.quote_name(Response._meta.db_table)
    sql, repeat = tally_aggregate_sql(source=table, sign=sign, where=where)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} {tally_upsert_tail()}", list(params) * repeat)
    standings_mark_query(where=where, params=params)
    profile_apply_query(where=where, params=params, sign=sign)


# --- the respondent profile ----------------------------------------------------


def profile_apply_query(*, where: str, params: list, sign: int) -> None:
    """Add or remove the profiles of the response rows matching ``where``, aggregated in SQL."""
    table = connection.ops.quote_name(Response._meta.db_table)
    sql, repeat = profile_aggregate_sql(source=table, sign=sign, where=where)
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} {profile_upsert_tail()}", list(params) * repeat)


def _profile_table() -> str:
    return connection.ops.quote_name(ProfileTally._meta.db_table)


def profile_upsert_tail() -> str:
    table = _profile_table()
    return f"ON CONFLICT (unit_id, period_id, service_key, dimension, value) DO UPDATE SET n = {table}.n + EXCLUDED.n"


def age_band_sql(column: str) -> str:
    """The age band of ``column`` as profile text ('' when unknown), from AGE_BANDS
    (the rule ``age_band_index`` applies in Python)."""
    whens = []
    for index, (_label, low, high) in enumerate(AGE_BANDS):
        parts = [f"{column} IS NOT NULL"]
        if low is not None:
            parts.append(f"{column} >= {int(low)}")
        if high is not None:
            parts.append(f"{column} <= {int(high)}")
        whens.append(f"WHEN {' AND '.join(parts)} THEN '{index}'")
    return f"(CASE {' '.join(whens)} ELSE '' END)"


def _profile_expressions() -> dict[str, str]:
    return {
        "gender": "COALESCE(r.gender, '')",
        "age": age_band_sql("r.age"),
        "education": "COALESCE(r.education, '')",
        "occupation": "COALESCE(r.occupation, '')",
        "disability": "COALESCE(r.disability, '')",
    }


def profile_aggregate_sql(*, source: str, sign: int = 1, where: str = "1 = 1") -> tuple[str, int]:
    """INSERT INTO the profile tallies SELECT the counts of ``source`` rows (a
    table or a CTE with unit_id, period_id, service_id and the five profile
    columns), one UNION ALL part per dimension. Returns the SQL and how many
    times the ``where`` parameters repeat in it."""
    keys = "r.unit_id, r.period_id, r.service_id, COALESCE(r.service_id, 0)"
    count = "COUNT(*)" if sign > 0 else "-COUNT(*)"
    parts = [
        f"SELECT {keys}, '{dimension}', {expression}, {count} FROM {source} AS r WHERE {where} "
        f"GROUP BY r.unit_id, r.period_id, r.service_id, {expression}"
        for dimension, expression in _profile_expressions().items()
    ]
    columns = ", ".join((*PROFILE_KEY_COLUMNS, "n"))
    select = " UNION ALL ".join(parts)
    return f"INSERT INTO {_profile_table()} ({columns}) SELECT * FROM ({select}) AS s WHERE 1 = 1", len(parts)


def profile_apply(*, changes: Iterable[tuple[TallyKey, Profile, int]]) -> None:
    """Add (sign 1) or remove (sign -1) single rows' profiles: one upsert."""
    merged: dict[tuple[int, int, int | None, str, str], int] = {}
    for key, profile, sign in changes:
        for dimension, value in zip(PROFILE_DIMENSIONS, profile, strict=True):
            full = (*key, dimension, value)
            merged[full] = merged.get(full, 0) + sign
    _profile_upsert({k: n for k, n in merged.items() if n})


def _profile_upsert(counts: Mapping[tuple[int, int, int | None, str, str], int]) -> None:
    if not counts:
        return
    # Sorted keys: two multi-key upserts lock the rows in the same order.
    rows = [
        [unit_id, period_id, service_id, service_id or 0, dimension, value, n]
        for (unit_id, period_id, service_id, dimension, value), n in sorted(
            counts.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0, kv[0][3], kv[0][4])
        )
    ]
    _upsert_rows(table=_profile_table(), columns=(*PROFILE_KEY_COLUMNS, "n"), rows=rows, tail=profile_upsert_tail())


def tally_rebuild(*, unit_id: int | None = None, period_id: int | None = None) -> None:
    """Recompute the tallies from the raw rows (all of them, or one unit and/or
    period). Call inside a transaction with the writers locked out."""
    where, params = ["r.deleted_at IS NULL"], []
    if unit_id is not None:
        where.append("r.unit_id = %s")
        params.append(unit_id)
    if period_id is not None:
        where.append("r.period_id = %s")
        params.append(period_id)
    scope = unit_period_q(unit_id=unit_id, period_id=period_id)
    ItemTally.objects.filter(scope).delete()
    ProfileTally.objects.filter(scope).delete()
    tally_apply_query(where=" AND ".join(where), params=params, sign=1)
    standings_rebuild(unit_id=unit_id, period_id=period_id)


def tallies_rebuild(*, unit_id: int | None = None, period_id: int | None = None) -> tuple[int, int, int]:
    """``tally_rebuild`` for an operator (``skm_rebuild``): in its own transaction,
    with the tally tables locked against writers (PostgreSQL: EXCLUSIVE, so pages
    still read them; a write waits and then adds to the rebuilt rows). Returns
    how many answer tally, profile tally and league table rows the scope holds
    afterwards."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {_table()}, {_profile_table()} IN EXCLUSIVE MODE")
        tally_rebuild(unit_id=unit_id, period_id=period_id)
        scope = unit_period_q(unit_id=unit_id, period_id=period_id)
        counts = [model.objects.filter(scope).count() for model in (ItemTally, ProfileTally, Standing)]
        return counts[0], counts[1], counts[2]


class TallyCounter:
    """The tallies of many new rows of one instrument and their profiles, counted
    in Python while the rows are read (an import: the parsed answers are at hand,
    so no SQL has to unnest them again), per jenis layanan, then written in one
    upsert each."""

    def __init__(self, *, instrument: str, items: int) -> None:
        self.instrument, self.items = instrument, items
        self._width = len(COLUMNS)
        self._rows: dict[int | None, list[int]] = {}
        self._profiles: dict[tuple[int | None, Profile], int] = {}

    def add(self, *, service_id: int | None, scores: Iterable[int | None], profile: Profile) -> None:
        key = (service_id, profile)
        self._profiles[key] = self._profiles.get(key, 0) + 1
        row = self._rows.get(service_id)
        if row is None:
            row = self._rows[service_id] = [0] * (1 + self.items * self._width)
        row[0] += 1
        width = self._width
        for position, value in enumerate(scores):
            if value is not None:
                base = 1 + position * width
                row[base] += 1
                row[base + 1] += value
                row[base + 1 + value] += 1

    def apply(self, *, unit_id: int, period_id: int) -> None:
        if not self._rows:
            return
        profiles: dict[tuple[int, int, int | None, str, str], int] = {}
        for (service_id, profile), n in self._profiles.items():
            for dimension, value in zip(PROFILE_DIMENSIONS, profile, strict=True):
                full = (unit_id, period_id, service_id, dimension, value)
                profiles[full] = profiles.get(full, 0) + n
        _profile_upsert(profiles)
        width = self._width
        values: list[list] = []
        for service_id in sorted(self._rows, key=lambda s: s or 0):
            row = self._rows[service_id]
            key = [unit_id, period_id, service_id, service_id or 0, self.instrument]
            values.append([*key, RESPONDENTS_ITEM, row[0], *([0] * (width - 1))])
            for position in range(1, self.items + 1):
                base = 1 + (position - 1) * width
                values.append([*key, position, *row[base : base + width]])
        _upsert_rows(table=_table(), columns=KEY_COLUMNS + COLUMNS, rows=values, tail=tally_upsert_tail())
        standings_mark(keys=[(unit_id, period_id)])
