"""Reading many rows with flat memory, on a direct connection or behind PgBouncer.

On a direct PostgreSQL connection Django's ``QuerySet.iterator(chunk_size=...)``
reads through a server-side cursor, ``chunk_size`` rows at a time. Behind a
transaction pooler (``SKM_DB_POOLER=pgbouncer-transaction``) there are no server-side
cursors (``DISABLE_SERVER_SIDE_CURSORS``): the same call would receive every row of
the result at once. :func:`rows_iter` then reads the ordered primary keys first (one
integer per row) and the rows a chunk of keys at a time, each chunk in its own short
statement, so no cursor or transaction outlives a statement and the export's own
progress writes in between stay visible to the job pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db.models import QuerySet


def rows_iter(queryset: QuerySet, *, chunk_size: int) -> Iterator[Any]:
    """The rows of ``queryset`` in its order, at most about ``chunk_size`` of them in memory.

    The queryset must be ordered and must not yield a primary key twice (a
    ``values_list`` over to-one relations, as the exports read). Rows added while it
    runs are not read; a row deleted meanwhile is skipped."""
    if not queryset.ordered:
        raise ValueError("rows_iter needs an ordered queryset: the chunks follow its order")
    if not settings.SKM_TRANSACTION_POOLING:
        yield from queryset.iterator(chunk_size=chunk_size)
        return
    keys = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(keys), chunk_size):
        # The same order within a chunk as in the whole: a subset keeps its order.
        yield from queryset.filter(pk__in=keys[start : start + chunk_size])
