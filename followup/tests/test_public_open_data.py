"""The published results as open data: JSON and CSV per unit and per subtree."""

import csv
import io

import pytest

from surveys.tests.factories import PeriodFactory, ResponseFactory, SurveyRoundFactory, publish_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(unit, period, district):
    # U1..U9 all 4 and all 2: NRR 3,000 per unsur, IKM 75,00 (C).
    ResponseFactory(unit=unit, period=period, **{f"U{i}": 4 for i in range(1, 10)})
    ResponseFactory(unit=unit, period=period, **{f"U{i}": 2 for i in range(1, 10)})
    publish_round(unit, period)
    # An open round with an answer is never public.
    later = PeriodFactory(code="2025-S1", start_date="2025-01-01", end_date="2025-06-30")
    SurveyRoundFactory(unit=unit, period=later)
    ResponseFactory(unit=unit, period=later)


def test_unit_json(client, unit, published):
    data = client.get("/publik/pulutan/hasil.json").json()
    assert data["unit"] == "pulutan" and len(data["results"]) == 1
    row = data["results"][0]
    assert (row["period"], row["version"], row["respondents"], row["ikm"], row["grade"]) == (
        "2024-S2",
        1,
        2,
        "75.00",
        "C",
    )
    assert row["unsur"][0] == {"code": "U1", "nrr": "3.000", "converted": "75.00"}


def test_subtree_csv_includes_descendants_and_neutralises_names(client, unit, district, published):
    unit.name = "=HYPERLINK(1)"
    unit.save()
    response = client.get("/publik/sidorejo/wilayah.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["unit_code", "unit", "period", "version"]
    assert len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][9] == "75.00" and rows[1][11:20] == ["3.000"] * 9


def test_nothing_published_is_an_empty_list_and_unknown_unit_404(client, unit, period):
    assert client.get("/publik/pulutan/hasil.json").json()["results"] == []
    assert client.get("/publik/tidak-ada/hasil.json").status_code == 404
