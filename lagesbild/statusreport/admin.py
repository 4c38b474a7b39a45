from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lagesbild.statusreport.models import (
    ParagraphOverride,
    ReportBuild,
    ReportEdition,
    ReportText,
)


@admin.register(ReportText)
class ReportTextAdmin(SimpleHistoryAdmin):
    list_display = ["year", "kind", "goal_number", "updated_by", "updated_at"]
    list_filter = ["year", "kind"]


@admin.register(ParagraphOverride)
class ParagraphOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["year", "key", "action", "updated_by", "updated_at"]
    list_filter = ["year", "action"]
    search_fields = ["key", "text"]


@admin.register(ReportEdition)
class ReportEditionAdmin(admin.ModelAdmin):
    """Editions are read only: a published edition never changes (a correction is a new one)."""

    list_display = ["year", "number", "plan_key", "published_at", "published_by"]
    list_filter = ["year"]
    exclude = ["document"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportBuild)
class ReportBuildAdmin(admin.ModelAdmin):
    list_display = ["year", "publish", "state", "step", "steps", "requested_by", "requested_at"]
    list_filter = ["year", "publish", "state"]
    exclude = ["document", "observation_versions"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
