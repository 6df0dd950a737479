"""Rencana Tindak Lanjut (RTL): the plan (BAB II), its realisation (BAB III)
and the audit trail, as the Laporan Hasil Tindak Lanjut seeds report them."""

import uuid
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from skm.rules import progress
from skm.rules.ikm import WeightMode, band_for, converted_value, nrr_of, round_half_up
from skm.rules.unsur import DEFAULT_BY_CODE
from surveys.answers import SKM_CODE, instrument_get
from surveys.models import Period, Unit


class Plan(models.Model):
    """One RTL per unit and survey period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        FINAL = "final", _("Final")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="rtl_plans")
    period = models.ForeignKey(
        Period, verbose_name=_("periode survei"), on_delete=models.PROTECT, related_name="rtl_plans"
    )
    lowest_n = models.PositiveSmallIntegerField(
        _("jumlah unsur terendah"), default=3, help_text=_("Banyaknya unsur dengan NRR terendah yang diprioritaskan.")
    )
    status = models.CharField(_("status"), max_length=5, choices=Status.choices, default=Status.DRAFT)
    survey_report_date = models.DateField(
        _("tanggal laporan SKM"),
        null=True,
        blank=True,
        help_text=_("Tanggal laporan hasil SKM diterbitkan; dasar hitung lama waktu tindak lanjut."),
    )
    ikm = models.DecimalField(_("IKM saat RTL disusun"), max_digits=5, decimal_places=2, null=True, blank=True)
    weight_mode = models.CharField(
        _("mode bobot"), max_length=5, choices=[(m.value, m.value) for m in WeightMode], default=WeightMode.EXACT.value
    )
    notes = models.TextField(_("catatan"), blank=True)
    finalised_at = models.DateTimeField(_("waktu difinalkan"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("difinalkan oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("rencana tindak lanjut")
        verbose_name_plural = _("rencana tindak lanjut")
        ordering = ["unit__name", "-period__start_date"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="rtl_plan_unique_unit_period"),
            models.CheckConstraint(condition=Q(lowest_n__gte=1, lowest_n__lte=9), name="rtl_plan_lowest_n_1_9"),
        ]

    def __str__(self):
        return f"RTL {self.unit} – {self.period}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class PlanUnsur(models.Model):
    """A priority row of Tabel 2: an unsur (with its IKM snapshot) or a topic from saran."""

    plan = models.ForeignKey(Plan, verbose_name=_("RTL"), on_delete=models.CASCADE, related_name="unsur_rows")
    # The SKM's unsur (U1..U9) or an item of another instrument the round asks
    # (e.g. SPAK's AK3): checked against the instrument by followup.services.
    instrument = models.CharField(_("instrumen"), max_length=16, default=SKM_CODE, db_default=SKM_CODE)
    code = models.CharField(
        _("kode unsur"),
        max_length=8,
        null=True,
        blank=True,
        help_text=_("Kosong untuk prioritas dari saran responden."),
    )
    # Prefilled with the unsur's standard name; the unit may word it its own way
    # (followup.services.plan_unsur_rename). The report prints this title.
    title = models.CharField(_("prioritas unsur / topik"), max_length=200)
    # The unsur's exact NRR when the plan was made, kept as the integer sum of
    # its answers and the number who answered: every printed figure (NRR,
    # converted value, grade) derives from this one exact value.
    nrr_total = models.PositiveIntegerField(_("jumlah nilai jawaban"), null=True, blank=True)
    nrr_answered = models.PositiveIntegerField(_("jumlah responden yang menjawab"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan prioritas"))

    class Meta:
        verbose_name = _("prioritas unsur")
        verbose_name_plural = _("prioritas unsur")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"], condition=Q(code__isnull=False), name="rtl_unsur_unique_code_per_plan"
            ),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"

    @property
    def from_saran(self) -> bool:
        return not self.code

    @property
    def is_skm(self) -> bool:
        return self.instrument == SKM_CODE

    @property
    def standard_name(self) -> str:
        """The unsur's standard name (Permenpan RB 14/2017) or the instrument item's;
        empty for a saran topic."""
        if not self.code:
            return ""
        if self.is_skm:
            return DEFAULT_BY_CODE[self.code].name if self.code in DEFAULT_BY_CODE else ""
        return instrument_get(self.instrument).item(self.code).name.get()

    @property
    def nrr(self) -> Fraction | None:
        return nrr_of(self.nrr_total, self.nrr_answered)

    @property
    def converted(self) -> Decimal | None:
        """The value on 0-100: NRR x 25 for the SKM, NRR x 100 / k on another instrument's 1..k scale."""
        if self.is_skm:
            return converted_value(self.nrr)
        nrr = self.nrr
        if nrr is None:
            return None
        return round_half_up(nrr * 100 / instrument_get(self.instrument).scale.points, 2)

    @property
    def grade(self) -> str:
        converted = self.converted
        if converted is None:
            return ""
        return band_for(converted).grade if self.is_skm else instrument_get(self.instrument).band_for(converted).grade

    @property
    def grade_label(self) -> str:
        """The grade's label: the SKM's collected msgid (shown through ``tr``), or the instrument band's text."""
        converted = self.converted
        if converted is None:
            return ""
        if self.is_skm:
            return band_for(converted).label
        return instrument_get(self.instrument).band_for(converted).label.get(get_language() or "id")


class PlanItem(models.Model):
    """A program/kegiatan under a priority, numbered "1.1", "1.2" ... (seed 003)."""

    plan_unsur = models.ForeignKey(
        PlanUnsur, verbose_name=_("prioritas unsur"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    program = models.TextField(_("program / kegiatan"))
    cause = models.TextField(_("faktor penyebab"), blank=True)
    responsible = models.CharField(_("penanggung jawab"), max_length=300, blank=True)
    # Sorted [year, quarter] pairs, e.g. [[2024, 4], [2025, 1]]: spans several years (seed 004).
    schedule = models.JSONField(_("jadwal (tahun, triwulan)"), default=list, blank=True)
    # End of the last planned quarter, kept in step with ``schedule`` so that
    # "overdue" is a plain database filter.
    due_date = models.DateField(_("batas triwulan terakhir"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("program / kegiatan RTL")
        verbose_name_plural = _("program / kegiatan RTL")
        ordering = ["plan_unsur__order", "order", "id"]

    def __str__(self):
        return f"{self.number} {self.program[:60]}"

    def save(self, *args, **kwargs):
        self.schedule = progress.normalise_schedule(self.schedule)
        self.due_date = progress.schedule_due_date(self.schedule)
        if kwargs.get("update_fields") is not None and "schedule" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "due_date"}
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        return f"{self.plan_unsur.order}.{self.order}"

    @property
    def schedule_rows(self):
        return progress.schedule_rows(self.schedule)

    @property
    def plan(self) -> Plan:
        return self.plan_unsur.plan


class Realisation(models.Model):
    """BAB III row of an item, plus the BAB IV reason/strategy while it is Belum."""

    class Status(models.TextChoices):
        SUDAH = "sudah", _("Sudah")
        BELUM = "belum", _("Belum")

    item = models.OneToOneField(
        PlanItem, verbose_name=_("program / kegiatan"), on_delete=models.CASCADE, related_name="realisation"
    )
    status = models.CharField(_("status"), max_length=5, choices=Status.choices, default=Status.BELUM)
    realised_on = models.DateField(_("tanggal realisasi"), null=True, blank=True)
    description = models.TextField(_("deskripsi tindak lanjut"), blank=True)
    challenges = models.TextField(_("tantangan / hambatan"), blank=True)
    reason = models.TextField(_("alasan belum terealisasi"), blank=True)
    strategy = models.TextField(_("strategi penyelesaian"), blank=True)
    target_time = models.CharField(_("target waktu penyelesaian"), max_length=100, blank=True)
    strategy_responsible = models.CharField(_("penanggung jawab strategi"), max_length=300, blank=True)
    stakeholders = models.TextField(_("stakeholder terkait"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("realisasi RTL")
        verbose_name_plural = _("realisasi RTL")
        # No date is required for Sudah: several units report realisations
        # without one (seeds 000, 002, 003), and the product never invents it.

    def __str__(self):
        return f"{self.item.number}: {self.get_status_display()}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.SUDAH


def evidence_upload_to(instance, filename):
    # Random names under a folder that is never published; files are served
    # only through followup:photo, which checks access to the unit.
    return f"rtl-privat/{instance.item.plan_unsur.plan.unit_id}/{uuid.uuid4().hex}.jpg"


class EvidencePhoto(models.Model):
    """Dokumentasi kegiatan: re-encoded JPEG, EXIF stripped, private path."""

    item = models.ForeignKey(
        PlanItem, verbose_name=_("program / kegiatan"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("foto"), upload_to=evidence_upload_to, width_field="width", height_field="height")
    width = models.PositiveIntegerField(_("lebar"), default=0, editable=False)
    height = models.PositiveIntegerField(_("tinggi"), default=0, editable=False)
    caption = models.CharField(_("keterangan"), max_length=300)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = _("foto dokumentasi")
        verbose_name_plural = _("foto dokumentasi")
        ordering = ["item", "order", "id"]

    def __str__(self):
        return self.caption


class ChangeLog(models.Model):
    """Audit trail: who changed what in a plan, item or realisation, and when."""

    class Action(models.TextChoices):
        CREATE = "create", _("dibuat")
        UPDATE = "update", _("diubah")
        DELETE = "delete", _("dihapus")
        FINALISE = "finalise", _("difinalkan")
        REOPEN = "reopen", _("dibuka kembali")

    plan = models.ForeignKey(Plan, verbose_name=_("RTL"), on_delete=models.CASCADE, related_name="changes")
    # Kept as a plain id so that the log survives deleting the item.
    item_id_ref = models.BigIntegerField(_("id program/kegiatan"), null=True, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    action = models.CharField(_("tindakan"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("jenis objek"), max_length=30)
    object_repr = models.CharField(_("objek"), max_length=300)
    # {"field label": [old, new], ...} with display values.
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)

    class Meta:
        verbose_name = _("riwayat perubahan")
        verbose_name_plural = _("riwayat perubahan")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"


@receiver(post_delete, sender=EvidencePhoto)
def _delete_photo_file(sender, instance, **kwargs):
    # Also runs for cascades (item, priority or plan deleted); only once the
    # deletion is committed, so a rolled-back delete keeps its file.
    name, storage = instance.image.name, instance.image.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
