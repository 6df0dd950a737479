from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from skm.admin import ReadOnlyAdminMixin, ReadOnlyModelAdmin
from skm.rules.periods import parse_period_code

from . import services
from .models import (
    ExtraQuestion,
    ImportBatch,
    NotificationLog,
    Period,
    Response,
    RetentionRun,
    RoundPublication,
    Service,
    ServicePopulation,
    SurveyRound,
    Unit,
    UnitRole,
    UnsurWording,
)


class ServiceInline(admin.TabularInline):
    model = Service
    extra = 0


class UnsurWordingInline(admin.StackedInline):
    model = UnsurWording
    extra = 0
    max_num = 9


class UnitRoleInline(admin.TabularInline):
    model = UnitRole
    extra = 0
    autocomplete_fields = ["user"]


# SimpleHistoryAdmin adds the "Riwayat" (history) view of the audit trail to
# every model that has one: who changed what, when, before/after, and why.
# On the read-only models it shows the history without the revert form.


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "parent", "city", "is_active"]
    list_filter = ["is_active", "city"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    inlines = [ServiceInline, UnsurWordingInline, UnitRoleInline]
    fieldsets = [
        (None, {"fields": ["parent", "code", "name", "address", "city", "is_active"]}),
        (
            _("Penanda tangan laporan"),
            {"fields": ["signatory_name", "signatory_title", "signatory_rank", "signatory_nip"]},
        ),
        (_("Laporan"), {"fields": ["background_text"]}),
        (_("Privasi responden (UU 27/2022)"), {"fields": ["privacy_notice", "privacy_contact", "allow_minors"]}),
    ]


class PeriodForm(forms.ModelForm):
    """Only the code is typed; kind and dates follow from it. A period is the
    calendar only: each unit opens and closes its own round."""

    class Meta:
        model = Period
        fields = ["code"]

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        try:
            parse_period_code(code)
        except ValueError:
            raise forms.ValidationError(
                _("Kode periode '%(value)s' tidak valid. Gunakan YYYY, YYYY-S1/S2 atau YYYY-TW1..TW4."),
                params={"value": code},
            ) from None
        return code


@admin.register(Period)
class PeriodAdmin(SimpleHistoryAdmin):
    """Periods are written through ``surveys.services`` (dates from the code)."""

    form = PeriodForm
    list_display = ["code", "kind", "start_date", "end_date"]
    list_filter = ["kind"]
    search_fields = ["code"]
    readonly_fields = ["kind", "start_date", "end_date"]

    def get_readonly_fields(self, request, obj=None):
        # The code of an existing period is its identity (URLs, reports).
        return [*self.readonly_fields, "code"] if obj is not None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # Nothing of a saved period is editable: its code is its identity.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        saved = services.period_create(code=form.cleaned_data["code"], user=request.user)
        obj.pk = saved.pk
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})

    def has_delete_permission(self, request, obj=None):
        # Responses, plans and reports point at periods.
        return False


@admin.register(SurveyRound)
class SurveyRoundAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Rounds change only through their steps (staff open and close, a
    supervisor publishes) on the product's pages or ``skm_round``."""

    list_display = ["unit", "period", "status", "opened_at", "closed_at", "published_at"]
    list_filter = ["status", "period"]
    search_fields = ["unit__name", "unit__code"]
    list_select_related = ["unit", "period"]


@admin.register(RoundPublication)
class RoundPublicationAdmin(ReadOnlyModelAdmin):
    """Published versions are a fixed record."""

    list_display = ["round", "version", "published_at", "published_by", "respondents", "ikm", "grade"]
    list_select_related = ["round__unit", "round__period", "published_by"]
    fields = [
        "round",
        "version",
        "published_at",
        "published_by",
        "report_date",
        "weight_mode",
        "respondents",
        "ikm",
        "grade",
        "note",
    ]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(ServicePopulation)
class ServicePopulationAdmin(admin.ModelAdmin):
    list_display = ["service", "period", "population"]
    list_filter = ["period"]
    autocomplete_fields = ["service"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Responses are written only through the services (open period, attribution)."""

    list_display = ["id", "unit", "period", "service", "channel", "submitted_at", "deleted_at"]
    list_filter = ["channel", "period", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["unit__name"]
    list_select_related = ["unit", "period", "service"]
    date_hierarchy = "submitted_at"

    def get_queryset(self, request):
        # Soft-deleted rows stay visible here (with their reason), for the audit.
        return Response.all_objects.select_related(*self.list_select_related)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """An import is undone through the product's pages, never deleted here."""

    list_display = ["filename", "unit", "period", "rows", "created_by", "created_at", "undone_at"]
    list_filter = ["period"]


@admin.register(ExtraQuestion)
class ExtraQuestionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Extra questions change only on the unit's page (``surveys.services_extra``:
    limits, and kind and choices frozen once answered); here they are read."""

    list_display = ["unit", "code", "text", "kind", "required", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["unit__name", "unit__code", "text"]
    list_select_related = ["unit"]


@admin.register(UnsurWording)
class UnsurWordingAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "code", "question"]
    list_filter = ["code"]
    search_fields = ["unit__name", "question"]
    autocomplete_fields = ["unit"]


@admin.register(UnitRole)
class UnitRoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "unit"]


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyModelAdmin):
    """The record of every retention clean-up: written only by the service."""

    list_display = ["ran_at", "actor", "months", "cutoff", "responses"]
    fields = ["ran_at", "actor", "months", "cutoff", "periods", "responses"]


@admin.register(NotificationLog)
class NotificationLogAdmin(ReadOnlyModelAdmin):
    """Every notification e-mail: sent, waiting for a retry, or given up."""

    list_display = ["created_at", "kind", "recipient", "email", "subject", "sent_at", "attempts"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__username", "email", "subject", "key"]
    fields = ["kind", "recipient", "email", "subject", "key", "created_at", "sent_at", "attempts", "last_error"]
