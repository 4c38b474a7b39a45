from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lagesbild.directory.models import RegisterSnapshot, SupportService


@admin.register(SupportService)
class SupportServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organiser_name", "provision", "verified_on"]
    list_filter = ["provision", "organiser_kind", "referral_only", "exposed_to"]
    search_fields = ["key", "name", "organiser_name"]
    filter_horizontal = ["exposed_to", "perpetrator_of", "areas"]
    raw_id_fields = ["organisation", "verified_by"]


@admin.register(RegisterSnapshot)
class RegisterSnapshotAdmin(admin.ModelAdmin):
    list_display = ["as_of", "period", "sha256", "service_count", "created_at"]
    readonly_fields = [f.name for f in RegisterSnapshot._meta.fields]
