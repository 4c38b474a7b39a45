"""Demo step of the directory app: a demo support register consistent with the 2025 report, and
the 2025 coverage indicator (S4.3) computed from it.

The register (data/<county>/support-services.csv) is not the real "Hänvisa utsatta rätt"; its
header says so. Its coverage as of 2025-11-30 is stored as the 2025 observations of the coverage
indicator, with the register snapshot as their provenance (as `lagesbild directory-coverage
--date 2025-11-30 --period 2025` does): the report's 2025 coverage figures come from the
register, not from observations.csv.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from lagesbild.directory.services import coverage_store, register_import_file

FILE_NAME = "support-services.csv"
# The date the demo register describes: the 2025 report's coverage figures.
COVERAGE_AS_OF = date(2025, 11, 30)
COVERAGE_PERIOD = "2025"


def load(config_dir: Path, stdout) -> None:
    path = Path(config_dir) / FILE_NAME
    if not path.exists():
        return
    result = register_import_file(path=path, reason="Demodata: stödregister")
    stdout.write(f"Stödregister: {result}.")
    coverage = coverage_store(on=COVERAGE_AS_OF, period=COVERAGE_PERIOD)
    counts = coverage.counts
    stdout.write(
        f"Täckning {COVERAGE_PERIOD} ur stödregistret per {COVERAGE_AS_OF:%Y-%m-%d}: "
        f"{counts['created']} nya, {counts['updated']} ändrade, "
        f"{counts['unchanged']} oförändrade."
    )
