"""When `communique run` returns, is stopped with SIGTERM or is killed with SIGKILL, no
process of it is alive and the warehouse opens read-only at once. Each run is the real
command in a process of its own, with Prefect's temporary server; its processes are
known by a mark in their environment, which every process it starts inherits."""
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEEDS

CLI = Path(sys.executable).parent / "communique"
pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="processes are read from /proc")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().split(b") ")[-1][:1] != b"Z"
    except OSError:
        return False


def _marked(mark: str) -> list[int]:
    """Live processes whose environment carries the mark."""
    want = f"COMMUNIQUE_TEST_MARK={mark}".encode()
    pids = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            env = (d / "environ").read_bytes()
        except OSError:
            continue
        if want in env.split(b"\0") and _alive(int(d.name)):
            pids.append(int(d.name))
    return pids


def _start(warehouse: Path, mark: str) -> subprocess.Popen:
    env = dict(os.environ, COMMUNIQUE_TEST_MARK=mark)
    env.pop("PREFECT_API_URL", None)  # the run starts and must stop its own temporary server
    return subprocess.Popen([str(CLI), "run", "--source", str(SEEDS), "--warehouse", str(warehouse), "--quiet"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_run_row(warehouse: Path, proc: subprocess.Popen, timeout: float = 120) -> None:
    """Until the run has recorded itself in the warehouse (its signal handlers are set)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if warehouse.exists():
            try:
                con = duckdb.connect(str(warehouse), read_only=True)
            except duckdb.Error:
                time.sleep(0.2)
                continue
            try:
                if con.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0]:
                    return
            except duckdb.Error:
                pass
            finally:
                con.close()
        time.sleep(0.2)
    raise AssertionError("the run never recorded itself")


def test_when_a_run_returns_nothing_of_it_is_alive_and_the_warehouse_opens_at_once(tmp_path):
    wh = tmp_path / "w.duckdb"
    for attempt in range(2):  # a full run, then a run with nothing new
        mark = uuid.uuid4().hex
        proc = _start(wh, mark)
        out, err = proc.communicate(timeout=600)
        con = duckdb.connect(str(wh), read_only=True)  # the instant it returned
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
        con.close()
        assert proc.returncode == 0, err.decode()
        assert _marked(mark) == []


def test_a_run_stopped_with_sigterm_leaves_no_process(tmp_path):
    wh = tmp_path / "w.duckdb"
    mark = uuid.uuid4().hex
    proc = _start(wh, mark)
    _wait_for_run_row(wh, proc)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=300)
    # stopped (130), or it had just finished (0); stopped at an unlucky moment of Prefect's
    # own work it may end as failed (1): what a stop returns is test_operations' concern,
    # what it leaves behind is this test's
    assert proc.returncode in (0, 1, 130), err.decode()[-2000:]
    assert _marked(mark) == []
    duckdb.connect(str(wh), read_only=True).close()


def test_a_run_killed_with_sigkill_leaves_no_process_and_is_marked_by_whoever_looks_next(tmp_path):
    wh = tmp_path / "w.duckdb"
    mark = uuid.uuid4().hex
    proc = _start(wh, mark)
    _wait_for_run_row(wh, proc)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 30  # the watcher sees it gone within a second, then stops the rest
    while _marked(mark) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _marked(mark) == []
    status = subprocess.run([str(CLI), "status", "--warehouse", str(wh)], capture_output=True, text=True, timeout=120)
    assert "interrupted" in status.stdout
