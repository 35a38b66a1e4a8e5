"""The real flow on a copy of the seed articles, checked with SQL as a user would."""
import shutil

import duckdb
import pytest

from tests.conftest import SEEDS

CONTRACT = {
    "documents": ["doc_id", "source_path", "title", "published_date", "date_source", "content_sha256", "text", "char_count"],
    "event_mentions": ["mention_id", "event_id", "doc_id", "char_start", "char_end", "evidence", "date_text"],
    "events": ["event_id", "event_date", "date_precision", "event_type", "channel", "event_name", "mention_count"],
    "event_participants": ["event_id", "name", "kind", "country_code"],
    "quotes": ["quote_id", "doc_id", "char_start", "char_end", "text", "speaker", "speaker_text", "event_id"],
    "figures": ["figure_id", "doc_id", "char_start", "char_end", "text", "value", "unit", "qualifier", "subject", "event_id"],
    "runs": ["run_id", "started_at", "finished_at", "status", "documents_seen", "documents_loaded"],
    "rejects": ["run_id", "source_path", "reason"],
}
SNAPSHOT = {
    "documents": "SELECT doc_id, source_path, content_sha256, published_date, date_source, char_count FROM documents ORDER BY 1",
    "event_mentions": "SELECT mention_id, event_id, doc_id, char_start, char_end, date_text FROM event_mentions ORDER BY 1",
    "events": "SELECT * FROM events ORDER BY 1",
    "event_participants": "SELECT * FROM event_participants ORDER BY ALL",
    "quotes": "SELECT quote_id, doc_id, char_start, char_end, speaker, event_id FROM quotes ORDER BY 1",
    "figures": "SELECT figure_id, doc_id, char_start, char_end, value, unit, qualifier, event_id FROM figures ORDER BY 1",
}


@pytest.fixture(scope="module")
def seeded(prefect_harness, tmp_path_factory):
    from flows.pipeline import run_pipeline
    base = tmp_path_factory.mktemp("seeded")
    src = base / "src"
    shutil.copytree(SEEDS, src)
    wh = base / "w.duckdb"
    first = run_pipeline(source=str(src), warehouse=str(wh))
    con = duckdb.connect(str(wh), read_only=True)
    snap1 = {k: con.execute(q).fetchall() for k, q in SNAPSHOT.items()}
    con.close()
    second = run_pipeline(source=str(src), warehouse=str(wh))
    return {"wh": wh, "src": src, "first": first, "second": second, "snap1": snap1}


def q(wh, sql, *params):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_every_contract_table_and_column_exists(seeded):
    for table, cols in CONTRACT.items():
        have = {r[0] for r in q(seeded["wh"], f"DESCRIBE {table}")}
        assert set(cols) <= have, (table, set(cols) - have)


def test_all_seed_documents_loaded_with_text_as_read(seeded):
    rows = q(seeded["wh"], "SELECT source_path, text, char_count, content_sha256 FROM documents")
    assert len(rows) == len(list(SEEDS.glob("*.txt")))
    for path, text, n, sha in rows:
        raw = (SEEDS / path).read_bytes()
        assert text == raw.decode("utf-8") and n == len(text)
        import hashlib
        assert sha == hashlib.sha256(raw).hexdigest()


def test_offsets_give_back_their_text(seeded):
    wh = seeded["wh"]
    for table, col in (("figures", "text"), ("quotes", "text"), ("event_mentions", "evidence")):
        bad = q(wh, f"""SELECT count(*) FROM {table} t JOIN documents d USING (doc_id)
                        WHERE substr(d.text, t.char_start + 1, t.char_end - t.char_start) <> t.{col}""")[0][0]
        total = q(wh, f"SELECT count(*) FROM {table}")[0][0]
        assert total > 0 and bad == 0, table


def test_vocabularies_and_references(seeded):
    wh = seeded["wh"]
    assert q(wh, """SELECT count(*) FROM events WHERE event_type NOT IN ('phone_call','meeting','multilateral_meeting',
                    'message','visit','ceremony','agreement','aid_delivery','other')""")[0][0] == 0
    assert q(wh, "SELECT count(*) FROM events WHERE channel NOT IN ('phone','video','written','in_person')")[0][0] == 0
    assert q(wh, "SELECT count(*) FROM event_mentions m LEFT JOIN events e USING (event_id) WHERE e.event_id IS NULL")[0][0] == 0
    assert q(wh, "SELECT count(*) FROM events e WHERE mention_count <> (SELECT count(*) FROM event_mentions m WHERE m.event_id = e.event_id)")[0][0] == 0
    assert q(wh, "SELECT count(*) FROM event_participants WHERE kind NOT IN ('person','country','organization')")[0][0] == 0
    assert q(wh, "SELECT count(*) FROM event_participants WHERE country_code IS NOT NULL AND length(country_code) <> 3")[0][0] == 0
    assert q(wh, "SELECT count(*) FROM quotes q LEFT JOIN events e USING (event_id) WHERE q.event_id IS NOT NULL AND e.event_id IS NULL")[0][0] == 0


def test_user_question_calls_by_leader_and_month(seeded):
    rows = q(seeded["wh"], """
        SELECT p.name, date_trunc('month', e.event_date) AS month, count(*) FROM events e
        JOIN event_participants p USING (event_id)
        WHERE e.event_type IN ('phone_call', 'meeting') AND p.kind = 'person'
        GROUP BY ALL ORDER BY 3 DESC""")
    assert rows and all(r[2] >= 1 for r in rows)


def test_second_run_leaves_identical_rows_and_ids(seeded):
    assert seeded["second"]["loaded"] == 0 and seeded["second"]["unchanged"] == seeded["first"]["loaded"]
    con = duckdb.connect(str(seeded["wh"]), read_only=True)
    snap2 = {k: con.execute(sql).fetchall() for k, sql in SNAPSHOT.items()}
    con.close()
    assert snap2 == seeded["snap1"]
    runs = q(seeded["wh"], "SELECT status, documents_seen, documents_loaded FROM runs ORDER BY started_at")
    assert [r[0] for r in runs] == ["succeeded", "succeeded"]
    assert runs[0][2] == 5 and runs[1][2] == 0


def test_validation_results_are_kept(seeded):
    rows = q(seeded["wh"], "SELECT DISTINCT suite FROM validation_results")
    assert {r[0] for r in rows} >= {"documents", "event_mentions", "quotes", "figures", "events", "event_participants"}
    assert (seeded["wh"].parent / "validation" / "index.html").exists()


def test_gx_data_docs_are_kept_beside_the_warehouse(seeded):
    site = seeded["wh"].parent / "validation" / "gx" / seeded["wh"].stem / "gx" / "uncommitted" / "data_docs" / "local_site"
    assert (site / "index.html").exists()
    pages = {p.parts[len(site.parts) + 1] for p in (site / "validations").rglob("*.html")}
    assert {"documents", "figures", "quotes", "event_mentions", "events"} <= pages


def test_figures_and_quotes_come_with_their_sentence(seeded):
    for table in ("figures", "quotes"):
        bad = q(seeded["wh"], f"""SELECT count(*) FROM {table}
                                 WHERE NOT (sent_start <= char_start AND char_end <= sent_end)""")[0][0]
        assert bad == 0, table
