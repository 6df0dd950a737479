"""The per-respondent appendix of the Laporan SKM as ruled, pre-formatted text.

WeasyPrint lays a table out cell by cell and line by line: the old appendix
(14 cells per respondent) cost about 15 ms per respondent, 15-20 s for the
1 000 respondents the PDF prints at most. Here each respondent is ONE table
cell holding one pre-formatted line of monospaced text (``bench/bench_report_layout.py``
measured the options: about 2 ms per respondent). It still looks like the
other tables of the report: the header row is ordinary ``th`` cells in the
report's heading font, each row is ruled below, and the column rules are
drawn by the table's background (one 0.6 pt gradient strip per column edge)
at the same ``ch`` positions as the ``col`` widths, so the rules, the header
cells and the text columns line up whatever the font size.

Every value is printed as people read it: labels of the model choices, never
the stored codes, and numbers through ``skm.rules.formatting.format_number``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from skm.rules.formatting import format_number
from skm.rules.unsur import UNSUR_CODES
from surveys.models import Response

# A4 portrait, 16.5 cm between the margins of report.css, in characters of the
# 7.5 pt monospaced font (DejaVu Sans Mono advance 0.602 em = 4.52 pt): 103.
MAX_LINE_CHARS = 103
MIN_WRAPPED_WIDTH = 8  # a jenis layanan column narrower than this is not worth it
RULE = "linear-gradient(#333, #343434)"  # two stops: WeasyPrint 70 paints a one-colour gradient everywhere


@dataclass(frozen=True)
class Column:
    header: str
    width: int  # characters of text; the column is width + 2 (one space each side)
    align: str  # "<", ">" or "^" (str.format alignment)

    @property
    def span(self) -> int:
        return self.width + 2


@dataclass(frozen=True)
class RuledTable:
    """What ``survey_report.html`` prints: the header cells and one pre-formatted
    line (or several, when a jenis layanan name wraps) per respondent."""

    columns: list[Column]
    rows: list[str]
    # The same values cell by cell (labels, formatted numbers), for the Word table.
    cells: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def total_chars(self) -> int:
        return sum(c.span for c in self.columns)

    @property
    def rule_positions(self) -> list[int]:
        """Character offsets of the inner column edges."""
        edges, x = [], 0
        for column in self.columns[:-1]:
            x += column.span
            edges.append(x)
        return edges

    @property
    def table_style(self) -> str:
        """The inline style drawing the column rules (one background strip per inner edge)."""
        edges = self.rule_positions
        if not edges:
            return f"width: {self.total_chars}ch"
        return (
            f"width: {self.total_chars}ch; "
            f"background-image: {', '.join(RULE for _ in edges)}; "
            f"background-size: {', '.join('0.6pt 100%' for _ in edges)}; "
            f"background-position: {', '.join(f'{x}ch 0' for x in edges)}; "
            "background-repeat: repeat-y"
        )


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def _cell_lines(value: str, column: Column) -> list[str]:
    if len(value) <= column.width:
        return [value]
    return textwrap.wrap(value, column.width, break_long_words=True, break_on_hyphens=True) or [""]


def _line(values: Sequence[str], columns: Sequence[Column]) -> str:
    cells = [_cell_lines(v, c) for v, c in zip(values, columns, strict=True)]
    height = max(len(lines) for lines in cells)
    out = []
    for i in range(height):
        parts = [
            f" {(lines[i] if i < len(lines) else ''):{c.align}{c.width}} "
            for lines, c in zip(cells, columns, strict=True)
        ]
        out.append("".join(parts).rstrip())
    return "\n".join(out)


def respondent_table(rows: Iterable[Sequence]) -> RuledTable:
    """``rows``: ``reports.selectors.respondent_rows`` tuples
    (number, jenis layanan name, gender, age, education, occupation, the SKM's answers).
    The jenis layanan column is printed when any respondent has one."""
    genders = _labels(Response.Gender)
    educations = _labels(Response.Education)
    occupations = _labels(Response.Occupation)
    records = []
    for i, (number, service, gender, age, education, occupation, *answers) in enumerate(rows, start=1):
        records.append(
            [
                format_number(number if number is not None else i, 0),
                genders.get(gender, gender or ""),
                format_number(age, 0) if age is not None else "",
                educations.get(education, education or ""),
                occupations.get(occupation, occupation or ""),
                service or "",
                *(str(a) if a is not None else "" for a in answers),
            ]
        )
    headers = ["No", "Jenis Kelamin", "Usia", "Pendidikan", "Pekerjaan", "Jenis Layanan", *UNSUR_CODES]
    aligns = [">", "<", ">", "<", "<", "<", *("^" for _ in UNSUR_CODES)]
    # Header cells wrap in their own font, so a column is as wide as its widest value,
    # with a floor that keeps the header words readable.
    floors = [2, 5, 4, 6, 6, MIN_WRAPPED_WIDTH, *(1 for _ in UNSUR_CODES)]
    widths = [max([floor, *(len(r[k]) for r in records)]) for k, floor in enumerate(floors)]
    with_service = any(r[5] for r in records)
    keep = [k for k in range(len(headers)) if with_service or k != 5]
    if with_service:
        room = MAX_LINE_CHARS - sum(widths[k] + 2 for k in keep if k != 5) - 2
        widths[5] = max(MIN_WRAPPED_WIDTH, min(widths[5], room))
    columns = [Column(headers[k], widths[k], aligns[k]) for k in keep]
    cells = [tuple(r[k] for k in keep) for r in records]
    lines = [_line(list(values), columns) for values in cells]
    return RuledTable(columns, lines, cells)
