from django.contrib import admin

from .models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "unit", "period", "status", "percent", "requested_by", "created_at", "finished_at")
    list_filter = ("status", "kind")
    search_fields = ("unit__name", "unit__code", "period__code", "requested_by__username")
    raw_id_fields = ("unit", "period", "requested_by")
    readonly_fields = ("created_at", "started_at", "finished_at", "attempt")
