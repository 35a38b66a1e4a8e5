"""The Prefect flow: read a source folder, extract in batches, validate, publish."""
from __future__ import annotations

import os
import signal
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TQDM_DISABLE", "1")

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from flows import sources
from transforms import documents as T_docs
from transforms import events as T_events
from transforms import figures as T_figures
from transforms import quotes as T_quotes
from warehouse import store

BATCH_BYTES = 4 * 1024 * 1024
PARALLEL_MIN_BYTES = 2 * 1024 * 1024  # below this, worker processes cost more than they save
BATCH_DOCS = 2000
SECONDS_PER_MB = 4.0  # default time budget of a document: MIN_SECONDS plus this per MB of text
MIN_SECONDS = 2.0
MENTION_RENAMES = {"event_type": "mention_type", "event_date": "mention_date", "date_precision": "mention_precision",
                   "date_basis": "mention_basis",
                   "channel": "mention_channel", "event_name": "mention_name", "participants": "mention_participants"}


def extractor_version() -> str:
    """A digest of the extraction rules and reference data: documents extracted by other
    rules are extracted again."""
    import hashlib
    import transforms
    root = Path(transforms.__file__).parent
    h = hashlib.sha1()
    for path in sorted(list(root.glob("*.py")) + list((root / "data").glob("*.csv"))):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


class SourceMissing(RuntimeError):
    pass


class ValidationFailed(RuntimeError):
    pass


DOC_SCHEMA = {"doc_id": pl.Utf8, "source_path": pl.Utf8, "text": pl.Utf8, "content_sha256": pl.Utf8,
              "encoding": pl.Utf8, "title": pl.Utf8, "url": pl.Utf8, "published_date": pl.Date,
              "date_source": pl.Utf8, "char_count": pl.Int32}


@task(name="discover files", cache_policy=NO_CACHE)
def discover(source: str, manifest: str | None, max_file_bytes: int) -> sources.Scan:
    root = Path(source)
    if not root.is_dir():
        raise SourceMissing(f"source folder not found: {source}")
    scan = sources.scan(root, Path(manifest) if manifest else None, max_file_bytes)
    get_run_logger().info("found %d documents, %d rejects", len(scan.documents), len(scan.rejects))
    return scan


def batches(docs: list[dict]) -> list[list[dict]]:
    out, cur, size = [], [], 0
    for d in docs:
        if cur and (size + len(d["text"]) > BATCH_BYTES or len(cur) >= BATCH_DOCS):
            out.append(cur)
            cur, size = [], 0
        cur.append(d)
        size += len(d["text"])
    if cur:
        out.append(cur)
    return out


def _span_ok(rows: pl.DataFrame, texts: dict[str, str], col: str) -> pl.DataFrame:
    ok = [0 <= s <= e <= len(texts.get(d, "")) and texts.get(d, "")[s:e] == t
          for d, s, e, t in rows.select("doc_id", "char_start", "char_end", col).iter_rows()]
    return rows.with_columns(pl.Series("span_ok", ok, pl.Boolean))


def extract_batch(rows: list[dict]) -> dict[str, pl.DataFrame]:
    """All tables for one batch of documents (pure transforms, no I/O)."""
    docs = T_docs.prepare(pl.DataFrame(rows, schema=DOC_SCHEMA))
    mentions = T_events.mentions(docs)
    quotes = T_quotes.extract(docs)
    figures = T_figures.extract(docs)
    texts = dict(zip(docs["doc_id"], docs["text"]))
    return {
        "documents": docs,
        "event_mentions": _span_ok(mentions, texts, "evidence"),
        "quotes": _span_ok(T_events.link(quotes, mentions), texts, "text"),
        "figures": _span_ok(T_events.link(figures, mentions), texts, "text"),
    }


_POOL = None
_POOL_LOCK = threading.Lock()


def _pool(workers: int):
    """Worker processes for extraction, started once for the whole run however many
    batches ask at the same time (spawned: polars is not fork-safe)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            import concurrent.futures as cf
            import multiprocessing as mp
            _POOL = cf.ProcessPoolExecutor(max_workers=max(1, min(workers, os.cpu_count() or 1)),
                                           mp_context=mp.get_context("spawn"))
        return _POOL


class OverBudget(BaseException):
    """A document (or batch) took longer than its time budget. A BaseException, so that no
    `except Exception` inside the transforms can swallow it."""


def budget(rows: list[dict], seconds_per_mb: float | None) -> float | None:
    """Seconds the extraction of rows (one document, or a batch) may take: MIN_SECONDS plus
    seconds_per_mb per MB of their text (None: no limit)."""
    if seconds_per_mb is None or seconds_per_mb <= 0:
        return None
    return MIN_SECONDS + seconds_per_mb * sum(len(r["text"]) for r in rows) / 1e6


@contextmanager
def time_limit(seconds: float | None):
    """Raise OverBudget inside the block once `seconds` have passed. A signal timer: it stops
    pure Python and regular expressions alike, but only in a process's main thread (a worker
    process, or a run with one worker); elsewhere the block runs without a limit."""
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise OverBudget(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def extract_batch_safe(rows: list[dict], seconds_per_mb: float | None = SECONDS_PER_MB) -> dict:
    """extract_batch within the batch's time budget; should one document break the transforms
    or the budget run out, the batch is redone document by document in the same process, each
    within its own budget, and a document that fails or overruns alone rejected with the reason."""
    try:
        with time_limit(budget(rows, seconds_per_mb)):
            out = extract_batch(rows)
        out["rejects"] = []
        return out
    except (Exception, OverBudget):
        parts, rejects = [], []
        for row in rows:
            limit = budget([row], seconds_per_mb)
            try:
                with time_limit(limit):
                    parts.append(extract_batch([row]))
            except OverBudget:
                rejects.append({"source_path": row["source_path"],
                                "reason": f"extraction took longer than its time budget of {limit:.1f} s "
                                          f"({MIN_SECONDS:g} s + {seconds_per_mb:g} s per MB of text; "
                                          f"see --seconds-per-mb): skipped"})
            except Exception as exc:
                rejects.append({"source_path": row["source_path"],
                                "reason": sources.printable(f"extraction failed: {type(exc).__name__}: {exc}")[:500]})
        out = {k: _concat([p[k] for p in parts]) if parts else extract_batch([])[k]
               for k in ("documents", "event_mentions", "quotes", "figures")}
        out["rejects"] = rejects
        return out


@task(name="extract batch", cache_policy=NO_CACHE)
def process_batch(rows: list[dict], workers: int = 1,
                  seconds_per_mb: float | None = SECONDS_PER_MB) -> dict[str, pl.DataFrame]:
    """Extract a batch, in a worker process when workers > 1."""
    if workers > 1:
        out = _pool(workers).submit(extract_batch_safe, rows, seconds_per_mb).result()
    else:
        out = extract_batch_safe(rows, seconds_per_mb)
    get_run_logger().info("batch of %d documents: %d mentions, %d quotes, %d figures", len(rows),
                          out["event_mentions"].height, out["quotes"].height, out["figures"].height)
    return out


@task(name="validate documents", cache_policy=NO_CACHE)
def validate_task(frames: dict[str, pl.DataFrame], run_id: str, docs_root: Path | None = None):
    from expectations.validate import validate
    return validate(frames, run_id, docs_root)


@task(name="resolve events", cache_policy=NO_CACHE)
def resolve_events(new_mentions: pl.DataFrame, kept_mentions: pl.DataFrame):
    cols = list(T_events.MENTION_SCHEMA)
    new = new_mentions.rename({v: k for k, v in MENTION_RENAMES.items() if v in new_mentions.columns})
    allm = pl.concat([kept_mentions.select([c for c in cols if c != "event_id"]),
                      new.select([c for c in cols if c != "event_id"])], how="vertical_relaxed")
    return T_events.recluster(allm)


@task(name="publish to warehouse", cache_policy=NO_CACHE)
def publish_task(con, run_id, tables, replace_ids, missing_ids, extra, counts):
    return store.publish(con, run_id, tables, replace_ids, missing_ids, extra, counts)


def _concat(parts: list[pl.DataFrame]) -> pl.DataFrame:
    return pl.concat(parts, how="vertical_relaxed") if parts else pl.DataFrame()


def run_name() -> str:
    """A flow run's name in the Prefect UI: its source folder and start time."""
    import datetime as dt
    from prefect.runtime import flow_run as fr
    source = Path(str((fr.parameters or {}).get("source", "seeds"))).name or "source"
    return f"{source} {dt.datetime.now().strftime('%Y-%m-%d %H:%M:%S')}"


@flow(name="communique-run", log_prints=True, flow_run_name=run_name)
def run_pipeline(source: str = "seeds", warehouse: str = "warehouse/diplomacy.duckdb",
                 manifest: str | None = None, lock_wait: float = 60.0,
                 max_file_bytes: int = sources.DEFAULT_MAX_FILE_BYTES, workers: int | None = None,
                 allow_empty: bool = False, seconds_per_mb: float | None = SECONDS_PER_MB) -> dict:
    """Run the whole pipeline once; returns the run's counts. workers: extraction processes
    (default: one per core when there is enough new text to share out); seconds_per_mb: the
    time budget of a document's extraction, beyond MIN_SECONDS (None or 0: no limit)."""
    logger = get_run_logger()
    run_id = str(flow_run.get_id() or uuid.uuid4())
    scan = discover(source, manifest, max_file_bytes)
    con = store.connect(warehouse, lock_wait=lock_wait)
    try:
        stale = store.open_run(con, run_id, str(source))
        if stale:
            logger.warning("earlier runs never finished and are marked interrupted: %s", ", ".join(stale))
        try:
            return _run(con, run_id, scan, logger, Path(warehouse), workers, allow_empty, seconds_per_mb)
        except BaseException as exc:
            store.fail_run(con, run_id, f"{type(exc).__name__}: {exc}")
            raise
    finally:
        con.close()


def _missing(known: pl.DataFrame, docs: list[dict], scan: sources.Scan, allow_empty: bool, logger) -> list[str]:
    """doc_ids of known documents whose source is gone: the file is no longer there, or a
    jsonl feed read in full no longer holds the line. A folder where nothing at all is found
    (empty, unmounted, every file gone at once) marks nothing missing unless allow_empty."""
    if known.height and not docs and not scan.rejects and not allow_empty:
        logger.warning("the source folder holds no files: nothing is marked missing "
                       "(run with --allow-empty to mark every document missing)")
        scan.notes.append({"source_path": "", "note": "source folder empty: nothing marked missing"})
        return []
    present_ids = {d["doc_id"] for d in docs}
    present_files = {sources.file_of(d["source_path"]) for d in docs} | \
        {sources.file_of(r["source_path"]) for r in scan.rejects}
    feeds = set(scan.feeds)
    out = []
    for doc_id, path in zip(known["doc_id"], known["source_path"]):
        f = sources.file_of(path)
        if f not in present_files or (f in feeds and "#" in path and doc_id not in present_ids):
            out.append(doc_id)
    return out


def _run(con, run_id: str, scan: sources.Scan, logger, warehouse: Path, workers: int | None,
         allow_empty: bool = False, seconds_per_mb: float | None = SECONDS_PER_MB) -> dict:
    known = store.known_documents(con)
    version = extractor_version()
    known_sha = {i: (sha, v) for i, sha, v in zip(known["doc_id"], known["content_sha256"], known["extractor_version"])}
    docs = [d.row() for d in scan.documents]
    todo = [d for d in docs if known_sha.get(d["doc_id"]) != (d["content_sha256"], version)]
    unchanged = len(docs) - len(todo)
    seen = len(docs) + len(scan.rejects)  # before extraction adds its own rejects
    missing = _missing(known, docs, scan, allow_empty, logger)
    replace = [d["doc_id"] for d in todo if d["doc_id"] in known_sha]

    parts: dict[str, list[pl.DataFrame]] = {k: [] for k in ("documents", "event_mentions", "quotes", "figures")}
    if workers is None:
        big = sum(len(d["text"]) for d in todo) >= PARALLEL_MIN_BYTES
        workers = (os.cpu_count() or 1) if big else 1
    chunks = batches(todo)
    if workers > 1 and len(chunks) < 2 * workers:  # enough batches to keep every worker busy
        per = max(1, -(-len(todo) // (2 * workers)))
        chunks = [todo[i:i + per] for i in range(0, len(todo), per)]
    if workers > 1:  # batches side by side, each in a worker process
        outs = (f.result() for f in [process_batch.submit(batch, workers, seconds_per_mb) for batch in chunks])
    else:  # one after the other in this thread, where the time budget can stop a document
        outs = (process_batch(batch, 1, seconds_per_mb) for batch in chunks)
    for out in outs:
        for k in parts:
            parts[k].append(out[k])
        scan.rejects.extend(out["rejects"])
    frames = {k: _concat(v) for k, v in parts.items()} if todo else extract_batch([])
    for path, note in frames["documents"].filter(pl.col("note").is_not_null()).select("source_path", "note").iter_rows():
        scan.notes.append({"source_path": path, "note": note})
    frames["event_mentions"] = frames["event_mentions"].rename(MENTION_RENAMES)

    docs_root = warehouse.parent / "validation" / "gx" / warehouse.stem  # one GX context per warehouse
    outcome = validate_task.with_options(name="validate documents, mentions, quotes, figures")(frames, run_id, docs_root)
    clean = outcome.clean
    # rows of a quarantined document are not published either
    good_docs = set(clean["documents"]["doc_id"])
    for k in ("event_mentions", "quotes", "figures"):
        clean[k] = clean[k].filter(pl.col("doc_id").is_in(list(good_docs)))
    kept = store.all_mentions(con).filter(~pl.col("doc_id").is_in(replace))
    clustered, events, participants = resolve_events(clean["event_mentions"], kept)
    ev_outcome = validate_task.with_options(name="validate events")(
        {"events": events, "event_participants": participants}, run_id, docs_root)
    failures = outcome.failures + ev_outcome.failures
    results = pl.concat([outcome.results, ev_outcome.results])
    quarantine = pl.concat([outcome.quarantine, ev_outcome.quarantine])
    _report(warehouse, run_id, results, quarantine)
    if failures:
        store.insert(con, "validation_results", results)
        raise ValidationFailed("critical expectation failed: " + "; ".join(failures))
    tables = {**clean, "clustered": clustered, "events": ev_outcome.clean["events"],
              "event_participants": ev_outcome.clean["event_participants"]}
    rejects = pl.DataFrame([{"run_id": run_id, **r} for r in scan.rejects],
                           schema={"run_id": pl.Utf8, "source_path": pl.Utf8, "reason": pl.Utf8})
    docs_frame = clean["documents"].with_columns(pl.lit(run_id).alias("run_id"), pl.lit(version).alias("extractor_version"))
    tables["documents"] = docs_frame
    for k in ("event_mentions", "quotes", "figures"):
        tables[k] = tables[k].with_columns(pl.lit(run_id).alias("run_id"))
    counts = {"seen": seen, "loaded": docs_frame.height, "unchanged": unchanged,
              "rejected": len(scan.rejects), "missing": len(missing), "quarantined": quarantine.height,
              "message": _message(scan, quarantine.height)}
    notes = pl.DataFrame([{"run_id": run_id, **n} for n in scan.notes],
                         schema={"run_id": pl.Utf8, "source_path": pl.Utf8, "note": pl.Utf8})
    extra = {"rejects": rejects, "notes": notes, "quarantine": quarantine, "validation_results": results}
    rows = publish_task(con, run_id, tables, replace, missing, extra, counts)
    for r in scan.rejects:
        logger.warning("rejected %s: %s", sources.printable(r["source_path"]), sources.printable(r["reason"]))
    for n in scan.notes:
        logger.warning("%s: %s", sources.printable(n["source_path"]), sources.printable(n["note"]))
    summary = {"run_id": run_id, **counts, **{f"{k}_rows": v for k, v in rows.items()}}
    _artifacts(summary, scan, quarantine, results, sum(len(d["text"]) for d in todo))
    logger.info("run %s: %s", run_id, summary)
    return summary


def _message(scan: sources.Scan, quarantined: int) -> str | None:
    """runs.message: what a reader of `communique status` should know of the run."""
    parts = []
    if scan.rejects:
        parts.append(f"{len(scan.rejects)} rejected")
    if quarantined:
        parts.append(f"{quarantined} rows quarantined")
    if scan.notes:
        first = scan.notes[0]
        parts.append(f"{len(scan.notes)} notes (first: {(first['source_path'] + ': ') if first['source_path'] else ''}"
                     f"{first['note']})")
    return "; ".join(parts) or None


def _artifacts(summary: dict, scan: sources.Scan, quarantine: pl.DataFrame, results: pl.DataFrame,
               n_chars: int) -> None:
    """Keyed artifacts of the run for the Prefect UI: a summary, and tables of rejects,
    quarantined rows and failed expectations (each empty table says so)."""
    import time
    from prefect.artifacts import create_markdown_artifact, create_table_artifact
    from prefect.context import get_run_context
    try:
        start = get_run_context().flow_run.start_time
        seconds = max(1e-3, time.time() - start.timestamp()) if start else None
    except Exception:
        seconds = None
    rate = f"{n_chars / 1e6 / seconds:.2f} MB/s" if seconds else "n/a"
    md = ("# Communiqué run\n\n| | |\n|---|---|\n" +
          "".join(f"| {k} | {v} |\n" for k, v in [
              ("documents seen", summary["seen"]), ("loaded", summary["loaded"]), ("unchanged", summary["unchanged"]),
              ("rejected", summary["rejected"]), ("missing", summary["missing"]),
              ("rows quarantined", summary["quarantined"]),
              *[(f"{k[:-5].replace('_', ' ')} rows", v) for k, v in summary.items() if k.endswith("_rows")],
              ("duration", f"{seconds:.1f} s" if seconds else "n/a"), ("extraction rate", rate)]))
    create_markdown_artifact(key="communique-run-summary", markdown=md, description="counts of this run")
    create_table_artifact(key="communique-rejects", description="inputs this run could not take, with why",
                          table=[{"source_path": r["source_path"], "reason": r["reason"]} for r in scan.rejects[:1000]]
                          or [{"source_path": "", "reason": "no rejects"}])
    create_table_artifact(key="communique-quarantine", description="rows that failed a row-level expectation",
                          table=quarantine.drop([c for c in ("row_json",) if c in quarantine.columns]).head(1000)
                          .cast(pl.Utf8, strict=False).to_dicts() or [{"table": "", "expectation": "no rows quarantined"}])
    failed = results.filter(~pl.col("success")) if results.height else results
    create_table_artifact(key="communique-failed-expectations", description="expectations that failed in this run",
                          table=failed.cast(pl.Utf8, strict=False).to_dicts() or [{"expectation": "none failed"}])


def _report(warehouse: Path, run_id: str, results: pl.DataFrame, quarantine: pl.DataFrame) -> None:
    try:
        from expectations.report import write_report
        write_report(warehouse.parent / "validation", run_id, results, quarantine)
    except Exception as exc:  # a report that cannot be written never stops a load
        get_run_logger().warning("validation report not written: %s", exc)
