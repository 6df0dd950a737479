"""Indonesian sentences of the reports, built from exact values. Django-free.

The report templates only place these strings; the grammar (number words,
enumerations, "mengalami peningkatan") and the numbers in them live here,
tested by hand-written examples.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from .formatting import format_number

_ONES = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas"]


def terbilang(n: int) -> str:
    """Indonesian number words: 50 -> 'lima puluh', 278 -> 'dua ratus tujuh puluh delapan'."""
    if n < 0:
        return "minus " + terbilang(-n)
    if n < 12:
        return _ONES[n]
    if n < 20:
        return f"{_ONES[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return f"{_ONES[tens]} puluh" + (f" {_ONES[rest]}" if rest else "")
    if n < 200:
        return "seratus" + (f" {terbilang(n - 100)}" if n > 100 else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} ratus" + (f" {terbilang(rest)}" if rest else "")
    if n < 2000:
        return "seribu" + (f" {terbilang(n - 1000)}" if n > 1000 else "")
    if n < 1_000_000:
        thousands, rest = divmod(n, 1000)
        return f"{terbilang(thousands)} ribu" + (f" {terbilang(rest)}" if rest else "")
    millions, rest = divmod(n, 1_000_000)
    return f"{terbilang(millions)} juta" + (f" {terbilang(rest)}" if rest else "")


def ordinal_all(n: int) -> str:
    """'ketiga unsur tersebut' style collective: 1 -> 'unsur tersebut', 3 -> 'ketiga unsur tersebut'."""
    if n == 1:
        return "unsur tersebut"
    return f"ke{terbilang(n)} unsur tersebut"


def join_id(parts: Iterable[str]) -> str:
    """Indonesian enumeration: 'a', 'a dan b', 'a, b, dan c'."""
    items = [p for p in parts if p]
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} dan {items[1]}"
    return ", ".join(items[:-1]) + f", dan {items[-1]}"


def format_percent(percent: Decimal) -> str:
    """'66,00%', '66,67%': always two decimals, as the tables print the same percentage
    (a sentence saying 50% beside a table saying 50,00% looked like two different figures)."""
    return f"{format_number(percent, 2)}%"


def distribution_sentence(rows: Iterable[tuple[str, int, Decimal]]) -> str:
    """'66,00% menyatakan sesuai dan 34,00% menyatakan sangat sesuai' from (label, count, percent)
    rows; answers nobody gave are left out."""
    return join_id(f"{format_percent(percent)} menyatakan {label.lower()}" for label, count, percent in rows if count)


def trend_sentence(
    *, unit_name: str, period_label: str, ikm: Decimal, previous_label: str, previous_ikm: Decimal
) -> str:
    """The comparison with the previous period's IKM (seed 004, BAB IV)."""
    if ikm > previous_ikm:
        change = "mengalami peningkatan"
    elif ikm < previous_ikm:
        change = "mengalami penurunan"
    else:
        change = "tidak berubah"
    return (
        f"IKM {unit_name} pada {period_label} ({format_number(ikm)}) {change} dibandingkan dengan "
        f"{previous_label} ({format_number(previous_ikm)})."
    )


def _counted(n: int, noun: str, names: Sequence[str] = ()) -> str:
    """'2 (dua) unsur yang dipilih unit (Persyaratan dan Biaya/Tarif)'."""
    listed = join_id(names)
    return f"{n} ({terbilang(n)}) {noun}" + (f" ({listed})" if listed else "")


def priority_basis_sentence(*, lowest: Sequence[str], added: Sequence[str], saran: int) -> str:
    """The clause after "disusun skala prioritas perbaikan", saying what the priorities are.

    ``lowest``: names of the priorities that are the unsur with the lowest values
    (the plan holds every unsur ranked before them); ``added``: names of the other
    unsur the unit chose; ``saran``: how many priorities come from respondents'
    saran. Each group is counted only from what it holds, so the clause stays
    true for every choice, e.g. "yang terdiri dari 1 (satu) unsur dengan nilai
    terendah (Waktu Penyelesaian), ditambah 2 (dua) unsur lain yang dipilih unit
    (Persyaratan dan Biaya/Tarif)".
    """
    if saran < 0:
        raise ValueError("saran must not be negative")
    groups = []
    if lowest:
        groups.append(_counted(len(lowest), "unsur dengan nilai terendah", lowest))
    if added:
        noun = "unsur lain yang dipilih unit" if lowest else "unsur yang dipilih unit"
        groups.append(_counted(len(added), noun, added))
    if saran:
        groups.append(_counted(saran, "prioritas dari saran dan masukan responden"))
    if not groups:
        return "yang belum memuat satu pun prioritas"
    head, *rest = groups
    return f"yang terdiri dari {head}" + (f", ditambah {join_id(rest)}" if rest else "")
