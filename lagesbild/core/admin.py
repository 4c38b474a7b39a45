from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lagesbild.core import services
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
    """Saving or deleting here keeps the user's admin access in step with the role."""

    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.membership_access_sync(user=obj.user)

    def delete_model(self, request, obj):
        services.membership_delete(membership=obj)

    def delete_queryset(self, request, queryset):
        users = [m.user for m in queryset.select_related("user")]
        super().delete_queryset(request, queryset)
        for user in users:
            services.membership_access_sync(user=user)
