"""Every rule that makes a row is named, with a description, in a rule file
(transforms/rules/*.yaml) or in transforms/data/rules.csv, and allowed by the GX suite of its
table."""
import json
import re
from pathlib import Path

import polars as pl

from transforms import events, figures, quotes
from transforms.rules.engine import catalog

ROOT = Path(__file__).resolve().parents[2]
RULES = {r["rule"]: r for r in catalog()}


def test_rules_named_in_code_and_data_are_in_the_rules_table():
    used = set()
    for path in (ROOT / "transforms").rglob("*.py"):
        used |= set(re.findall(r"\"((?:quote\.speaker|event|figure)\.[a-z_.]+)\"", path.read_text(encoding="utf-8")))
    used -= {"event.trigger"}
    assert used - set(RULES) == set()
    assert all(r["description"] for r in RULES.values() if r["table_name"])


def test_suites_allow_exactly_the_rules_of_their_table():
    for table in ("event_mentions", "quotes", "figures"):
        suite = json.loads((ROOT / f"expectations/suites/{table}.json").read_text())
        allowed = next(e["kwargs"]["value_set"] for e in suite["expectations"] if e["kwargs"].get("column") == "rule")
        assert set(allowed) == {k for k, r in RULES.items() if r["table_name"] == table}


def test_rows_carry_their_rule():
    text = ('President Ana Ruiz had a telephone conversation with Prime Minister of Portugal Antonio Costa on May 3. '
            '"We agreed on 12 new rail links worth €3.5bn," said Ruiz.')
    docs = pl.DataFrame({"doc_id": ["d"], "text": [text]})
    assert set(events.extract(docs)["rule"]) == {"event.trigger.phone_call"}
    q = quotes.extract(docs).row(0, named=True)
    assert q["rule"] == "quote.speaker.verb_then_name" and q["speaker"] == "Ana Ruiz"
    assert {f["rule"] for f in figures.extract(docs).to_dicts()} == {"figure.count", "figure.currency"}


def test_every_example_of_the_rules_table_makes_a_row_of_its_rule():
    """Each rule's example (invented text, in the rules table) run through its table's
    extractor yields at least one row that names the rule."""
    extract = {"event_mentions": events.extract, "quotes": quotes.extract, "figures": figures.extract}
    missing, failed = [], []
    for name, r in RULES.items():
        if not r["table_name"]:
            continue
        if not r["example"]:
            missing.append(name)
            continue
        out = extract[r["table_name"]](pl.DataFrame({"doc_id": ["d"], "text": [r["example"]]}))
        if out.height == 0 or name not in set(out["rule"]):
            failed.append((name, sorted(set(out["rule"])) if out.height else []))
    assert failed == []
    assert missing == []
