"""Read-only admin for the follow-up (RTL) models.

Every write to a plan goes through ``followup.services`` (row lock, state and
date checks, change log), reached from the RTL pages; the admin only shows.
"""

from django.contrib import admin

from skm.admin import ReadOnlyModelAdmin, ReadOnlyStackedInline, ReadOnlyTabularInline

from .models import ChangeLog, EvidencePhoto, Plan, PlanItem, PlanUnsur, Realisation


class PlanUnsurInline(ReadOnlyTabularInline):
    model = PlanUnsur
    fields = readonly_fields = ("order", "code", "title", "nrr_total", "nrr_answered")


@admin.register(Plan)
class PlanAdmin(ReadOnlyModelAdmin):
    list_display = ("unit", "period", "status", "lowest_n", "survey_report_date", "finalised_at")
    list_filter = ("status", "period")
    search_fields = ("unit__name", "unit__code")
    inlines = [PlanUnsurInline]


class RealisationInline(ReadOnlyStackedInline):
    model = Realisation


class EvidencePhotoInline(ReadOnlyTabularInline):
    model = EvidencePhoto
    fields = readonly_fields = ("order", "caption", "width", "height", "uploaded_by", "uploaded_at")


@admin.register(PlanItem)
class PlanItemAdmin(ReadOnlyModelAdmin):
    list_display = ("__str__", "plan_unsur", "responsible", "due_date")
    list_select_related = ("plan_unsur__plan__unit",)
    search_fields = ("program", "plan_unsur__plan__unit__name")
    inlines = [RealisationInline, EvidencePhotoInline]


@admin.register(ChangeLog)
class ChangeLogAdmin(ReadOnlyModelAdmin):
    list_display = ("created_at", "user", "action", "object_type", "object_repr")
    list_filter = ("action",)
    search_fields = ("object_repr", "plan__unit__name")
    date_hierarchy = "created_at"
