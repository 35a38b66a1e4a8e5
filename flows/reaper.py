"""Watches a `communique` process and, once it is gone without having stopped the watcher
(killed with SIGKILL), stops what it left behind: Prefect's temporary API server,
extraction workers, any other process it started.

    python -m flows.reaper PID [WAREHOUSE]

Started by the command line in a session of its own (so the terminal's Ctrl-C reaches the
run, not the reaper); a run that ends any other way stops its processes and this watcher
itself before it returns (flows/cli.py). Linux: descendants are read from /proc. The
warehouse is never written here: a run left `running` there is marked interrupted by
whoever looks next (`communique status`, the next run), from its recorded process id. With
WAREHOUSE and a Prefect server at PREFECT_API_URL, the killed run is set Crashed in Prefect
(its id read from the warehouse, read-only)."""
from __future__ import annotations

import os
import signal
import sys
import time


def children_map() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode("utf-8", "replace")
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        out.setdefault(ppid, []).append(int(entry))
    return out


def descendants(pid: int) -> set[int]:
    kids = children_map()
    found, todo = set(), [pid]
    while todo:
        for c in kids.get(todo.pop(), []):
            if c not in found:
                found.add(c)
                todo.append(c)
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().split(b") ")[-1][:1] != b"Z"  # a zombie is gone
    except OSError:
        return False


def reap(pids: set[int], grace: float = 2.0) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for p in pids:
            try:
                os.kill(p, sig)
            except (ProcessLookupError, PermissionError):
                pass
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(alive(p) for p in pids):
            time.sleep(0.1)


def main(argv: list[str]) -> int:
    watched = int(argv[0])
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    me = os.getpid()
    known: set[int] = set()
    while alive(watched):
        known = (known | descendants(watched)) - {me}
        known = {p for p in known if alive(p)}
        time.sleep(0.5)
    # what it started and left: orphans now (their parent is gone) or still under its children
    left = {p for p in known if alive(p)}
    for p in list(left):
        left |= descendants(p)
    if left:
        reap(left - {me})
    if len(argv) > 1:
        mark_ended(watched, argv[1])
    return 0


def mark_ended(pid: int, warehouse: str) -> None:
    """The runs of `pid` left `running` in the warehouse: Crashed in Prefect (the warehouse
    itself records them as interrupted when it is next opened)."""
    import json
    import urllib.request
    api = os.environ.get("PREFECT_API_URL")
    if not api:
        return
    try:
        import duckdb
        con = duckdb.connect(warehouse, read_only=True)
        try:
            ids = [r[0] for r in con.execute("SELECT run_id FROM runs WHERE status = 'running' AND pid = ?",
                                             [pid]).fetchall()]
        finally:
            con.close()
    except Exception:
        return  # unreadable now: Prefect keeps the run as it was
    for run_id in ids:
        body = json.dumps({"state": {"type": "CRASHED", "name": "Crashed",
                                     "message": "the process running it was killed"}, "force": True}).encode()
        req = urllib.request.Request(f"{api.rstrip('/')}/flow_runs/{run_id}/set_state", data=body,
                                     headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(req, timeout=10).close()
        except OSError:
            pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
