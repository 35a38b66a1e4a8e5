"""Reference data kept in data/*.csv."""
from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).parent / "data"


def read(name: str) -> list[dict]:
    """Rows of a data file as dicts."""
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_patterns(name: str) -> list[dict]:
    """Rows of a data file whose last column (a regex) may itself hold commas."""
    with open(DATA / name, encoding="utf-8") as f:
        header = next(csv.reader([f.readline()]))
        rows = []
        for line in f:
            line = line.rstrip("\n")
            if line.strip():
                rows.append(dict(zip(header, line.split(",", len(header) - 1))))
        return rows
