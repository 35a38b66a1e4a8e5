"""`communique run` and `communique prune`."""
from __future__ import annotations

import argparse
import os
import sys

EXIT_OK, EXIT_ERROR, EXIT_SOURCE, EXIT_LOCKED, EXIT_INVALID = 0, 1, 2, 3, 4


def _env() -> None:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TQDM_DISABLE", "1")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")


def main(argv: list[str] | None = None) -> int:
    _env()
    ap = argparse.ArgumentParser(prog="communique", description="News reporting on diplomacy, as data.")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the pipeline once on a folder of articles")
    run.add_argument("--source", default="seeds", help="folder of articles (default: seeds)")
    run.add_argument("--warehouse", default="warehouse/diplomacy.duckdb", help="DuckDB file")
    run.add_argument("--manifest", default=None, help="CSV: file,published_date[,title,url]")
    run.add_argument("--lock-wait", type=float, default=60.0,
                     help="seconds to wait for another process to release the warehouse (default 60)")
    run.add_argument("--max-file-bytes", type=int, default=50 * 1024 * 1024,
                     help="files larger than this are rejected (default 50 MiB)")
    run.add_argument("--allow-empty", action="store_true",
                     help="let a source folder with no files mark every known document missing")
    prune = sub.add_parser("prune", help="remove the rows of documents whose files have disappeared")
    prune.add_argument("--warehouse", default="warehouse/diplomacy.duckdb")
    prune.add_argument("--lock-wait", type=float, default=60.0)
    a = ap.parse_args(argv)

    from warehouse.store import WarehouseLocked

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
    from flows.pipeline import SourceMissing, ValidationFailed, run_pipeline
    try:
        summary = run_pipeline(source=a.source, warehouse=a.warehouse, manifest=a.manifest,
                               lock_wait=a.lock_wait, max_file_bytes=a.max_file_bytes, allow_empty=a.allow_empty)
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
          f"{summary['rejected']} rejected, {summary['quarantined']} rows quarantined; warehouse {a.warehouse}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
