from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from skm.rules.periods import parse_period_code

from .models import ImportBatch, Period, Response, Service, ServicePopulation, Unit, UnitRole, UnsurWording


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


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
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
    ]


class PeriodForm(forms.ModelForm):
    """Kind and dates may be left empty: they follow from the code."""

    class Meta:
        model = Period
        fields = ["code", "kind", "start_date", "end_date", "is_open"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "start_date", "end_date"):
            self.fields[name].required = False

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean(self):
        data = super().clean()
        code = data.get("code")
        if code:
            try:
                spec = parse_period_code(code)
            except ValueError:
                return data
            data["kind"] = spec.kind
            data["start_date"] = data.get("start_date") or spec.start
            data["end_date"] = data.get("end_date") or spec.end
            for name in ("kind", "start_date", "end_date"):
                setattr(self.instance, name, data[name])
        return data


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    form = PeriodForm
    list_display = ["code", "kind", "start_date", "end_date", "is_open"]
    list_filter = ["kind", "is_open"]
    list_editable = ["is_open"]
    search_fields = ["code"]


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
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["id", "unit", "period", "service", "channel", "submitted_at"]
    list_filter = ["channel", "period"]
    search_fields = ["unit__name", "suggestion"]
    raw_id_fields = ["unit", "period", "service", "import_batch", "created_by"]
    list_select_related = ["unit", "period", "service"]
    date_hierarchy = "submitted_at"

    # A closed period accepts no changed responses, in the admin too.
    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.period.is_open:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.period.is_open:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["filename", "unit", "period", "rows", "created_by", "created_at"]
    list_filter = ["period"]
    readonly_fields = ["sha256"]


@admin.register(UnitRole)
class UnitRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "unit"]
