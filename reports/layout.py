"""How a unit lays out its Laporan Hasil Tindak Lanjut (issue 23): the layout
choices of the four seed reports, chosen on the report page and remembered per
unit. Django-free: ``reports.build`` reads a ``LhtlLayout``; where it is stored
and edited is ``reports.models.ReportLayout`` and ``reports.services``.

The defaults are the product's own layout (the one before these options).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from enum import StrEnum

from skm.rules.unsur import UNSUR_CODES


class MatrixScale(StrEnum):
    """What Tabel 1a (IKM per jenis layanan) prints for each service's IKM."""

    CONVERTED = "konversi"  # 0-100 (98,27)
    NRR = "nrr"  # the 1-4 scale, as seed 001 prints it (3,93)


class Bab3Layout(StrEnum):
    TABLE = "tabel"  # Tabel 3 with every item, photos after it (seed 004)
    BLOCKS = "blok"  # one block per item with its photos under it (seeds 000, 002)


class ItemNumbering(StrEnum):
    NESTED = "bertingkat"  # 1.1, 1.2, 2.1
    FLAT = "urut"  # 1, 2, 3, 4 (seeds 000-003)


class IntervalForm(StrEnum):
    STANDARD = "baku"  # four decimals, best grade first (the regulation's table)
    SHORT = "ringkas"  # two decimals, ascending from D (seed 001)


class Tabel1Values(StrEnum):
    """The value columns of Tabel 1 (LHTL)."""

    BOTH = "nrr-konversi"  # NRR and the converted value (seed 004; "3,53/88,21" in one cell with combined_cell)
    NRR = "nrr"  # the NRR only (seed 002, headed "IKM")
    CONVERTED = "konversi"  # the converted value only (seed 003, headed "IKM")


class TickMark(StrEnum):
    """How Tabel 2 ticks a planned quarter."""

    CHECK = "✓"
    ROOT = "√"  # seed 003
    V = "V"  # seed 002


DEFAULT_QUARTERS = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class LhtlLayout:
    matrix_scale: MatrixScale = MatrixScale.CONVERTED
    matrix_mutu_row: bool = False  # a Mutu row under the per-service matrix (seed 001)
    bab3: Bab3Layout = Bab3Layout.TABLE
    numbering: ItemNumbering = ItemNumbering.NESTED
    combined_cell: bool = False  # Tabel 1 prints "3,53 / 88,21" in one cell (seed 000)
    interval: IntervalForm = IntervalForm.STANDARD
    # The cover's title; empty: "Laporan Hasil Tindak Lanjut Pelaksanaan Survei Kepuasan Masyarakat".
    cover_title: str = ""
    cover_year: bool = True  # the year line under the unit on the cover (seed 003 has none)
    # The unit's names: short in the text ("KPU Kabupaten Tangerang"), long on the cover
    # ("Komisi Pemilihan Umum / Kabupaten Tangerang", one line per "/"); empty: the unit's name.
    short_name: str = ""
    cover_name: str = ""
    # BAB I's title; empty: "PENDAHULUAN" with the section "A. Latar Belakang". Seed 003
    # titles it "LATAR BELAKANG" (then no section heading of its own).
    bab1_title: str = ""
    # Tabel 2's caption after "Tabel 2."; empty: "Rencana Tindak Lanjut Pelaksanaan SKM" (seed 003 has its own).
    tabel2_caption: str = ""
    bab3_unsur: bool = False  # BAB III names each item's priority in an "Unsur" column (seed 002)
    # BAB III's No is the priority's number, once, and the RTL column the item's number only (seed 003).
    bab3_by_number: bool = False
    # Tabel 1: its caption after "Tabel 1." (empty: "Ringkasan Hasil SKM <periode>"), its value
    # columns, and its column titles (empty: "Unsur Pelayanan", the value columns' own, "Mutu").
    tabel1_caption: str = ""
    tabel1_values: Tabel1Values = Tabel1Values.BOTH
    tabel1_unsur_header: str = ""
    tabel1_value_header: str = ""  # the one value column's title (NRR only, converted only, or one cell)
    tabel1_mutu_header: str = ""
    # The unit's own wording of the unsur, printed as typed (code -> label; empty: "U5. Produk
    # Spesifikasi Jenis Pelayanan"), and Tabel 1's row order (empty: U1 ... U9; seed 000 puts U9 before U8).
    unsur_labels: tuple[tuple[str, str], ...] = ()
    tabel1_order: tuple[str, ...] = ()
    # Tabel 2's quarter grid: the group title (empty: "Waktu (Triwulan)"), the four quarters'
    # titles (empty: I-IV; seeds 002, 003: "TW 1" ... "TW 4") and the tick.
    quarter_header: str = ""
    quarter_labels: tuple[str, ...] = ()
    tick: TickMark = TickMark.CHECK

    def unsur_label(self, code: str, name: str) -> str:
        """How Tabel 1 names an unsur: the unit's own words, else "U5. <the regulation's name>"."""
        return dict(self.unsur_labels).get(code) or f"{code}. {name}"

    def row_rank(self, code: str) -> int:
        """The place of an unsur in Tabel 1 (the unit's order, else by code)."""
        order = self.tabel1_order or UNSUR_CODES
        return order.index(code) if code in order else len(order)


DEFAULT_LAYOUT = LhtlLayout()

# The enum of each choice field.
ENUM_FIELDS: dict[str, type[StrEnum]] = {
    "matrix_scale": MatrixScale,
    "bab3": Bab3Layout,
    "numbering": ItemNumbering,
    "interval": IntervalForm,
    "tabel1_values": Tabel1Values,
    "tick": TickMark,
}
LAYOUT_FIELDS = tuple(f.name for f in fields(LhtlLayout))


def layout_from_values(values: Mapping[str, object]) -> LhtlLayout:
    """A layout from stored or submitted values (enums by value, lists for the tuples, a
    mapping for ``unsur_labels``); a missing field keeps its default. ValueError for an
    unknown choice."""
    kwargs: dict[str, object] = {}
    for name in LAYOUT_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name in ENUM_FIELDS:
            value = ENUM_FIELDS[name](value)
        elif name == "unsur_labels":
            labels = dict(value or {})  # type: ignore[call-overload]
            value = tuple((code, str(labels[code])) for code in UNSUR_CODES if labels.get(code))
        elif name in ("tabel1_order", "quarter_labels"):
            value = tuple(str(v) for v in (value or ()))  # type: ignore[attr-defined]
        kwargs[name] = value
    return LhtlLayout(**kwargs)  # type: ignore[arg-type]


def layout_values(layout: LhtlLayout) -> dict[str, object]:
    """The layout as stored (enums by value, lists, a mapping for ``unsur_labels``)."""
    values = asdict(layout)
    for name in ENUM_FIELDS:
        values[name] = getattr(layout, name).value
    values["unsur_labels"] = dict(layout.unsur_labels)
    values["tabel1_order"] = list(layout.tabel1_order)
    values["quarter_labels"] = list(layout.quarter_labels)
    return values
