"""Template tags that let public pages show approved follow-ups and where a figure came from."""

from __future__ import annotations

from django import template

from lagesbild.reporting import selectors

register = template.Library()


@register.simple_tag
def approved_followups(measure):
    """Approved submissions of a measure (public: only approved ones ever reach a page)."""
    return selectors.approved_followups(measure=measure)


@register.filter
def producing_submission(import_run):
    """The submission that published a figure, when its ImportRun came from one."""
    return selectors.submission_for_import_run(import_run)


@register.filter
def coordinates_reporting(user) -> bool:
    """Whether the user is a coordinator (the people pages are theirs)."""
    from lagesbild.reporting.access import is_coordinator

    return is_coordinator(user)
