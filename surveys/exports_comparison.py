"""The full comparison of a subtree as XLSX (the comparison page's download).

Every unit under ``unit`` that ``user`` may read, in ranking order: rank, unit,
code, parent, respondents, IKM, grade, performance and the NRR of each unsur
(4 decimals, as the worksheet prints them). One SQL statement
(``unit_comparison_all``); openpyxl's write-only workbook keeps memory flat.
Then one sheet per other instrument the units answered (SPKP, SPAK, a unit's
copy): the same ranking as the comparison page shows, for every unit, with the
NRR of each item (``instrument_ranking_all``).
Every text cell goes through ``skm.rules.cells.neutralise_cell``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from skm.rules.cells import neutralise_cell
from skm.rules.ikm import WEIGHT_DESCRIPTIONS, WeightMode, round_half_up
from skm.rules.unsur import UNSUR_CODES

from .models import Period, Unit
from .results_instruments import instrument_ranking_all
from .selectors_comparison import unit_comparison_all

Progress = Callable[[int, str], None]


def _noop(percent: int, message: str) -> None:
    pass


def comparison_xlsx_write(
    *,
    user,
    unit: Unit,
    period: Period,
    weight_mode: WeightMode,
    target,
    progress: Progress = _noop,
) -> int:
    """Write the comparison of ``unit``'s subtree; returns the number of unit rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Perbandingan IKM"))
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["D"].width = 30
    bold = Font(bold=True)

    def text(value):
        return neutralise_cell(value)

    def header(values):
        cells = []
        for value in values:
            c = WriteOnlyCell(ws, value=text(value))
            c.font = bold
            cells.append(c)
        return cells

    ws.append(header([_("Perbandingan IKM antarunit")]))
    ws.append([text(_("Unit induk")), text(unit.name)])
    ws.append([text(_("Periode")), text(period.code)])
    ws.append([text(_("Bobot")), text(WEIGHT_DESCRIPTIONS[weight_mode])])
    ws.append([])
    ws.append(
        header(
            [
                _("Peringkat"),
                _("Unit"),
                _("Kode"),
                _("Induk"),
                _("Responden"),
                "IKM",
                _("Mutu"),
                _("Kinerja"),
                *[f"NRR {code}" for code in UNSUR_CODES],
            ]
        )
    )
    progress(10, "Menulis perbandingan")
    count = 0
    for row in unit_comparison_all(
        user=user, period=period, weight_mode=weight_mode, scope_q=Q(path__startswith=unit.path)
    ):
        nrrs = [None if u.nrr is None else float(round_half_up(u.nrr, 4)) for u in row.result.unsur]
        ws.append(
            [
                row.rank,
                text(row.unit.name),
                text(row.unit.code),
                text(row.parent_name),
                row.respondents,
                None if row.ikm is None else float(row.ikm),
                text(row.grade or ""),
                text(_(row.label) if row.label else ""),
                *nrrs,
            ]
        )
        count += 1
    progress(70, "Menulis peringkat instrumen lain")
    for instrument, ranked in instrument_ranking_all(user=user, period=period, scope_q=Q(path__startswith=unit.path)):
        sheet = wb.create_sheet(instrument.code)
        sheet.column_dimensions["B"].width = 40
        name = instrument.name.get(translation.get_language() or "id")
        title = _("%(name)s: %(index)s per unit") % {"name": name, "index": instrument.index_name}
        sheet.append(header([title]))
        sheet.append([text(_("Unit induk")), text(unit.name)])
        sheet.append([text(_("Periode")), text(period.code)])
        sheet.append([])
        sheet.append(
            header(
                [
                    _("Peringkat"),
                    _("Unit"),
                    _("Kode"),
                    _("Responden"),
                    instrument.index_name,
                    _("Mutu"),
                    *[f"NRR {item.code}" for item in instrument.items],
                ]
            )
        )
        for r in ranked:
            index = r.result.index
            sheet.append(
                [
                    r.rank,
                    text(r.name),
                    text(r.code),
                    r.result.respondents,
                    None if index is None else float(index),
                    text(r.result.grade or ""),
                    *[None if i.nrr is None else float(round_half_up(i.nrr, 4)) for i in r.result.items],
                ]
            )
    progress(90, "Menyimpan berkas")
    wb.save(target)
    return count
