"""Writes of the pre-aggregated tallies (``surveys.models.RoundTally``).

Every write to the responses calls one of these in its own transaction, so the
tallies always equal an aggregate of the live (not soft-deleted) responses:

- one row written (web, paper, edit, delete, restore): ``tally_apply`` with the
  row's answers before and/or after, ONE ``INSERT ... ON CONFLICT DO UPDATE
  SET col = col + EXCLUDED.col`` (two keys when an edit moves the row to another
  jenis layanan, still one statement);
- many rows (import, undo and restore of an import): ``tally_apply_query``
  aggregates them in SQL once (``INSERT ... SELECT ... GROUP BY``, same upsert).

``tally_rebuild`` recomputes from the raw rows (data migration, bulk loads that
bypass the services, and the consistency tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import connection

from skm.rules.unsur import UNSUR_CODES

from .models import TALLY_SCORES, Response, RoundTally, tally_columns

COLUMNS = tally_columns()
KEY_COLUMNS = ("unit_id", "period_id", "service_id", "service_key")


def _table() -> str:
    return connection.ops.quote_name(RoundTally._meta.db_table)


def tally_upsert_tail() -> str:
    table = _table()
    sets = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in COLUMNS)
    return f"ON CONFLICT (unit_id, period_id, service_key) DO UPDATE SET {sets}"


def row_delta(answers: Mapping[str, int | None], sign: int = 1) -> list[int]:
    """The counter deltas (in COLUMNS order) of one response with ``answers``
    (u1..u9 -> 1..4 or None), added (sign 1) or removed (sign -1)."""
    out = [sign]
    for code in UNSUR_CODES:
        value = answers.get(code.lower())
        out.append(sign * (value or 0))
        out.append(sign * (value is not None))
        out.extend(sign * (value == s) for s in TALLY_SCORES)
    return out


def response_state(response: Response) -> tuple[tuple[int, int, int | None], dict[str, int | None]]:
    """The tally key and answers of a response as it is now in memory."""
    key = (response.unit_id, response.period_id, response.service_id)
    return key, {code.lower(): getattr(response, code.lower()) for code in UNSUR_CODES}


def tally_apply(*, changes: Iterable[tuple[tuple[int, int, int | None], Mapping[str, int | None], int]]) -> None:
    """Add (sign 1) or remove (sign -1) single rows: ``changes`` holds
    (key (unit_id, period_id, service_id), answers, sign). Deltas on one key are
    summed first, so this is one upsert statement whatever the change."""
    merged: dict[tuple[int, int, int | None], list[int]] = {}
    for key, answers, sign in changes:
        delta = row_delta(answers, sign)
        if key in merged:
            merged[key] = [a + b for a, b in zip(merged[key], delta, strict=True)]
        else:
            merged[key] = delta
    merged = {k: v for k, v in merged.items() if any(v)}
    if not merged:
        return
    width = len(KEY_COLUMNS) + len(COLUMNS)
    placeholders = "(" + ", ".join(["%s"] * width) + ")"
    params: list = []
    # Sorted keys: two multi-key upserts lock the rows in the same order.
    for (unit_id, period_id, service_id), delta in sorted(
        merged.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0)
    ):
        params += [unit_id, period_id, service_id, service_id or 0, *delta]
    sql = (
        f"INSERT INTO {_table()} ({', '.join(KEY_COLUMNS + COLUMNS)}) VALUES "
        f"{', '.join([placeholders] * len(merged))} {tally_upsert_tail()}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def tally_aggregate_sql(*, source: str, sign: int = 1, where: str = "TRUE") -> str:
    """INSERT INTO the tallies SELECT the aggregate of ``source`` rows (a table or a CTE)."""
    parts = ["COUNT(*)"]
    for code in UNSUR_CODES:
        f = code.lower()
        parts.append(f"COALESCE(SUM({f}), 0)")
        parts.append(f"COUNT({f})")
        parts.extend(f"SUM(CASE WHEN {f} = {s} THEN 1 ELSE 0 END)" for s in TALLY_SCORES)
    if sign < 0:
        parts = [f"-({p})" for p in parts]
    return (
        f"INSERT INTO {_table()} ({', '.join(KEY_COLUMNS + COLUMNS)}) "
        f"SELECT unit_id, period_id, service_id, COALESCE(service_id, 0), {', '.join(parts)} "
        f"FROM {source} WHERE {where} GROUP BY unit_id, period_id, service_id"
    )


def tally_apply_query(*, where: str, params: list, sign: int) -> None:
    """Add or remove the rows of the response table matching ``where`` (raw SQL
    over the response table's columns), aggregated in SQL once."""
    table = connection.ops.quote_name(Response._meta.db_table)
    sql = f"{tally_aggregate_sql(source=table, sign=sign, where=where)} {tally_upsert_tail()}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def tally_rebuild(*, unit_id: int | None = None, period_id: int | None = None) -> None:
    """Recompute the tallies from the raw rows (all of them, or one unit and/or
    period). Call inside a transaction with the writers locked out."""
    where, params = ["deleted_at IS NULL"], []
    scope = RoundTally.objects.all()
    if unit_id is not None:
        where.append("unit_id = %s")
        params.append(unit_id)
        scope = scope.filter(unit_id=unit_id)
    if period_id is not None:
        where.append("period_id = %s")
        params.append(period_id)
        scope = scope.filter(period_id=period_id)
    scope.delete()
    tally_apply_query(where=" AND ".join(where), params=params, sign=1)
