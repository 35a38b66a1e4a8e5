"""What a user sees of a run in the Prefect UI: its name, named task runs and keyed artifacts;
and `communique status`."""
import asyncio
import uuid

from tests.conftest import SEEDS


def _read(run_id):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import TaskRunSort

    async def go():
        async with get_client() as client:
            fr = await client.read_flow_run(uuid.UUID(run_id))
            tasks = await client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[fr.id])),
                                                limit=200, sort=TaskRunSort.EXPECTED_START_TIME_DESC)
            r = await client._client.post("/artifacts/filter", json={
                "artifacts": {"flow_run_id": {"any_": [str(fr.id)]}}, "limit": 200})
            arts = r.json()
            return fr, tasks, arts
    return asyncio.run(go())


def test_a_run_is_named_its_tasks_say_what_they_do_and_it_leaves_keyed_artifacts(prefect_harness, tmp_path):
    from flows.pipeline import run_pipeline
    wh = tmp_path / "w.duckdb"
    summary = run_pipeline(source=str(SEEDS), warehouse=str(wh))
    fr, tasks, arts = _read(summary["run_id"])
    assert fr.name.startswith("seeds ")
    names = {t.name.rsplit("-", 1)[0] for t in tasks}
    assert {"discover files", "extract batch", "validate documents, mentions, quotes, figures", "validate events",
            "resolve events", "publish to warehouse"} <= names
    by_key = {a["key"]: a for a in arts}
    assert {"communique-run-summary", "communique-rejects", "communique-quarantine",
            "communique-failed-expectations"} <= set(by_key)
    assert "documents seen | 5" in by_key["communique-run-summary"]["data"]


def test_status_prints_the_recent_runs(prefect_harness, tmp_path, capfd):
    from flows.cli import main
    from flows.pipeline import run_pipeline
    wh = tmp_path / "w.duckdb"
    run_pipeline(source=str(SEEDS), warehouse=str(wh))
    assert main(["status", "--warehouse", str(wh)]) == 0
    out = capfd.readouterr().out
    assert "succeeded" in out and "loaded 5" in out


def test_serve_says_it_needs_a_server(monkeypatch, capsys):
    from flows.cli import main
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert main(["serve", "--interval", "60", "--source", "seeds"]) == 2
    assert "PREFECT_API_URL" in capsys.readouterr().err


ARTICLE = ("President Ana Ruiz of Portugal held a telephone call with Chancellor Tomas Berg of Austria on May 3, 2021. "
           "\"We agreed on 12 new rail links worth €3.5bn,\" said Ruiz. The talks lasted 40 minutes.\n\n")


def test_settings_come_from_flags_then_environment_then_the_toml_file(tmp_path, monkeypatch):
    import argparse
    from flows import settings
    monkeypatch.chdir(tmp_path)
    (tmp_path / "communique.toml").write_text('[run]\nlock_wait = 5\nsource = "articles"\nworkers = 1\n')
    env = {"COMMUNIQUE_LOCK_WAIT": "7", "COMMUNIQUE_WORKERS": "2"}
    got = settings.resolve(argparse.Namespace(workers=3, lock_wait=None, source=None), env)
    assert (got["workers"], got["lock_wait"], got["source"]) == (3, 7.0, "articles")
    assert got["warehouse"] == "warehouse/diplomacy.duckdb"  # nobody said: the default
    (tmp_path / "communique.toml").write_text("[run]\nlok_wait = 5\n")
    try:
        settings.resolve(None, {})
        raise AssertionError("a misspelt setting must be refused")
    except settings.ConfigError as exc:
        assert "lok_wait" in str(exc)


def test_unchanged_files_are_not_read_again_and_full_refresh_reads_all(prefect_harness, tmp_path):
    import os
    from flows.pipeline import run_pipeline
    src = tmp_path / "src"
    src.mkdir()
    for i in range(3):
        (src / f"a{i}.txt").write_text(f"Story {i}. " + ARTICLE, encoding="utf-8")
    wh = str(tmp_path / "w.duckdb")
    assert run_pipeline(source=str(src), warehouse=wh)["loaded"] == 3
    again = run_pipeline(source=str(src), warehouse=wh)
    assert (again["loaded"], again["unchanged"], again["missing"], again["files_unchanged"]) == (0, 3, 0, 3)
    (src / "a1.txt").write_text("Story one, rewritten. " + ARTICLE, encoding="utf-8")
    os.utime(src / "a1.txt", ns=(1, 10**18))
    changed = run_pipeline(source=str(src), warehouse=wh)
    assert (changed["loaded"], changed["unchanged"], changed["files_unchanged"]) == (1, 2, 2)
    assert run_pipeline(source=str(src), warehouse=wh, full_refresh=True)["loaded"] == 3


def test_a_reader_queries_the_warehouse_while_a_run_extracts(prefect_harness, tmp_path):
    """An analyst's read-only session works during extraction; the run publishes after."""
    import subprocess
    import sys
    import threading
    from flows.pipeline import run_pipeline
    src = tmp_path / "src"
    src.mkdir()
    (src / "first.txt").write_text(ARTICLE, encoding="utf-8")
    wh = str(tmp_path / "w.duckdb")
    run_pipeline(source=str(src), warehouse=wh)
    (src / "long.txt").write_text(ARTICLE * 12_000, encoding="utf-8")  # a few seconds of extraction
    result = {}
    t = threading.Thread(target=lambda: result.update(run_pipeline(source=str(src), warehouse=wh, workers=1)))
    t.start()
    query = ("import duckdb; c = duckdb.connect(%r, read_only=True); "
             "print(c.execute(\"SELECT count(*) FROM runs WHERE status = 'running'\").fetchone()[0], "
             "c.execute('SELECT count(*) FROM documents').fetchone()[0])" % wh)
    answers = []
    while t.is_alive():
        r = subprocess.run([sys.executable, "-c", query], capture_output=True, text=True)
        if r.returncode == 0:
            answers.append(tuple(map(int, r.stdout.split())))
    t.join()
    assert (1, 1) in answers  # answered while the run was going, with the rows published before it
    assert result["loaded"] == 1


def _run_in_background(tmp_path):
    """`communique run` on a few MB, in a process of its own, against the test's Prefect
    server; returns once it has found its files (extraction is under way soon after)."""
    import os
    import subprocess
    import sys
    import time
    from prefect.settings import PREFECT_API_URL
    src = tmp_path / "src"
    src.mkdir()
    for i in range(3):
        (src / f"long{i}.txt").write_text(f"{i} " + ARTICLE * 12_000, encoding="utf-8")
    wh = tmp_path / "w.duckdb"
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    log = open(tmp_path / "log", "w+")
    proc = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "communique"), "run", "--source", str(src),
                             "--warehouse", str(wh), "--workers", "2"], env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 120
    while "found 3 files" not in (tmp_path / "log").read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    return proc, wh


def test_sigterm_stops_a_run_within_seconds_and_marks_it_cancelled(prefect_harness, tmp_path):
    import duckdb
    import signal
    import subprocess
    import time
    proc, wh = _run_in_background(tmp_path)
    time.sleep(2)  # extraction under way
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=30)
    took = time.monotonic() - t0
    assert took < 5 and code == 130
    assert "cancelled" in (tmp_path / "log").read_text()
    con = duckdb.connect(str(wh), read_only=True)
    (status, run_id), = con.execute("SELECT status, run_id FROM runs").fetchall()
    assert status == "cancelled" and con.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    con.close()
    fr, _, _ = _read(run_id)
    assert fr.state.type.value in ("CRASHED", "CANCELLED")
    time.sleep(3)

    def running(pid):
        try:
            zombie = open(f"/proc/{pid}/stat").read().rsplit(") ", 1)[1][0] == "Z"
            return not zombie and "reaper" not in open(f"/proc/{pid}/cmdline").read()
        except OSError:
            return False
    assert [c for c in children if running(c)] == []  # workers gone


def test_data_docs_keep_a_bounded_history(prefect_harness, tmp_path, monkeypatch):
    from expectations import validate
    from flows.pipeline import run_pipeline
    monkeypatch.setattr(validate, "DOCS_HISTORY", 2)
    wh = tmp_path / "w.duckdb"
    ids = [run_pipeline(source=str(SEEDS), warehouse=str(wh), full_refresh=True)["run_id"] for _ in range(3)]
    site = tmp_path / "validation" / "gx" / "w" / "gx" / "uncommitted"
    assert sorted(p.name for p in (site / "validations" / "documents").iterdir()) == sorted(ids[1:])
    index = (site / "data_docs" / "local_site" / "index.html").read_text()
    assert ids[2] in index and ids[0] not in index


def test_extraction_on_a_dask_cluster_gives_the_same_rows(prefect_harness, tmp_path):
    import duckdb
    from flows.pipeline import run_pipeline
    rows = {}
    for runner in ("local", "dask"):
        wh = tmp_path / f"{runner}.duckdb"
        run_pipeline(source=str(SEEDS), warehouse=str(wh), runner=runner, workers=1)
        con = duckdb.connect(str(wh), read_only=True)
        rows[runner] = [con.execute(f"SELECT {cols} FROM {t} ORDER BY ALL").fetchall() for t, cols in (
            ("figures", "doc_id, char_start, value, unit, rule"), ("quotes", "doc_id, char_start, speaker, rule"),
            ("events", "event_id, event_type, event_date"))]
        con.close()
    assert rows["dask"] == rows["local"] and rows["local"][0]


def test_worker_processes_and_a_validator_of_their_own_give_the_same_warehouse(prefect_harness, tmp_path,
                                                                             monkeypatch):
    import duckdb
    from flows import pipeline
    from flows.pipeline import run_pipeline
    # with worker processes, the warehouse work goes to fresh processes too, however little the text
    monkeypatch.setattr(pipeline, "FRESH_MIN_BYTES", 0)
    got = {}
    for workers in (1, 2):
        wh = tmp_path / f"w{workers}.duckdb"
        run_pipeline(source=str(SEEDS), warehouse=str(wh), workers=workers)
        con = duckdb.connect(str(wh), read_only=True)
        got[workers] = [con.execute(sql).fetchall() for sql in (
            "SELECT doc_id, char_start, value, unit, rule FROM figures ORDER BY ALL",
            "SELECT doc_id, char_start, speaker, rule FROM quotes ORDER BY ALL",
            "SELECT event_id, event_type, event_date FROM events ORDER BY ALL",
            "SELECT suite, expectation, column_name, success FROM validation_results ORDER BY ALL")]
        con.close()
        docs = tmp_path / "validation" / "gx" / wh.stem / "gx" / "uncommitted" / "data_docs" / "local_site"
        assert (docs / "index.html").exists()  # GX's Data Docs, built where GX ran
    assert got[2] == got[1] and got[1][0] and got[1][3]


def test_a_run_killed_with_sigkill_ends_in_both_places_and_leaves_no_process(prefect_harness, tmp_path):
    import duckdb
    import os
    import signal
    import subprocess
    import sys
    import time
    proc, wh = _run_in_background(tmp_path)
    time.sleep(2)
    children = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    con = duckdb.connect(str(wh), read_only=True)  # free at once: the watcher never writes it
    status, run_id = con.execute("SELECT status, run_id FROM runs").fetchone()
    con.close()
    assert status == "running"  # as the run left it; whoever looks next reads its pid
    deadline = time.monotonic() + 30
    while _read(run_id)[0].state.type.value != "CRASHED" and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _read(run_id)[0].state.type.value == "CRASHED"  # Prefect is told by the watcher
    shown = subprocess.run([os.path.join(os.path.dirname(sys.executable), "communique"), "status", "--warehouse",
                            str(wh)], capture_output=True, text=True, timeout=120).stdout
    assert "interrupted" in shown and "its process is gone" in shown

    def running(pid):  # a zombie waiting for its new parent to collect it runs nothing
        try:
            return open(f"/proc/{pid}/stat").read().rsplit(") ", 1)[1][0] != "Z"
        except OSError:
            return False
    time.sleep(2)
    assert [c for c in children if running(c)] == []  # workers and the watcher gone
