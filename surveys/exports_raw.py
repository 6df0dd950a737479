"""Raw data and saran exports of one round (unit x period), CSV and XLSX.

pandas does the per-chunk work: each chunk of ``values_list`` rows from the
database becomes a DataFrame, codes become labels with vectorised ``map``,
answers become nullable integers, times become local time, and every text
column goes through ``skm.rules.cells.neutralise_cell`` (formula-injection
guard). The service date stays a Python date (CSV prints
YYYY-MM-DD). CSV is written chunk by chunk with ``DataFrame.to_csv`` (so an HTTP
response can stream it); XLSX rows go from the same frames into openpyxl's
write-only workbook. Memory stays flat: one chunk of rows at a time.

Soft-deleted rows are never exported (``Response.objects`` leaves them out).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from skm.db_rows import rows_iter
from skm.rules.cells import neutralise_cell

from .answers import answer_lookups
from .extra import display_value
from .models import ExtraQuestion, Period, Response, Unit

if TYPE_CHECKING:
    import pandas as pd

# pandas and openpyxl are imported inside the functions that use them: this module
# is imported by the responses views (and so by the URL configuration), and every
# process (management commands, workers) would otherwise pay for loading them.

CHUNK_SIZE = 5000
Progress = Callable[[int, str], None]

ANSWER_LOOKUPS = answer_lookups()
ANSWER_FIELDS = list(ANSWER_LOOKUPS)
RAW_FIELDS = [
    "number",
    "channel",
    "service__name",
    "gender",
    "age",
    "education",
    "occupation",
    "disability",
    *ANSWER_FIELDS,
    "suggestion",
    "service_date",
    "submitted_at",
]
SARAN_FIELDS = ["number", "channel", "service__name", "service_date", "submitted_at", "suggestion"]
CHOICE_COLUMNS = {
    "channel": Response.Channel,
    "gender": Response.Gender,
    "education": Response.Education,
    "occupation": Response.Occupation,
    "disability": Response.Disability,
}
TEXT_COLUMNS = ("channel", "service__name", "gender", "education", "occupation", "disability", "suggestion")


@dataclass(frozen=True)
class ExportSpec:
    fields: list[str]
    headers: list[str]
    only_with_saran: bool = False
    # The unit's extra questions as (answer key, header): the "extra" field becomes one
    # column per question, in its place (after U9), each cell neutralised like any text.
    extra: tuple[tuple[str, str], ...] = ()


def _headers(fields: list[str]) -> list[str]:
    names = {
        "number": _("Nomor"),
        "channel": _("Kanal"),
        "service__name": _("Jenis layanan"),
        "gender": _("Jenis kelamin"),
        "age": _("Usia"),
        "education": _("Pendidikan"),
        "occupation": _("Pekerjaan"),
        "disability": _("Disabilitas"),
        "suggestion": _("Saran"),
        "service_date": _("Tanggal layanan"),
        "submitted_at": _("Waktu pengisian"),
    }
    return [names.get(f) or ANSWER_LOOKUPS.get(f) or f.upper() for f in fields]


def raw_spec(*, unit: Unit | None = None) -> ExportSpec:
    """The raw data columns; with ``unit``, one more column per extra question
    of the unit (active or not: deactivated questions keep their answers)."""
    if unit is None:
        return ExportSpec(RAW_FIELDS, _headers(RAW_FIELDS))
    questions = ExtraQuestion.objects.filter(unit=unit).order_by("order", "id")
    extra = tuple((q.key, f"{q.code} {q.text}") for q in questions)
    if not extra:
        return ExportSpec(RAW_FIELDS, _headers(RAW_FIELDS))
    at = RAW_FIELDS.index(ANSWER_FIELDS[-1]) + 1
    fields = [*RAW_FIELDS[:at], "extra", *RAW_FIELDS[at:]]
    base = _headers(RAW_FIELDS)
    headers = [*base[:at], *(header for _key, header in extra), *base[at:]]
    return ExportSpec(fields, headers, extra=extra)


def saran_spec() -> ExportSpec:
    return ExportSpec(SARAN_FIELDS, _headers(SARAN_FIELDS), only_with_saran=True)


def _queryset(*, unit: Unit, period: Period, spec: ExportSpec, search: str = ""):
    qs = Response.objects.filter(unit_id=unit.pk, period_id=period.pk)
    if spec.only_with_saran:
        qs = qs.exclude(suggestion="")
    if search:
        qs = qs.filter(suggestion__icontains=search)
    return qs.order_by("submitted_at", "id").values_list(*spec.fields)


def export_row_count(*, unit: Unit, period: Period, spec: ExportSpec, search: str = "") -> int:
    return _queryset(unit=unit, period=period, spec=spec, search=search).count()


def _frame(rows: list[tuple], spec: ExportSpec) -> pd.DataFrame:
    """One chunk as a DataFrame with labels, local times and neutralised text."""
    import pandas as pd

    df = pd.DataFrame.from_records(rows, columns=spec.fields)
    for column, choices in CHOICE_COLUMNS.items():
        if column in df:
            labels = {value: str(label) for value, label in choices.choices}
            df[column] = df[column].map(lambda v, labels=labels: labels.get(v, v or ""))
    for column in ("number", "age", *ANSWER_FIELDS):
        if column in df:
            df[column] = df[column].astype("Int64")
    if "submitted_at" in df:
        local = pd.to_datetime(df["submitted_at"], utc=True).dt.tz_convert(timezone.get_current_timezone_name())
        df["submitted_at"] = local.dt.tz_localize(None).dt.floor("s")
    for column in TEXT_COLUMNS:
        if column in df:
            df[column] = df[column].fillna("").map(neutralise_cell)
    if "extra" in df:
        at = df.columns.get_loc("extra")
        stored = df.pop("extra")
        for offset, (key, _header) in enumerate(spec.extra):
            cells = stored.map(lambda d, key=key: _extra_cell((d or {}).get(key)))
            df.insert(at + offset, f"extra:{key}", cells)
    return df


def _extra_cell(value):
    """An extra answer as a cell: numbers stay numbers, several choices are joined, text is neutralised."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return neutralise_cell(display_value(value))


def export_frames(
    *, unit: Unit, period: Period, spec: ExportSpec, search: str = "", chunk_size: int = CHUNK_SIZE
) -> Iterator[pd.DataFrame]:
    """The round's rows as DataFrames of at most ``chunk_size`` rows (never empty)."""
    rows = rows_iter(_queryset(unit=unit, period=period, spec=spec, search=search), chunk_size=chunk_size)
    while chunk := list(islice(rows, chunk_size)):
        yield _frame(chunk, spec)


def export_csv_chunks(*, unit: Unit, period: Period, spec: ExportSpec, search: str = "") -> Iterator[str]:
    """CSV text piece by piece (UTF-8 with BOM for spreadsheet programs): the header, then one piece per chunk."""
    import pandas as pd

    buffer = io.StringIO()
    pd.DataFrame(columns=spec.headers).to_csv(buffer, index=False)
    yield "\ufeff" + buffer.getvalue()
    for df in export_frames(unit=unit, period=period, spec=spec, search=search):
        buffer = io.StringIO()
        df.to_csv(buffer, index=False, header=False, date_format="%Y-%m-%d %H:%M:%S")
        yield buffer.getvalue()


def _xlsx_rows(df: pd.DataFrame) -> Iterator[list]:
    import pandas as pd

    plain = df.astype(object).where(df.notna(), None)
    for row in plain.itertuples(index=False, name=None):
        yield [v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in row]


def export_xlsx_write(
    *,
    unit: Unit,
    period: Period,
    spec: ExportSpec,
    target,
    search: str = "",
    progress: Progress | None = None,
    title: str = "",
) -> int:
    """Write the XLSX (write-only workbook) to a path or binary file; returns the row count."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    report = progress or (lambda percent, message: None)
    total = export_row_count(unit=unit, period=period, spec=spec, search=search) or 1
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title or _("Data"))
    bold = Font(bold=True)
    header = []
    for text in spec.headers:
        cell = WriteOnlyCell(ws, value=neutralise_cell(text))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    written = 0
    for df in export_frames(unit=unit, period=period, spec=spec, search=search):
        # openpyxl gives date and datetime cells a date number format by itself.
        for values in _xlsx_rows(df):
            ws.append(values)
        written += len(df)
        report(min(95, int(written * 95 / total)), f"{written} baris ditulis")
    wb.save(target)
    report(100, "Selesai")
    return written


def export_filename(*, unit: Unit, period: Period, kind: str, ext: str) -> str:
    return f"{kind}-{unit.code}-{period.code}.{ext}"
