"""The SKM worksheet (XLSX) in the layout of seed 004's appendix, streamed.

``worksheet_write`` uses openpyxl's write-only mode and reads respondents with
``values_list(...).iterator(chunk_size=...)``, so memory stays flat however many
respondents a period has. Sums, counts and NRR come from the database
aggregates (``response_tallies`` / ``profile_tables_get``), never from adding
up rows in Python.

Sheets:
1. "Data responden": No, jenis layanan, U1..U9 and the profile as 0/1 columns
   (L, P, age bands, pendidikan, pekerjaan), then the rows
   ΣNilai, NRR, NRR tertimbang, IKM Unit Layanan, Mutu, Kinerja;
2. "Rekap profil": counts and percentages per profile category;
3. "Ringkasan": per-unsur table, IKM and the interval table;
4. one sheet per jenis layanan (same layout as sheet 1) when the unit has services;
5. with ``include_saran`` (the attachment of a large Laporan SKM): "Saran", every
   distinct saran once with the number of respondents who wrote it.

Every value goes through ``skm.rules.cells.neutralise_cell`` (``_cell`` and
``_append``): unit, jenis layanan and unsur names are typed by people, and a
name such as ``=HYPERLINK(...)`` must stay text, never become a live formula.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Min, Q
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from skm.db_rows import rows_iter
from skm.rules.cells import neutralise_cell
from skm.rules.formatting import band_table, format_weight
from skm.rules.ikm import AGE_BANDS, IkmResult, WeightMode, age_band_index, compute_ikm
from skm.rules.unsur import UNSUR_CODES

from .answers import answer_lookups
from .models import Period, Response, Service, Unit
from .results import NO_SERVICE_LABEL, profile_tables_for
from .selectors import response_tallies

CHUNK_SIZE = 2000
Progress = Callable[[int, str], None]

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

GENDER_COLS = [(v, str(label)) for v, label in Response.Gender.choices]
EDU_COLS = [(v, str(label)) for v, label in Response.Education.choices]
JOB_COLS = [(v, str(label)) for v, label in Response.Occupation.choices]


def _profile_columns() -> list[tuple[str, str, object]]:
    """(group, header, key) for the 0/1 profile columns, in seed 004's order."""
    cols = [("Jenis Kelamin", v, ("g", v)) for v, _l in GENDER_COLS]
    cols += [("Usia", label, ("a", i)) for i, (label, _lo, _hi) in enumerate(AGE_BANDS)]
    cols += [("Pendidikan", v, ("e", v)) for v, _l in EDU_COLS]
    cols += [("Pekerjaan", label, ("o", v)) for v, label in JOB_COLS]
    return cols


def _age_index(age: int | None) -> int | None:
    return age_band_index(age)


def _cell(ws, value, *, bold=False, fill=None, fmt=None, align=None):
    c = WriteOnlyCell(ws, value=neutralise_cell(value))
    if bold:
        c.font = BOLD
    if fill:
        c.fill = fill
    if fmt:
        c.number_format = fmt
    if align:
        c.alignment = align
    return c


def _append(ws, values) -> None:
    """``ws.append`` with every plain value neutralised (cells from ``_cell`` already are)."""
    ws.append([v if isinstance(v, Cell) else neutralise_cell(v) for v in values])


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _sheet_title(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:28] or "Layanan"
    title, n = base, 2
    while title.lower() in used:
        title = f"{base[:25]} ({n})"
        n += 1
    used.add(title.lower())
    return title


def _write_data_sheet(wb, title, *, unit, period, mode, filters: Q, progress_step: Callable[[int], None]):
    ws = wb.create_sheet(title)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 22
    respondents, tallies = response_tallies(filters=filters)[None]
    result = compute_ikm(tallies, respondents=respondents, weight_mode=mode)
    profile = {t.key: t for t in profile_tables_for(filters=filters)}
    cols = _profile_columns()
    col_index = {key: i for i, (_g, _h, key) in enumerate(cols)}
    n_fixed = 2 + len(UNSUR_CODES)

    _append(
        ws, [_cell(ws, "PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT PER RESPONDEN DAN PER UNSUR LAYANAN", bold=True)]
    )
    _append(ws, [f"{unit.name} — {period.label}" + ("" if title == "Data responden" else f" — {title}")])
    _append(ws, [f"Bobot: {result.weight_description}"])
    _append(ws, [])
    # Two header rows: the profile groups over their 0/1 columns, like the seed's appendix.
    groups, last = [], None
    for g, _h, _k in cols:
        groups.append(g if g != last else None)
        last = g
    _append(
        ws,
        [_cell(ws, None, fill=HEADER_FILL)] * n_fixed
        + [_cell(ws, g, bold=True, fill=HEADER_FILL, align=CENTER) for g in groups],
    )
    _append(
        ws,
        [
            _cell(ws, "No", bold=True, fill=HEADER_FILL, align=CENTER),
            _cell(ws, "Jenis layanan", bold=True, fill=HEADER_FILL, align=CENTER),
        ]
        + [_cell(ws, code, bold=True, fill=HEADER_FILL, align=CENTER) for code in UNSUR_CODES]
        + [_cell(ws, h, bold=True, fill=HEADER_FILL, align=CENTER) for _g, h, _k in cols],
    )

    fields = ["service__name", *answer_lookups(), "gender", "age", "education", "occupation"]
    rows = Response.objects.filter(filters).order_by("id").values_list(*fields)
    for n, values in enumerate(rows_iter(rows, chunk_size=CHUNK_SIZE), start=1):
        service_name, *answers = values[: 1 + len(UNSUR_CODES)]
        gender, age, education, occupation = values[1 + len(UNSUR_CODES) :]
        flags = [None] * len(cols)
        for key in (("g", gender), ("a", _age_index(age)), ("e", education), ("o", occupation)):
            i = col_index.get(key)
            if i is not None:
                flags[i] = 1
        # Hot loop: only the service name is text (answers and flags are numbers).
        ws.append([n, neutralise_cell(service_name or ""), *answers, *flags])
        if n % CHUNK_SIZE == 0:
            progress_step(CHUNK_SIZE)
    progress_step(0)

    # ΣNilai: unsur totals from the aggregate; profile counts from the profile aggregate.
    counts = _profile_counts(profile)
    sum_row = (
        [_cell(ws, "∑Nilai", bold=True), None]
        + [u.total for u in result.unsur]
        + [counts.get(k, 0) for _g, _h, k in cols]
    )
    _append(ws, sum_row)
    _append(ws, [_cell(ws, "NRR", bold=True), None] + [_cell(ws, _num(u.nrr), fmt="0.0000") for u in result.unsur])
    # The printed weight with a decimal comma (0,111), as in the reports.
    weight_label = "NRR tertimbang" if mode == WeightMode.EXACT else f"NRR tertimbang (× {format_weight(mode)})"
    _append(
        ws,
        [_cell(ws, weight_label, bold=True), None]
        + [_cell(ws, _num(u.weighted(mode)), fmt="0.0000") for u in result.unsur],
    )
    _append(ws, [_cell(ws, "IKM Unit Layanan", bold=True), None, _cell(ws, _num(result.ikm), bold=True, fmt="0.00")])
    _append(ws, [_cell(ws, "Mutu Layanan", bold=True), None, _cell(ws, result.grade or "–", bold=True)])
    _append(
        ws, [_cell(ws, "Kinerja Unit Layanan", bold=True), None, _cell(ws, (result.label or "–").upper(), bold=True)]
    )
    _append(ws, [])
    _append(
        ws,
        [
            "Keterangan: U1-U9 = unsur layanan; NRR = jumlah nilai ÷ jumlah responden yang mengisi unsur; "
            f"NRR tertimbang = NRR × {'1/9' if mode == WeightMode.EXACT else mode}; IKM = Σ NRR tertimbang × 25."
        ],
    )
    return result, profile


def _profile_counts(profile: dict) -> dict:
    """Counts keyed like the profile columns, read from the profile aggregate tables."""
    counts = {}
    labels = {
        "gender": {label: ("g", v) for v, label in GENDER_COLS},
        "age": {label: ("a", i) for i, (label, _lo, _hi) in enumerate(AGE_BANDS)},
        "education": {label: ("e", v) for v, label in EDU_COLS},
        "occupation": {label: ("o", v) for v, label in JOB_COLS},
    }
    for key, table in profile.items():
        for row in table.rows:
            k = labels.get(key, {}).get(row.label)
            if k is not None:
                counts[k] = row.count
    return counts


def _write_profile_sheet(wb, profile: dict):
    ws = wb.create_sheet("Rekap profil")
    ws.column_dimensions["B"].width = 28
    _append(
        ws,
        [
            _cell(ws, "No", bold=True, fill=HEADER_FILL),
            _cell(ws, "Profil responden", bold=True, fill=HEADER_FILL),
            _cell(ws, "Jumlah", bold=True, fill=HEADER_FILL),
            _cell(ws, "%", bold=True, fill=HEADER_FILL),
        ],
    )
    for i, table in enumerate(profile.values(), start=1):
        _append(ws, [i, _cell(ws, table.title, bold=True)])
        for row in table.rows:
            _append(ws, [None, row.label, row.count, _cell(ws, _num(row.percent), fmt="0.00")])


def _write_summary_sheet(wb, result: IkmResult):
    ws = wb.create_sheet("Ringkasan")
    ws.column_dimensions["B"].width = 40
    head = [
        "Kode",
        "Unsur layanan",
        "Jumlah nilai",
        "Terisi",
        "NRR",
        "NRR tertimbang",
        "Nilai konversi",
        "Mutu",
        "Kinerja",
    ]
    _append(ws, [_cell(ws, h, bold=True, fill=HEADER_FILL) for h in head])
    for u in result.unsur:
        _append(
            ws,
            [
                u.code,
                u.name,
                u.total,
                u.answered,
                _cell(ws, _num(u.nrr), fmt="0.0000"),
                _cell(ws, _num(u.weighted(result.weight_mode)), fmt="0.0000"),
                _cell(ws, _num(u.converted), fmt="0.00"),
                u.grade,
                u.label,
            ],
        )
    _append(ws, [])
    _append(
        ws,
        [
            _cell(ws, "IKM Unit Layanan", bold=True),
            None,
            None,
            None,
            None,
            None,
            _cell(ws, _num(result.ikm), bold=True, fmt="0.00"),
            result.grade,
            result.label,
        ],
    )
    _append(ws, ["Responden", None, result.respondents])
    _append(ws, ["Bobot", result.weight_description])
    _append(ws, ["Prioritas perbaikan (NRR terendah dulu)", ", ".join(result.priority)])
    _append(ws, [])
    _append(
        ws,
        [
            _cell(ws, h, bold=True, fill=HEADER_FILL)
            for h in ["Nilai interval", "Nilai interval konversi", "Mutu", "Kinerja unit layanan"]
        ],
    )
    for row in band_table():
        _append(ws, [row.nrr_range, row.converted_range, row.grade, row.label.upper()])


def _write_saran_sheet(wb, *, unit: Unit, period: Period) -> None:
    ws = wb.create_sheet("Saran")
    ws.column_dimensions["B"].width = 90
    _append(ws, [_cell(ws, f"Saran responden — {unit.name} — {period.label}", bold=True)])
    _append(ws, ["Saran yang sama persis digabung; Jumlah = banyaknya responden yang menulisnya."])
    _append(ws, [])
    _append(ws, [_cell(ws, h, bold=True, fill=HEADER_FILL) for h in ("No", "Saran", "Jumlah")])
    for n, (text, count) in enumerate(_saran_groups(unit=unit, period=period), start=1):
        ws.append([n, neutralise_cell(text), count])


def _saran_groups(*, unit: Unit, period: Period) -> Iterator[tuple[str, int]]:
    """Each distinct saran with how many wrote it, most frequent first, with flat memory."""
    rows = Response.objects.filter(unit_id=unit.id, period_id=period.id).exclude(suggestion="")
    groups = rows.values("suggestion").annotate(n=Count("id"), first=Min("id")).order_by("-n", "suggestion")
    if not settings.SKM_TRANSACTION_POOLING:
        yield from groups.values_list("suggestion", "n").iterator(chunk_size=CHUNK_SIZE)
        return
    # Behind a transaction pooler (no server-side cursor, skm.db_rows): one id per
    # group first (integers), then the texts a chunk of groups at a time.
    heads = list(groups.values_list("first", "n"))
    for start in range(0, len(heads), CHUNK_SIZE):
        chunk = heads[start : start + CHUNK_SIZE]
        texts = dict(Response.objects.filter(id__in=[first for first, _n in chunk]).values_list("id", "suggestion"))
        yield from ((texts[first], count) for first, count in chunk if first in texts)


def worksheet_write(
    *,
    unit: Unit,
    period: Period,
    weight_mode: WeightMode,
    path_or_file,
    progress: Progress | None = None,
    include_saran: bool = False,
) -> IkmResult:
    """Write the worksheet to a path or a binary file object; returns the unit result.

    ``progress(percent, message)`` is called as rows are written (0-100)."""
    mode = weight_mode
    report = progress or (lambda percent, message: None)
    base = Q(unit_id=unit.id, period_id=period.id)
    grouped = response_tallies(filters=base, group_by="service_id")
    services = {}
    named = [k for k in grouped if k is not None]
    if named:
        services = dict(Service.objects.filter(id__in=named).order_by("name").values_list("id", "name"))
    total_rows = sum(n for n, _t in grouped.values()) * (2 if services else 1) or 1
    done = [0]

    def step(rows: int) -> None:
        done[0] += rows
        report(min(95, int(done[0] * 95 / total_rows)), f"{done[0]} baris ditulis")

    report(0, "Menyiapkan lembar kerja")
    wb = Workbook(write_only=True)
    result, profile = _write_data_sheet(
        wb, "Data responden", unit=unit, period=period, mode=mode, filters=base, progress_step=step
    )
    _write_profile_sheet(wb, profile)
    _write_summary_sheet(wb, result)
    used = {"data responden", "rekap profil", "ringkasan"}
    for service_id, name in sorted(services.items(), key=lambda kv: kv[1].lower()):
        _write_data_sheet(
            wb,
            _sheet_title(name, used),
            unit=unit,
            period=period,
            mode=mode,
            filters=Q(unit_id=unit.id, period_id=period.id, service_id=service_id),
            progress_step=step,
        )
    if services and None in grouped:
        _write_data_sheet(
            wb,
            _sheet_title(str(NO_SERVICE_LABEL), used),
            unit=unit,
            period=period,
            mode=mode,
            filters=Q(unit_id=unit.id, period_id=period.id, service_id=None),
            progress_step=step,
        )
    if include_saran:
        _write_saran_sheet(wb, unit=unit, period=period)
    report(97, "Menyimpan berkas")
    wb.save(path_or_file)
    report(100, "Selesai")
    return result
