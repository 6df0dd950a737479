"""Server-rendered SVG charts (matplotlib, Agg), shared by the results pages and the PDFs.

Every function takes plain data and returns SVG text (a complete ``<svg>``
element without the XML prolog, ready to be embedded inline in HTML or
written to a ``.svg`` file for WeasyPrint). Output is deterministic: fixed
font (DejaVu Sans, shipped with matplotlib), text drawn as paths, a fixed
``svg.hashsalt`` and no date metadata, so the same data give the same bytes
on every machine.

Every string drawn is plain text: unit and jenis layanan names are typed by
people, and ``$...$`` would otherwise be parsed as mathtext (an unbalanced
``$\\frac{$`` raises). ``RC`` turns math parsing and TeX off for every text
the charts create, and each label also goes through ``plain_text``, which
passes ``parse_math=False`` where matplotlib takes it.

Pure module: no Django imports.

    chart_unsur_bars(result)      -> str   # IkmResult: converted value per unsur, grade bands shaded
    chart_trend(points)           -> str   # [(label, ikm | None), ...] or objects with .period_code/.ikm
    chart_profile(table)          -> str   # object with .title and .rows of (.label, .count, .percent)
    chart_grade_histogram(counts) -> str   # {grade: number of units}: one bar per A-D band
    chart_extremes(top, bottom)   -> str   # (name, ikm, grade) of the best / worst N units
    chart_comparison(rows)        -> str   # chart_extremes of rows (.unit.name/.name, .ikm, .grade)
    chart_unsur_bars_png(result)  -> bytes # the same charts as PNG (the DOCX reports embed them)
    chart_trend_png(points)       -> bytes
"""

from __future__ import annotations

import io
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from skm.rules.formatting import format_number
from skm.rules.ikm import BANDS

GRADE_COLORS = {"A": "#1e7b34", "B": "#2a6fb0", "C": "#d08a00", "D": "#b3261e", None: "#9aa0a6"}
BAND_FILLS = {"A": "#e3f1e6", "B": "#e3edf7", "C": "#fbf0d9", "D": "#f7e1df"}
PRIMARY = "#0b5394"

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.fonttype": "path",
    "svg.hashsalt": "skm-charts",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#6c757d",
    "axes.titleweight": "bold",
    "axes.titlesize": 10,
    # Labels are data typed by people, never mathtext or TeX.
    "text.parse_math": False,
    "text.usetex": False,
}

# Keyword arguments for every ax.text / set_title / set_xlabel / set_ylabel call.
PLAIN = {"parse_math": False, "usetex": False}


def plain_text(value) -> str:
    """A label as matplotlib should draw it: the text itself, never mathtext.

    With ``text.parse_math`` off (``RC``) and ``PLAIN`` on each call, ``$`` is an
    ordinary character; this helper only normalises the value to ``str``."""
    return "" if value is None else str(value)


def _render(fig: Figure) -> str:
    buf = io.StringIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches=None)
    svg = buf.getvalue()
    # Drop the prolog and doctype so the text can be embedded inline in HTML.
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


PNG_DPI = 150  # print resolution of the PNG variants (16 cm wide at 150 dpi is sharp on paper)


def _render_png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buf, format="png", dpi=PNG_DPI, metadata={"Software": None}, bbox_inches=None)
    return buf.getvalue()


def _figure(
    width: float, height: float, *, left: float = 0.09, right: float = 0.95, bottom: float = 0.12, top: float = 0.88
) -> Figure:
    # Fixed margins (in inches where it matters) instead of constrained layout: half the render time.
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(width, height), dpi=72)
        fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top)
        return fig


_CACHE: OrderedDict[tuple, str] = OrderedDict()
_CACHE_SIZE = 256


def _cached(key: tuple, build: Callable[[], str]) -> str:
    """Charts are pure functions of their data: keep recent SVGs (a page reload
    or the same chart in a PDF costs nothing)."""
    svg = _CACHE.get(key)
    if svg is None:
        svg = build()
        _CACHE[key] = svg
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    else:
        _CACHE.move_to_end(key)
    return svg


def _num(value, places: int = 2) -> str:
    return format_number(value, places)


def _shade_bands(ax, *, horizontal: bool) -> None:
    """Shade A-D bands of the converted scale (25-100) behind the bars."""
    for band in BANDS:
        low = float(band.min_converted)
        high = 100.0 if band.grade == "A" else float(band.max_converted) + 0.01
        span = ax.axhspan if horizontal else ax.axvspan
        span(low, high, color=BAND_FILLS[band.grade], zorder=0, linewidth=0)
        label_pos = (low + high) / 2
        if horizontal:
            ax.text(
                1.005,
                label_pos - 2,
                band.grade,
                transform=ax.get_yaxis_transform(),
                va="center",
                ha="left",
                fontsize=8,
                color=GRADE_COLORS[band.grade],
                fontweight="bold",
                **PLAIN,
            )
        else:
            ax.text(
                label_pos,
                -0.01,
                band.grade,
                transform=ax.get_xaxis_transform(),
                va="top",
                ha="center",
                fontsize=8,
                color=GRADE_COLORS[band.grade],
                fontweight="bold",
                **PLAIN,
            )


def chart_unsur_bars(result, *, title: str | None = None) -> str:
    """Bar per unsur (U1..U9) of the converted value NRR x 25 on the 25-100 scale,
    coloured by grade, the A-D bands shaded and the IKM drawn as a dashed line.

    ``result`` is a ``skm.rules.ikm.IkmResult`` (uses ``.unsur[*].code/.converted/.grade``,
    ``.ikm`` and ``.weight_description``)."""
    key = (
        "bars",
        title,
        result.weight_description,
        result.ikm,
        tuple((u.code, u.converted, u.grade) for u in result.unsur),
    )
    return _cached(key, lambda: _unsur_bars(result, title))


def chart_unsur_bars_png(result, *, title: str | None = None) -> bytes:
    """``chart_unsur_bars`` as PNG bytes (not cached: a report draws it once)."""
    return _unsur_bars(result, title, render=_render_png)


def _unsur_bars(result, title, render: Callable[[Figure], str | bytes] | None = None):
    with matplotlib.rc_context(RC):
        fig = _figure(8, 3.8, left=0.08, right=0.92, bottom=0.09, top=0.91)
        ax = fig.add_subplot()
        _shade_bands(ax, horizontal=True)
        codes = [u.code for u in result.unsur]
        values = [float(u.converted) if u.converted is not None else 0.0 for u in result.unsur]
        colors = [GRADE_COLORS[u.grade] for u in result.unsur]
        bars = ax.bar(codes, values, color=colors, width=0.6, zorder=2)
        for bar, u in zip(bars, result.unsur, strict=True):
            text = _num(u.converted) if u.converted is not None else "–"
            ax.text(
                bar.get_x() + bar.get_width() / 2,
                max(bar.get_height(), 25) + 0.8,
                text,
                ha="center",
                va="bottom",
                fontsize=8,
                zorder=3,
                **PLAIN,
            )
        if result.ikm is not None:
            ax.axhline(float(result.ikm), color="#212529", linestyle="--", linewidth=1, zorder=3)
            ax.text(
                1.0,
                float(result.ikm),
                f" IKM {_num(result.ikm)}",
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="bottom",
                fontsize=8,
                color="#212529",
                zorder=3,
                **PLAIN,
            )
        ax.set_ylim(25, 103)
        ax.set_ylabel("Nilai konversi (NRR × 25)", **PLAIN)
        ax.set_title(plain_text(title or f"Nilai per unsur layanan ({result.weight_description})"), loc="left", **PLAIN)
        return (render or _render)(fig)


def _trend_pairs(points: Iterable) -> list[tuple[str, Decimal | None]]:
    pairs = []
    for p in points:
        if isinstance(p, tuple):
            pairs.append((str(p[0]), p[1]))
        else:
            # An IKM the unit entered for a period before the system: "2019*", footnoted.
            pairs.append((str(p.period_code) + ("*" if getattr(p, "entered", False) else ""), p.ikm))
    return pairs


ENTERED_NOTE = "* dimasukkan manual (periode sebelum sistem)"


def chart_trend(points: Sequence, *, title: str | None = None) -> str:
    """IKM per period, oldest first, over the shaded A-D bands.

    ``points``: ``(label, ikm)`` pairs (ikm a Decimal or None for a period
    without an IKM) or ``surveys.selectors.TrendPoint`` objects."""
    pairs = _trend_pairs(points)
    return _cached(("trend", title, tuple(pairs)), lambda: _trend(pairs, title))


def chart_trend_png(points: Sequence, *, title: str | None = None) -> bytes:
    """The report's trend chart as PNG bytes (not cached: a report draws it once).

    With ``TrendPoint`` objects that carry their period's dates, the periods
    stand on a time axis (the middle of each period) labelled with their names,
    so a missing semester shows as a gap, not as the next tick."""
    if points and all(getattr(p, "start", None) and getattr(p, "end", None) for p in points):
        pairs = [(_wrap_label(p.period_label) + ("*" if p.entered else ""), p.ikm) for p in points]
        positions = [_mid_year(p.start, p.end) for p in points]
        return _trend(pairs, title, render=_render_png, positions=positions)
    return _trend(_trend_pairs(points), title, render=_render_png)


def _mid_year(start, end) -> float:
    """The middle of a period as a fractional year (2024.75 for Semester II 2024)."""
    middle = start + (end - start) / 2
    return middle.year + (middle.timetuple().tm_yday - 1) / 365.25


def _wrap_label(label: str) -> str:
    """ "Semester II Tahun 2024" -> "Semester II\nTahun 2024": names fit under their point."""
    words = str(label).split()
    if len(words) < 3:
        return str(label)
    half = (len(words) + 1) // 2
    return " ".join(words[:half]) + "\n" + " ".join(words[half:])


def _trend(pairs, title, render: Callable[[Figure], str | bytes] | None = None, positions=None):
    with matplotlib.rc_context(RC):
        fig = _figure(8, 3.2, left=0.08, right=0.95, bottom=0.18 if positions else 0.1, top=0.9)
        ax = fig.add_subplot()
        _shade_bands(ax, horizontal=True)
        xs = list(positions) if positions else list(range(len(pairs)))
        present = [(x, float(v)) for x, (_l, v) in zip(xs, pairs, strict=True) if v is not None]
        if present:
            ax.plot([x for x, _ in present], [v for _, v in present], color=PRIMARY, marker="o", linewidth=2, zorder=3)
            for x, v in present:
                ax.text(x, v + 1.5, _num(Decimal(str(v))), ha="center", va="bottom", fontsize=8, zorder=4, **PLAIN)
        else:
            ax.text(
                0.5, 0.5, "Belum ada data", transform=ax.transAxes, ha="center", va="center", color="#6c757d", **PLAIN
            )
        ax.set_xticks(xs, [plain_text(label) for label, _v in pairs], **PLAIN)
        if positions:
            ax.tick_params(axis="x", labelsize=7)
            ax.set_xlim(min(xs) - 0.35, max(xs) + 0.35)
        else:
            ax.set_xlim(-0.5, max(len(pairs) - 0.5, 0.5))
        ax.set_ylim(25, 103)
        ax.set_ylabel("IKM", **PLAIN)
        ax.set_title(plain_text(title or "Tren IKM per periode"), loc="left", **PLAIN)
        if any(label.endswith("*") for label, _v in pairs):
            ax.text(1.0, 1.02, ENTERED_NOTE, transform=ax.transAxes, ha="right", va="bottom", fontsize=7, **PLAIN)
        return (render or _render)(fig)


def chart_profile(table, *, title: str | None = None) -> str:
    """Horizontal bars of one respondent-profile table (count and percentage).

    ``table``: object with ``.title`` and ``.rows`` whose items have
    ``.label``, ``.count`` and ``.percent`` (``surveys.selectors.ProfileTable``)."""
    rows = [(r.label, r.count, r.percent) for r in table.rows]
    return _cached(("profile", title or table.title, tuple(rows)), lambda: _profile(rows, title or table.title))


def _profile(rows, title):
    height = 0.42 * max(len(rows), 2) + 0.9
    with matplotlib.rc_context(RC):
        fig = _figure(3.4, height, left=0.4, right=0.97, bottom=0.15 / height, top=1 - 0.45 / height)
        ax = fig.add_subplot()
        labels = [label for label, _c, _p in rows][::-1]
        counts = [count for _l, count, _p in rows][::-1]
        bars = ax.barh(range(len(labels)), counts, color=PRIMARY, height=0.6)
        ax.set_yticks(range(len(labels)), [plain_text(label) for label in labels], **PLAIN)
        top = max(counts) if counts and max(counts) > 0 else 1
        for bar, (_label, count, percent) in zip(bars, rows[::-1], strict=True):
            ax.text(
                bar.get_width() + top * 0.02,
                bar.get_y() + bar.get_height() / 2,
                plain_text(f"{count} ({_num(percent)}%)"),
                va="center",
                fontsize=8,
                **PLAIN,
            )
        ax.set_xlim(0, top * 1.45)
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        ax.set_title(plain_text(title), loc="left", **PLAIN)
        return _render(fig)


def _row_name(row) -> str:
    unit = getattr(row, "unit", None)
    return str(getattr(unit, "name", None) or getattr(row, "name", ""))


def chart_comparison(rows: Sequence, *, title: str | None = None) -> str:
    """The best and worst ``EXTREMES`` of ``rows`` (``chart_extremes``), never one
    bar per unit; pair it with ``chart_grade_histogram`` for the distribution.
    ``rows``: objects with ``.ikm``, ``.grade`` and ``.unit.name`` or ``.name``;
    rows without IKM are skipped."""
    ranked = sorted((r for r in rows if r.ikm is not None), key=lambda r: -r.ikm)
    top = [(_row_name(r), r.ikm, r.grade) for r in ranked[:EXTREMES]]
    bottom = [(_row_name(r), r.ikm, r.grade) for r in ranked[::-1][:EXTREMES]]
    return chart_extremes(top, bottom, title=title)


EXTREMES = 10


def chart_grade_histogram(counts: dict, *, title: str | None = None) -> str:
    """How many units fall in each grade band (A-D of ``skm.rules.ikm.BANDS``):
    one bar per band, the count written on it. ``counts``: {grade: number of units}."""
    data = tuple((band.grade, band.label, int(counts.get(band.grade, 0))) for band in BANDS)
    return _cached(("histogram", title, data), lambda: _histogram(data, title))


def _histogram(data, title):
    with matplotlib.rc_context(RC):
        fig = _figure(8, 2.8, left=0.08, right=0.97, bottom=0.2, top=0.86)
        ax = fig.add_subplot()
        labels = [f"{grade} ({label})" for grade, label, _n in data]
        values = [n for _g, _l, n in data]
        bars = ax.bar(range(len(data)), values, color=[GRADE_COLORS[g] for g, _l, _n in data], width=0.6, zorder=2)
        top = max(values) if values and max(values) > 0 else 1
        for bar, n in zip(bars, values, strict=True):
            ax.text(
                bar.get_x() + bar.get_width() / 2,
                bar.get_height() + top * 0.03,
                _num(n, 0),
                ha="center",
                va="bottom",
                fontsize=9,
                zorder=3,
                **PLAIN,
            )
        ax.set_xticks(range(len(data)), [plain_text(label) for label in labels], **PLAIN)
        ax.set_ylim(0, top * 1.25)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts of units: no 0.25 ticks
        ax.set_ylabel("Jumlah unit", **PLAIN)
        ax.set_title(plain_text(title or "Sebaran unit menurut mutu pelayanan"), loc="left", **PLAIN)
        return _render(fig)


def chart_extremes(top: Sequence, bottom: Sequence, *, title: str | None = None) -> str:
    """The best and the worst units side by side: two panels of horizontal bars
    over the shaded bands. ``top``/``bottom``: ``(name, ikm, grade)`` triples,
    best first / worst first."""
    t = tuple((_shorten(str(n), 30), ikm, g) for n, ikm, g in top)
    b = tuple((_shorten(str(n), 30), ikm, g) for n, ikm, g in bottom)
    return _cached(("extremes", title, t, b), lambda: _extremes(t, b, title))


def _extremes_panel(ax, ranked, heading):
    _shade_bands(ax, horizontal=False)
    names = [name for name, _i, _g in ranked][::-1]
    values = [float(ikm) for _n, ikm, _g in ranked][::-1]
    colors = [GRADE_COLORS.get(grade, GRADE_COLORS[None]) for _n, _i, grade in ranked][::-1]
    bars = ax.barh(range(len(names)), values, color=colors, height=0.6, zorder=2)
    for bar, (_name, ikm, _grade) in zip(bars, ranked[::-1], strict=True):
        ax.text(
            bar.get_width() + 0.5,
            bar.get_y() + bar.get_height() / 2,
            _num(ikm),
            va="center",
            fontsize=8,
            zorder=3,
            **PLAIN,
        )
    ax.set_yticks(range(len(names)), [plain_text(name) for name in names], **PLAIN)
    if not ranked:
        ax.text(62.5, 0.5, "Belum ada data", ha="center", va="center", color="#6c757d", **PLAIN)
    ax.set_ylim(-0.6, max(len(names), EXTREMES) - 0.4)
    ax.set_xlim(25, 106)
    ax.tick_params(axis="x", pad=12)
    ax.set_title(plain_text(heading), loc="left", **PLAIN)


def _extremes(top, bottom, title):
    rows = max(len(top), len(bottom), 2)
    height = 0.3 * rows + 1.2
    with matplotlib.rc_context(RC):
        fig = _figure(8, 2 * height, left=0.36, right=0.96, bottom=0.5 / (2 * height), top=1 - 0.35 / (2 * height))
        fig.subplots_adjust(hspace=0.45)
        ax_top = fig.add_subplot(2, 1, 1)
        ax_bottom = fig.add_subplot(2, 1, 2)
        _extremes_panel(ax_top, top, title or f"{len(top)} unit dengan IKM tertinggi")
        _extremes_panel(ax_bottom, bottom, f"{len(bottom)} unit dengan IKM terendah")
        ax_bottom.set_xlabel("IKM", **PLAIN)
        return _render(fig)


def _shorten(text: str, limit: int = 38) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
