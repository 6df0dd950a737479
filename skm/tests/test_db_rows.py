"""skm.db_rows: many rows with flat memory, also behind a transaction pooler.

The pooled path is forced with SKM_TRANSACTION_POOLING=True on any database (the
PgBouncer slice of scripts/test.sh runs this module through PgBouncer for real)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from reports.selectors import respondent_rows
from skm.db_rows import rows_iter
from skm.rules.ikm import WeightMode
from surveys import exports
from surveys.models import Response
from surveys.tests.factories import ResponseFactory

pytestmark = pytest.mark.django_db

# Five respondents; number and saran chosen so that neither id order nor text order is the answer.
ROWS = [(5, "Antre lama"), (2, "=HYPERLINK(1)"), (4, "Antre lama"), (1, ""), (3, "Loket kurang")]


@pytest.fixture
def responses(unit, period):
    start = dt.datetime(2024, 8, 1, 9, tzinfo=dt.UTC)
    return [
        ResponseFactory(unit=unit, period=period, number=number, suggestion=saran, submitted_at=start)
        for number, saran in ROWS
    ]


@pytest.fixture
def pooled(settings):
    settings.SKM_TRANSACTION_POOLING = True


def test_pooled_rows_keep_the_order_and_come_a_chunk_per_statement(responses, pooled):
    rows = Response.objects.order_by("-number").values_list("number", "suggestion")
    with CaptureQueriesContext(connection) as queries:
        got = list(rows_iter(rows, chunk_size=2))
    assert got == [(5, "Antre lama"), (4, "Antre lama"), (3, "Loket kurang"), (2, "=HYPERLINK(1)"), (1, "")]
    # The keys, then ceil(5 / 2) = 3 chunks; never a cursor.
    assert len(queries.captured_queries) == 4
    assert not any("DECLARE" in q["sql"] for q in queries.captured_queries)


def test_direct_rows_are_the_same(responses):
    rows = Response.objects.order_by("-number").values_list("number", flat=True)
    assert list(rows_iter(rows, chunk_size=2)) == [5, 4, 3, 2, 1]


def test_an_unordered_queryset_is_refused(responses, pooled):
    with pytest.raises(ValueError, match="ordered"):
        list(rows_iter(Response.objects.order_by().values_list("number"), chunk_size=2))


def test_pooled_appendix_rows_in_respondent_order(unit, period, responses, pooled):
    assert [row[0] for row in respondent_rows(unit=unit, period=period)] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("pooling", [False, True])
def test_saran_sheet_groups_most_frequent_first(unit, period, responses, settings, monkeypatch, tmp_path, pooling):
    settings.SKM_TRANSACTION_POOLING = pooling
    monkeypatch.setattr(exports, "CHUNK_SIZE", 1)  # one group per chunk
    target = tmp_path / "ws.xlsx"
    exports.worksheet_write(
        unit=unit, period=period, weight_mode=WeightMode.EXACT, path_or_file=target, include_saran=True
    )
    sheet = load_workbook(target, read_only=True)["Saran"]
    table = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] is not None]
    # "Antre lama" twice; then the others once each, in text order; the blank saran is none.
    assert table == [(1, "Antre lama", 2), (2, "'=HYPERLINK(1)", 1), (3, "Loket kurang", 1)]
