"""Demo step of the directory app: a demo support register consistent with the 2025 report.

The register (data/<county>/support-services.csv) is not the real "Hänvisa utsatta rätt"; its
header says so. Its coverage shares equal the 2025 report's figures; `lagesbild
directory-coverage --date 2025-11-30 --period 2025` stores them as observations.
"""

from __future__ import annotations

from pathlib import Path

from lagesbild.directory.services import register_import_file

FILE_NAME = "support-services.csv"


def load(config_dir: Path, stdout) -> None:
    path = Path(config_dir) / FILE_NAME
    if not path.exists():
        return
    result = register_import_file(path=path, reason="Demodata: stödregister")
    stdout.write(f"Stödregister: {result}.")
