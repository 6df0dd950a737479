"""The open-data files of published results (JSON and CSV), from the rows of
``surveys.selectors_rounds.publication_open_data``.

One implementation for every place they are served: the public endpoints
(``followup.views_public``; the public page is ``reports.views_public``) and the files embedded in the Laporan SKM PDF
(``reports.services_published``), so the two are byte for byte the same."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder

from skm.rules.cells import neutralise_cell
from skm.rules.instruments_data import BUILTIN
from skm.rules.unsur import UNSUR_CODES

OTHER_INSTRUMENTS = tuple(i for i in BUILTIN if i.code != "SKM")


def _instrument_columns(instrument) -> tuple[str, str, str]:
    code = instrument.code.lower()
    return (f"{code}_respondents", instrument.index_name.lower(), f"{code}_grade")


CSV_COLUMNS = (
    "unit_code",
    "unit",
    "period",
    "version",
    "published_at",
    "report_date",
    "weight_mode",
    "respondents",
    "required_sample",
    "ikm",
    "grade",
    *(f"nrr_{code.lower()}" for code in UNSUR_CODES),
    # The Zona Integritas surveys, empty when the round did not ask them.
    *(column for i in OTHER_INSTRUMENTS for column in _instrument_columns(i)),
)


def open_data_json(*, unit_code: str, subtree: bool, rows: list[dict]) -> bytes:
    """The JSON document: the unit, whether it covers the subtree, and the rows (UTF-8)."""
    payload = {"unit": unit_code, "subtree": subtree, "results": rows}
    return json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode("utf-8")


def _csv_row(row: dict) -> list:
    nrr = {u["code"]: u["nrr"] for u in row["unsur"]}
    return [
        neutralise_cell(row["unit_code"]),
        neutralise_cell(row["unit"]),
        row["period"],
        row["version"],
        row["published_at"],
        row["report_date"],
        row["weight_mode"],
        row["respondents"],
        "" if row["required_sample"] is None else row["required_sample"],
        "" if row["ikm"] is None else row["ikm"],
        row["grade"],
        *("" if nrr.get(code) is None else nrr[code] for code in UNSUR_CODES),
        *_instrument_cells(row.get("instruments", [])),
    ]


def _instrument_cells(results: list[dict]) -> list:
    by_code = {r["code"]: r for r in results}
    cells: list = []
    for instrument in OTHER_INSTRUMENTS:
        r = by_code.get(instrument.code)
        if r is None:
            cells += ["", "", ""]
        else:
            cells += [r["respondents"], "" if r["index"] is None else r["index"], r["grade"]]
    return cells


def open_data_csv(*, rows: list[dict]) -> str:
    """The CSV file: a BOM (so spreadsheet programs read UTF-8), the header and one line per row."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(_csv_row(row))
    return out.getvalue()


def open_data_latest_per_unit(rows: list[dict], *, exclude_code: str = "") -> list[dict]:
    """The newest published version of each unit in ``rows`` (as ordered by
    ``publication_open_data``: per unit, newest period and version first), sorted
    by unit name, without the unit ``exclude_code`` (the page's own unit). The IKM
    comes back as a Decimal for display."""
    latest: dict[str, dict] = {}
    for row in rows:
        if row["unit_code"] != exclude_code and row["unit_code"] not in latest:
            latest[row["unit_code"]] = {**row, "ikm": None if row["ikm"] is None else Decimal(row["ikm"])}
    return sorted(latest.values(), key=lambda row: (row["unit"].casefold(), row["unit_code"]))
