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
