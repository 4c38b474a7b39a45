"""Background tasks of the status report (django-tasks; run by `manage.py db_worker`, which
`lagesbild serve` starts beside the web server)."""

from __future__ import annotations

from django_tasks import task


@task()
def report_build_run(build_id: int) -> str:
    """Build a queued draft or publication of a year's report (see edition_services)."""
    from lagesbild.statusreport.edition_services import build_run

    return build_run(build_id=build_id).state
