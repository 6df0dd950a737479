"""Data types of the seed modules (``seed_000`` ... ``seed_003``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class E:
    """One element the rendered LHTL must contain, exactly as the seed prints it."""

    text: str
    where: str  # "seed 00N, <where>"
    # Why the text is probably the extraction's misreading (OCR) rather than the unit's
    # words; such elements are kept as data but left out of ``seed_elements`` by default.
    doubtful: str = ""


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str  # the unit's name as its body text writes it
    parents: tuple[str, ...]  # top-down, above the unit
    cover_lines: tuple[str, ...]  # the seed's cover, as printed (may differ from ``name``)
    city: str
    signatory_title: str = ""
    signatory_name: str = ""
    signatory_rank: str = ""
    signatory_nip: str = ""


@dataclass(frozen=True)
class ServiceSample:
    """Answer distributions of one jenis layanan (``service`` None: the unit has no breakdown).

    ``counts[code] = (n1, n2, n3, n4)``: how many respondents answered 1, 2, 3, 4."""

    service: str | None
    counts: dict[str, tuple[int, int, int, int]]

    @property
    def respondents(self) -> int:
        sizes = {sum(c) for c in self.counts.values()}
        assert len(sizes) == 1, sizes
        return sizes.pop()

    def total(self, code: str) -> int:
        return sum(score * n for score, n in zip((1, 2, 3, 4), self.counts[code], strict=True))


@dataclass(frozen=True)
class ItemSpec:
    """One RTL item (kegiatan) with its realisation, as the seed prints it."""

    program: str  # Tabel 2's text
    responsible: str = ""  # "" where the seed prints none
    quarters: tuple[tuple[int, int], ...] = ()  # (year, quarter) ticks; () where the seed ticks none
    realised: bool = True
    realised_on: dt.date | None = None  # None where the seed gives no date
    description: str = ""
    challenges: str = ""
    realisation_program: str | None = None  # BAB III's text where it differs from Tabel 2's
    photo_captions: tuple[str, ...] = ()  # one entry per photo ("" where the seed has no caption)
    where: str = ""


@dataclass(frozen=True)
class PrioritySpec:
    code: str | None
    title: str  # the unit's own title, as printed in Tabel 2
    items: tuple[ItemSpec, ...]
    where: str = ""


@dataclass(frozen=True)
class Seed:
    number: str  # "000"
    source: str  # file name under the build machine's shared/seeds/
    unit: UnitSpec
    period: str  # product period code
    weight_mode: str  # skm.rules.ikm.WeightMode value the seed's IKM matches (or the default)
    samples: tuple[ServiceSample, ...]
    lowest_n: int  # "... terdiri dari N unsur dengan nilai terendah"
    priorities: tuple[PrioritySpec, ...]
    report_date: dt.date | None
    report_place: str
    # Section key (reports.sections.SectionKey value) -> the seed's own text.
    sections: dict[str, str] = field(default_factory=dict)
    # The unit's LHTL layout (reports.layout.LhtlLayout field -> value, the enums' values
    # as strings so this module stays Django-free); empty: the product's default layout.
    layout: dict[str, object] = field(default_factory=dict)
    elements: tuple[E, ...] = ()
    notes: tuple[str, ...] = ()  # hand errors and what could not be matched

    @property
    def respondents(self) -> int:
        return sum(s.respondents for s in self.samples)


def bab1_paragraphs(unit_name: str, improvement: str = "continuous improvement") -> tuple[str, str, str]:
    """BAB I of the LHTL template every seed copies: three paragraphs naming the unit.

    Checked word for word against each seed when the data was copied (the seeds
    italicise "continuous improvement"; seed 003 writes "pengembangan yang berkelanjutan")."""
    return (
        "Dalam laporannya, World Bank menjelaskan bahwa pelayanan publik yang berkualitas hanya dapat dicapai "
        "jika ekspektasi dan kebutuhan dari pengguna layanan diakomodir dalam proses penyediaan pelayanan. Hal ini "
        "juga sejalan dengan salah satu asas dari penyelenggaraan pelayanan publik yang tertulis dalam Undang - "
        "Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik yaitu asas partisipatif. Asas partisipatif selanjutnya "
        "diatur dalam bab khusus Pengikutsertaan Masyarakat dalam Penyelenggaraan Pelayanan Publik pada Peraturan "
        "Pemerintah Nomor 96 tahun 2012 tentang Pelaksanaan Undang - Undang Nomor 25 Tahun 2009 tentang Pelayanan "
        "Publik.",
        "Selanjutnya, Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi (Kementerian PANRB) sebagai "
        "pembina pelayanan publik nasional telah merumuskan berbagai instrumen pengikutsertaan masyarakat dalam "
        "pelayanan publik untuk menilai kinerja penyelenggara pelayanan publik. Salah satu instrumen tersebut adalah "
        "Survei Kepuasan Masyarakat (SKM) yang lebih lanjut diatur dalam Peraturan Menteri Pendayagunaan Aparatur "
        "Negara dan Reformasi Birokrasi Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan Masyarakat "
        "Unit Penyelenggara Pelayanan Publik. Survei Kepuasan Masyarakat merupakan kegiatan pengukuran secara "
        "komprehensif tentang tingkat kepuasan masyarakat terhadap kualitas layanan yang diberikan oleh "
        "penyelenggara pelayanan publik.",
        "Terdapat beberapa tujuan dari pelaksanaan SKM. Pertama, untuk mendorong partisipasi masyarakat sebagai "
        "pengguna layanan dalam menilai kinerja penyelenggara pelayanan. Kedua, mendorong penyelenggara pelayanan "
        "menjadi lebih inovatif dalam menyelenggarakan pelayanan publik. Terakhir, untuk mengukur kecenderungan "
        f"tingkat kepuasan masyarakat terhadap pelayanan publik. Untuk mencapai berbagai tujuan tersebut, maka "
        f"{unit_name} perlu menyusun rencana tindak lanjut dan laporan hasil tindak lanjut sesuai dengan peraturan "
        f"yang berlaku. Hal ini dimaksudkan agar proses {improvement} dalam proses layanan publik dapat dipastikan "
        "dan pada akhirnya terjadi peningkatan kualitas pelayanan publik.",
    )


def cells(where: str, *texts: str) -> tuple[E, ...]:
    """Elements of one table row (or header), each noted with the same place."""
    return tuple(E(t, where) for t in texts if t)


# An element the product cannot print yet, by its text (every element with that text) or
# by (text, part of its ``where``) -> a one-line reason. ``test_seed_lhtl`` checks that each
# one is still missing, so the list cannot go stale.
GapKey = str | tuple[str, str]


def known_gap(gaps: dict[GapKey, str], e: E) -> str | None:
    """The reason ``e`` is listed in a seed's ``KNOWN_GAPS``, or None."""
    for key, reason in gaps.items():
        text, where = (key, "") if isinstance(key, str) else key
        if e.text == text and where in e.where:
            return reason
    return None
