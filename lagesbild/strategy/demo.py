"""Demo step of the strategy app: the county's configuration files."""

from __future__ import annotations

from pathlib import Path

from lagesbild.strategy.loader import load_config


def load(config_dir: Path, stdout) -> None:
    counts = load_config(config_dir)
    stdout.write("Konfiguration: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
