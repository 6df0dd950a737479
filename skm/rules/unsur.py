"""The nine unsur of Permenpan RB 14/2017 with their default wording.

Pure data, no Django imports. Codes and the 1-4 scoring never change;
units may only override the wording (see ``surveys.models.UnsurWording``).
"""

from dataclasses import dataclass

UNSUR_CODES: tuple[str, ...] = tuple(f"U{i}" for i in range(1, 10))
SCORES: tuple[int, ...] = (1, 2, 3, 4)
LETTERS: dict[str, int] = {"a": 1, "b": 2, "c": 3, "d": 4}
# The usual texts of an answer cell, already stripped, and their score: what
# parse_answer returns for them, looked up at once (an import reads 900 000
# cells per 100 000 rows). Anything else goes through parse_answer.
ANSWER_TEXTS: dict[str, int] = {
    **{str(s): s for s in SCORES},
    **{f"{s}.0": s for s in SCORES},
    **LETTERS,
    **{letter.upper(): s for letter, s in LETTERS.items()},
}


@dataclass(frozen=True)
class UnsurDefinition:
    code: str
    name: str
    question: str
    labels: tuple[str, str, str, str]  # scores 1..4

    @property
    def field(self) -> str:
        return self.code.lower()


DEFAULT_UNSUR: tuple[UnsurDefinition, ...] = (
    UnsurDefinition(
        "U1",
        "Persyaratan",
        "Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    UnsurDefinition(
        "U2",
        "Sistem, Mekanisme, dan Prosedur",
        "Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?",
        ("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"),
    ),
    UnsurDefinition(
        "U3",
        "Waktu Penyelesaian",
        "Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?",
        ("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"),
    ),
    UnsurDefinition(
        "U4",
        "Biaya/Tarif",
        "Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?",
        ("Sangat mahal", "Cukup mahal", "Murah", "Gratis"),
    ),
    UnsurDefinition(
        "U5",
        "Produk Spesifikasi Jenis Pelayanan",
        "Bagaimana pendapat Anda tentang kesesuaian produk pelayanan antara yang tercantum "
        "dalam standar pelayanan dengan hasil yang diberikan?",
        ("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"),
    ),
    UnsurDefinition(
        "U6",
        "Kompetensi Pelaksana",
        "Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?",
        ("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"),
    ),
    UnsurDefinition(
        "U7",
        "Perilaku Pelaksana",
        "Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
        ("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"),
    ),
    UnsurDefinition(
        "U8",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Bagaimana pendapat Anda tentang penanganan pengaduan pengguna layanan?",
        ("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"),
    ),
    UnsurDefinition(
        "U9",
        "Sarana dan Prasarana",
        "Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?",
        ("Buruk", "Cukup", "Baik", "Sangat Baik"),
    ),
)

DEFAULT_BY_CODE: dict[str, UnsurDefinition] = {u.code: u for u in DEFAULT_UNSUR}


def parse_answer(raw: object) -> int | None:
    """Parse one answer cell: 1-4 or a-d (case-insensitive); blank is None.

    Raises ValueError for anything else.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, (int, float)):
        if float(raw) != int(raw) or int(raw) not in SCORES:
            raise ValueError(raw)
        return int(raw)
    text = str(raw).strip()
    if text == "":
        return None
    lowered = text.lower()
    if lowered in LETTERS:
        return LETTERS[lowered]
    if lowered.endswith(".0"):
        lowered = lowered[:-2]
    if lowered.isdigit() and int(lowered) in SCORES:
        return int(lowered)
    raise ValueError(raw)
