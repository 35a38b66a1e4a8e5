"""A warehouse made by an earlier version is upgraded when a run opens it."""
import duckdb

from warehouse import store

KEYS = {"event_mentions": "mention_id", "quotes": "quote_id", "figures": "figure_id"}


def _earlier_schema() -> str:
    """This version's schema with the row keys declared PRIMARY KEY, as they once were."""
    sql = store.SCHEMA_SQL
    for key in KEYS.values():
        sql = sql.replace(f"    {key} VARCHAR,\n", f"    {key} VARCHAR PRIMARY KEY,\n", 1)
    return sql


def test_row_keys_declared_primary_key_are_dropped_and_the_rows_kept(tmp_path):
    wh = tmp_path / "old.duckdb"
    con = duckdb.connect(str(wh))
    con.execute(_earlier_schema())
    con.execute("INSERT INTO documents (doc_id, text) VALUES ('d1', 'The two leaders spoke by phone.')")
    con.execute("INSERT INTO event_mentions (mention_id, doc_id, char_start, char_end, mention_type) "
                "VALUES ('m1', 'd1', 0, 30, 'call')")
    con.execute("INSERT INTO quotes (quote_id, doc_id, text, speaker) VALUES ('q1', 'd1', 'We spoke', 'A. Person')")
    con.execute("INSERT INTO figures (figure_id, doc_id, value, unit) VALUES ('f1', 'd1', 5.0, 'USD')")
    columns = {t: [r[0] for r in con.execute(f"DESCRIBE {t}").fetchall()] for t in KEYS}
    keyed = con.execute("SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'").fetchall()
    assert {t for (t,) in keyed} >= set(KEYS)
    con.close()

    with store.opened(wh) as con:  # as a run opens it for writing
        keyed = {t for (t,) in con.execute(
            "SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'").fetchall()}
        assert keyed.isdisjoint(KEYS) and "documents" in keyed
        assert {t: [r[0] for r in con.execute(f"DESCRIBE {t}").fetchall()] for t in KEYS} == columns
        assert con.execute("SELECT mention_type FROM event_mentions WHERE mention_id = 'm1'").fetchone() == ("call",)
        assert con.execute("SELECT speaker FROM quotes WHERE quote_id = 'q1'").fetchone() == ("A. Person",)
        assert con.execute("SELECT value, unit FROM figures WHERE figure_id = 'f1'").fetchone() == (5.0, "USD")
        comments = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'figures' "
                               "AND column_name = 'figure_id'").fetchone()
        assert comments[0], "the column's comment is made again"

    with store.opened(wh) as con:  # opened again: nothing left to do, nothing lost
        assert con.execute("SELECT count(*) FROM figures").fetchone() == (1,)
        assert not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '%_keyed'").fetchone()[0]
