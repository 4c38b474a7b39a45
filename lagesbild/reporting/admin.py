"""Admin: rounds and delegates are configuration; submissions are read-only here (the workflow
and its audit trail go through the reporting pages and services, never a raw admin edit)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lagesbild.reporting.models import ReportingDelegate, ReportingRound, Submission


@admin.register(ReportingRound)
class ReportingRoundAdmin(SimpleHistoryAdmin):
    list_display = ["year", "plan", "opens_on", "closes_on", "closed"]
    fields = ["closes_on", "closed", "closed_at"]
    # A round is closed on its page ("Stäng omgången", services.round_close: locked, refused
    # twice, closed_at set, in the history) – never by a tick box here.
    readonly_fields = ["closed", "closed_at"]

    def has_add_permission(self, request):
        return False  # rounds are opened with round_open (creates the submissions)

    def has_delete_permission(self, request, obj=None):
        # Deleting a round would cascade to its submissions, their values, transitions and
        # comments, approved ones included. Nothing is lost: a round is closed, never deleted.
        return False


@admin.register(ReportingDelegate)
class ReportingDelegateAdmin(admin.ModelAdmin):
    list_display = ["organisation", "delegate"]


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = ["round", "kind", "measure", "organisation", "state", "implementation_status"]
    list_filter = ["round", "kind", "state", "organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
