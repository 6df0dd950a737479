"""Charts: valid, deterministic SVG text from plain data."""

import xml.etree.ElementTree as ET
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from skm.rules.ikm import UnsurTally, WeightMode, compute_ikm
from surveys import charts
from surveys.results import CountRow, ProfileTable, TrendPoint


@pytest.fixture
def reference_result(reference_expected):
    tallies = [
        UnsurTally(u["code"], u["total"], u["answered"], {int(k): v for k, v in u["distribution"].items()})
        for u in reference_expected["unsur"]
    ]
    return compute_ikm(tallies, respondents=50, weight_mode=WeightMode.W0111)


def parse(svg: str):
    assert svg.startswith("<svg")
    return ET.fromstring(svg)


def test_unsur_bars_is_deterministic_svg(reference_result):
    first = charts.chart_unsur_bars(reference_result)
    charts._CACHE.clear()
    second = charts.chart_unsur_bars(reference_result)
    assert first == second  # same bytes after a fresh render: fixed hashsalt, no date
    root = parse(first)
    assert root.tag.endswith("svg")
    assert "<dc:date>" not in first


def test_different_data_give_different_pictures(reference_result):
    other = compute_ikm([UnsurTally(f"U{i}", 4, 1, {4: 1}) for i in range(1, 10)], respondents=1)
    assert charts.chart_unsur_bars(reference_result) != charts.chart_unsur_bars(other)


def test_unsur_bars_with_unanswered_unsur():
    result = compute_ikm([UnsurTally(f"U{i}", 3, 1, {3: 1}) for i in range(1, 9)], respondents=1)
    parse(charts.chart_unsur_bars(result))


def test_trend_accepts_pairs_and_points():
    pairs = charts.chart_trend([("2024-S1", Decimal("85.97")), ("2024-S2", None), ("2025-S1", Decimal("86.11"))])
    points = charts.chart_trend(
        [
            TrendPoint("2024-S1", "Semester I Tahun 2024", 50, Decimal("85.97"), "B"),
            TrendPoint("2024-S2", "Semester II Tahun 2024", 0, None, None),
            TrendPoint("2025-S1", "Semester I Tahun 2025", 50, Decimal("86.11"), "B"),
        ]
    )
    assert pairs == points
    parse(charts.chart_trend([]))


def test_profile_and_comparison():
    table = ProfileTable(
        "gender",
        "Jenis Kelamin",
        (CountRow("Laki-laki", 18, Decimal("36.00")), CountRow("Perempuan", 32, Decimal("64.00"))),
        50,
    )
    parse(charts.chart_profile(table))
    rows = [
        SimpleNamespace(
            unit=SimpleNamespace(name="Kelurahan <script>alert(1)</script> -->"), ikm=Decimal("86.03"), grade="B"
        ),
        SimpleNamespace(name="Kelurahan Kosong", ikm=None, grade=None),
    ]
    svg = charts.chart_comparison(rows)
    parse(svg)
    assert "<script" not in svg  # names only appear escaped inside comments; text is drawn as paths
    parse(charts.chart_comparison([]))


# --- names are plain text, never mathtext ----------------------------------------

DOLLAR_NAMES = ["$x$", "$\\frac{$", "Unit $\\frac{ dan $x$", "Rp $5 $"]


@pytest.fixture
def drawn_texts(monkeypatch):
    """Every matplotlib Text of every chart rendered during the test, after drawing."""
    from matplotlib.text import Text

    texts = []
    original = charts._render

    def spy(fig):
        svg = original(fig)  # draws the figure: tick labels exist only after this
        texts.extend(t for t in fig.findobj(Text) if t.get_text())
        return svg

    monkeypatch.setattr(charts, "_render", spy)
    charts._CACHE.clear()
    yield texts
    charts._CACHE.clear()


def assert_plain(texts, expected: str):
    assert any(t.get_text() == expected for t in texts), expected
    for t in texts:
        # (text, False) means "draw as plain text"; True would be mathtext, "TeX" usetex.
        assert t._preprocess_math(t.get_text())[1] is False, t.get_text()


@pytest.mark.parametrize("name", DOLLAR_NAMES)
def test_dollar_signs_in_every_chart_are_plain_text(drawn_texts, reference_result, name):
    rows = [SimpleNamespace(unit=SimpleNamespace(name=name), ikm=Decimal("86.03"), grade="B")]
    parse(charts.chart_comparison(rows))
    assert_plain(drawn_texts, name)
    drawn_texts.clear()

    table = ProfileTable(
        "service", name, (CountRow(name, 3, Decimal("60.00")), CountRow("Lain", 2, Decimal("40.00"))), 5
    )
    parse(charts.chart_profile(table))
    assert_plain(drawn_texts, name)
    drawn_texts.clear()

    parse(charts.chart_trend([(name, Decimal("80.00")), ("2025-S1", Decimal("81.00"))], title=name))
    assert_plain(drawn_texts, name)
    drawn_texts.clear()

    parse(charts.chart_unsur_bars(reference_result, title=name))
    assert_plain(drawn_texts, name)


def test_png_variants_are_deterministic_pngs_of_print_size(reference_result):
    import io

    from PIL import Image

    bars = charts.chart_unsur_bars_png(reference_result)
    assert bars == charts.chart_unsur_bars_png(reference_result)  # no timestamp in the file
    trend = charts.chart_trend_png([("2024-S1", Decimal("85.97")), ("2024-S2", Decimal("86.11"))])
    for data, inches in ((bars, (8, 3.8)), (trend, (8, 3.2))):
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        # The figure sizes of the SVG charts at 150 dpi: 8 x 3.8 in -> 1200 x 570 px.
        assert Image.open(io.BytesIO(data)).size == (round(inches[0] * 150), round(inches[1] * 150))
    assert charts.chart_unsur_bars_png(compute_ikm([UnsurTally("U1", 4, 1, {4: 1})], respondents=1)) != bars


def test_report_trend_stands_on_a_time_axis_with_period_names(monkeypatch):
    """Issue 18: a missing semester is a gap on the axis, and the ticks carry the periods' names."""
    import datetime as dt
    from decimal import Decimal

    from surveys import charts
    from surveys.results import TrendPoint

    seen = {}

    def capture(pairs, title, render=None, positions=None):
        seen.update(pairs=pairs, positions=positions)
        return b""

    monkeypatch.setattr(charts, "_trend", capture)
    points = [
        TrendPoint("2023-S1", "Semester I Tahun 2023", 40, Decimal("80.00"), "B", start=dt.date(2023, 1, 1), end=dt.date(2023, 6, 30)),
        TrendPoint("2024-S1", "Semester I Tahun 2024", 40, Decimal("82.00"), "B", start=dt.date(2024, 1, 1), end=dt.date(2024, 6, 30)),
        TrendPoint("2024-S2", "Semester II Tahun 2024", 50, Decimal("86.11"), "B", start=dt.date(2024, 7, 1), end=dt.date(2024, 12, 31)),
    ]  # fmt: skip
    charts.chart_trend_png(points)
    first, second, third = seen["positions"]
    # Middles: 1 Apr 2023 (day 91), 31 Mar 2024 (day 91, leap year), 30 Sep 2024 (day 274).
    assert round(first, 4) == round(2023 + 90 / 365.25, 4)
    assert round(third, 4) == round(2024 + 273 / 365.25, 4)
    # The skipped semester: a year between the first two points, half a year between the last two.
    assert round(second - first, 2) == 1.0 and round(third - second, 1) == 0.5
    assert [label for label, _v in seen["pairs"]] == [
        "Semester I\nTahun 2023",
        "Semester I\nTahun 2024",
        "Semester II\nTahun 2024",
    ]


def test_grade_histogram_counts_units_in_whole_numbers(monkeypatch):
    """One unit in grade C: the y axis is 0 and 1 only, never 0.25, 0.5 ..."""
    axes = []
    original = charts._render

    def spy(fig):
        svg = original(fig)
        axes.extend(fig.axes)
        return svg

    monkeypatch.setattr(charts, "_render", spy)
    charts._CACHE.clear()
    parse(charts.chart_grade_histogram({"A": 0, "B": 0, "C": 1, "D": 0}, title="Sebaran"))
    ticks = [t for t in axes[0].get_yticks() if 0 <= t <= axes[0].get_ylim()[1]]
    assert ticks == [0, 1]
    charts._CACHE.clear()


@pytest.mark.django_db
def test_a_new_drawing_gets_a_new_url_and_key_and_old_urls_still_draw(client, alice, monkeypatch):
    from django.core import signing

    from conftest import PASSWORD
    from surveys import chart_store

    payload = {"c": [["A", 3], ["B", 1]]}
    url, key = chart_store.chart_url("histogram", payload), chart_store.content_key("histogram", payload)
    monkeypatch.setattr(chart_store, "DRAWING", chart_store.DRAWING + 1)
    assert chart_store.chart_url("histogram", payload) != url
    assert chart_store.content_key("histogram", payload) != key
    # A page cached before drawings had a version links [kind, payload]: it is drawn as it is now.
    old = signing.dumps(["histogram", payload], salt=chart_store.SALT, compress=True)
    client.login(username=alice.username, password=PASSWORD)
    response = client.get(reverse("surveys:chart", args=[old]))
    assert response.status_code == 200 and b"<svg" in response.content
