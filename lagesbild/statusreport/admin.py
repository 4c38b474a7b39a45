from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lagesbild.statusreport.models import ParagraphOverride, ReportText


@admin.register(ReportText)
class ReportTextAdmin(SimpleHistoryAdmin):
    list_display = ["year", "kind", "goal_number", "updated_by", "updated_at"]
    list_filter = ["year", "kind"]


@admin.register(ParagraphOverride)
class ParagraphOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["year", "key", "action", "updated_by", "updated_at"]
    list_filter = ["year", "action"]
    search_fields = ["key", "text"]
