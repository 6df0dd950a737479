"""The generated ("baku") text of every report section, and the effective text.

Each section prints the unit's own text when it wrote one, else the generated
text below, made specific to the round: real dates, the channels actually
used with their counts, the saran most often written, the realised RTL. The
generated text is computed on every render, so a kept ("baku") section stays
current with the data; a written section is the unit's wording as saved.
All text here is the report's Indonesian (the reports are Indonesian documents).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import formats, timezone, translation

from skm.rules.formatting import format_number
from skm.rules.ikm import IkmResult
from skm.rules.sentences import join_id, terbilang
from skm.rules.textblocks import TextBlock, parse_blocks
from skm.rules.workdays import working_days as _workdays
from surveys.models import Period, Response, SurveyRound, Unit

from .models import ReportSection
from .sections import FOLLOWUP, SECTIONS, SURVEY, SectionKey, unsur_key

Narrative = Mapping[str, tuple[TextBlock, ...]]

NATIONAL_RULES = (
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
    "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun 2009 "
    "tentang Pelayanan Publik;",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 14 Tahun 2017 tentang "
    "Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik.",
)

CHANNEL_TEXT = {
    Response.Channel.WEB: "kuesioner daring (ponsel dan kios layanan)",
    Response.Channel.PAPER: "kuesioner kertas di ruang pelayanan, dientri oleh petugas",
    Response.Channel.IMPORT: "berkas hasil survei yang diimpor",
}


def date_id(value: dt.date | None) -> str:
    if value is None:
        return "–"
    with translation.override("id"):
        return formats.date_format(value, "j F Y")


def month_id(value: dt.date) -> str:
    with translation.override("id"):
        return formats.date_format(value, "F Y")


def working_days(start: dt.date, end: dt.date) -> int:
    """Working days from ``start`` to ``end`` inclusive: Monday to Friday without Indonesia's national
    holidays and cuti bersama (``skm.rules.workdays``)."""
    return _workdays(start, end)


@dataclass(frozen=True)
class ScheduleRow:
    """One row of Tabel II.1 (Jadwal Pelaksanaan): ``when`` is the printed period ("1 Oktober 2023 –
    17 November 2023", "November 2023"); ``days`` the working days from ``start`` to ``end`` when
    both are known."""

    no: int
    activity: str
    start: dt.date | None
    end: dt.date | None
    when: str
    days: int | None

    @classmethod
    def dated(cls, no: int, activity: str, start: dt.date, end: dt.date) -> ScheduleRow:
        when = date_id(start) if start == end else f"{date_id(start)} – {date_id(end)}"
        return cls(no, activity, start, end, when, working_days(start, end))

    @classmethod
    def month(cls, no: int, activity: str, day: dt.date) -> ScheduleRow:
        """A row whose days the round does not know: printed as the month, without working days."""
        return cls(no, activity, None, None, month_id(day), None)


@dataclass(frozen=True)
class ReportDates:
    """The round's dates as the report prints them.

    ``start``/``end`` are the period's dates; ``collection_start``/``collection_end`` the round's own
    collection window inside it (None: the whole period); ``own_schedule`` the rows of Tabel II.1 the
    unit wrote (activity, start, end), empty for the prefilled rows."""

    start: dt.date
    end: dt.date
    opened: dt.date | None
    closed: dt.date | None
    report_date: dt.date
    report_place: str
    collection_start: dt.date | None = None
    collection_end: dt.date | None = None
    own_schedule: tuple[tuple[str, dt.date, dt.date], ...] = ()

    @property
    def collection(self) -> tuple[dt.date, dt.date]:
        """The days of data collection: the round's own window, else the period; never past the report
        date (a report dated inside the window ends the collection there)."""
        if self.collection_start is not None and self.collection_end is not None:
            start, end = self.collection_start, self.collection_end
        else:
            start, end = self.start, self.end
        return min(start, self.report_date), min(end, self.report_date)

    @property
    def processing(self) -> dt.date:
        return min(self.closed or self.collection[1], self.report_date)

    def schedule(self) -> list[ScheduleRow]:
        """Tabel II.1: the unit's own rows when it wrote them, else prefilled from the round's dates.

        Prefill: Persiapan from the day the round was opened to the day before collection starts
        (else the month collection starts); Pengumpulan Data over ``collection``; Pengolahan Data from
        the day after collection to the day before the report date (else the month of
        ``processing``); Penyusunan dan Pelaporan Hasil on the report date."""
        if self.own_schedule:
            return [
                ScheduleRow.dated(no, activity, start, end)
                for no, (activity, start, end) in enumerate(self.own_schedule, start=1)
            ]
        c_start, c_end = self.collection
        day = dt.timedelta(days=1)
        rows = []
        if self.opened is not None and self.opened < c_start:
            rows.append(ScheduleRow.dated(1, "Persiapan", self.opened, c_start - day))
        else:
            rows.append(ScheduleRow.month(1, "Persiapan", c_start))
        rows.append(ScheduleRow.dated(2, "Pengumpulan Data", c_start, c_end))
        if c_end + day <= self.report_date - day:
            rows.append(ScheduleRow.dated(3, "Pengolahan Data dan Analisis Hasil", c_end + day, self.report_date - day))
        else:
            rows.append(ScheduleRow.month(3, "Pengolahan Data dan Analisis Hasil", self.processing))
        rows.append(ScheduleRow.dated(4, "Penyusunan dan Pelaporan Hasil", self.report_date, self.report_date))
        return rows

    @staticmethod
    def parse_schedule(raw: object) -> tuple[tuple[str, dt.date, dt.date], ...]:
        """The stored ``SurveyRound.schedule`` as (activity, start, end); a malformed row is skipped."""
        rows = []
        for item in raw if isinstance(raw, list) else []:
            try:
                start, end = dt.date.fromisoformat(item["start"]), dt.date.fromisoformat(item["end"])
                activity = str(item["activity"]).strip()
            except (TypeError, KeyError, ValueError):
                continue
            if activity and start <= end:
                rows.append((activity, start, end))
        return tuple(rows)


def report_dates(*, unit: Unit, period: Period, rnd: SurveyRound | None, today: dt.date | None = None) -> ReportDates:
    """Report date: the round's own, else its close date, else ``today`` (an unfinished round).
    Place: the round's own, else the unit's city. The round's collection window and own schedule."""
    today = today or timezone.localdate()
    opened = timezone.localdate(rnd.opened_at) if rnd is not None and rnd.opened_at else None
    closed = timezone.localdate(rnd.closed_at) if rnd is not None and rnd.closed_at else None
    report_date = (rnd.effective_report_date if rnd is not None else None) or today
    place = (rnd.report_place if rnd is not None else "") or unit.city or ""
    return ReportDates(
        period.start_date,
        period.end_date,
        opened,
        closed,
        report_date,
        place,
        collection_start=rnd.collection_start if rnd is not None else None,
        collection_end=rnd.collection_end if rnd is not None else None,
        own_schedule=ReportDates.parse_schedule(rnd.schedule) if rnd is not None else (),
    )


def channel_counts(*, unit: Unit, period: Period) -> list[tuple[str, int]]:
    """(description, respondents) per channel actually used in the round, in a fixed order."""
    counts = dict(
        Response.objects.filter(unit=unit, period=period)
        .values_list("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    return [(CHANNEL_TEXT[c], counts[c]) for c in Response.Channel.values if counts.get(c)]


def saran_top(*, unit: Unit, period: Period, limit: int = 3) -> tuple[int, list[tuple[str, int]]]:
    """Respondents with a saran, and the ``limit`` most frequent saran with their counts
    (never more than the appendix lists, SKM_REPORT_SARAN_MAX_ROWS)."""
    limit = min(limit, settings.SKM_REPORT_SARAN_MAX_ROWS)
    qs = Response.objects.filter(unit=unit, period=period).exclude(suggestion="")
    total = qs.count()
    top = list(qs.values_list("suggestion").annotate(n=Count("id")).order_by("-n", "suggestion")[:limit])
    return total, [(_one_line(text), n) for text, n in top]


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def public_link(unit: Unit) -> str:
    return settings.SKM_SITE_URL.rstrip("/") + reverse("surveys:questionnaire", args=[unit.code])


@dataclass
class NarrativeFacts:
    """What the generated texts are made of (one round of one unit)."""

    unit: Unit
    period: Period
    round: SurveyRound | None
    result: IkmResult
    dates: ReportDates
    distributions: list = field(default_factory=list)  # surveys.results.DistributionTable
    channels: list[tuple[str, int]] = field(default_factory=list)
    saran_total: int = 0
    saran: list[tuple[str, int]] = field(default_factory=list)
    has_plan: bool = False
    realised: list[tuple[str, dt.date | None]] = field(default_factory=list)  # LHTL: (program, realised on)
    plan: object | None = None  # followup.models.Plan: the LHTL's BAB II and BAB IV texts
    # The unit's short name in the LHTL's text ("KPU Kabupaten Tangerang"; reports.layout).
    lhtl_name: str = ""
    samples: list = field(default_factory=list)  # skm.rules.ikm.SampleAdequacy per jenis layanan (2.5)


def _nrr(value) -> str:
    return format_number(value)


def _lowest(result: IkmResult, n: int = 3) -> list:
    ranked = [result.by_code(c) for c in result.priority if result.by_code(c).nrr is not None]
    return ranked[:n]


def _unsur_default(facts: NarrativeFacts, code: str) -> str:
    u = facts.result.by_code(code)
    dist = next((d for d in facts.distributions if d.code == code), None)
    if not u.answered or dist is None:
        return ""
    low = sum(r.count for r in dist.rows[:2])
    labels = [str(r.label) for r in dist.rows]
    if low:
        first = (
            f"Masih terdapat {format_number(low, 0)} dari {format_number(u.answered, 0)} responden yang memberikan "
            f"nilai {labels[0]} atau {labels[1]} pada unsur {u.name}."
        )
    else:
        first = f"Seluruh responden yang menjawab memberikan nilai {labels[2]} atau {labels[3]} pada unsur {u.name}."
    if u.grade == "A":
        second = "Kinerja unsur ini sudah sangat baik dan perlu dipertahankan."
    elif u.grade == "B":
        second = "Kinerja unsur ini sudah baik dan masih dapat ditingkatkan agar mencapai kategori Sangat Baik."
    else:
        second = "Unsur ini perlu menjadi prioritas perbaikan dalam Rencana Tindak Lanjut."
    return f"{first} {second}"


def _pelaksanaan(facts: NarrativeFacts) -> str:
    unit, period, d = facts.unit, facts.period, facts.dates
    parent = f" ({unit.parent.name})" if unit.parent_id else ""
    parts = [
        f"Survei Kepuasan Masyarakat {period.label} dilaksanakan secara mandiri oleh tim pelaksana SKM "
        f"{unit.name}{parent}."
    ]
    if d.opened and d.closed:
        parts[0] += f" Survei dibuka pada {date_id(d.opened)} dan ditutup pada {date_id(d.closed)}."
    if facts.channels:
        total = sum(n for _t, n in facts.channels)
        lines = [f"Jawaban {format_number(total, 0)} responden dikumpulkan melalui:"]
        lines += [f"- {text}: {format_number(n, 0)} responden;" for text, n in facts.channels]
        parts.append("\n".join(lines))
    parts.append(f"Kuesioner daring dapat diisi melalui tautan {public_link(unit)}.")
    return "\n\n".join(parts)


def _kesimpulan(facts: NarrativeFacts) -> str:
    r, unit, period = facts.result, facts.unit, facts.period
    if r.ikm is None:
        return f"Belum cukup data untuk menghitung IKM {unit.name} pada {period.label}."
    first = (
        f"Survei Kepuasan Masyarakat {period.label} menyimpulkan bahwa kinerja unit layanan {unit.name} adalah "
        f"{(r.label or '').upper()} (mutu {r.grade}) dengan nilai IKM {format_number(r.ikm)} dari "
        f"{format_number(r.respondents, 0)} responden."
    )
    groups: dict[str, list[str]] = {}
    for u in r.unsur:
        if u.label:
            groups.setdefault(u.label, []).append(u.name)
    second = "Dari 9 unsur layanan: " + "; ".join(
        f"{len(names)} unsur berkinerja {label} ({join_id(names)})" for label, names in groups.items()
    )
    return f"{first}\n\n{second}."


def _rekomendasi(facts: NarrativeFacts) -> str:
    lowest = _lowest(facts.result)
    text = (
        "Mengingat pentingnya peningkatan mutu pelayanan secara terus-menerus, Survei Kepuasan Masyarakat perlu "
        "dilakukan secara periodik dan hasilnya ditindaklanjuti melalui Rencana Tindak Lanjut."
    )
    if lowest:
        names = join_id(f"{u.name} ({_nrr(u.nrr)})" for u in lowest)
        text += f" Perbaikan diprioritaskan pada unsur dengan nilai terendah, yaitu {names}."
    return text


def _rtl_narasi(facts: NarrativeFacts) -> str:
    if facts.has_plan:
        return (
            "Berdasarkan analisis unsur layanan dan saran responden, disusun Rencana Tindak Lanjut Perbaikan "
            "sebagaimana Tabel IV.1."
        )
    lowest = _lowest(facts.result)
    if not lowest:
        return "Rencana Tindak Lanjut belum disusun karena belum ada hasil survei."
    names = join_id(f"{u.name} ({_nrr(u.nrr)})" for u in lowest)
    return f"Rencana Tindak Lanjut akan disusun untuk unsur dengan nilai terendah, yaitu {names}."


def _saran(facts: NarrativeFacts) -> str:
    if not facts.saran_total:
        return f"Tidak ada saran tertulis dari responden pada {facts.period.label}."
    lines = [
        f"Dari {format_number(facts.saran_total, 0)} responden yang menulis saran, saran yang paling sering "
        "disampaikan adalah:"
    ]
    lines += [f"- {text} ({format_number(n, 0)} responden)" for text, n in facts.saran]
    return "\n".join(lines)


LHTL_BACKGROUND = (
    "Dalam laporannya, World Bank menjelaskan bahwa pelayanan publik yang berkualitas hanya dapat dicapai jika "
    "ekspektasi dan kebutuhan dari pengguna layanan diakomodir dalam proses penyediaan pelayanan. Hal ini juga "
    "sejalan dengan salah satu asas dari penyelenggaraan pelayanan publik yang tertulis dalam Undang-Undang Nomor "
    "25 Tahun 2009 tentang Pelayanan Publik yaitu asas partisipatif. Asas partisipatif selanjutnya diatur dalam bab "
    "khusus Pengikutsertaan Masyarakat dalam Penyelenggaraan Pelayanan Publik pada Peraturan Pemerintah Nomor 96 "
    "Tahun 2012 tentang Pelaksanaan Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik.\n\n"
    "Selanjutnya, Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi (Kementerian PANRB) sebagai "
    "pembina pelayanan publik nasional telah merumuskan berbagai instrumen pengikutsertaan masyarakat dalam "
    "pelayanan publik untuk menilai kinerja penyelenggara pelayanan publik. Salah satu instrumen tersebut adalah "
    "Survei Kepuasan Masyarakat (SKM) yang lebih lanjut diatur dalam Peraturan Menteri Pendayagunaan Aparatur "
    "Negara dan Reformasi Birokrasi Nomor 14 Tahun 2017 tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit "
    "Penyelenggara Pelayanan Publik.\n\n"
    "Terdapat beberapa tujuan dari pelaksanaan SKM. Pertama, untuk mendorong partisipasi masyarakat sebagai "
    "pengguna layanan dalam menilai kinerja penyelenggara pelayanan. Kedua, mendorong penyelenggara pelayanan "
    "menjadi lebih inovatif dalam menyelenggarakan pelayanan publik. Terakhir, untuk mengukur kecenderungan "
    "tingkat kepuasan masyarakat terhadap pelayanan publik. Untuk mencapai berbagai tujuan tersebut, maka {unit} "
    "perlu menyusun rencana tindak lanjut dan laporan hasil tindak lanjut sesuai dengan peraturan yang berlaku, "
    "agar proses perbaikan berkelanjutan dalam layanan publik dapat dipastikan dan pada akhirnya terjadi "
    "peningkatan kualitas pelayanan publik."
)


def _metodologi(facts: NarrativeFacts) -> str:
    used = [c for c, n in facts.channels]
    if used:
        how = join_id(used)
        source = f"Data primer diperoleh dari responden yang menjawab kuesioner terstruktur melalui {how}."
    else:
        source = "Data primer diperoleh langsung dari responden yang menjawab kuesioner terstruktur."
    names = "\n".join(f"{i}. {u.name}" for i, u in enumerate(facts.result.unsur, start=1))
    return (
        f"Pendekatan survei yang digunakan adalah metode kuantitatif. {source} Responden memilih salah satu dari "
        "empat pilihan jawaban (nilai 1 sampai 4) untuk setiap unsur. Kuesioner terdiri dari "
        f"{len(facts.result.unsur)} unsur pelayanan:\n\n{names}"
    )


def _lokasi(facts: NarrativeFacts) -> str:
    unit = facts.unit
    used = {c for c, _n in facts.channels}
    place = f"ruang pelayanan {unit.name}" + (f", {unit.address}" if unit.address else "")
    parts = []
    if CHANNEL_TEXT[Response.Channel.PAPER] in used or not used:
        parts.append(
            f"Pengumpulan data dilakukan di {place}, kepada responden yang datang langsung saat menggunakan layanan."
        )
    if CHANNEL_TEXT[Response.Channel.WEB] in used:
        parts.append(f"Kuesioner daring diisi melalui tautan {public_link(unit)}.")
    if CHANNEL_TEXT[Response.Channel.IMPORT] in used:
        parts.append(
            f"Sebagian atau seluruh jawaban dikumpulkan oleh {unit.name} dengan sarana unit sendiri dan diimpor ke "
            "aplikasi ini sebagai berkas hasil survei."
        )
    return " ".join(parts)


def _jumlah_responden(facts: NarrativeFacts) -> str:
    r = facts.result
    lines = [
        "Jumlah sampel minimal ditentukan per jenis layanan dengan rumus Krejcie dan Morgan dari jumlah pengguna "
        "layanan periode sebelumnya (populasi N): s = 3,841 · N · 0,25 ÷ (0,0025 · (N − 1) + 3,841 · 0,25)."
    ]
    known = [s for s in facts.samples if s.population]
    if known:
        items = [
            f"- {s.service}: populasi {format_number(s.population, 0)} orang, sampel minimal "
            f"{format_number(s.required, 0)} orang, terkumpul {format_number(s.respondents, 0)} responden;"
            for s in known
        ]
        lines.append("Dengan populasi tiap jenis layanan:\n" + "\n".join(items))
    else:
        lines.append("Populasi (jumlah pengguna layanan periode sebelumnya) belum diisi oleh unit.")
    lines.append(
        f"Jumlah responden yang terkumpul adalah {format_number(r.respondents, 0)} ({terbilang(r.respondents)}) orang."
    )
    return "\n\n".join(lines)


def _lhtl_prioritas(facts: NarrativeFacts) -> str:
    from followup.selectors import plan_priority_basis  # the follow-up app reads reports' texts too
    from skm.rules.sentences import priority_basis_sentence

    plan = facts.plan
    if plan is None:
        return ""
    basis = plan_priority_basis(plan=plan, result=facts.result)
    clause = priority_basis_sentence(lowest=basis.lowest_titles, added=basis.added_titles, saran=basis.n_saran)
    codes = [row.code for row in (*basis.lowest, *basis.added)]
    grades = [facts.result.by_code(c).grade for c in codes if facts.result.by_code(c).grade]
    if grades and all(g == "A" for g in grades):
        why = (
            "Berkaca pada data di atas, seluruh unsur yang diprioritaskan sudah bermutu A; unit tetap menyusun "
            "rencana tindak lanjut agar kinerja tersebut terjaga dan meningkat."
        )
    else:
        why = (
            "Berkaca pada data di atas, dapat terlihat beberapa unsur yang memerlukan intervensi lanjutan. "
            "Oleh karena itu, perlu disusun sebuah rencana tindak lanjut perbaikan."
        )
    return (
        f"{why} Untuk memastikan rencana tindak lanjut dapat diimplementasikan dan ditindaklanjuti dengan baik, "
        f"disusun skala prioritas perbaikan {clause}. Kerangka rencana tindak lanjutnya dapat terlihat pada tabel di "
        "bawah ini:"
    )


def _lhtl_kesimpulan(facts: NarrativeFacts) -> str:
    """BAB IV of the LHTL: the realisation percentage with its PEKPPP band, what is not
    realised and why, the strategy table, the realised items. The unit's own text
    replaces all of it (this is its prefill)."""
    period, plan = facts.period, facts.plan
    name = facts.lhtl_name or facts.unit.name
    if plan is None or not plan.progress.total:
        return (
            f"{name} belum memiliki Rencana Tindak Lanjut hasil SKM {period.label}, sehingga belum ada tindak "
            "lanjut yang dapat dilaporkan."
        )
    from followup.models import PlanItem

    progress = plan.progress
    entries = list(
        PlanItem.objects.filter(plan_unsur__plan=plan)
        .select_related("realisation")
        .order_by("plan_unsur__order", "order")
    )
    lines = ["Berdasarkan data-data dalam pelaksanaan tindak lanjut tersebut, dapat ditarik beberapa kesimpulan yaitu:"]
    first = (
        f"1. {name} telah menindaklanjuti rencana tindak lanjut hasil SKM {period.label} sebanyak "
        f"{format_number(progress.percent)}% ({progress.realised} dari {progress.total} RTL terealisasi), masuk "
        f"kategori PEKPPP {progress.band_label}."
    )
    lines.append(first)
    # An item nobody has reported on yet has no Realisation row (reverse one-to-one: None here).
    real = {e.pk: getattr(e, "realisation", None) for e in entries}
    pending = [e for e in entries if not (real[e.pk] and real[e.pk].is_done)]
    number = 2
    if pending:
        reasons = [e for e in pending if real[e.pk] and real[e.pk].reason.strip()]
        text = f"{number}. Masih terdapat {len(pending)} rencana tindak lanjut yang belum terealisasi"
        lines.append(text + (" karena alasan berikut:" if reasons else "."))
        lines += [f"   - {e.number} {_one_line(e.program)}: {_one_line(real[e.pk].reason)}" for e in reasons]
        number += 1
    else:
        speed = ""
        if progress.months_to_realisation is not None:
            speed = (
                f" Seluruh RTL terealisasi {progress.speed_label} sejak laporan hasil SKM "
                f"({progress.months_to_realisation} bulan)."
            )
        lines.append(f"{number}. Seluruh rencana tindak lanjut telah terealisasi; tidak ada RTL yang tertunda.{speed}")
        number += 1
    if any(r and (r.strategy or r.target_time) for r in real.values()):
        lines.append(
            f"{number}. Guna memastikan RTL tetap terimplementasi, disusun strategi untuk mengatasi permasalahan yang "
            "ada dan mendorong diimplementasikannya RTL sebagaimana tabel berikut."
        )
    return "\n".join(lines)


def generated_texts(facts: NarrativeFacts) -> dict[str, str]:
    """The generated text of every section (key -> plain text in the textblocks format)."""
    unit, period, r, d = facts.unit, facts.period, facts.result, facts.dates
    n = format_number(r.respondents, 0)
    texts = {
        SectionKey.KATA_PENGANTAR: (
            "Puji syukur kami panjatkan ke hadirat Tuhan Yang Maha Esa atas segala rahmat dan karunia-Nya, sehingga "
            f"kami dapat menyelesaikan Laporan Survei Kepuasan Masyarakat pada {unit.name} {period.label}.\n\n"
            "Survei ini dilaksanakan berdasarkan Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi "
            f"Birokrasi Nomor 14 Tahun 2017 pada {date_id(d.start)} sampai dengan {date_id(d.end)} dengan {n} "
            f"({terbilang(r.respondents)}) responden. Kami mengucapkan terima kasih kepada masyarakat pengguna "
            "layanan yang telah meluangkan waktu mengisi kuesioner serta kepada semua pihak yang terlibat dalam "
            "penyusunan laporan ini. Kritik dan saran terhadap laporan ini kami harapkan guna penyempurnaan pada "
            "masa yang akan datang.\n\n"
            "Semoga laporan ini bermanfaat dalam upaya peningkatan kualitas pelayanan kepada masyarakat."
        ),
        SectionKey.LATAR_BELAKANG: (
            "Fungsi utama pemerintah adalah melayani masyarakat sehingga pemerintah perlu terus berupaya "
            "meningkatkan kualitas pelayanan. Ukuran keberhasilan penyelenggaraan pelayanan ditentukan oleh tingkat "
            "kepuasan penerima layanan. Oleh karena itu pelayanan publik harus mendapat perhatian dan penanganan "
            "yang sungguh-sungguh oleh semua aparatur, karena merupakan tugas dan fungsi yang melekat pada setiap "
            "aparatur.\n\n"
            "Tingkat kualitas kinerja pelayanan publik memiliki dampak yang luas dalam berbagai kehidupan, terutama "
            "untuk mencapai tingkat kesejahteraan masyarakat. Upaya penyempurnaan pelayanan publik harus dilakukan "
            "secara terus-menerus dan berkesinambungan.\n\n"
            f"Untuk mengukur kinerja aparatur {unit.name} dalam memberikan pelayanan kepada masyarakat, sekaligus "
            "mendengarkan dan menyerap aspirasi masyarakat perihal kebutuhan dan harapan, maka dilaksanakan Survei "
            f"Kepuasan Masyarakat pada unit layanan {unit.name} {period.label}."
        ),
        SectionKey.DASAR_HUKUM: "\n".join(f"{i}. {rule}" for i, rule in enumerate(NATIONAL_RULES, start=1)),
        SectionKey.MAKSUD_TUJUAN: (
            "Survei kepuasan masyarakat dilakukan dengan maksud untuk mengetahui tingkat kinerja aparatur pada unit "
            f"layanan {unit.name} dalam memberikan pelayanan kepada masyarakat, sekaligus sebagai wahana penyerapan "
            "aspirasi masyarakat berupa saran, harapan, dan keluhan untuk dijadikan pedoman kebijakan, program, dan "
            "strategi guna peningkatan pelayanan. Tujuannya adalah:\n\n"
            "1. mengetahui tingkat kinerja unit pelayanan secara berkala;\n"
            "2. memberikan gambaran kepada masyarakat tentang kinerja pelayanan unit yang bersangkutan;\n"
            "3. mengetahui kelemahan atau kekuatan dari masing-masing unsur pelayanan;\n"
            "4. sebagai umpan balik dan bahan penetapan kebijakan dalam rangka peningkatan kualitas pelayanan publik."
        ),
        SectionKey.PELAKSANAAN: _pelaksanaan(facts),
        SectionKey.METODOLOGI: _metodologi(facts),
        SectionKey.LOKASI: _lokasi(facts),
        SectionKey.JUMLAH_RESPONDEN: _jumlah_responden(facts),
        SectionKey.TREN_PENGANTAR: (
            "Survei yang dilakukan secara periodik memperlihatkan kecenderungan tingkat kepuasan masyarakat terhadap "
            f"layanan {unit.name} dari periode ke periode, sebagaimana grafik dan tabel berikut."
        ),
        SectionKey.LHTL_HASIL: (
            f"Hasil survei kepuasan masyarakat oleh {facts.lhtl_name or unit.name} periode {period.label} dengan "
            f"{n} responden "
            "menunjukkan nilai yang beragam pada berbagai unsur pelayanan seperti dapat terlihat pada tabel di bawah "
            "ini:"
        ),
        SectionKey.LHTL_PRIORITAS: _lhtl_prioritas(facts),
        SectionKey.LHTL_REALISASI: (
            "Berdasarkan rencana tindak lanjut yang telah disusun, maka implementasi yang telah dilaksanakan adalah "
            "sebagai berikut:"
        ),
        SectionKey.JADWAL: (
            f"Survei {period.label} dilaksanakan pada periode {date_id(d.collection[0])} sampai dengan "
            f"{date_id(d.collection[1])} ({working_days(*d.collection)} hari kerja). Data diolah pada "
            f"{month_id(d.processing)} dan laporan disusun pada {date_id(d.report_date)}, dengan jadwal "
            "sebagaimana Tabel II.1."
        ),
        SectionKey.SARAN_RINGKASAN: _saran(facts),
        SectionKey.RTL_NARASI: _rtl_narasi(facts),
        SectionKey.KESIMPULAN: _kesimpulan(facts),
        SectionKey.REKOMENDASI: _rekomendasi(facts),
        SectionKey.PENUTUP: (
            f"Demikian Laporan Survei Kepuasan Masyarakat {unit.name} {period.label} ini disusun sebagai bahan "
            "evaluasi dan perbaikan kualitas pelayanan publik. Atas perhatian dan kerja sama semua pihak, kami "
            "mengucapkan terima kasih."
        ),
        SectionKey.LHTL_LATAR_BELAKANG: (unit.background_text or "").strip()
        or LHTL_BACKGROUND.format(unit=facts.lhtl_name or unit.name),
        SectionKey.LHTL_KESIMPULAN: _lhtl_kesimpulan(facts),
    }
    for u in r.unsur:
        texts[unsur_key(u.code)] = _unsur_default(facts, u.code)
    return {str(k): v for k, v in texts.items()}


def realised_items(plan) -> list[tuple[str, dt.date | None]]:
    """(program, realised on) of the plan's realised RTL items, in plan order."""
    if plan is None:
        return []
    from followup.models import PlanItem, Realisation

    return list(
        PlanItem.objects.filter(plan_unsur__plan=plan, realisation__status=Realisation.Status.SUDAH)
        .order_by("plan_unsur__order", "order")
        .values_list("program", "realisation__realised_on")
    )


def _lhtl_name(unit: Unit, layout) -> str:
    if layout is None:
        from .selectors import report_layout_get

        layout = report_layout_get(unit=unit)
    return layout.short_name or unit.name


def _samples(*, unit: Unit, period: Period) -> list:
    """Krejcie & Morgan per jenis layanan (the results page's, when the caller has none)."""
    from surveys.results import sample_adequacy_list

    counts = dict(
        Response.objects.filter(unit=unit, period=period)
        .values_list("service_id")
        .annotate(n=Count("id"))
        .values_list("service_id", "n")
    )
    return sample_adequacy_list(unit=unit, period=period, respondents_by_service=counts)


def narrative_facts_build(
    *,
    unit: Unit,
    period: Period,
    result: IkmResult,
    distributions: list,
    plan=None,
    rnd: SurveyRound | None = None,
    today: dt.date | None = None,
    samples: list | None = None,
    layout=None,
) -> NarrativeFacts:
    if rnd is None:
        rnd = SurveyRound.objects.filter(unit=unit, period=period).first()
    total, top = saran_top(unit=unit, period=period)
    return NarrativeFacts(
        unit=unit,
        period=period,
        round=rnd,
        result=result,
        dates=report_dates(unit=unit, period=period, rnd=rnd, today=today),
        distributions=distributions,
        channels=channel_counts(unit=unit, period=period),
        saran_total=total,
        saran=top,
        has_plan=plan is not None,
        realised=realised_items(plan),
        plan=plan,
        samples=samples if samples is not None else _samples(unit=unit, period=period),
        lhtl_name=_lhtl_name(unit, layout),
    )


def saved_sections(rnd: SurveyRound | None) -> dict[str, ReportSection]:
    if rnd is None or rnd.pk is None:
        return {}
    return {s.key: s for s in ReportSection.objects.filter(round=rnd).select_related("updated_by")}


def effective_texts(*, facts: NarrativeFacts, saved: Mapping[str, ReportSection] | None = None) -> dict[str, str]:
    """Key -> the text that prints: the unit's own when written, else the generated text."""
    saved = saved_sections(facts.round) if saved is None else saved
    generated = generated_texts(facts)
    texts = {}
    for spec in SECTIONS:
        key = spec.key.value
        own = saved.get(key)
        texts[key] = own.text if own is not None and own.is_custom else generated.get(key, "")
    return texts


def narrative_blocks(texts: Mapping[str, str], *, report: str | None = None) -> dict[str, tuple[TextBlock, ...]]:
    """The typed view-model mapping: key -> tuple of TextBlock (for one report, or all)."""
    keys: Iterable[str] = (s.key.value for s in SECTIONS if report is None or s.report == report)
    return {key: parse_blocks(texts.get(key, "")) for key in keys}


__all__ = [
    "FOLLOWUP",
    "SURVEY",
    "Narrative",
    "NarrativeFacts",
    "ReportDates",
    "ScheduleRow",
    "channel_counts",
    "effective_texts",
    "generated_texts",
    "narrative_blocks",
    "report_dates",
    "saran_top",
    "saved_sections",
    "working_days",
]
