"""The views and comments of the warehouse, and the README's questions run as written,
checked against the tables they summarise."""
import re
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEEDS

ROOT = Path(__file__).resolve().parents[2]
VIEWS = {
    "event_timeline": ["month", "event_type", "channel", "events"],
    "contacts": ["event_id", "event_date", "date_precision", "event_type", "channel", "a_name", "a_kind", "a_country",
                 "b_name", "b_kind", "b_country"],
    "event_sources": ["event_id", "event_date", "event_type", "channel", "doc_id", "title", "published_date",
                      "evidence", "rule"],
    "quote_context": ["quote_id", "speaker", "text", "event_id", "event_type", "event_date", "doc_id", "title",
                      "published_date"],
    "figure_context": ["figure_id", "value", "unit", "qualifier", "text", "sentence", "event_id", "doc_id",
                       "published_date"],
}
CONTRACT_TABLES = ("documents", "event_mentions", "events", "event_participants", "quotes", "figures", "runs", "rejects")


@pytest.fixture(scope="module")
def con(prefect_harness, tmp_path_factory):
    from flows.pipeline import run_pipeline
    base = tmp_path_factory.mktemp("views")
    shutil.copytree(SEEDS, base / "src")
    run_pipeline(source=str(base / "src"), warehouse=str(base / "w.duckdb"))
    c = duckdb.connect(str(base / "w.duckdb"), read_only=True)
    yield c
    c.close()


def readme_queries() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Questions, answered by views", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def test_every_view_has_its_columns_and_says_what_each_means(con):
    for view, cols in VIEWS.items():
        comment, = con.execute("SELECT comment FROM duckdb_views() WHERE view_name = ?", [view]).fetchone()
        assert comment, view
        described = {r[0]: r[1] for r in con.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = ?", [view]).fetchall()}
        assert set(cols) <= set(described), (view, set(cols) - set(described))
        assert all(described.values()), (view, [c for c, v in described.items() if not v])


def test_every_contract_table_and_column_says_what_it_means(con):
    for table in CONTRACT_TABLES:
        assert con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = ?", [table]).fetchone()[0], table
        bare = con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND comment IS NULL",
                           [table]).fetchall()
        assert bare == [], (table, bare)


def test_contacts_hold_each_pair_of_participants_once(con):
    pairs = Counter()
    for event_id, names in con.execute(
            "SELECT event_id, list(DISTINCT name) FROM event_participants GROUP BY event_id").fetchall():
        for a in names:
            for b in names:
                if a < b:
                    pairs[(event_id, a, b)] += 1
    rows = Counter(con.execute("SELECT event_id, a_name, b_name FROM contacts").fetchall())
    assert rows == pairs and rows


def test_the_timeline_counts_every_event_dated_to_the_day_or_the_month(con):
    total = con.execute("SELECT sum(events) FROM event_timeline").fetchone()[0]
    dated = con.execute("SELECT count(*) FROM events WHERE date_precision IN ('day', 'month')").fetchone()[0]
    assert total == dated > 0


def test_a_figures_sentence_holds_the_figure(con):
    rows = con.execute("SELECT text, sentence FROM figure_context WHERE sentence IS NOT NULL").fetchall()
    assert rows and all(text in sentence for text, sentence in rows)


def test_the_readme_questions_run_as_written_and_agree_with_the_tables(con):
    queries = readme_queries()
    assert len(queries) == 5
    results = [con.execute(q).fetchall() for q in queries]
    assert all(results), [i for i, r in enumerate(results) if not r]
    calls, vaccine_figures, per_month, summit_quotes, shared = results
    # the calls per pair and month, counted from the tables themselves
    expected = Counter()
    for month, names in con.execute(
            """SELECT date_trunc('month', e.event_date)::DATE, list(DISTINCT p.name) FROM events e
               JOIN event_participants p USING (event_id)
               WHERE e.event_type = 'phone_call' AND e.date_precision IN ('day', 'month')
               GROUP BY e.event_id, e.event_date""").fetchall():
        for a in names:
            for b in names:
                if a < b:
                    expected[(month, a, b)] += 1
    assert {(m, a, b): n for m, a, b, n in calls} == dict(expected)
    assert all("vaccine" in sentence.lower() for *_, sentence, _doc in vaccine_figures)
    assert sum(n for _, _, n in per_month) == con.execute(
        "SELECT count(*) FROM events WHERE date_precision IN ('day', 'month')").fetchone()[0]
    assert all(speaker for speaker, *_ in summit_quotes)
    assert all(n > 1 for *_, n in shared)
