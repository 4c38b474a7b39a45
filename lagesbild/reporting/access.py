"""Who may see and do what in reporting.

* coordinator (and admin, and a superuser): sees every submission, opens rounds, returns,
  approves and reopens, and may edit any draft (for organisations without accounts of their own);
* reporter: sees and edits only the submissions of its own organisation and of the
  organisations it reports for (ReportingDelegate);
* anyone else: nothing (anonymous visitors are sent to the login page by the views).
"""

from __future__ import annotations

from django.db.models import QuerySet

from lagesbild.core.models import Membership, Role
from lagesbild.reporting.models import ReportingDelegate, Submission, SubmissionState

EDITABLE_STATES = (SubmissionState.DRAFT, SubmissionState.RETURNED)
UNSUBMITTED_STATES = EDITABLE_STATES


def membership(user) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def is_coordinator(user) -> bool:
    """Coordinators and admins manage reporting; so does a superuser without a membership."""
    if not getattr(user, "is_authenticated", False):
        return False
    m = membership(user)
    if m is not None:
        return m.role in (Role.COORDINATOR, Role.ADMIN)
    return bool(user.is_superuser)


def is_reporter(user) -> bool:
    m = membership(user)
    return m is not None and m.role == Role.REPORTER


def may_use_reporting(user) -> bool:
    return is_coordinator(user) or is_reporter(user)


def reporting_organisation_ids(user) -> set[int]:
    """The organisations a reporter reports for: its own and those that delegated to it.

    Kept on the user object, as Django keeps a user's permissions (`_perm_cache`): the object
    lives for one request, and a reporting page asks several times (on PostgreSQL each ask was
    a round trip to the server, four in an upload)."""
    m = membership(user)
    if m is None:
        return set()
    cached = getattr(user, "_reporting_organisations", None)
    if cached is not None and cached[0] == m.organisation_id:
        return set(cached[1])
    delegated = ReportingDelegate.objects.filter(delegate_id=m.organisation_id).values_list(
        "organisation_id", flat=True
    )
    ids = frozenset({m.organisation_id, *delegated})
    user._reporting_organisations = (m.organisation_id, ids)
    return set(ids)


def visible_submissions(user) -> QuerySet[Submission]:
    qs = Submission.objects.select_related("round", "measure", "organisation")
    if is_coordinator(user):
        return qs
    if is_reporter(user):
        return qs.filter(organisation_id__in=reporting_organisation_ids(user))
    return qs.none()


def own_submissions(user) -> QuerySet[Submission]:
    """What the user reports: a reporter's organisations; for a coordinator, everything."""
    return visible_submissions(user)


def can_edit(user, submission: Submission) -> bool:
    if submission.state not in EDITABLE_STATES:
        return False
    if is_coordinator(user):
        return True
    if submission.round.closed:
        return False
    return is_reporter(user) and submission.organisation_id in reporting_organisation_ids(user)


def can_upload(user, round) -> bool:
    """A closed round takes no workbook from reporters; the coordinator may still edit drafts."""
    return may_use_reporting(user) and (not round.closed or is_coordinator(user))


def can_comment(user, submission: Submission) -> bool:
    if is_coordinator(user):
        return True
    return is_reporter(user) and submission.organisation_id in reporting_organisation_ids(user)
