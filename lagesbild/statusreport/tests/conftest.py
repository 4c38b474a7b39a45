"""A small report: one strategy, two goals, a few indicators, two measures, a 2025 round."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from lagesbild.reporting.models import ReportingRound, Submission, SubmissionState

APPROVED_TEXT = "Polisen har genomfört utbildningen i alla lokalpolisområden."
DRAFT_TEXT = "HEMLIGT UTKAST som ännu inte är godkänt."


@pytest.fixture
def small_report(build):
    share = build.indicator(
        "S1",
        name="Andel beviljade kontaktförbud",
        unit="percent",
        direction="up",
        values={"2019": 25, "2023": 31, "2024": 37, "2025": 39},
        median={"2025": 40},
    )
    school = build.indicator(
        "S2",
        name="Medelvärdet av elevernas svar om trygghet",
        unit="mean_0_10",
        decimals=1,
        values={"2023/2024": "6.8", "2024/2025": "6.9"},
    )
    hidden = build.indicator(
        "S3",
        name="Antal opublicerade figurer",
        unit="count",
        goal=2,
        values={"2025": 4711},
        published=False,
    )
    polisen = build.organisation("polisen", "Polismyndigheten")
    kvv = build.organisation("kriminalvarden", "Kriminalvården")
    plan = build.plan()

    def measure(code, frequency, goal=1):
        return build.measure(
            plan,
            code,
            goal=goal,
            responsible=[polisen],
            responsible_text="Polisen",
            frequency=frequency,
        )

    annual = measure("1.1", "annual")
    end_of_plan = measure("1.2", "end_of_plan")
    unreported = measure("2.1", "annual", goal=2)
    rnd = ReportingRound.objects.create(
        year=2025, plan=plan, opens_on=dt.date(2025, 11, 1), closes_on=dt.date(2026, 1, 15)
    )
    Submission.objects.create(
        round=rnd,
        measure=annual,
        organisation=polisen,
        state=SubmissionState.APPROVED,
        implementation_status="pagaende",
        narrative=f"<p>{APPROVED_TEXT}</p>",
    )
    Submission.objects.create(
        round=rnd,
        measure=annual,
        organisation=kvv,
        state=SubmissionState.SUBMITTED,
        narrative=f"<p>{DRAFT_TEXT}</p>",
    )
    return SimpleNamespace(
        build=build,
        share=share,
        school=school,
        hidden=hidden,
        plan=plan,
        annual=annual,
        end_of_plan=end_of_plan,
        unreported=unreported,
        round=rnd,
        polisen=polisen,
    )


@pytest.fixture(autouse=True)
def _report_storage(settings, tmp_path):
    """Report builds and editions go to a folder of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "reports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "rapporter"},
        },
    }
