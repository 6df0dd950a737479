"""The built-in instruments: SKM (locked), SPKP and SPAK (editable templates).

Pure data, no Django imports. Where each wording comes from is in the README,
section "Instrumen SPKP dan SPAK: sumber". In short:

- SKM: the nine unsur, their questions and answer labels (``skm.rules.unsur``),
  the weights 1/9, 0,111 and 0,11 and the A-D bands (``skm.rules.ikm``) of
  Permenpan RB 14/2017, taken from those modules so that nothing is typed twice.
- SPKP (index IPKP) and SPAK (index IPAK): the eight and five statements that
  units building a Zona Integritas (PermenPANRB 90/2021) publish on their survey
  pages, rated 1-6 ("more stars: more agree"). No regulation gives their formula
  or grade bands; they use the rule of issue 20 point 1 (equal weights, index =
  sum(w x NRR) x 100 / 6) and the SKM's band boundaries as an editable default.
"""

from __future__ import annotations

from decimal import Decimal

from .ikm import BANDS, WEIGHT_DESCRIPTIONS, WEIGHTS
from .ikm import WeightMode as IkmWeightMode
from .instrument import Band, ErrorCode, Instrument, InstrumentError, Item, Scale, Text, WeightMode
from .unsur import DEFAULT_UNSUR

# --- SKM (Permenpan RB 14/2017): built from the IKM modules, locked -------------------

_SKM_BAND_EN = {"A": "Very good", "B": "Good", "C": "Poor", "D": "Very poor"}

# English for the nine unsur (issue 20 point 6): name, question, answer labels 1..4.
# The Indonesian wording stays in skm.rules.unsur, the regulation's.
_SKM_EN: dict[str, tuple[str, str, tuple[str, str, str, str]]] = {
    "U1": (
        "Requirements",
        "How well do the service requirements fit the kind of service?",
        ("Not fitting", "Fairly fitting", "Fitting", "Very fitting"),
    ),
    "U2": (
        "Systems, mechanisms and procedures",
        "How easy is the service procedure at this unit?",
        ("Not easy", "Fairly easy", "Easy", "Very easy"),
    ),
    "U3": (
        "Completion time",
        "How fast is the service delivered?",
        ("Not fast", "Fairly fast", "Fast", "Very fast"),
    ),
    "U4": (
        "Fees",
        "How reasonable is the fee for the service?",
        ("Very expensive", "Rather expensive", "Cheap", "Free"),
    ),
    "U5": (
        "Service products",
        "How well does what you received match the product stated in the service standard?",
        ("Not matching", "Fairly matching", "Matching", "Fully matching"),
    ),
    "U6": (
        "Staff competence",
        "How competent were the staff in serving you?",
        ("Not competent", "Fairly competent", "Competent", "Very competent"),
    ),
    "U7": (
        "Staff conduct",
        "How polite and friendly were the staff?",
        ("Not polite and friendly", "Fairly polite and friendly", "Polite and friendly", "Very polite and friendly"),
    ),
    "U8": (
        "Handling of complaints, suggestions and feedback",
        "How are users' complaints handled?",
        ("None", "Exists but does not work", "Works, not fully", "Well managed"),
    ),
    "U9": (
        "Facilities",
        "How good are the facilities?",
        ("Poor", "Fair", "Good", "Very good"),
    ),
}

SKM = Instrument(
    code="SKM",
    name=Text("Survei Kepuasan Masyarakat", "Public Satisfaction Survey"),
    index_name="IKM",
    scale=Scale(
        4,
        (
            Text("Tidak baik", "Not good"),
            Text("Kurang baik", "Fairly poor"),
            Text("Baik", "Good"),
            Text("Sangat baik", "Very good"),
        ),
    ),
    items=tuple(
        Item(
            code=u.code,
            name=Text(u.name, _SKM_EN[u.code][0]),
            text=Text(u.question, _SKM_EN[u.code][1]),
            labels=tuple(Text(label, en) for label, en in zip(u.labels, _SKM_EN[u.code][2], strict=True)),
        )
        for u in DEFAULT_UNSUR
    ),
    bands=tuple(Band(b.grade, Text(b.label, _SKM_BAND_EN[b.grade]), b.min_converted, b.max_converted) for b in BANDS),
    weights=None,  # equal: 1/9 each, the regulation's formula (WeightMode.EXACT)
    weight_modes=tuple(
        WeightMode(str(mode), (WEIGHTS[mode],) * len(DEFAULT_UNSUR), Text(WEIGHT_DESCRIPTIONS[mode]))
        for mode in (IkmWeightMode.W0111, IkmWeightMode.W011)
    ),
    locked=True,
    basis=Text(
        "Permenpan RB 14/2017 tentang Pedoman Penyusunan Survei Kepuasan Masyarakat",
        "Permenpan RB 14/2017 on guidelines for public satisfaction surveys",
    ),
)

# --- the Zona Integritas scale: 1-6, worst first ------------------------------------------

# The published forms only say "1 (one star) to 6 (six stars): more stars, more agree";
# the words for each point are the product's (README, "Instrumen SPKP dan SPAK: sumber").
AGREE_6 = Scale(
    6,
    (
        Text("Sangat tidak setuju", "Strongly disagree"),
        Text("Tidak setuju", "Disagree"),
        Text("Kurang setuju", "Somewhat disagree"),
        Text("Cukup setuju", "Somewhat agree"),
        Text("Setuju", "Agree"),
        Text("Sangat setuju", "Strongly agree"),
    ),
)

# No regulation sets IPKP/IPAK grades on the 0-100 index: the SKM's boundaries
# (88,31 / 76,61 / 65,00) as an editable default, the lowest band from 100/6 = 16,67.
ZI_BANDS = (
    Band("A", Text("Sangat Baik", "Very good"), Decimal("88.31"), Decimal("100.00")),
    Band("B", Text("Baik", "Good"), Decimal("76.61"), Decimal("88.30")),
    Band("C", Text("Kurang Baik", "Poor"), Decimal("65.00"), Decimal("76.60")),
    Band("D", Text("Tidak Baik", "Very poor"), Decimal("16.67"), Decimal("64.99")),
)

_ZI_BASIS = Text(
    "PermenPANRB 90/2021 (Zona Integritas); butir sesuai kuesioner yang dipublikasikan unit kerja",
    "PermenPANRB 90/2021 (Integrity Zone); items as published by government units",
)

# --- SPKP: Survei Persepsi Kualitas Pelayanan (index IPKP) ----------------------------------

_STANDARD = Text("Standar pelayanan", "Service standard")
_FACILITIES = Text("Sarana dan petugas", "Facilities and staff")
_COMPLAINTS = Text("Konsultasi dan pengaduan", "Consultation and complaints")

SPKP = Instrument(
    code="SPKP",
    name=Text("Survei Persepsi Kualitas Pelayanan", "Service Quality Perception Survey"),
    index_name="IPKP",
    scale=AGREE_6,
    items=(
        Item(
            "KP1",
            Text("Informasi pelayanan", "Service information"),
            Text(
                "Informasi pelayanan pada unit layanan ini tersedia melalui media elektronik maupun nonelektronik.",
                "Information about the services of this unit is available in electronic and non-electronic media.",
            ),
            group=_STANDARD,
        ),
        Item(
            "KP2",
            Text("Persyaratan", "Requirements"),
            Text(
                "Persyaratan pelayanan yang diinformasikan sesuai dengan persyaratan yang ditetapkan unit layanan ini.",
                "The service requirements as announced match the requirements this unit applies.",
            ),
            group=_STANDARD,
        ),
        Item(
            "KP3",
            Text("Prosedur", "Procedure"),
            Text(
                "Prosedur/alur pelayanan yang ditetapkan unit layanan ini mudah diikuti/dilakukan.",
                "The service procedure set by this unit is easy to follow.",
            ),
            group=_STANDARD,
        ),
        Item(
            "KP4",
            Text("Waktu penyelesaian", "Completion time"),
            Text(
                "Jangka waktu penyelesaian pelayanan yang Bapak/Ibu terima sesuai dengan yang ditetapkan unit "
                "layanan ini.",
                "The time taken to complete your service matched the time set by this unit.",
            ),
            group=_STANDARD,
        ),
        Item(
            "KP5",
            Text("Biaya/tarif", "Fees"),
            Text(
                "Biaya/tarif pelayanan yang dibayarkan pada unit layanan ini sesuai dengan biaya/tarif yang "
                "ditetapkan.",
                "The fee paid for the service at this unit matched the fee that has been set.",
            ),
            group=_STANDARD,
        ),
        Item(
            "KP6",
            Text("Sarana dan prasarana", "Facilities"),
            Text(
                "Sarana dan prasarana pendukung pelayanan/sistem pelayanan daring yang disediakan unit layanan ini "
                "memberikan kenyamanan/mudah digunakan.",
                "The facilities and the online service system provided by this unit are comfortable and easy to use.",
            ),
            group=_FACILITIES,
        ),
        Item(
            "KP7",
            Text("Respons petugas", "Staff response"),
            Text(
                "Petugas pelayanan/sistem pelayanan daring pada unit layanan ini merespons keperluan Bapak/Ibu "
                "dengan cepat.",
                "The staff or the online service system of this unit responded quickly to your needs.",
            ),
            group=_FACILITIES,
        ),
        Item(
            "KP8",
            Text("Konsultasi dan pengaduan", "Consultation and complaints"),
            Text(
                "Layanan konsultasi dan pengaduan yang disediakan unit layanan ini mudah digunakan/diakses.",
                "The consultation and complaint service provided by this unit is easy to reach and use.",
            ),
            group=_COMPLAINTS,
        ),
    ),
    bands=ZI_BANDS,
    basis=_ZI_BASIS,
)

# --- SPAK: Survei Persepsi Anti Korupsi (index IPAK) ------------------------------------

_FAIRNESS = Text("Perlakuan dan prosedur", "Fair treatment and procedure")
_PAYMENTS = Text("Imbalan dan pungutan", "Rewards and levies")
_BROKERS = Text("Percaloan", "Brokers")

SPAK = Instrument(
    code="SPAK",
    name=Text("Survei Persepsi Anti Korupsi", "Anti-Corruption Perception Survey"),
    index_name="IPAK",
    scale=AGREE_6,
    items=(
        Item(
            "AK1",
            Text("Diskriminasi pelayanan", "Discrimination"),
            Text(
                "Tidak ada diskriminasi pelayanan pada unit layanan ini.",
                "There is no discrimination in the service of this unit.",
            ),
            group=_FAIRNESS,
        ),
        Item(
            "AK2",
            Text("Kecurangan pelayanan", "Irregular service"),
            Text(
                "Tidak ada pelayanan di luar prosedur/kecurangan pelayanan pada unit layanan ini.",
                "There is no service outside the procedure and no cheating in the service of this unit.",
            ),
            group=_FAIRNESS,
        ),
        Item(
            "AK3",
            Text("Imbalan", "Gratuities"),
            Text(
                "Tidak ada penerimaan imbalan uang/barang/fasilitas di luar ketentuan yang berlaku pada unit "
                "layanan ini.",
                "No money, goods or facilities are accepted as a reward outside the rules at this unit.",
            ),
            group=_PAYMENTS,
        ),
        Item(
            "AK4",
            Text("Pungutan liar", "Illegal levies"),
            Text(
                "Tidak ada pungutan liar (pungli) pada unit layanan ini.",
                "There are no illegal levies (pungli) at this unit.",
            ),
            group=_PAYMENTS,
        ),
        Item(
            "AK5",
            Text("Percaloan", "Brokers"),
            Text(
                "Tidak ada percaloan/perantara tidak resmi pada unit layanan ini.",
                "There are no brokers or unofficial intermediaries at this unit.",
            ),
            group=_BROKERS,
        ),
    ),
    bands=ZI_BANDS,
    basis=_ZI_BASIS,
)

BUILTIN: tuple[Instrument, ...] = (SKM, SPKP, SPAK)
BUILTIN_BY_CODE: dict[str, Instrument] = {i.code: i for i in BUILTIN}


def builtin(code: str) -> Instrument:
    """A built-in instrument by its code (case-insensitive); InstrumentError when unknown."""
    found = BUILTIN_BY_CODE.get(str(code).strip().upper())
    if found is None:
        raise InstrumentError(ErrorCode.UNKNOWN_INSTRUMENT, code=code, codes=tuple(BUILTIN_BY_CODE))
    return found
