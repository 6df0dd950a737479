import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from skm.labels import period_label
from skm.rules.instrument import Instrument
from skm.rules.periods import parse_period_code
from skm.rules.rounds import RoundStatus
from skm.rules.unsur import UNSUR_CODES

from .answers import SKM_CODE, instrument_get, scores_unpack, skm_only


def validate_period_code(value: str) -> None:
    try:
        parse_period_code(value)
    except ValueError:
        raise ValidationError(
            _("Kode periode '%(value)s' tidak valid. Gunakan YYYY, YYYY-S1/S2 atau YYYY-TW1..TW4."),
            params={"value": value},
            code="invalid_period_code",
        ) from None


PATH_WIDTH = 8
PATH_STEP = PATH_WIDTH + 1


def path_segment(unit_id: int) -> str:
    return f"{unit_id:0{PATH_WIDTH}d}."


def unit_path_sync(*, unit: "Unit", stored: str, parent_path: str) -> None:
    """Store the unit's materialised path after a save and, if it moved, its
    descendants' (one UPDATE rewriting their common prefix). ``stored`` is the
    path the database held before the save and ``parent_path`` the parent's,
    both read from the database, never from a possibly stale instance."""
    new_path = parent_path + path_segment(unit.pk)
    if stored != new_path:
        Unit.objects.filter(pk=unit.pk).update(path=new_path)
        if stored:
            Unit.objects.filter(path__startswith=stored).exclude(pk=unit.pk).update(
                path=Concat(Value(new_path), Substr("path", len(stored) + 1))
            )
    unit.path = new_path


def unit_paths_rebuild() -> int:
    """Recompute every unit's materialised path from ``parent_id`` (after bulk
    inserts that bypass ``save``: benchmarks, a restore). Roots first, then each
    level; a unit caught in a parent cycle is left as it was. Returns the units updated."""
    rows = list(Unit.objects.values_list("id", "parent_id", "path"))
    children: dict[int | None, list[int]] = {}
    stored = {}
    for unit_id, parent_id, path in rows:
        children.setdefault(parent_id, []).append(unit_id)
        stored[unit_id] = path
    paths: dict[int, str] = {}
    frontier = [(unit_id, "") for unit_id in children.get(None, [])]
    while frontier:
        nxt = []
        for unit_id, parent_path in frontier:
            if unit_id in paths:
                continue
            paths[unit_id] = parent_path + path_segment(unit_id)
            nxt.extend((child, paths[unit_id]) for child in children.get(unit_id, []))
        frontier = nxt
    changed = [Unit(id=unit_id, path=path) for unit_id, path in paths.items() if stored[unit_id] != path]
    Unit.objects.bulk_update(changed, ["path"], batch_size=2000)
    return len(changed)


class Unit(models.Model):
    """A public-service unit; units form a tree (kota > kecamatan > kelurahan)."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("unit induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.SlugField(_("kode"), max_length=50, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    # Materialised path: the ids of the ancestors and of the unit itself, each
    # zero-padded to PATH_WIDTH digits and ended by "." ("00000001.00000042.").
    # A subtree is ``path__startswith=root.path`` (one indexed LIKE 'prefix%',
    # no id list); the depth is len(path) // PATH_STEP. Kept by ``save`` (and so
    # by the admin, the services and the factories); moving a unit rewrites its
    # descendants' paths in one UPDATE.
    path = models.CharField(_("jalur pohon"), max_length=255, db_index=True, editable=False, default="")
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    city = models.CharField(_("kota"), max_length=100, blank=True)
    phone = models.CharField(_("telepon"), max_length=60, blank=True)
    website = models.CharField(_("situs web"), max_length=200, blank=True)
    # Re-encoded PNG/JPEG (reports.services_profile); printed on the report covers.
    logo = models.FileField(_("logo"), upload_to="unit-logo/", blank=True, max_length=255)
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=150, blank=True)
    signatory_title = models.CharField(_("jabatan penanda tangan"), max_length=200, blank=True)
    signatory_rank = models.CharField(_("pangkat/golongan"), max_length=100, blank=True)
    signatory_nip = models.CharField(_("NIP"), max_length=30, blank=True)
    background_text = models.TextField(
        _("teks latar belakang (BAB I)"),
        blank=True,
        help_text=_("Kosongkan untuk memakai teks baku laporan."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    privacy_notice = models.TextField(
        _("pemberitahuan privasi"),
        blank=True,
        help_text=_(
            "Ditampilkan pada kuesioner. Sebutkan siapa pengumpul data, tujuan, lama penyimpanan dan kontak. "
            "Kosongkan untuk memakai teks baku nasional."
        ),
    )
    privacy_contact = models.CharField(
        _("kontak pelindungan data"),
        max_length=200,
        blank=True,
        help_text=_("Surel atau telepon untuk pertanyaan tentang data responden (dipakai teks baku)."),
    )
    allow_minors = models.BooleanField(
        _("terima responden di bawah 17 tahun"),
        default=False,
        help_text=_("Responden di bawah 17 tahun wajib mencentang persetujuan orang tua/wali."),
    )
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("unit layanan")
        verbose_name_plural = _("unit layanan")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from .services_standings import standings_mark_units

        with transaction.atomic():
            stored = parent_path = ""
            before = None
            if self.pk is not None:
                before = Unit.objects.filter(pk=self.pk).values_list("path", "code", "name").first()
                stored = before[0] if before else ""
            if self.parent_id:
                parent_path = Unit.objects.filter(pk=self.parent_id).values_list("path", flat=True).first() or ""
            if stored and parent_path.startswith(stored):
                raise ValidationError({"parent": _("Unit induk tidak boleh membentuk lingkaran.")})
            self.path = stored  # never write a stale path; unit_path_sync sets the right one
            super().save(*args, **kwargs)
            unit_path_sync(unit=self, stored=stored, parent_path=parent_path)
            if before is None or before != (self.path, self.code, self.name):
                # The league table keeps each unit's code, name and path (of the subtree, when moved).
                standings_mark_units(path=self.path, subtree=before is not None and before[0] != self.path)

    @property
    def depth(self) -> int:
        """1 for a root unit, 2 for its children, ..."""
        return len(self.path) // PATH_STEP

    def ancestors(self) -> list["Unit"]:
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def clean(self):
        if (self.pk and self.parent_id) and (
            self.parent_id == self.pk or any(a.pk == self.pk for a in self.parent.ancestors())
        ):
            raise ValidationError({"parent": _("Unit induk tidak boleh membentuk lingkaran.")})


class Service(models.Model):
    """Jenis layanan offered by a unit."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("nama jenis layanan"), max_length=200)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("jenis layanan")
        verbose_name_plural = _("jenis layanan")
        ordering = ["unit", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="service_unique_name_per_unit")]

    def __str__(self):
        return self.name


class Period(models.Model):
    class Kind(models.TextChoices):
        YEAR = "tahunan", _("Tahunan")
        SEMESTER = "semester", _("Semester")
        QUARTER = "triwulan", _("Triwulan")

    code = models.CharField(_("kode"), max_length=10, unique=True, validators=[validate_period_code])
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("periode")
        verbose_name_plural = _("periode")
        ordering = ["-start_date", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="period_dates_ordered"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language (Indonesian in reports, commands and stored texts)."""
        return period_label(self.code)

    @property
    def year(self) -> int:
        return int(self.code[:4])

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})


class ServicePopulation(models.Model):
    """Number of service users in the previous period, for Krejcie & Morgan."""

    service = models.ForeignKey(
        Service, verbose_name=_("jenis layanan"), on_delete=models.CASCADE, related_name="populations"
    )
    period = models.ForeignKey(Period, verbose_name=_("periode"), on_delete=models.CASCADE, related_name="populations")
    population = models.PositiveIntegerField(_("populasi (pengguna layanan periode sebelumnya)"))

    class Meta:
        verbose_name = _("populasi layanan")
        verbose_name_plural = _("populasi layanan")
        constraints = [models.UniqueConstraint(fields=["service", "period"], name="population_unique_service_period")]

    def __str__(self):
        return f"{self.service} {self.period}: {self.population}"


def _actor_field(verbose_name) -> models.ForeignKey:
    """Who took a step: kept as a name-less NULL when the user is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class SurveyRound(models.Model):
    """One unit's survey in one period: the unit's own state, apart from the
    calendar period. Collection, results, the RTL, the reports and publication
    hang off it. Steps are taken only through ``surveys.services.round_*``."""

    class Status(models.TextChoices):
        DRAFT = RoundStatus.DRAFT.value, _("Draf")
        OPEN = RoundStatus.OPEN.value, _("Dibuka")
        CLOSED = RoundStatus.CLOSED.value, _("Ditutup")
        PUBLISHED = RoundStatus.PUBLISHED.value, _("Dipublikasikan")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="rounds")
    period = models.ForeignKey(Period, verbose_name=_("periode"), on_delete=models.PROTECT, related_name="rounds")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    created_by = _actor_field(_("dibuat oleh"))
    opened_at = models.DateTimeField(_("dibuka pada"), null=True, blank=True)
    opened_by = _actor_field(_("dibuka oleh"))
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    closed_by = _actor_field(_("ditutup oleh"))
    published_at = models.DateTimeField(_("dipublikasikan pada"), null=True, blank=True)
    published_by = _actor_field(_("dipublikasikan oleh"))
    # The report's own date and place (cover year, signature, schedule); empty
    # means the day the round was closed and the unit's city.
    report_date = models.DateField(_("tanggal laporan"), null=True, blank=True)
    report_place = models.CharField(_("tempat laporan"), max_length=100, blank=True)
    # The round's own collection window inside the period (seed 002: "01 Oktober s.d 17 November
    # 2023"); both empty means the whole period.
    collection_start = models.DateField(_("awal pengumpulan data"), null=True, blank=True)
    collection_end = models.DateField(_("akhir pengumpulan data"), null=True, blank=True)
    # Tabel II.1 (Jadwal Pelaksanaan) as the unit wrote it: [{"activity", "start", "end"}] with ISO
    # dates; an empty list prints the rows prefilled from the round's dates.
    schedule = models.JSONField(_("jadwal pelaksanaan"), default=list, blank=True)
    # The instruments the round asks, by code, the SKM first (issue 20 point 5): the
    # SKM always, the Zona Integritas surveys (SPKP, SPAK) when the unit adds them.
    instruments = models.JSONField(_("instrumen"), default=skm_only, db_default=[SKM_CODE])
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("putaran survei")
        verbose_name_plural = _("putaran survei")
        ordering = ["unit__name", "-period__start_date"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="round_unique_unit_period"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in RoundStatus]), name="round_status_valid"),
            models.CheckConstraint(
                condition=Q(collection_start__isnull=True, collection_end__isnull=True)
                | Q(
                    collection_start__isnull=False,
                    collection_end__isnull=False,
                    collection_start__lte=models.F("collection_end"),
                ),
                name="round_collection_window_valid",
            ),
        ]

    def __str__(self):
        return f"{self.unit} – {self.period}"

    @property
    def instrument_codes(self) -> tuple[str, ...]:
        """The codes of the instruments asked, the SKM first."""
        others = [c for c in (self.instruments or ()) if c != SKM_CODE]
        return (SKM_CODE, *others)

    @property
    def other_instruments(self) -> tuple[Instrument, ...]:
        """The instruments asked besides the SKM (SPKP, SPAK), in the round's order."""
        return tuple(instrument_get(code) for code in self.instrument_codes[1:])

    def clean(self):
        super().clean()
        start, end = self.collection_start, self.collection_end
        if start is None and end is None:
            return
        if start is None or end is None:
            raise ValidationError(
                {
                    "collection_start" if start is None else "collection_end": _(
                        "Isi awal dan akhir pengumpulan data, atau kosongkan keduanya untuk memakai seluruh periode."
                    )
                },
                code="collection_window_incomplete",
            )
        if end < start:
            raise ValidationError(
                {"collection_end": _("Akhir pengumpulan data tidak boleh sebelum awalnya.")},
                code="collection_window_order",
            )
        period = self.period if self.period_id else None
        if period is not None and not (period.start_date <= start and end <= period.end_date):
            raise ValidationError(
                {
                    "collection_start" if start < period.start_date else "collection_end": _(
                        "Jendela pengumpulan data harus di dalam periode %(period)s (%(start)s – %(end)s)."
                    )
                    % {
                        "period": period.label,
                        "start": formats.date_format(period.start_date, "j F Y"),
                        "end": formats.date_format(period.end_date, "j F Y"),
                    }
                },
                code="collection_window_outside",
            )

    @property
    def collection_window(self) -> tuple[dt.date, dt.date]:
        """The days the round collected answers: its own window, else the period's dates."""
        if self.collection_start and self.collection_end:
            return self.collection_start, self.collection_end
        return self.period.start_date, self.period.end_date

    @property
    def state(self) -> RoundStatus:
        return RoundStatus(self.status)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def effective_report_date(self):
        """The report date as printed: the one set, else the close date, else None."""
        if self.report_date:
            return self.report_date
        return timezone.localdate(self.closed_at) if self.closed_at else None


class RoundPublication(models.Model):
    """A frozen, dated record of a round's result as published. Re-publishing
    after a correction adds the next version; earlier versions stay visible.

    ``snapshot`` holds exact integers (sums, answered counts, the 1-4
    distribution per unsur, per jenis layanan) so every printed figure is
    derived again from the same exact values; never edited after insert."""

    round = models.ForeignKey(
        SurveyRound, verbose_name=_("putaran survei"), on_delete=models.PROTECT, related_name="publications"
    )
    version = models.PositiveIntegerField(_("versi"))
    published_at = models.DateTimeField(_("dipublikasikan pada"))
    published_by = _actor_field(_("dipublikasikan oleh"))
    report_date = models.DateField(_("tanggal laporan"))
    weight_mode = models.CharField(_("mode bobot"), max_length=5)
    respondents = models.PositiveIntegerField(_("jumlah responden"))
    ikm = models.DecimalField(_("IKM"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("mutu"), max_length=1, blank=True)
    note = models.TextField(_("catatan perubahan"), blank=True)
    snapshot = models.JSONField(_("hasil yang dibekukan"))

    class Meta:
        verbose_name = _("publikasi hasil")
        verbose_name_plural = _("publikasi hasil")
        ordering = ["round", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["round", "version"], name="publication_unique_round_version"),
        ]

    def __str__(self):
        return f"{self.round} v{self.version}"


class UnsurWording(models.Model):
    """A unit's own wording of one unsur; codes and scores never change."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="wordings")
    code = models.CharField(_("kode unsur"), max_length=2, choices=[(c, c) for c in UNSUR_CODES])
    question = models.TextField(_("pertanyaan"))
    label_1 = models.CharField(_("jawaban a (nilai 1)"), max_length=100)
    label_2 = models.CharField(_("jawaban b (nilai 2)"), max_length=100)
    label_3 = models.CharField(_("jawaban c (nilai 3)"), max_length=100)
    label_4 = models.CharField(_("jawaban d (nilai 4)"), max_length=100)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("redaksi unsur")
        verbose_name_plural = _("redaksi unsur")
        ordering = ["unit", "code"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="wording_unique_code_per_unit")]

    def __str__(self):
        return f"{self.unit} {self.code}"


class ImportBatch(models.Model):
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="imports")
    period = models.ForeignKey(Period, verbose_name=_("periode"), on_delete=models.PROTECT, related_name="imports")
    filename = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(_("sidik SHA-256"), max_length=64, db_index=True)
    rows = models.PositiveIntegerField(_("jumlah baris"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("waktu impor"), auto_now_add=True)
    # Undoing a batch soft-deletes its rows; see surveys.services.import_batch_undo.
    undone_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibatalkan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undo_reason = models.TextField(_("alasan pembatalan"), blank=True)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))
    # A deliberate re-import of the same file ("impor ulang" / --force). Only
    # unforced live (not undone) batches are unique per (unit, period, sha256):
    # the constraint is what makes two simultaneous imports of one file store it once.
    forced = models.BooleanField(_("impor ulang"), default=False)

    class Meta:
        verbose_name = _("impor")
        verbose_name_plural = _("impor")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "sha256"],
                condition=Q(forced=False, undone_at__isnull=True),
                name="importbatch_unique_file",
            )
        ]

    def __str__(self):
        return f"{self.filename} ({self.rows})"


def import_upload_to(instance, filename: str) -> str:
    # The stored name never comes from the user; the original is kept in ``filename``.
    return f"imports/{instance.unit_id}/{uuid.uuid4().hex}.upload"


class ImportJob(models.Model):
    """One uploaded file waiting for, or going through, the import worker.

    The upload is stored, then validated and written by the Celery task
    (``surveys.tasks.run_import_job``) with the same all-or-nothing service as
    the ``skm_import`` command. The stored upload is deleted once the job ends."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        RUNNING = "running", _("Sedang diproses")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="import_jobs")
    period = models.ForeignKey(Period, verbose_name=_("periode"), on_delete=models.CASCADE, related_name="import_jobs")
    filename = models.CharField(_("nama berkas"), max_length=255)
    upload = models.FileField(_("berkas unggahan"), upload_to=import_upload_to, blank=True, max_length=255)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"), default=0)
    create_services = models.BooleanField(_("buat jenis layanan baru"), default=False)
    force = models.BooleanField(_("impor ulang"), default=False)
    # The instrument whose item codes the file's answer columns are (the SKM: U1..U9).
    instrument = models.CharField(_("instrumen"), max_length=16, default=SKM_CODE, db_default=SKM_CODE)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diminta oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_jobs",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    percent = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    message = models.CharField(_("pesan"), max_length=200, blank=True)
    # Indonesian messages of the file check (row and column), as in skm_import.
    errors = models.JSONField(_("kesalahan"), default=list, blank=True)
    warnings = models.JSONField(_("peringatan"), default=list, blank=True)
    # The same messages as msgids and parameters (surveys.translatable.to_data),
    # so the job page shows them in the reader's language.
    error_data = models.JSONField(_("kesalahan (msgid)"), default=list, blank=True)
    warning_data = models.JSONField(_("peringatan (msgid)"), default=list, blank=True)
    created_services = models.JSONField(_("jenis layanan baru"), default=list, blank=True)
    batch = models.ForeignKey(
        ImportBatch, verbose_name=_("impor"), null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    # Incremented on every enqueue; a message carries the attempt it was sent for,
    # so a redelivered message never runs a job twice (as reports.ExportJob).
    attempt = models.PositiveIntegerField(_("percobaan ke"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    queued_at = models.DateTimeField(_("masuk antrean"), default=timezone.now)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("tugas impor")
        verbose_name_plural = _("tugas impor")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.filename} — {self.unit} {self.period.code}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class ActiveResponseManager(models.Manager):
    """The default manager: soft-deleted responses are left out of every read."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class AllResponsesManager(models.Manager):
    """Every response, soft-deleted ones included (audit, restore, admin)."""


class Response(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        PAPER = "kertas", _("Kertas")
        IMPORT = "impor", _("Impor")

    class Gender(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    class Education(models.TextChoices):
        SD = "SD", _("SD")
        SMP = "SMP", _("SMP")
        SMA = "SMA", _("SMA")
        DIPLOMA = "DIPLOMA", _("Diploma (D1-D4)")
        STRATA = "STRATA", _("Strata (S1-S3)")
        OTHER = "LAINNYA", _("Lainnya")

    class Occupation(models.TextChoices):
        STUDENT = "PELAJAR", _("Pelajar/Mahasiswa")
        EMPLOYEE = "SWASTA", _("Karyawan")
        CIVIL = "PNS", _("PNS/TNI/POLRI")
        ENTREPRENEUR = "WIRAUSAHA", _("Wiraswasta")
        LABOURER = "BURUH", _("Buruh")
        OTHER = "LAINNYA", _("Lainnya")

    class Disability(models.TextChoices):
        # The categories of UU 8/2016 as provincial aggregators collect them.
        NONE = "TIDAK", _("Tidak ada")
        PHYSICAL = "FISIK", _("Fisik")
        INTELLECTUAL = "INTELEKTUAL", _("Intelektual")
        MENTAL = "MENTAL", _("Mental")
        SENSORY = "SENSORIK", _("Sensorik")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="responses")
    period = models.ForeignKey(Period, verbose_name=_("periode"), on_delete=models.PROTECT, related_name="responses")
    service = models.ForeignKey(
        Service,
        verbose_name=_("jenis layanan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responses",
    )
    channel = models.CharField(_("kanal"), max_length=6, choices=Channel.choices)
    number = models.PositiveIntegerField(_("nomor responden"), null=True, blank=True)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices, blank=True)
    age = models.PositiveSmallIntegerField(
        _("usia"), null=True, blank=True, validators=[MinValueValidator(10), MaxValueValidator(120)]
    )
    education = models.CharField(_("pendidikan"), max_length=10, choices=Education.choices, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=10, choices=Occupation.choices, blank=True)
    disability = models.CharField(_("disabilitas"), max_length=12, choices=Disability.choices, blank=True)
    guardian_consent = models.BooleanField(_("persetujuan orang tua/wali"), default=False, db_default=False)
    suggestion = models.TextField(_("saran"), blank=True)
    # The answers per instrument, {"<instrument code>": [score or null per item, in the
    # instrument's item order]} (``surveys.answers``): any instrument's items in the row
    # itself, so the web POST stays one INSERT. The tallies (ItemTally) are kept from it.
    scores = models.JSONField(_("jawaban"), default=dict, blank=True, db_default={})
    submitted_at = models.DateTimeField(_("waktu pengisian"), db_index=True)
    service_date = models.DateField(_("tanggal layanan"), null=True, blank=True)
    client_token = models.UUIDField(
        _("token formulir"),
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text=_("Token sekali pakai; mencegah pengiriman ganda."),
    )
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.CASCADE, related_name="responses"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # Soft delete: a deleted row stays for the audit trail but is left out of
    # every result (the default manager filters it); ``all_objects`` sees it.
    deleted_at = models.DateTimeField(_("dihapus pada"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dihapus oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The answers to the unit's extra questions (ExtraQuestion), {"<question id>": value}: a label
    # (single choice), a list of labels (several), text, a number or an ISO date. In the row itself so
    # the web POST stays one INSERT and the exports read them in the same pass; never part of an index.
    extra = models.JSONField(_("pertanyaan tambahan"), default=dict, blank=True, db_default={})
    # db_default: rows written by COPY or raw SQL (import, benchmarks) name no soft-delete column.
    delete_reason = models.TextField(_("alasan penghapusan"), blank=True, default="", db_default="")

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    objects = ActiveResponseManager()
    all_objects = AllResponsesManager()

    class Meta:
        verbose_name = _("jawaban responden")
        verbose_name_plural = _("jawaban responden")
        ordering = ["submitted_at", "id"]
        base_manager_name = "all_objects"
        indexes = [models.Index(fields=["unit", "period", "service"], name="response_unit_period_idx")]

    def __str__(self):
        return f"{self.unit} {self.period} #{self.number or self.pk}"

    def answers(self, instrument: str = SKM_CODE) -> dict[str, int | None]:
        """{item code: score or None} of one instrument (blanks as None)."""
        return scores_unpack(scores=self.scores, instrument=instrument)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_editable_channel(self) -> bool:
        """Paper and imported rows may be corrected; a web answer is the respondent's own."""
        return self.channel in (self.Channel.PAPER, self.Channel.IMPORT)


class ExtraQuestion(models.Model):
    """A unit's own question asked after the nine unsur (issue 20 item 3).
    Never part of an index; its answers live in ``Response.extra`` under the
    question's id. Written only through ``surveys.services_extra``."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Pilihan tunggal")
        MULTIPLE = "multiple", _("Pilihan ganda (boleh lebih dari satu)")
        TEXT = "text", _("Teks singkat")
        NUMBER = "number", _("Angka")
        DATE = "date", _("Tanggal")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="extra_questions")
    # T1, T2, ... given once per unit and never reused: the import column and export header.
    code = models.CharField(_("kode"), max_length=5)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    text = models.CharField(_("pertanyaan"), max_length=300)
    text_en = models.CharField(_("pertanyaan (bahasa Inggris)"), max_length=300, blank=True)
    kind = models.CharField(_("jenis jawaban"), max_length=10, choices=Kind.choices)
    choices = models.JSONField(_("pilihan jawaban"), default=list, blank=True)
    required = models.BooleanField(_("wajib dijawab"), default=False)
    active = models.BooleanField(_("aktif"), default=True)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("pertanyaan tambahan")
        verbose_name_plural = _("pertanyaan tambahan")
        ordering = ["unit", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="extraquestion_unique_code")]

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def key(self) -> str:
        """The key of its answer in ``Response.extra``."""
        return str(self.pk)

    @property
    def field(self) -> str:
        """The form field name of its answer."""
        return f"t{self.pk}"

    @property
    def has_choices(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)


class UnitRole(models.Model):
    """A user's role on a unit. Admins are superusers and need no row."""

    class Role(models.TextChoices):
        STAFF = "staf", _("Staf unit (mengelola unit ini)")
        SUPERVISOR = "supervisor", _("Supervisor (baca saja, unit ini dan turunannya)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="unit_roles"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("peran pengguna")
        verbose_name_plural = _("peran pengguna")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unitrole_unique")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class RetentionRun(models.Model):
    """One run of the retention clean-up (UU 27/2022): who ran it and what it erased."""

    ran_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    actor = models.CharField(_("dijalankan oleh"), max_length=150, help_text=_("Nama pengguna, atau 'system'."))
    months = models.PositiveSmallIntegerField(_("masa simpan (bulan)"))
    cutoff = models.DateField(_("periode berakhir sebelum"))
    periods = models.TextField(_("periode"), blank=True)
    responses = models.PositiveIntegerField(_("jawaban yang dihapus data pribadinya"))

    class Meta:
        verbose_name = _("penghapusan data pribadi")
        verbose_name_plural = _("penghapusan data pribadi")
        ordering = ["-ran_at"]

    def __str__(self):
        return f"{self.ran_at:%Y-%m-%d %H:%M} {self.actor}: {self.responses}"


class SubmissionThrottle(models.Model):
    """Per-client submission counter kept in the database, so limits hold across
    gunicorn workers without needing Redis (the questionnaire never depends on it)."""

    client_key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client_key", "window_start"], name="throttle_unique_window")]

    def __str__(self):
        return f"{self.client_key[:8]}… {self.window_start:%Y-%m-%d %H:%M} ({self.count})"


class EarlierIkm(models.Model):
    """An IKM of a period before the system, entered by the unit from its own
    earlier report, so the trend shows those years. A period with responses in
    the system uses the computed value, never this one."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="earlier_ikm")
    period = models.ForeignKey(Period, verbose_name=_("periode"), on_delete=models.PROTECT, related_name="earlier_ikm")
    ikm = models.DecimalField(
        _("IKM"), max_digits=5, decimal_places=2, validators=[MinValueValidator(25), MaxValueValidator(100)]
    )
    weight_mode = models.CharField(_("bobot"), max_length=5)
    respondents = models.PositiveIntegerField(_("jumlah responden"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dimasukkan oleh"), null=True, blank=True, on_delete=models.SET_NULL
    )
    entered_at = models.DateTimeField(_("dimasukkan pada"), auto_now=True)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("IKM periode sebelumnya (dimasukkan manual)")
        verbose_name_plural = _("IKM periode sebelumnya (dimasukkan manual)")
        ordering = ["unit", "period__start_date"]
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="earlier_ikm_unique_unit_period")]

    def __str__(self):
        return f"{self.unit} – {self.period}: {self.ikm}"


TALLY_SCORES = (1, 2, 3, 4)  # the SKM's scale
MAX_POINTS = 10  # the widest scale an instrument may have (skm.rules.instrument.MAX_POINTS)
RESPONDENTS_ITEM = 0  # the ItemTally row counting an instrument's respondents


class ItemTally(models.Model):
    """Exact running totals of a unit's live (not soft-deleted) responses in one
    period, per jenis layanan (``service_key`` 0: no jenis layanan), instrument
    and item: ``item`` is the item's position (1-based) in the instrument, with
    ``total`` (sum of the answers), ``answered`` and ``n1``..``n10`` (the counts
    per point); the row with ``item`` 0 counts the instrument's respondents in
    ``answered``. Kept in the same transaction as every write to the responses
    (``surveys.services_tallies``), so results and publication read a few rows
    instead of scanning the responses."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # service_id, or 0 for none: a NOT NULL key makes ON CONFLICT work on every backend.
    service_key = models.PositiveIntegerField(default=0)
    instrument = models.CharField(max_length=16)
    item = models.PositiveSmallIntegerField()
    answered = models.IntegerField(default=0)
    total = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "service_key", "instrument", "item"], name="itemtally_unique_key"
            ),
        ]
        indexes = [models.Index(fields=["period", "instrument", "item"], name="itemtally_period_idx")]

    def __str__(self):
        return f"{self.unit_id}/{self.period_id}/{self.service_key}/{self.instrument}#{self.item}: {self.answered}"


for _point in range(1, MAX_POINTS + 1):
    ItemTally.add_to_class(f"n{_point}", models.IntegerField(default=0))

TALLY_COUNT_COLUMNS = tuple(f"n{p}" for p in range(1, MAX_POINTS + 1))


class ProfileTally(models.Model):
    """How many live responses of a unit in one period, per jenis layanan
    (``service_key`` 0: none), have each value of each profile question:
    ``dimension`` is gender, age (``value`` the AGE_BANDS index), education,
    occupation or disability, ``value`` the stored code ('' when not filled in).
    Kept with the answer tallies in the same transaction as every write
    (``surveys.services_tallies``), so the results page reads a few dozen rows
    instead of grouping every response."""

    class Dimension(models.TextChoices):
        GENDER = "gender", _("Jenis Kelamin")
        AGE = "age", _("Usia")
        EDUCATION = "education", _("Pendidikan")
        OCCUPATION = "occupation", _("Pekerjaan")
        DISABILITY = "disability", _("Disabilitas")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    service_key = models.PositiveIntegerField(default=0)
    dimension = models.CharField(max_length=12, choices=Dimension.choices)
    value = models.CharField(max_length=12, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "service_key", "dimension", "value"], name="profiletally_unique_key"
            ),
        ]

    def __str__(self):
        return f"{self.unit_id}/{self.period_id}/{self.service_key}/{self.dimension}={self.value!r}: {self.n}"


class Standing(models.Model):
    """A unit's row in the league table of one period and instrument: its
    respondents and its index x 100 rounded half-up (per weight mode for the
    SKM; other instruments fill ``index100_exact`` with their own weights),
    computed from the unit's ``ItemTally`` rows summed over its jenis layanan.

    Kept up to date by ``surveys.services_standings``: every tally write marks
    (unit, period) in ``StandingStale`` in its own transaction, and the stale
    rows are recomputed before the comparison reads the table (and every minute
    by the beat), so a ranking never recomputes the whole subtree per request.
    ``skm_rebuild`` recomputes it from the raw rows."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    instrument = models.CharField(max_length=16)
    respondents = models.IntegerField(default=0)
    index100_exact = models.IntegerField(null=True, blank=True)
    index100_w0111 = models.IntegerField(null=True, blank=True)
    index100_w011 = models.IntegerField(null=True, blank=True)
    # The unit's code, name, tree path and lower-cased name as of the last refresh
    # (a change of the unit marks it stale): the ranking filters and orders this
    # table alone. ``name_key`` has the "C" collation on PostgreSQL (migration 0022),
    # so it sorts in code-point order as Python does, whatever the database's locale.
    unit_code = models.CharField(max_length=50, default="")
    unit_name = models.CharField(max_length=200, default="")
    unit_path = models.CharField(max_length=255, default="")
    name_key = models.CharField(max_length=200, default="")
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "instrument"], name="standing_unique_key"),
        ]
        # PostgreSQL also has one ranking index per weight mode (period, instrument,
        # index DESC NULLS LAST, name_key, unit), made by migration 0022: SQLite
        # accepts no NULLS clause in an index, and its few units need none.

    def __str__(self):
        return f"{self.unit_id}/{self.period_id}/{self.instrument}: {self.index100_exact}"


class StandingStale(models.Model):
    """(unit, period) whose tallies changed since its ``Standing`` rows were
    computed. Written (upserted, so it locks the row) in the same transaction as
    the tally change; deleted by the refresh that recomputes the rows."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    touched_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="standingstale_unique_key")]

    def __str__(self):
        return f"{self.unit_id}/{self.period_id}"


class NotificationKind(models.TextChoices):
    """The e-mail notifications a user can receive; each can be turned off."""

    ROUND_CLOSED = "round_closed", _("Putaran survei ditutup dan menunggu publikasi")
    PERIOD_ENDING = "period_ending", _("Periode berakhir dalam 7 hari dan putaran survei masih dibuka")
    RTL_OVERDUE = "rtl_overdue", _("Ringkasan mingguan kegiatan RTL yang terlambat")
    EXPORT_FAILED = "export_failed", _("Tugas ekspor yang gagal")
    WEBHOOK_PAUSED = "webhook_paused", _("Webhook yang dijeda karena gagal selama sehari")


class NotificationOptOut(models.Model):
    """A user turned one kind of notification off; no row means on (the default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="notification_opt_outs",
    )
    kind = models.CharField(_("jenis pemberitahuan"), max_length=20, choices=NotificationKind.choices)
    created_at = models.DateTimeField(_("dimatikan pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("pemberitahuan yang dimatikan")
        verbose_name_plural = _("pemberitahuan yang dimatikan")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_optout_unique")]

    def __str__(self):
        return f"{self.user} – {self.kind}"


class NotificationLog(models.Model):
    """One notification e-mail for one event and one recipient: the unique key
    (kind, recipient, key) makes every event send at most once, whoever runs the
    scan and however often. ``claimed_until`` is the lease of the sender that is
    sending it now (no transaction is held open across SMTP); ``sent_at`` is set
    once the mail server accepted it."""

    kind = models.CharField(_("jenis pemberitahuan"), max_length=20, choices=NotificationKind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("penerima"),
        on_delete=models.CASCADE,
        related_name="notification_logs",
    )
    # The event: e.g. "round:12:closed:2025-01-10T09:00:00+00:00", "week:2025-W02", "export:7:2".
    key = models.CharField(_("kunci peristiwa"), max_length=120)
    email = models.CharField(_("alamat surel"), max_length=254, blank=True)
    subject = models.CharField(_("subjek"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    claimed_until = models.DateTimeField(_("sedang dikirim sampai"), null=True, blank=True)
    sent_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)

    class Meta:
        verbose_name = _("catatan pemberitahuan")
        verbose_name_plural = _("catatan pemberitahuan")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "recipient", "key"], name="notification_log_unique_event"),
        ]

    def __str__(self):
        return f"{self.kind} {self.key} → {self.recipient}"


class PracticeResponse(models.Model):
    """An answer staff gave in the questionnaire's test mode (``/unit/<unit>/
    pratinjau/uji/``). Kept apart from ``Response`` on purpose: no result, tally,
    export, publication, open data or import check reads this table, so a test
    answer is out of every figure by construction, not by a filter each query
    must remember. Deleted in bulk by ``practice_response_clear``."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(
        Period, verbose_name=_("periode"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service = models.ForeignKey(
        Service, verbose_name=_("jenis layanan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Response.Gender.choices, blank=True)
    age = models.PositiveSmallIntegerField(_("usia"), null=True, blank=True)
    education = models.CharField(_("pendidikan"), max_length=10, choices=Response.Education.choices, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=10, choices=Response.Occupation.choices, blank=True)
    disability = models.CharField(_("disabilitas"), max_length=12, choices=Response.Disability.choices, blank=True)
    guardian_consent = models.BooleanField(_("persetujuan orang tua/wali"), default=False)
    suggestion = models.TextField(_("saran"), blank=True)
    # The answers per instrument, {"<instrument code>": [score or null per item, in the
    # instrument's item order]} (``surveys.answers``): any instrument's items in the row
    # itself, so the web POST stays one INSERT. The tallies (ItemTally) are kept from it.
    scores = models.JSONField(_("jawaban"), default=dict, blank=True, db_default={})
    submitted_at = models.DateTimeField(_("waktu pengisian"))
    created_by = _actor_field(_("diisi oleh"))
    # The form's one-time token: a reloaded or double-clicked test POST is kept once.
    client_token = models.UUIDField(_("token formulir"), unique=True, editable=False)

    class Meta:
        verbose_name = _("jawaban uji")
        verbose_name_plural = _("jawaban uji")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["unit", "-submitted_at"], name="practice_unit_time_idx")]

    def __str__(self):
        return f"{self.unit_id} uji #{self.pk}"

    def answers(self, instrument: str = SKM_CODE) -> dict[str, int | None]:
        """{item code: score or None} of one instrument (blanks as None)."""
        return scores_unpack(scores=self.scores, instrument=instrument)


class PracticeClear(models.Model):
    """Who deleted a unit's test answers, when, and how many (the deletion's trace)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    cleared_at = models.DateTimeField(_("dihapus pada"))
    cleared_by = _actor_field(_("dihapus oleh"))
    count = models.PositiveIntegerField(_("jumlah jawaban uji"))

    class Meta:
        verbose_name = _("penghapusan jawaban uji")
        verbose_name_plural = _("penghapusan jawaban uji")
        ordering = ["-cleared_at", "-id"]

    def __str__(self):
        return f"{self.unit_id} uji -{self.count}"


class WebhookEvent(models.TextChoices):
    """The events a webhook endpoint can subscribe to (the ``event`` of the payload)."""

    ROUND_PUBLISHED = "round.published", _("Putaran survei dipublikasikan (dengan hasil yang dibekukan)")
    ROUND_CLOSED = "round.closed", _("Putaran survei ditutup")
    RESPONSES_RECEIVED = "responses.received", _("Jawaban baru diterima (dikumpulkan, paling sering semenit sekali)")
    RTL_ITEM_OVERDUE = "rtl.item_overdue", _("Kegiatan RTL terlambat")
    RTL_PLAN_FINALISED = "rtl.plan_finalised", _("RTL difinalkan")


class WebhookEndpoint(models.Model):
    """An HTTPS address of a unit's that receives signed calls for the chosen
    events. ``include_subtree`` (set by an admin) also sends the events of every
    unit under it. ``secret`` signs the calls; it is stored as is because it
    must be read back to sign (see README, Webhooks). An endpoint whose calls
    have failed without a success since ``failing_since`` for a day is paused
    (``paused_at``) and its owner (``created_by``) e-mailed."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="webhook_endpoints")
    include_subtree = models.BooleanField(_("termasuk unit di bawahnya"), default=False)
    url = models.URLField(_("alamat (URL)"), max_length=500)
    events = models.JSONField(_("peristiwa"), default=list)
    secret = models.CharField(_("rahasia penanda tangan"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pemilik"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webhook_endpoints",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    secret_rotated_at = models.DateTimeField(_("rahasia diganti pada"), null=True, blank=True)
    paused_at = models.DateTimeField(_("dijeda pada"), null=True, blank=True)
    pause_reason = models.CharField(_("alasan jeda"), max_length=200, blank=True)
    failing_since = models.DateTimeField(_("gagal sejak"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhook")
        ordering = ["unit__name", "id"]

    def __str__(self):
        return f"{self.unit_id}: {self.url}"

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class WebhookDelivery(models.Model):
    """One event for one endpoint. ``key`` names the event (unique per endpoint,
    so recording it twice sends it once); ``uuid`` is the delivery id the
    receiver uses against replays (a resend is a new delivery with a new id).
    A sender claims the row by a conditional UPDATE (``claimed_until``, a lease)
    and no transaction is held across the HTTP call."""

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu")
        SUCCEEDED = "succeeded", _("terkirim")
        FAILED = "failed", _("gagal")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    uuid = models.UUIDField(_("id kiriman"), default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("peristiwa"), max_length=30, choices=WebhookEvent.choices)
    key = models.CharField(_("kunci peristiwa"), max_length=150)
    payload = models.JSONField(_("isi"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True, db_index=True)
    claimed_until = models.DateTimeField(_("sedang dikirim sampai"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("terkirim pada"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("kode status terakhir"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    resent_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("kiriman webhook")
        verbose_name_plural = _("kiriman webhook")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "key"], name="webhook_delivery_unique_event")]

    def __str__(self):
        return f"{self.event} {self.key} → {self.endpoint_id}"


class WebhookAttempt(models.Model):
    """One HTTP call of a delivery: what came back and how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField(_("percobaan ke"))
    started_at = models.DateTimeField(_("mulai"))
    duration_ms = models.PositiveIntegerField(_("durasi (ms)"), default=0)
    status_code = models.PositiveSmallIntegerField(_("kode status"), null=True, blank=True)
    error = models.CharField(_("galat"), max_length=500, blank=True)
    response_body = models.CharField(_("awal jawaban penerima"), max_length=500, blank=True)

    class Meta:
        ordering = ["delivery_id", "number", "id"]

    def __str__(self):
        return f"{self.delivery_id}#{self.number}: {self.status_code or self.error}"


class WebhookResponseCursor(models.Model):
    """Batching of "responses received": the last response reported for a unit
    and when, so a unit gets at most one call a minute."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="+")
    last_response_id = models.BigIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.unit_id}: {self.last_response_id}"


def validate_questionnaire_language_code(value: str) -> None:
    """The model's guard; ``surveys.services_languages`` explains each refusal in full."""
    from .languages import code_problem

    if code_problem(value) is not None:
        raise ValidationError(
            _("Kode bahasa '%(value)s' tidak sah."), params={"value": value}, code="questionnaire_language_code"
        )


class QuestionnaireLanguage(models.Model):
    """A further language of the questionnaire texts (issue 20 point 6), added by an
    admin: Basa Jawa ("jv"), Basa Sunda ("su"), ... Bahasa Indonesia and English are
    built in and never rows here. Written only through ``surveys.services_languages``."""

    code = models.CharField(
        _("kode bahasa"), max_length=12, unique=True, validators=[validate_questionnaire_language_code]
    )
    name = models.CharField(_("nama bahasa"), max_length=60)  # as respondents read it: "Basa Jawa"
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("bahasa kuesioner")
        verbose_name_plural = _("bahasa kuesioner")
        ordering = ["name", "code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class QuestionnaireText(models.Model):
    """One questionnaire text in a further language, found by its stable ``key``
    (``surveys.languages``). ``source`` is the Indonesian text it translates: the
    questionnaire shows it only while that is still the Indonesian wording."""

    language = models.ForeignKey(
        QuestionnaireLanguage, verbose_name=_("bahasa"), on_delete=models.CASCADE, related_name="texts"
    )
    key = models.CharField(_("kunci"), max_length=100)
    # Set for an extra question's texts: they go with the question.
    question = models.ForeignKey(
        ExtraQuestion,
        verbose_name=_("pertanyaan tambahan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.TextField(_("teks bahasa Indonesia"))
    text = models.TextField(_("terjemahan"))
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("teks kuesioner")
        verbose_name_plural = _("teks kuesioner")
        ordering = ["language", "key"]
        constraints = [models.UniqueConstraint(fields=["language", "key"], name="questionnairetext_unique_key")]

    def __str__(self):
        return f"{self.language_id} {self.key}"


class UnitInstrument(models.Model):
    """A unit's own copy of a Zona Integritas template (SPKP, SPAK): its name,
    its statements in the unit's wording and its weights (issue 20 point 2). It
    is built into an instrument by ``surveys.answers.instrument_get`` under its
    own ``code``, so a round, its answers, tallies and publications name the copy.
    Editable until the first answer; after that it is a fixed record (a change
    would alter published figures), and the unit makes a new copy instead."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="own_instruments")
    base = models.CharField(_("templat"), max_length=16)
    code = models.CharField(_("kode"), max_length=16, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    # {item code: statement in Indonesian}; an item not named keeps the template's wording.
    texts = models.JSONField(_("pernyataan"), default=dict, blank=True)
    # English of the unit's own name and changed statements ({item code: statement});
    # where it is missing, English readers see the Indonesian wording.
    name_en = models.CharField(_("nama (bahasa Inggris)"), max_length=200, blank=True, default="")
    texts_en = models.JSONField(_("pernyataan (bahasa Inggris)"), default=dict, blank=True)
    # [] for equal weights, else one exact fraction per item ("1/4"), summing to 1.
    weights = models.JSONField(_("bobot"), default=list, blank=True)
    updated_by = _actor_field(_("diubah oleh"))
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("instrumen unit")
        verbose_name_plural = _("instrumen unit")
        ordering = ["unit", "code"]

    def __str__(self):
        return f"{self.code} ({self.unit_id})"
