"""Demo step of the status report: the published 2025 report's own texts and metadata
(data/<county>/report-<year>.yaml), loaded as `lagesbild load-report-texts` does."""

from __future__ import annotations

import re
from pathlib import Path

from lagesbild.statusreport.texts import report_texts_load


def load(config_dir: Path, stdout) -> None:
    for path in sorted(Path(config_dir).glob("report-*.yaml")):
        m = re.fullmatch(r"report-(\d{4})\.yaml", path.name)
        if m:
            result = report_texts_load(path=path, year=int(m.group(1)))
            stdout.write(f"Rapporttexter {m.group(1)}: {result}.")
