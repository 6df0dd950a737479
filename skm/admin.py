"""Admin building blocks shared by the apps."""

from django.contrib import admin


class ReadOnlyAdminMixin:
    """For models whose rules live in services: the admin may look, never write.

    Writes (with their locks, validation and change log) happen in the
    product's own pages, which call the services.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyModelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


class ReadOnlyStackedInline(ReadOnlyAdminMixin, admin.StackedInline):
    extra = 0
