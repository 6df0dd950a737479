"""How a unit lays out its Laporan Hasil Tindak Lanjut (issue 23): the layout
choices of the four seed reports, chosen on the report page and remembered per
unit. Django-free: ``reports.build`` reads a ``LhtlLayout``; where it is stored
and edited is ``reports.models.ReportLayout`` and ``reports.services``.

The defaults are the product's own layout (the one before these options).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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


DEFAULT_LAYOUT = LhtlLayout()
