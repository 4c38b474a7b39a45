from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lagesbild.strategy.models import (
    ActionPlan,
    DevelopmentArea,
    Goal,
    Measure,
    Strategy,
    ViolenceType,
)


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "period_start", "period_end", "owner"]


@admin.register(ViolenceType)
class ViolenceTypeAdmin(admin.ModelAdmin):
    list_display = ["key", "name", "name_en", "sort_order"]


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["number", "short_name", "strategy"]
    list_filter = ["strategy"]


class DevelopmentAreaInline(admin.TabularInline):
    model = DevelopmentArea
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "period_start", "period_end", "strategy", "owner"]
    inlines = [DevelopmentAreaInline]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["code", "short_text", "responsible_text", "frequency", "plan"]
    list_filter = ["plan", "goal", "frequency", "responsible"]
    search_fields = ["code", "text", "follow_up"]
    filter_horizontal = ["responsible"]

    @admin.display(description="Åtgärd")
    def short_text(self, obj):
        return obj.text[:90]
