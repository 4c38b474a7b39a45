"""Read-mostly admin views; surveys are changed through their YAML files and the coordinator's
pages, so that every change goes through the same checks (frozen rounds, revisions with reason)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CompositeIndex, ResponseRevision, Survey, SurveyRound


class ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Survey)
class SurveyAdmin(ReadOnly):
    list_display = ["title", "key", "version", "file_name", "loaded_at"]


@admin.register(CompositeIndex)
class CompositeIndexAdmin(ReadOnly):
    list_display = ["title", "key", "survey", "file_name", "loaded_at"]


@admin.register(SurveyRound)
class SurveyRoundAdmin(ReadOnly):
    list_display = ["title", "survey", "period", "state", "synthetic", "results_published"]
    list_filter = ["state", "synthetic", "results_published"]


@admin.register(ResponseRevision)
class ResponseRevisionAdmin(admin.ModelAdmin):
    list_display = ["response", "question", "old_value", "new_value", "user", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
