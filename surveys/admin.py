from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from skm.admin import ReadOnlyAdminMixin, ReadOnlyModelAdmin
from skm.rules.periods import parse_period_code

from . import services
from .models import (
    ImportBatch,
    Period,
    Response,
    RetentionRun,
    Service,
    ServicePopulation,
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
    """Only the code and the open flag are typed; kind and dates follow from the code."""

    class Meta:
        model = Period
        fields = ["code", "is_open"]

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
    list_display = ["code", "kind", "start_date", "end_date", "is_open"]
    list_filter = ["kind", "is_open"]
    list_editable = ["is_open"]
    search_fields = ["code"]
    readonly_fields = ["kind", "start_date", "end_date"]

    def get_readonly_fields(self, request, obj=None):
        # The code of an existing period is its identity (URLs, reports).
        return [*self.readonly_fields, "code"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            saved = services.period_set_open(period=obj, is_open=form.cleaned_data["is_open"], user=request.user)
        else:
            saved = services.period_create(
                code=form.cleaned_data["code"], is_open=form.cleaned_data["is_open"], user=request.user
            )
        obj.pk = saved.pk
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})

    def has_delete_permission(self, request, obj=None):
        # Responses, plans and reports point at periods.
        return False


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
