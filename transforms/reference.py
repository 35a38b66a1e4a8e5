"""Reference data kept in data/*.csv, and the regexes made from its vocabularies."""
from __future__ import annotations

import csv
import re
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


def trie_regex(surfaces) -> str:
    """One regex alternation for many strings, factored by common prefixes so that the
    engine tries each character once (a plain alternation tries every string at every
    position). Spaces match any run of whitespace, so names survive line wrapping."""
    trie: dict = {}
    for s in surfaces:
        node = trie
        for ch in " ".join(s.split()):
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node) -> str:
        ends = "" in node
        alts = []
        for ch in sorted(k for k in node if k):
            piece = r"\s+" if ch == " " else re.escape(ch)
            alts.append(piece + build(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)
