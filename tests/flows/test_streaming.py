"""Documents stream from the folder to the warehouse a batch at a time: many small publishes
give the warehouse one publish gives, and a run cut between publishes leaves whole documents
that the next run resolves into events."""
import shutil

import duckdb
import pytest

from tests.conftest import SEEDS
from tests.flows.test_pipeline import SNAPSHOT


def _snapshot(wh):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return {k: con.execute(q).fetchall() for k, q in SNAPSHOT.items()}
    finally:
        con.close()


def _articles(folder, n):
    """n short readouts, each its own file, with a call, a quote and a figure."""
    folder.mkdir(parents=True, exist_ok=True)
    leaders = ["Ana Duarte", "Pavel Moravec", "Ingrid Solberg", "Tomas Lind", "Mira Kovac", "Jonas Berg"]
    for i in range(n):
        a, b = leaders[i % len(leaders)], leaders[(i + 1) % len(leaders)]
        (folder / f"readout_{i:03d}.txt").write_text(
            f"President {a} held a phone call with Prime Minister {b} on March {i % 27 + 1}, 2021.\n\n"
            f"The two leaders discussed trade worth $ {i + 2} billion a year. "
            f"\"We agreed to meet soon,\" said {a}.\n", encoding="utf-8")


def test_many_small_publishes_give_the_warehouse_of_one(prefect_harness, tmp_path, monkeypatch):
    from flows import pipeline
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    _articles(src / "more", 12)
    whole = tmp_path / "whole.duckdb"
    one = pipeline.run_pipeline(source=str(src), warehouse=str(whole))
    monkeypatch.setattr(pipeline, "PUBLISH_DOCS", 3)  # 17 documents: six publishes
    batched = tmp_path / "batched.duckdb"
    many = pipeline.run_pipeline(source=str(src), warehouse=str(batched))
    assert one["loaded"] == many["loaded"] == 17
    assert _snapshot(whole) == _snapshot(batched)
    con = duckdb.connect(str(batched), read_only=True)
    try:
        # every mention belongs to an event, and each publish left its validation results
        assert con.execute("SELECT count(*) FROM event_mentions WHERE event_id IS NULL").fetchone()[0] == 0
        suites = con.execute("SELECT count(*) FROM validation_results WHERE suite = 'documents' "
                             "AND expectation = 'expect_column_values_to_not_be_null' AND column_name = 'doc_id'"
                             ).fetchone()[0]
        assert suites == 6
    finally:
        con.close()


class Stop(Exception):
    pass


def _stop_at(monkeypatch, pipeline, nth: int) -> None:
    """The nth validation of a run (of a publish, or of the events) raises Stop, as a machine
    that goes down there."""
    real = pipeline.validate_task
    calls = {"n": 0}

    def validate(**options):
        def run(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == nth:
                raise Stop("the machine went down")
            return real.with_options(**options)(*args, **kwargs)
        return run

    monkeypatch.setattr(pipeline, "validate_task", type("Validate", (), {"with_options": staticmethod(validate)}))


def _count(wh, sql):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_a_run_stopped_after_a_publish_keeps_whole_documents_and_the_next_run_resolves_them(
        prefect_harness, tmp_path, monkeypatch):
    from flows import pipeline
    src = tmp_path / "src"
    _articles(src, 9)
    wh = tmp_path / "w.duckdb"
    monkeypatch.setattr(pipeline, "PUBLISH_DOCS", 3)
    _stop_at(monkeypatch, pipeline, 2)  # the second publish never happens
    with pytest.raises(Stop):
        pipeline.run_pipeline(source=str(src), warehouse=str(wh))
    assert _count(wh, "SELECT string_agg(status) FROM runs") == "failed"
    assert _count(wh, "SELECT count(*) FROM documents") == 3
    # each published document whole, with its mention; no event yet
    assert _count(wh, "SELECT count(DISTINCT doc_id) FROM event_mentions") == 3
    assert _count(wh, "SELECT count(*) FROM event_mentions WHERE event_id IS NULL") > 0
    monkeypatch.undo()
    again = pipeline.run_pipeline(source=str(src), warehouse=str(wh))
    assert (again["loaded"], again["unchanged"]) == (6, 3)
    assert _count(wh, "SELECT count(*) FROM event_mentions WHERE event_id IS NULL") == 0
    assert _count(wh, "SELECT count(DISTINCT doc_id) FROM event_mentions") == 9


def test_a_run_stopped_before_it_resolved_events_is_resolved_by_the_next_even_with_nothing_to_extract(
        prefect_harness, tmp_path, monkeypatch):
    from flows import pipeline
    src = tmp_path / "src"
    _articles(src, 4)
    wh = tmp_path / "w.duckdb"
    _stop_at(monkeypatch, pipeline, 2)  # one publish, then the validation of events
    with pytest.raises(Stop):
        pipeline.run_pipeline(source=str(src), warehouse=str(wh))
    assert _count(wh, "SELECT count(*) FROM documents") == 4
    assert _count(wh, "SELECT count(*) FROM events") == 0
    monkeypatch.undo()
    again = pipeline.run_pipeline(source=str(src), warehouse=str(wh))
    assert (again["loaded"], again["unchanged"]) == (0, 4)
    assert _count(wh, "SELECT count(*) FROM event_mentions WHERE event_id IS NULL") == 0
    assert _count(wh, "SELECT count(*) FROM events") > 0
    assert _count(wh, "SELECT status FROM runs ORDER BY started_at DESC LIMIT 1") == "succeeded"
