"""The Prefect flow: read a source folder, extract in batches, validate, publish."""
from __future__ import annotations

import os
import signal
import threading
import time
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
from transforms.rules.budget import OverBudget, cpu_budget
from warehouse import store

BATCH_BYTES = 4 * 1024 * 1024
PARALLEL_MIN_BYTES = 2 * 1024 * 1024  # below this, worker processes cost more than they save
BATCH_DOCS = 2000
# default time budget of a document: MIN_SECONDS plus this per MB of text. The densest
# legitimate text measured (a readout whose every sentence holds names, a quote, figures
# and an event) takes about 4.5 CPU s per MB: the budget leaves twice that, so that a busy
# or slower machine never rejects such a text; it is a backstop, every rule being linear.
SECONDS_PER_MB = 10.0
MIN_SECONDS = 2.0
MENTION_RENAMES = {"event_type": "mention_type", "event_date": "mention_date", "date_precision": "mention_precision",
                   "date_basis": "mention_basis",
                   "channel": "mention_channel", "event_name": "mention_name", "participants": "mention_participants"}


def extractor_version() -> str:
    """A digest of every file the extraction reads (all of transforms/: code, rule files,
    vocabularies and reference data): documents extracted by other rules are extracted again."""
    import hashlib
    import transforms
    root = Path(transforms.__file__).parent
    h = hashlib.sha1()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".csv", ".yaml")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


class SourceMissing(RuntimeError):
    pass


class ValidationFailed(RuntimeError):
    pass


DOC_SCHEMA = {"doc_id": pl.Utf8, "source_path": pl.Utf8, "text": pl.Utf8, "content_sha256": pl.Utf8,
              "encoding": pl.Utf8, "title": pl.Utf8, "url": pl.Utf8, "published_date": pl.Date,
              "date_source": pl.Utf8, "char_count": pl.Int32, "file_size": pl.Int64, "file_mtime_ns": pl.Int64}


@task(name="discover files", cache_policy=NO_CACHE)
def discover(source: str, manifest: str | None, max_file_bytes: int,
             known_files: dict | None = None) -> sources.Scan:
    progress = Progress("read", "files")
    scan = sources.scan(Path(source), Path(manifest) if manifest else None, max_file_bytes, known_files,
                        progress=lambda done, total, nbytes: progress.update(done, total, nbytes))
    get_run_logger().info("found %d documents, %d files unchanged, %d rejects", len(scan.documents),
                          len(scan.unchanged_files), len(scan.rejects))
    return scan


class Progress:
    """Progress of a long step, logged to Prefect's logs (and so to the console, unless
    `communique run --quiet`) at most every few seconds: done of total, MB/s, time left."""

    def __init__(self, verb: str, unit: str, every: float = 5.0):
        self.verb, self.unit, self.every = verb, unit, every
        self.t0 = self.last = time.monotonic()

    def update(self, done: int, total: int, nbytes: int) -> None:
        t = time.monotonic()
        if t - self.last < self.every or done >= total or total == 0:
            return
        self.last = t
        rate = nbytes / 1e6 / max(t - self.t0, 1e-6)
        left = (t - self.t0) * (total - done) / max(done, 1)
        line = f"{self.verb} {done} of {total} {self.unit}, {nbytes / 1e6:.1f} MB, {rate:.2f} MB/s, about {left:.0f} s left"
        get_run_logger().info(line)


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
    """All tables for one batch of documents (pure transforms, no I/O), and the seconds its
    stages took (annotate: reading each document once; extract: the three extractors)."""
    t0 = time.perf_counter()
    frame = pl.DataFrame(rows, schema=DOC_SCHEMA)
    anns = T_docs.annotate(frame)  # the one reading of each document, handed to every extractor
    docs = T_docs.prepare(frame, anns)
    t1 = time.perf_counter()
    mentions = T_events.mentions(docs, anns)
    quotes = T_quotes.extract(docs, anns)
    figures = T_figures.extract(docs, anns)
    texts = dict(zip(docs["doc_id"], docs["text"]))
    return {"seconds": {"annotate": t1 - t0, "extract": time.perf_counter() - t1},
        "documents": docs,
        "event_mentions": _span_ok(mentions, texts, "evidence"),
        "quotes": _span_ok(T_events.link(quotes, mentions), texts, "text"),
        "figures": _span_ok(T_events.link(figures, mentions), texts, "text"),
    }


_POOL = None
_POOL_LOCK = threading.Lock()


def _pool(workers: int):
    """Worker processes for extraction, started once for the whole run however many
    batches ask at the same time (spawned: polars is not fork-safe). Each worker exits on
    its own when the process that started it is gone, even killed with SIGKILL."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            import concurrent.futures as cf
            import multiprocessing as mp
            _POOL = cf.ProcessPoolExecutor(max_workers=max(1, min(workers, os.cpu_count() or 1)),
                                           mp_context=mp.get_context("spawn"), initializer=watch_parent,
                                           initargs=(os.getpid(),))
        return _POOL


def watch_parent(parent: int, every: float = 1.0) -> None:
    """In a child process: exit as soon as `parent` is gone (the child is handed to another
    parent). Checked every `every` seconds by a daemon thread."""
    def watch():
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(every)
    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


def _shutdown_pool() -> None:
    """Stop the worker processes now, work in hand or not (a cancelled or failed run)."""
    global _POOL
    with _POOL_LOCK:
        pool, _POOL = _POOL, None
    if pool is None:
        return
    procs = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=2)
        if p.is_alive():
            p.kill()


def budget(rows: list[dict], seconds_per_mb: float | None) -> float | None:
    """CPU seconds the extraction of rows (one document, or a batch) may take: MIN_SECONDS
    plus seconds_per_mb per MB of their text (None: no limit)."""
    if seconds_per_mb is None or seconds_per_mb <= 0:
        return None
    return MIN_SECONDS + seconds_per_mb * sum(len(r["text"]) for r in rows) / 1e6


def extract_batch_safe(rows: list[dict], seconds_per_mb: float | None = SECONDS_PER_MB) -> dict:
    """extract_batch within the batch's time budget; should one document break the transforms
    or the budget run out, the batch is redone document by document in the same process, each
    within its own budget, and a document that fails or overruns alone rejected with the reason."""
    try:
        with cpu_budget(budget(rows, seconds_per_mb)):
            out = extract_batch(rows)
        out["rejects"] = []
        return out
    except (Exception, OverBudget):
        parts, rejects = [], []
        for row in rows:
            limit = budget([row], seconds_per_mb)
            try:
                with cpu_budget(limit):
                    parts.append(extract_batch([row]))
            except OverBudget:
                rejects.append({"source_path": row["source_path"],
                                "reason": f"extraction took longer than its budget of {limit:.1f} CPU seconds "
                                          f"({MIN_SECONDS:g} s + {seconds_per_mb:g} s per MB of text; "
                                          f"see --seconds-per-mb): skipped"})
            except Exception as exc:
                rejects.append({"source_path": row["source_path"],
                                "reason": sources.printable(f"extraction failed: {type(exc).__name__}: {exc}")[:500]})
        out = {k: _concat([p[k] for p in parts]) if parts else extract_batch([])[k]
               for k in ("documents", "event_mentions", "quotes", "figures")}
        out["seconds"] = {s: sum(p["seconds"][s] for p in parts) for s in ("annotate", "extract")}
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


@task(name="extract batches on dask", cache_policy=NO_CACHE)
def extract_on_dask(chunks: list[list[dict]], address: str | None, workers: int,
                    seconds_per_mb: float | None) -> list[dict]:
    """Every batch extracted on a Dask cluster: the one at `address`, else a local cluster of
    `workers` processes started for this run and closed after it. (Dask runs a task in a
    worker thread, where the time budget cannot stop a document.)"""
    from distributed import Client, LocalCluster
    logger = get_run_logger()
    cluster = None
    if address:
        client = Client(address, timeout=30)
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        logger.info("extracting %d batches on the Dask cluster %s", len(chunks), client.scheduler.address)
        futures = client.map(extract_batch_safe, chunks, seconds_per_mb=seconds_per_mb, pure=False)
        return client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


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
                 allow_empty: bool = False, seconds_per_mb: float | None = SECONDS_PER_MB,
                 full_refresh: bool = False, runner: str = "local", dask_address: str | None = None) -> dict:
    """Run the whole pipeline once; returns the run's counts.

    The warehouse is opened for writing twice, briefly: to record the run, and to publish
    it; in between it is read once and closed, so analysts' read-only sessions work during
    extraction and validation. workers: extraction processes (default: one per core when
    there is enough new text to share out); seconds_per_mb: the time budget of a document's
    extraction beyond MIN_SECONDS (None or 0: no limit); full_refresh: read every file again,
    changed or not; runner "dask": extract on the Dask cluster at dask_address (a local one
    when None)."""
    logger = get_run_logger()
    run_id = str(flow_run.get_id() or uuid.uuid4())
    wh = Path(warehouse)
    if not Path(source).is_dir():
        raise SourceMissing(f"source folder not found: {source}")
    with store.opened(wh, lock_wait) as con:
        stale = store.open_run(con, run_id, str(source))
    if stale:
        logger.warning("earlier runs never finished and are marked interrupted: %s", ", ".join(stale))
    try:
        with cancel_on_signals():
            return _run(run_id, logger, wh, source, manifest, max_file_bytes, lock_wait, workers, allow_empty,
                        seconds_per_mb, full_refresh, runner, dask_address)
    except BaseException as exc:
        status = "cancelled" if isinstance(exc, (RunCancelled, KeyboardInterrupt)) else "failed"
        _shutdown_pool()
        try:
            with store.opened(wh, min(lock_wait, 10.0)) as con:
                store.fail_run(con, run_id, f"{type(exc).__name__}: {exc}", status)
        except Exception:  # the warehouse stays as it was; the next run marks this one interrupted
            pass
        raise


class RunCancelled(BaseException):
    """SIGTERM or SIGINT asked the run to stop."""


@contextmanager
def cancel_on_signals():
    """Within the block, SIGTERM and SIGINT raise RunCancelled (in the main thread, where the
    flow runs): the run stops where it is, publishes nothing and is marked cancelled."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_signal(signum, frame):
        raise RunCancelled(f"stopped by {signal.Signals(signum).name}")

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _missing(known: pl.DataFrame, docs: list[dict], scan: sources.Scan, allow_empty: bool, logger) -> list[str]:
    """doc_ids of known documents whose source is gone: the file is no longer there, or a
    jsonl feed read in full no longer holds the line. A folder where nothing at all is found
    (empty, unmounted, every file gone at once) marks nothing missing unless allow_empty."""
    if known.height and not docs and not scan.rejects and not scan.unchanged_files and not allow_empty:
        logger.warning("the source folder holds no files: nothing is marked missing "
                       "(run with --allow-empty to mark every document missing)")
        scan.notes.append({"source_path": "", "note": "source folder empty: nothing marked missing"})
        return []
    present_ids = {d["doc_id"] for d in docs}
    present_files = {sources.file_of(d["source_path"]) for d in docs} | \
        {sources.file_of(r["source_path"]) for r in scan.rejects} | set(scan.unchanged_files)
    feeds = set(scan.feeds)
    out = []
    for doc_id, path in zip(known["doc_id"], known["source_path"]):
        f = sources.file_of(path)
        if f not in present_files or (f in feeds and "#" in path and doc_id not in present_ids):
            out.append(doc_id)
    return out


def _known_files(known: pl.DataFrame, version: str) -> dict[str, tuple[int, int, str | None]]:
    """(size, mtime_ns, sha256) of each file the warehouse holds documents of, read by this
    extractor version: the files a run need not read again when they have not changed."""
    out = {}
    for path, size, mtime, sha, v, missing in known.select(
            "source_path", "file_size", "file_mtime_ns", "content_sha256", "extractor_version",
            "missing_since").iter_rows():
        if size is None or mtime is None or v != version or missing is not None:
            continue
        f = sources.file_of(path)
        out[f] = (size, mtime, None if "#" in path else sha)
    return out


def _run(run_id: str, logger, warehouse: Path, source: str, manifest: str | None, max_file_bytes: int,
         lock_wait: float, workers: int | None, allow_empty: bool, seconds_per_mb: float | None,
         full_refresh: bool, runner: str = "local", dask_address: str | None = None) -> dict:
    t0 = time.monotonic()
    stages = {s: 0.0 for s in ("read", "annotate", "extract", "validate", "resolve", "publish")}
    version = extractor_version()
    with store.opened(warehouse, lock_wait, read_only=True) as con:
        known = store.known_documents(con)
    scan = discover(source, manifest, max_file_bytes, None if full_refresh else _known_files(known, version))
    stages["read"] = time.monotonic() - t0
    known_sha = {i: (sha, v) for i, sha, v in zip(known["doc_id"], known["content_sha256"], known["extractor_version"])}
    docs = [d.row() for d in scan.documents]
    todo = docs if full_refresh else [d for d in docs if known_sha.get(d["doc_id"]) != (d["content_sha256"], version)]
    unchanged_files = set(scan.unchanged_files)
    not_read = sum(1 for p in known["source_path"] if sources.file_of(p) in unchanged_files)  # their documents
    unchanged = len(docs) - len(todo) + not_read
    seen = len(docs) + not_read + len(scan.rejects)  # before extraction adds its own rejects
    missing = _missing(known, docs, scan, allow_empty, logger)
    replace = [d["doc_id"] for d in todo if d["doc_id"] in known_sha]
    already_missing = set(known.filter(pl.col("missing_since").is_not_null())["doc_id"])

    if not todo and set(missing) == already_missing:  # nothing to extract, nothing newly gone or back
        counts = {"seen": seen, "loaded": 0, "unchanged": unchanged, "rejected": len(scan.rejects),
                  "missing": len(missing), "quarantined": 0, "message": _message(scan, 0)}
        with store.opened(warehouse, lock_wait) as con:
            rows = store.record_noop(con, run_id, counts, _inputs(run_id, scan))
        stages["publish"] = time.monotonic() - t0 - stages["read"]
        return _finish(logger, run_id, scan, counts, rows, pl.DataFrame(), pl.DataFrame(), 0, t0, "nothing changed: ",
                       stages)

    parts: dict[str, list[pl.DataFrame]] = {k: [] for k in ("documents", "event_mentions", "quotes", "figures")}
    total_bytes = sum(len(d["text"]) for d in todo)
    if workers is None:
        workers = (os.cpu_count() or 1) if total_bytes >= PARALLEL_MIN_BYTES else 1
    chunks = batches(todo)
    if workers > 1 and len(chunks) < 2 * workers:  # enough batches to keep every worker busy
        per = max(1, -(-len(todo) // (2 * workers)))
        chunks = [todo[i:i + per] for i in range(0, len(todo), per)]
    if runner == "dask":
        outs = extract_on_dask(chunks, dask_address, workers, seconds_per_mb)
    elif workers > 1:  # batches side by side, each in a worker process
        outs = (f.result() for f in [process_batch.submit(batch, workers, seconds_per_mb) for batch in chunks])
    else:  # one after the other in this thread, where the time budget can stop a document
        outs = (process_batch(batch, 1, seconds_per_mb) for batch in chunks)
    progress = Progress("extracted", "documents")
    done_docs = done_bytes = 0
    for batch, out in zip(chunks, outs):
        for k in parts:
            parts[k].append(out[k])
        scan.rejects.extend(out["rejects"])
        for s in ("annotate", "extract"):
            stages[s] += out["seconds"][s]
        done_docs += len(batch)
        done_bytes += sum(len(d["text"]) for d in batch)
        progress.update(done_docs, len(todo), done_bytes)
    frames = {k: _concat(v) for k, v in parts.items()} if todo else \
        {k: v for k, v in extract_batch([]).items() if k != "seconds"}
    for path, note in frames["documents"].filter(pl.col("note").is_not_null()).select("source_path", "note").iter_rows():
        scan.notes.append({"source_path": path, "note": note})
    frames["event_mentions"] = frames["event_mentions"].rename(MENTION_RENAMES)

    docs_root = warehouse.parent / "validation" / "gx" / warehouse.stem  # one GX context per warehouse
    t_validate = time.monotonic()
    outcome = validate_task.with_options(name="validate documents, mentions, quotes, figures")(frames, run_id, docs_root)
    clean = outcome.clean
    # rows of a quarantined document are not published either
    good_docs = set(clean["documents"]["doc_id"])
    for k in ("event_mentions", "quotes", "figures"):
        clean[k] = clean[k].filter(pl.col("doc_id").is_in(list(good_docs)))
    stages["validate"] = time.monotonic() - t_validate
    t_resolve = time.monotonic()
    with store.opened(warehouse, lock_wait, read_only=True) as con:
        kept = store.all_mentions(con).filter(~pl.col("doc_id").is_in(replace))
    clustered, events, participants = resolve_events(clean["event_mentions"], kept)
    stages["resolve"] = time.monotonic() - t_resolve
    t_validate = time.monotonic()
    ev_outcome = validate_task.with_options(name="validate events")(
        {"events": events, "event_participants": participants}, run_id, docs_root)
    failures = outcome.failures + ev_outcome.failures
    results = pl.concat([outcome.results, ev_outcome.results])
    quarantine = pl.concat([outcome.quarantine, ev_outcome.quarantine])
    _report(warehouse, docs_root, run_id, results, quarantine)
    stages["validate"] += time.monotonic() - t_validate
    if failures:
        with store.opened(warehouse, lock_wait) as con:
            store.insert(con, "validation_results", results)
        raise ValidationFailed("critical expectation failed: " + "; ".join(failures))
    tables = {**clean, "clustered": clustered, "events": ev_outcome.clean["events"],
              "event_participants": ev_outcome.clean["event_participants"]}
    docs_frame = clean["documents"].with_columns(pl.lit(run_id).alias("run_id"), pl.lit(version).alias("extractor_version"))
    tables["documents"] = docs_frame
    for k in ("event_mentions", "quotes", "figures"):
        tables[k] = tables[k].with_columns(pl.lit(run_id).alias("run_id"))
    counts = {"seen": seen, "loaded": docs_frame.height, "unchanged": unchanged,
              "rejected": len(scan.rejects), "missing": len(missing), "quarantined": quarantine.height,
              "message": _message(scan, quarantine.height)}
    extra = {**_inputs(run_id, scan), "quarantine": quarantine, "validation_results": results}
    t_publish = time.monotonic()
    with store.opened(warehouse, lock_wait) as con:  # the only write of the run's rows, in one transaction
        rows = publish_task(con, run_id, tables, replace, missing, extra, counts)
    stages["publish"] = time.monotonic() - t_publish
    return _finish(logger, run_id, scan, counts, rows, quarantine, results, total_bytes, t0, "", stages)


def _inputs(run_id: str, scan: sources.Scan) -> dict[str, pl.DataFrame]:
    """The run's rows of the rejects and notes tables."""
    return {"rejects": pl.DataFrame([{"run_id": run_id, **r} for r in scan.rejects],
                                    schema={"run_id": pl.Utf8, "source_path": pl.Utf8, "reason": pl.Utf8}),
            "notes": pl.DataFrame([{"run_id": run_id, **n} for n in scan.notes],
                                  schema={"run_id": pl.Utf8, "source_path": pl.Utf8, "note": pl.Utf8})}


def _finish(logger, run_id: str, scan: sources.Scan, counts: dict, rows: dict, quarantine: pl.DataFrame,
            results: pl.DataFrame, n_chars: int, t0: float, what: str = "", stages: dict | None = None) -> dict:
    """After publishing: the inputs' warnings in the log, the artifacts, and the run's summary
    (with the seconds of each stage; annotate and extract summed over the worker processes)."""
    _log_inputs(logger, scan)
    summary = {"run_id": run_id, **counts, "files_unchanged": len(scan.unchanged_files),
               **{f"{k}_rows": v for k, v in rows.items()},
               "seconds": {k: round(v, 2) for k, v in (stages or {}).items()}}
    _artifacts(summary, scan, quarantine, results, n_chars, time.monotonic() - t0)
    logger.info("run %s: %s%s", run_id, what, summary)
    return summary


def _log_inputs(logger, scan: sources.Scan) -> None:
    for r in scan.rejects:
        logger.warning("rejected %s: %s", sources.printable(r["source_path"]), sources.printable(r["reason"]))
    for n in scan.notes:
        where = sources.printable(n["source_path"])
        logger.warning("%s%s", f"{where}: " if where else "", sources.printable(n["note"]))


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
               n_chars: int, seconds: float | None = None) -> None:
    """Keyed artifacts of the run for the Prefect UI: a summary, and tables of rejects,
    quarantined rows and failed expectations (each empty table says so)."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact
    rate = f"{n_chars / 1e6 / seconds:.2f} MB/s" if seconds else "n/a"
    md = ("# Communiqué run\n\n| | |\n|---|---|\n" +
          "".join(f"| {k} | {v} |\n" for k, v in [
              ("documents seen", summary["seen"]), ("loaded", summary["loaded"]), ("unchanged", summary["unchanged"]),
              ("files not read again (same size and time)", summary.get("files_unchanged", 0)),
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
    failed = results.filter(~pl.col("success")) if results.height else pl.DataFrame()
    create_table_artifact(key="communique-failed-expectations", description="expectations that failed in this run",
                          table=failed.cast(pl.Utf8, strict=False).to_dicts() or [{"expectation": "none failed"}])


def _report(warehouse: Path, docs_root: Path, run_id: str, results: pl.DataFrame, quarantine: pl.DataFrame) -> None:
    """The run's validation report, and the GX Data Docs of the warehouse (under docs_root), built once."""
    try:
        from expectations.report import write_report
        from expectations.validate import build_docs
        build_docs(docs_root)
        write_report(warehouse.parent / "validation", run_id, results, quarantine)
    except Exception as exc:  # a report that cannot be written never stops a load
        get_run_logger().warning("validation report not written: %s", exc)
