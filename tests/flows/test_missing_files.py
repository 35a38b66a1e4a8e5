"""A source file that disappears keeps its rows, marked, until the user prunes them."""
import shutil

import duckdb

from tests.conftest import SEEDS


def test_vanished_file_is_marked_then_pruned(prefect_harness, tmp_path, capsys):
    from flows.cli import main
    from flows.pipeline import run_pipeline
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    wh = tmp_path / "w.duckdb"
    run_pipeline(source=str(src), warehouse=str(wh))
    gone = sorted(src.glob("*.txt"))[0]
    gone.unlink()
    summary = run_pipeline(source=str(src), warehouse=str(wh))
    assert summary["missing"] == 1
    con = duckdb.connect(str(wh), read_only=True)
    marked = con.execute("SELECT source_path FROM documents WHERE missing_since IS NOT NULL").fetchall()
    kept = con.execute("SELECT count(*) FROM figures f JOIN documents d USING (doc_id) WHERE d.source_path = ?",
                       [gone.name]).fetchone()[0]
    con.close()
    assert marked == [(gone.name,)] and kept > 0
    assert main(["prune", "--warehouse", str(wh)]) == 0
    assert "removed 1 documents" in capsys.readouterr().out
    con = duckdb.connect(str(wh), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 4
        assert con.execute("SELECT count(*) FROM figures f LEFT JOIN documents d USING (doc_id) WHERE d.doc_id IS NULL").fetchone()[0] == 0
        assert con.execute("""SELECT count(*) FROM events e WHERE mention_count <>
                              (SELECT count(*) FROM event_mentions m WHERE m.event_id = e.event_id)""").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_mentions m WHERE m.event_id = e.event_id)").fetchone()[0] == 0
    finally:
        con.close()


def test_an_emptied_folder_marks_nothing_missing_unless_asked(prefect_harness, tmp_path):
    from flows.pipeline import run_pipeline
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    wh = tmp_path / "w.duckdb"
    run_pipeline(source=str(src), warehouse=str(wh))
    for p in src.iterdir():
        p.unlink()
    assert run_pipeline(source=str(src), warehouse=str(wh))["missing"] == 0  # an unmounted share, say
    assert run_pipeline(source=str(src), warehouse=str(wh), allow_empty=True)["missing"] == 5


def test_a_line_deleted_from_a_feed_is_marked_missing(prefect_harness, tmp_path):
    import json
    from flows.pipeline import run_pipeline
    src = tmp_path / "src"
    src.mkdir()
    lines = [json.dumps({"id": f"r{i}", "date": "2021-06-0%d" % (i + 1),
                         "text": f"Joe Biden spoke with Justin Trudeau on the phone about trade, item {i}."})
             for i in range(3)]
    (src / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    wh = tmp_path / "w.duckdb"
    run_pipeline(source=str(src), warehouse=str(wh))
    (src / "feed.jsonl").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    summary = run_pipeline(source=str(src), warehouse=str(wh))
    con = duckdb.connect(str(wh), read_only=True)
    marked = con.execute("SELECT source_path FROM documents WHERE missing_since IS NOT NULL").fetchall()
    con.close()
    assert summary["missing"] == 1 and marked == [("feed.jsonl#r2",)]


def test_a_line_deleted_from_a_feed_without_ids_marks_that_line_and_no_other(prefect_harness, tmp_path):
    import json
    from flows.pipeline import run_pipeline
    src = tmp_path / "src"
    src.mkdir()
    texts = [f"Joe Biden spoke with Justin Trudeau on the phone about trade, item {i}." for i in range(3)]
    (src / "feed.jsonl").write_text("\n".join(json.dumps({"text": t}) for t in texts) + "\n", encoding="utf-8")
    wh = tmp_path / "w.duckdb"
    run_pipeline(source=str(src), warehouse=str(wh))
    (src / "feed.jsonl").write_text("\n".join(json.dumps({"text": t}) for t in (texts[0], texts[2])) + "\n",
                                    encoding="utf-8")
    summary = run_pipeline(source=str(src), warehouse=str(wh))
    con = duckdb.connect(str(wh), read_only=True)
    gone = con.execute("SELECT text FROM documents WHERE missing_since IS NOT NULL").fetchall()
    kept = con.execute("SELECT count(*) FROM documents WHERE missing_since IS NULL").fetchone()[0]
    con.close()
    assert summary["missing"] == 1 and gone == [(texts[1],)] and kept == 2 and summary["loaded"] == 0
