"""The command line: `communique run`, `serve`, `status`, `prune` and `report`."""
from __future__ import annotations

import argparse
import atexit
import os
import sys

from flows import settings

EXIT_OK, EXIT_ERROR, EXIT_SOURCE, EXIT_LOCKED, EXIT_INVALID = 0, 1, 2, 3, 4
EXIT_CANCELLED = 130


def _env() -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TQDM_DISABLE", "1")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")


def main(argv: list[str] | None = None) -> int:
    _env()
    ap = argparse.ArgumentParser(prog="communique", description="News reporting on diplomacy, as data.")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the pipeline once on a folder of articles",
                         epilog="Each setting may also come from COMMUNIQUE_<NAME> or communique.toml; see flows/settings.py.")
    serve = sub.add_parser("serve", help="serve the run on a schedule through Prefect (one run at a time)")
    when = serve.add_mutually_exclusive_group(required=True)
    when.add_argument("--cron", help="cron expression, e.g. '0 * * * *' for every hour")
    when.add_argument("--interval", type=float, help="seconds between runs")
    for p in (run, serve):
        settings.add_arguments(p)
    st = sub.add_parser("status", help="print the recent runs of a warehouse")
    settings.add_arguments(st, ["warehouse"])
    st.add_argument("--limit", type=int, default=10)
    prune = sub.add_parser("prune", help="remove the rows of documents whose files have disappeared")
    settings.add_arguments(prune, ["warehouse", "lock_wait"])
    rep = sub.add_parser("report", help="write one self-contained HTML report of a warehouse: charts and tables")
    settings.add_arguments(rep, ["warehouse"])
    rep.add_argument("--out", help="the HTML file (default: report.html beside the warehouse)")
    a = ap.parse_args(argv)
    try:
        cfg = settings.resolve(a)
    except settings.ConfigError as exc:
        print(f"communique: {exc}", file=sys.stderr)
        return EXIT_SOURCE
    for k, v in cfg.items():
        setattr(a, k, v)
    if getattr(a, "runner", "local") not in ("local", "dask"):
        print(f"communique: --runner must be local or dask, not {a.runner!r}", file=sys.stderr)
        return EXIT_SOURCE
    if getattr(a, "quiet", False):  # warnings and errors only on the console; Prefect's logs keep all
        os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] = "WARNING"

    from warehouse.store import WarehouseLocked

    if a.command == "status":
        return status(a.warehouse, a.limit)
    if a.command == "report":
        return write_report(a.warehouse, a.out)
    if a.command == "serve":
        return serve_schedule(a)

    if a.command == "prune":
        from warehouse import store
        try:
            con = store.connect(a.warehouse, lock_wait=a.lock_wait)
        except WarehouseLocked as exc:
            print(f"communique: {exc}", file=sys.stderr)
            return EXIT_LOCKED
        n = store.prune(con)
        con.close()
        print(f"removed {n} documents whose source files are gone")
        return EXIT_OK

    if not os.path.isdir(a.source):
        print(f"communique: source folder not found: {a.source}", file=sys.stderr)
        return EXIT_SOURCE
    if a.manifest and not os.path.isfile(a.manifest):
        print(f"communique: manifest not found: {a.manifest}", file=sys.stderr)
        return EXIT_SOURCE
    # at exit, after Prefect's own exit work (registered later, so run earlier), whatever the
    # run started is stopped: nothing of it outlives the command
    atexit.register(stop_left_behind, start_reaper(a.warehouse))
    return run_once(a)


def run_once(a) -> int:
    """One run of the flow with the resolved settings a; its exit code, the reason on stderr."""
    from flows.pipeline import RunCancelled, SourceMissing, ValidationFailed, run_pipeline
    from warehouse.store import RunInProgress, WarehouseLocked
    try:
        summary = run_pipeline(**run_parameters(a))
    except (RunCancelled, KeyboardInterrupt) as exc:
        print(f"communique: run cancelled ({exc or 'interrupted'}); the warehouse is as it was", file=sys.stderr)
        return EXIT_CANCELLED
    except RunInProgress as exc:
        print(f"communique: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except WarehouseLocked as exc:
        print(f"communique: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except ValidationFailed as exc:
        print(f"communique: nothing published: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except SourceMissing as exc:
        print(f"communique: {exc}", file=sys.stderr)
        return EXIT_SOURCE
    except Exception as exc:
        print(f"communique: run failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
              file=sys.stderr)
        return EXIT_ERROR
    print(f"run {summary['run_id']}: {summary['loaded']} documents loaded, {summary['unchanged']} unchanged, "
          f"{summary['rejected']} rejected, {summary['quarantined']} rows quarantined; warehouse {a.warehouse}"
          + (f"; report {summary['report']}" if summary.get("report") else ""))
    return EXIT_OK


def start_reaper(warehouse: str | None = None):
    """A watcher for the case this process is killed outright (SIGKILL): it then stops what
    the process started (Prefect's temporary server, extraction workers) and tells Prefect
    the run crashed (flows/reaper.py). A run that ends any other way stops it first
    (stop_left_behind), so that nothing of the run outlives it."""
    import subprocess
    if not os.path.isdir("/proc"):
        return None
    args = [str(os.getpid())] + ([os.path.abspath(warehouse)] if warehouse else [])
    return subprocess.Popen([sys.executable, "-m", "flows.reaper", *args], start_new_session=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_left_behind(reaper) -> None:
    """At the command's exit: stop every process this one started that is still alive (a
    worker, a server), then the watcher, and wait for them, so that when `communique run`
    returns no process of it is alive and the warehouse is free."""
    if reaper is None or reaper.poll() is not None:
        return
    from flows.reaper import descendants, reap
    reap(descendants(os.getpid()) - {reaper.pid, os.getpid()})
    reaper.kill()
    reaper.wait()


def run_parameters(a) -> dict:
    """The flow's parameters from resolved settings."""
    return {"source": a.source, "warehouse": a.warehouse, "manifest": a.manifest, "lock_wait": a.lock_wait,
            "max_file_bytes": a.max_file_bytes, "allow_empty": a.allow_empty, "seconds_per_mb": a.seconds_per_mb,
            "workers": a.workers, "full_refresh": a.full_refresh, "runner": a.runner, "dask_address": a.dask_address}


def status(warehouse: str, limit: int = 10) -> int:
    """The recent runs of a warehouse: when, how long, status, counts and reason."""
    import duckdb
    if not os.path.isfile(warehouse):
        print(f"communique: warehouse not found: {warehouse}", file=sys.stderr)
        return EXIT_SOURCE
    try:
        con = duckdb.connect(warehouse, read_only=True)
    except duckdb.Error as exc:
        print(f"communique: warehouse unreadable: {str(exc).splitlines()[0]}", file=sys.stderr)
        return EXIT_LOCKED if "lock" in str(exc).lower() else EXIT_ERROR
    try:
        rows = con.execute("""SELECT started_at, finished_at, status, documents_seen, documents_loaded,
                                     documents_unchanged, documents_rejected, documents_missing, quarantined_rows,
                                     events_rows, quotes_rows, figures_rows, message, run_id, pid, host
                              FROM runs ORDER BY started_at DESC LIMIT ?""", [limit]).fetchall()
    finally:
        con.close()
    if not rows:
        print("no runs yet")
        return EXIT_OK
    from warehouse.store import process_running
    for (start, end, st, seen, loaded, unchanged, rejected, missing, quar, ev, qu, fi, msg, rid, pid, host) in rows:
        if st == "running" and not process_running(pid, host):
            st, msg = "interrupted", "its process is gone (the next run records it)"
        took = f"{(end - start).total_seconds():.0f} s" if end and start else "-"
        print(f"{start:%Y-%m-%d %H:%M:%S}  {st:<11} {took:>6}  seen {seen or 0}, loaded {loaded or 0}, "
              f"unchanged {unchanged or 0}, rejected {rejected or 0}, missing {missing or 0}, quarantined {quar or 0}; "
              f"events {ev or 0}, quotes {qu or 0}, figures {fi or 0}  [{rid}]" + (f"  {msg}" if msg else ""))
    return EXIT_OK


def write_report(warehouse: str, out: str | None) -> int:
    """`communique report`: the warehouse's HTML report, read-only (a run may be going)."""
    import duckdb
    if not os.path.isfile(warehouse):
        print(f"communique: warehouse not found: {warehouse}", file=sys.stderr)
        return EXIT_SOURCE
    from warehouse import report
    try:
        done = report.build(warehouse, out or os.path.join(os.path.dirname(os.path.abspath(warehouse)), "report.html"))
    except duckdb.Error as exc:
        print(f"communique: warehouse unreadable: {str(exc).splitlines()[0]}", file=sys.stderr)
        return EXIT_LOCKED if "lock" in str(exc).lower() else EXIT_ERROR
    print(f"report {done['path']}: {done['bytes'] / 1e6:.1f} MB in {done['seconds']:.1f} s; {done['events']} events, "
          f"{done['quotes']} quotes, {done['figures']} figures")
    return EXIT_OK


def serve_schedule(a) -> int:
    """Serve the flow with Prefect's own serving: a deployment with the schedule, one run at
    a time, until interrupted. Runs show in the Prefect UI of the server at PREFECT_API_URL."""
    if not os.environ.get("PREFECT_API_URL"):
        print("communique: serve needs a Prefect server to keep the schedule: start one with "
              "`prefect server start` and set PREFECT_API_URL (see the README)", file=sys.stderr)
        return EXIT_SOURCE
    if not os.path.isdir(a.source):
        print(f"communique: source folder not found: {a.source}", file=sys.stderr)
        return EXIT_SOURCE
    from flows.pipeline import run_pipeline
    atexit.register(stop_left_behind, start_reaper())
    params = run_parameters(a)
    params.update(source=os.path.abspath(a.source), warehouse=os.path.abspath(a.warehouse),
                  manifest=os.path.abspath(a.manifest) if a.manifest else None)
    run_pipeline.serve(name="communique-scheduled", cron=a.cron, interval=a.interval, parameters=params, limit=1,
                       pause_on_shutdown=False)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
