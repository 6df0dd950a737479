from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from skm.rules.ikm import WeightMode

from .layout import (
    DEFAULT_LAYOUT,
    LAYOUT_FIELDS,
    Bab3Layout,
    IntervalForm,
    ItemNumbering,
    LhtlLayout,
    MatrixScale,
    Tabel1Values,
    TickMark,
    layout_from_values,
)
from .sections import SectionKey

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


class ExportJob(models.Model):
    """One requested export (PDF or Word report, XLSX worksheet, raw data) and its progress."""

    class Kind(models.TextChoices):
        PDF_FOLLOWUP = "pdf_followup", _("Laporan Hasil Tindak Lanjut (PDF)")
        PDF_SURVEY = "pdf_survey", _("Laporan SKM (PDF)")
        DOCX_FOLLOWUP = "docx_followup", _("Laporan Hasil Tindak Lanjut (Word/DOCX)")
        DOCX_SURVEY = "docx_survey", _("Laporan SKM (Word/DOCX)")
        # The report of a Zona Integritas survey (SPKP, SPAK): the job names it in ``instrument``.
        PDF_INSTRUMENT = "pdf_instrument", _("Laporan survei persepsi (PDF)")
        DOCX_INSTRUMENT = "docx_instrument", _("Laporan survei persepsi (Word/DOCX)")
        XLSX = "xlsx", _("Lembar kerja SKM (XLSX)")
        RAW_XLSX = "raw_xlsx", _("Data mentah jawaban (XLSX)")
        RAW_CSV = "raw_csv", _("Data mentah jawaban (CSV)")
        COMPARISON_XLSX = "comparison_xlsx", _("Perbandingan IKM antarunit (XLSX)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        RUNNING = "running", _("Sedang diproses")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        "surveys.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    period = models.ForeignKey(
        "surveys.Period", verbose_name=_("periode"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    weight_mode = models.CharField(
        _("bobot"), max_length=5, choices=[(m.value, m.value) for m in WeightMode], default=WeightMode.EXACT.value
    )
    # The instrument (SPKP, SPAK) of an instrument report; "" for every other kind.
    instrument = models.CharField(_("instrumen"), max_length=16, blank=True, default="")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diminta oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="export_jobs",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    percent = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    message = models.CharField(_("pesan"), max_length=200, blank=True)
    result = models.FileField(_("berkas hasil"), upload_to="exports/%Y/%m/", blank=True, max_length=255)
    # Laporan SKM above SKM_REPORT_APPENDIX_MAX_RESPONDENTS: the per-respondent
    # appendix and every saran go into this XLSX, made by the same job.
    attachment = models.FileField(_("lampiran"), upload_to="exports/%Y/%m/", blank=True, max_length=255)
    error = models.TextField(_("alasan gagal"), blank=True)
    # Incremented on every (re)enqueue; a task message carries the attempt it was
    # sent for, so a stale redelivered message can never run a retried job twice.
    attempt = models.PositiveIntegerField(_("percobaan ke"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    # Set on every (re)enqueue: the sweeper measures a lost queued message from here.
    queued_at = models.DateTimeField(_("masuk antrean"), default=timezone.now)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    # The worker running the job (Celery node name) and its last sign of life: a
    # running job whose heartbeat stops is failed at once (worker killed or OOM).
    worker = models.CharField(_("pekerja"), max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(_("tanda hidup terakhir"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    # Soft time limit in seconds, from the number of rows at enqueue
    # (reports.services.export_time_limit); 0 on jobs made before it existed.
    time_limit = models.PositiveIntegerField(_("batas waktu (detik)"), default=0)

    INSTRUMENT_KINDS = (Kind.PDF_INSTRUMENT, Kind.DOCX_INSTRUMENT)

    # Not a field: export_job_create sets it when it returns an identical job
    # that was already queued or running instead of creating a new one.
    reused: bool = False

    class Meta:
        verbose_name = _("tugas ekspor")
        verbose_name_plural = _("tugas ekspor")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "period", "-created_at"], name="exportjob_unit_period_idx")]
        constraints = [
            # One queued or running job per identical request: a repeated request reuses it.
            models.UniqueConstraint(
                fields=["kind", "unit", "period", "weight_mode", "instrument"],
                condition=models.Q(status__in=["queued", "running"]),
                name="exportjob_one_active_per_request",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.unit} {self.period.code}"

    def get_kind_display(self) -> str:
        """The kind as the job pages show it; an instrument report names its survey ("Laporan SPAK (PDF)")."""
        if self.kind == self.Kind.PDF_INSTRUMENT and self.instrument:
            return _("Laporan %(code)s (PDF)") % {"code": self.instrument}
        if self.kind == self.Kind.DOCX_INSTRUMENT and self.instrument:
            return _("Laporan %(code)s (Word/DOCX)") % {"code": self.instrument}
        return self._get_FIELD_display(self._meta.get_field("kind"))

    @property
    def is_instrument_report(self) -> bool:
        return self.kind in self.INSTRUMENT_KINDS

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def extension(self) -> str:
        return {
            self.Kind.XLSX: "xlsx",
            self.Kind.RAW_XLSX: "xlsx",
            self.Kind.RAW_CSV: "csv",
            self.Kind.COMPARISON_XLSX: "xlsx",
            self.Kind.DOCX_FOLLOWUP: "docx",
            self.Kind.DOCX_SURVEY: "docx",
            self.Kind.DOCX_INSTRUMENT: "docx",
        }.get(self.kind, "pdf")

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]

    @property
    def is_survey_report(self) -> bool:
        """A Laporan SKM (PDF or Word): a large one gets its XLSX attachment."""
        return self.kind in (self.Kind.PDF_SURVEY, self.Kind.DOCX_SURVEY)

    @property
    def attachment_filename(self) -> str:
        return f"lampiran-laporan-skm-{self.unit.code}-{self.period.code}.xlsx"

    @property
    def filename(self) -> str:
        ext = self.extension
        prefix = {
            self.Kind.PDF_FOLLOWUP: "laporan-tindak-lanjut",
            self.Kind.PDF_SURVEY: "laporan-skm",
            self.Kind.DOCX_FOLLOWUP: "laporan-tindak-lanjut",
            self.Kind.DOCX_SURVEY: "laporan-skm",
            self.Kind.XLSX: "lembar-kerja-skm",
            self.Kind.RAW_XLSX: "data-mentah",
            self.Kind.RAW_CSV: "data-mentah",
            self.Kind.COMPARISON_XLSX: "perbandingan-ikm",
            self.Kind.PDF_INSTRUMENT: f"laporan-{self.instrument.lower()}",
            self.Kind.DOCX_INSTRUMENT: f"laporan-{self.instrument.lower()}",
        }[self.kind]
        return f"{prefix}-{self.unit.code}-{self.period.code}.{ext}"


class ReportSection(models.Model):
    """The unit's own text of one report section in one survey round.

    No row: the section prints the generated text and has not been reviewed.
    A row with empty ``text``: reviewed, the generated text is kept (and stays
    current with the data). A row with text: the unit's own wording."""

    round = models.ForeignKey(
        "surveys.SurveyRound",
        verbose_name=_("putaran survei"),
        on_delete=models.CASCADE,
        related_name="report_sections",
    )
    key = models.CharField(_("bagian"), max_length=30, choices=SectionKey.choices)
    text = models.TextField(_("teks"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("bagian laporan")
        verbose_name_plural = _("bagian laporan")
        ordering = ["round", "key"]
        constraints = [models.UniqueConstraint(fields=["round", "key"], name="reportsection_unique_round_key")]

    def __str__(self):
        return f"{self.round} – {self.get_key_display()}"

    @property
    def is_custom(self) -> bool:
        return bool(self.text.strip())


def published_report_upload_to(instance: PublishedReport, filename: str) -> str:
    # Not under exports/: the export sweeper never deletes a published document.
    return f"laporan-terbit/{instance.publication.published_at:%Y}/{filename}"


class PublishedReport(models.Model):
    """The fixed, dated file of one published version (``surveys.RoundPublication``):
    the Laporan SKM PDF rendered once right after the publication, stored, and
    served as is on the public page with its SHA-256, so a reader can check that
    the copy they hold is the one published. Made by ``reports.tasks.build_published_report``;
    one row per publication and kind (the claim and the idempotency key)."""

    class Kind(models.TextChoices):
        PDF_SURVEY = "pdf_survey", _("Laporan SKM (PDF)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Sedang disiapkan")
        RUNNING = "running", _("Sedang dibuat")
        DONE = "done", _("Tersedia")
        FAILED = "failed", _("Gagal")

    publication = models.ForeignKey(
        "surveys.RoundPublication",
        verbose_name=_("publikasi"),
        on_delete=models.PROTECT,
        related_name="published_reports",
    )
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.PDF_SURVEY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("berkas"), upload_to=published_report_upload_to, blank=True, max_length=255)
    sha256 = models.CharField(_("sidik SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    error = models.TextField(_("alasan gagal"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai dibuat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("laporan terbit")
        verbose_name_plural = _("laporan terbit")
        ordering = ["publication", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "kind"], name="publishedreport_one_per_publication_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.publication}"

    @property
    def filename(self) -> str:
        pub = self.publication
        return f"laporan-skm-{pub.round.unit.code}-{pub.round.period.code}-v{pub.version}.pdf"


# The choices of the LHTL layout options (reports.layout): values are the enums' own.
MATRIX_SCALE_CHOICES = [
    (MatrixScale.CONVERTED.value, _("Nilai konversi (0–100)")),
    (MatrixScale.NRR.value, _("Skala 1–4 (NRR)")),
]
BAB3_LAYOUT_CHOICES = [
    (Bab3Layout.TABLE.value, _("Satu tabel, foto sesudahnya")),
    (Bab3Layout.BLOCKS.value, _("Satu blok per kegiatan, foto di bawahnya")),
]
ITEM_NUMBERING_CHOICES = [
    (ItemNumbering.NESTED.value, _("Bertingkat (1.1, 1.2, 2.1)")),
    (ItemNumbering.FLAT.value, _("Urut (1, 2, 3)")),
]
INTERVAL_FORM_CHOICES = [
    (IntervalForm.STANDARD.value, _("Baku (empat desimal, mutu A lebih dulu)")),
    (IntervalForm.SHORT.value, _("Ringkas (dua desimal, naik dari mutu D)")),
]
TABEL1_VALUES_CHOICES = [
    (Tabel1Values.BOTH.value, _("NRR dan nilai konversi")),
    (Tabel1Values.NRR.value, _("NRR saja")),
    (Tabel1Values.CONVERTED.value, _("Nilai konversi saja")),
]
TICK_CHOICES = [(mark.value, mark.value) for mark in TickMark]


def _choice_known(field: str, choices) -> models.CheckConstraint:
    """The database refuses a layout value that is not one of the field's choices."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": [v for v, _label in choices]}), name=f"reportlayout_{field}_known"
    )


class ReportLayout(models.Model):
    """How one unit lays out its Laporan Hasil Tindak Lanjut: one field per
    ``reports.layout.LhtlLayout`` field, read back as that dataclass by
    ``reports.selectors.report_layout_get``. No row: ``DEFAULT_LAYOUT``.
    Written by ``reports.services_layout`` (attributable through the history)."""

    unit = models.OneToOneField(
        "surveys.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="report_layout"
    )
    matrix_scale = models.CharField(
        _("nilai IKM per jenis layanan"),
        max_length=10,
        choices=MATRIX_SCALE_CHOICES,
        default=DEFAULT_LAYOUT.matrix_scale.value,
    )
    matrix_mutu_row = models.BooleanField(_("baris mutu di bawah matriks"), default=DEFAULT_LAYOUT.matrix_mutu_row)
    bab3 = models.CharField(
        _("susunan BAB III"), max_length=10, choices=BAB3_LAYOUT_CHOICES, default=DEFAULT_LAYOUT.bab3.value
    )
    numbering = models.CharField(
        _("penomoran kegiatan"),
        max_length=12,
        choices=ITEM_NUMBERING_CHOICES,
        default=DEFAULT_LAYOUT.numbering.value,
    )
    combined_cell = models.BooleanField(_("NRR dan nilai konversi satu sel"), default=DEFAULT_LAYOUT.combined_cell)
    interval = models.CharField(
        _("tabel interval"), max_length=10, choices=INTERVAL_FORM_CHOICES, default=DEFAULT_LAYOUT.interval.value
    )
    cover_title = models.CharField(_("judul sampul"), max_length=300, blank=True, default=DEFAULT_LAYOUT.cover_title)
    cover_year = models.BooleanField(_("baris tahun di sampul"), default=DEFAULT_LAYOUT.cover_year)
    short_name = models.CharField(_("nama singkat unit"), max_length=200, blank=True, default=DEFAULT_LAYOUT.short_name)
    cover_name = models.CharField(
        _("nama unit di sampul"), max_length=300, blank=True, default=DEFAULT_LAYOUT.cover_name
    )
    bab1_title = models.CharField(_("judul BAB I"), max_length=200, blank=True, default=DEFAULT_LAYOUT.bab1_title)
    tabel2_caption = models.CharField(
        _("judul Tabel 2"), max_length=300, blank=True, default=DEFAULT_LAYOUT.tabel2_caption
    )
    bab3_unsur = models.BooleanField(_("kolom unsur di BAB III"), default=DEFAULT_LAYOUT.bab3_unsur)
    bab3_by_number = models.BooleanField(_("BAB III menurut nomor RTL"), default=DEFAULT_LAYOUT.bab3_by_number)
    tabel1_caption = models.CharField(
        _("judul Tabel 1"), max_length=300, blank=True, default=DEFAULT_LAYOUT.tabel1_caption
    )
    tabel1_values = models.CharField(
        _("kolom nilai Tabel 1"),
        max_length=16,
        choices=TABEL1_VALUES_CHOICES,
        default=DEFAULT_LAYOUT.tabel1_values.value,
    )
    tabel1_unsur_header = models.CharField(_("judul kolom unsur Tabel 1"), max_length=60, blank=True, default="")
    tabel1_value_header = models.CharField(_("judul kolom nilai Tabel 1"), max_length=60, blank=True, default="")
    tabel1_mutu_header = models.CharField(_("judul kolom mutu Tabel 1"), max_length=60, blank=True, default="")
    # {"U5": "Produk, Spesifikasi, dan Jenis Pelayanan", ...}: only the unsur the unit words itself.
    unsur_labels = models.JSONField(_("nama unsur menurut unit"), default=dict, blank=True)
    tabel1_order = models.JSONField(_("urutan baris Tabel 1"), default=list, blank=True)
    quarter_header = models.CharField(_("judul kolom triwulan"), max_length=60, blank=True, default="")
    quarter_labels = models.JSONField(_("nama keempat triwulan"), default=list, blank=True)
    tick = models.CharField(_("tanda centang"), max_length=2, choices=TICK_CHOICES, default=DEFAULT_LAYOUT.tick.value)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("tata letak laporan")
        verbose_name_plural = _("tata letak laporan")
        constraints = [
            _choice_known("matrix_scale", MATRIX_SCALE_CHOICES),
            _choice_known("bab3", BAB3_LAYOUT_CHOICES),
            _choice_known("numbering", ITEM_NUMBERING_CHOICES),
            _choice_known("interval", INTERVAL_FORM_CHOICES),
            _choice_known("tabel1_values", TABEL1_VALUES_CHOICES),
            _choice_known("tick", TICK_CHOICES),
        ]

    def __str__(self):
        return f"{self.unit} – {self._meta.verbose_name}"

    def as_layout(self) -> LhtlLayout:
        return layout_from_values({name: getattr(self, name) for name in LAYOUT_FIELDS})
