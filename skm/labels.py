"""Translatable copies of labels that live in pure modules.

``skm/rules/`` (ikm, periods, progress) stay free of
Django, and PDFs / ``skm_ikm --json`` must stay Indonesian, so those modules keep
their Indonesian strings. These ``gettext_noop`` lists only let makemessages collect
them; web templates translate at display time with ``{% load skm_i18n %}`` and
``{{ value|tr }}`` / ``{{ period|period_label }}``.
"""

from django.utils.translation import gettext, gettext_noop

from skm.rules.ikm import BANDS, WEIGHT_DESCRIPTIONS, parse_weight_mode
from skm.rules.periods import ROMAN, parse_period_code
from skm.rules.progress import SPEED_BUCKETS

BAND_LABELS = (
    gettext_noop("Sangat Baik"),
    gettext_noop("Baik"),
    gettext_noop("Kurang Baik"),
    gettext_noop("Tidak Baik"),
)

WEIGHT_LABELS = (
    gettext_noop("bobot 1/9 (rumus Permenpan RB 14/2017)"),
    gettext_noop("bobot 0,111 (pembulatan lembar kerja)"),
    gettext_noop("bobot 0,11 (contoh perhitungan Permenpan)"),
)

# skm.rules.progress.speed_label ("dalam N bulan" per PEKPPP bucket) and
# followup.selectors.PlanProgress.speed_label.
SPEED_LABELS = (
    gettext_noop("belum seluruh RTL terealisasi"),
    gettext_noop("belum ada realisasi"),
    gettext_noop("tidak dapat dihitung: tanggal laporan SKM belum diisi"),
    gettext_noop("tidak dapat dihitung: ada RTL terealisasi tanpa tanggal realisasi"),
    gettext_noop("lebih dari 12 bulan"),
    gettext_noop("dalam 1 bulan"),
    gettext_noop("dalam 3 bulan"),
    gettext_noop("dalam 6 bulan"),
    gettext_noop("dalam 9 bulan"),
    gettext_noop("dalam 12 bulan"),
)

# skm.rules.periods.PeriodSpec.label, rebuilt from the code by the period_label filter.
PERIOD_PATTERNS = {
    "tahunan": gettext_noop("Tahun %(year)s"),
    "semester": gettext_noop("Semester %(number)s Tahun %(year)s"),
    "triwulan": gettext_noop("Triwulan %(number)s Tahun %(year)s"),
}


def period_label(code: str) -> str:
    """The period's name in the active language ("Semester II Tahun 2024" in
    Indonesian, "Semester II 2024" in English): the one place periods are named
    for display. Reports and stored texts run under Indonesian, so they keep
    ``PeriodSpec.label``'s wording. A malformed code is shown as it is."""
    try:
        spec = parse_period_code(code)
    except ValueError:
        return code
    return gettext(PERIOD_PATTERNS[spec.kind]) % {"year": spec.year, "number": ROMAN.get(spec.number or 0, "")}


def weight_label(mode: str) -> str:
    """ "bobot 1/9 (rumus Permenpan RB 14/2017)" for ``exact``, in the active language."""
    try:
        return gettext(WEIGHT_DESCRIPTIONS[parse_weight_mode(mode)])
    except ValueError:
        return mode


# Fails at import (and so in every test run) when a pure module gains a label
# that is not listed here.
assert {b.label for b in BANDS} == set(BAND_LABELS)
assert set(WEIGHT_DESCRIPTIONS.values()) == set(WEIGHT_LABELS)
assert {f"dalam {b} bulan" for b in SPEED_BUCKETS} <= set(SPEED_LABELS)
