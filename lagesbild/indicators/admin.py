from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lagesbild.indicators.models import ImportRun, Indicator, IndicatorMembership, Observation


class MembershipInline(admin.TabularInline):
    model = IndicatorMembership
    extra = 0
    fields = [
        "plan",
        "goal",
        "violence_type",
        "sort_order",
        "status",
        "retired_year",
        "retired_reason",
        "last_data_year",
        "notes",
    ]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "unit", "replaces"]
    list_filter = ["kind", "unit", "memberships__plan", "memberships__status"]
    search_fields = ["code", "name", "definition"]
    filter_horizontal = ["measures"]
    raw_id_fields = ["replaces"]
    inlines = [MembershipInline]


@admin.register(Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    list_display = [
        "indicator",
        "area",
        "period",
        "breakdown_key",
        "statistic",
        "value",
        "published",
        "revised",
    ]
    list_filter = [
        "published",
        "revised",
        "provisional",
        "statistic",
        "indicator__memberships__plan",
    ]
    search_fields = ["indicator__code", "indicator__name", "area__name"]
    raw_id_fields = ["indicator", "import_run"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "kind", "source", "file_name", "user"]
    list_filter = ["kind"]
    readonly_fields = ["sha256", "summary", "started_at", "finished_at"]
