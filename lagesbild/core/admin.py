from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lagesbild.core.models import Area, Membership, Organisation


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["key", "name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["key", "name", "short_name"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
