from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lagesbild.indicators.models import ImportRun, Indicator, Observation


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "goal", "kind", "unit", "status"]
    list_filter = ["goal", "kind", "status", "unit", "violence_type"]
    search_fields = ["code", "name", "definition"]
    filter_horizontal = ["measures"]


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
    list_filter = ["published", "revised", "provisional", "statistic", "indicator__goal"]
    search_fields = ["indicator__code", "indicator__name", "area__name"]
    raw_id_fields = ["indicator", "import_run"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "kind", "source", "file_name", "user"]
    list_filter = ["kind"]
    readonly_fields = ["sha256", "summary", "started_at", "finished_at"]
