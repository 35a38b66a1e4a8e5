"""The Prefect flow: read a source folder, extract in batches, validate, publish."""
from __future__ import annotations

import gc
import os
import signal
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager, nullcontext
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
# below this much text to read, a run's warehouse work stays in its own process: a fresh process
# for each publish costs more time than the memory it saves (2-3 s on 7 MB)
FRESH_MIN_BYTES = 32 * 1024 * 1024
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
def discover(source: str, known_files: dict | None) -> tuple[list[str], list[tuple[str, str]], int]:
    """The files of the source folder (read later, a batch at a time), the entries that cannot
    be read, and how many bytes the files that must be read hold."""
    root = Path(source)
    files, bad = sources.walk(root)
    known_files = known_files or {}
    to_read = 0
    for rel in files:
        try:
            st = os.stat(root / rel)
        except OSError:
            continue
        known = known_files.get(rel)
        if known is None or known[:2] != (st.st_size, st.st_mtime_ns):
            to_read += st.st_size
    get_run_logger().info("found %d files, %.1f MB to read; %d entries cannot be read", len(files), to_read / 1e6,
                          len(bad))
    return files, bad, to_read


class Progress:
    """Progress of a run, logged to Prefect's logs (and so to the console, unless
    `communique run --quiet`) at most every few seconds: files read, MB, MB/s, documents
    extracted and time left."""

    def __init__(self, total_bytes: int, every: float = 5.0):
        self.total, self.every = total_bytes, every
        self.t0 = self.last = time.monotonic()
        self.files = self.files_total = self.bytes = self.docs = 0

    def read(self, files: int, files_total: int, nbytes: int) -> None:
        self.files, self.files_total, self.bytes = files, files_total, nbytes
        self.log()

    def extracted(self, docs: int) -> None:
        self.docs += docs
        self.log()

    def log(self) -> None:
        t = time.monotonic()
        if t - self.last < self.every or self.total == 0 or self.bytes >= self.total:
            return
        self.last = t
        rate = self.bytes / 1e6 / max(t - self.t0, 1e-6)
        left = (t - self.t0) * (self.total - self.bytes) / max(self.bytes, 1)
        get_run_logger().info(f"read {self.files} of {self.files_total} files, {self.bytes / 1e6:.1f} of "
                              f"{self.total / 1e6:.1f} MB, {rate:.2f} MB/s, {self.docs} documents extracted, "
                              f"about {left:.0f} s left")


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
                                           mp_context=mp.get_context("spawn"), initializer=_worker_start,
                                           initargs=(os.getpid(),))
        return _POOL


GC_FIRST_GENERATION = 100_000  # container objects allocated, net of those freed, before the youngest generation is collected


def _worker_start(parent: int) -> None:
    """An extraction worker: it exits when `parent` is gone (watch_parent), and its
    collector of reference cycles runs less often. Extraction makes millions of short-lived
    objects (matches, spans, candidates) that reference counting frees as they go and that
    form no cycles; at Python's default (a collection once 700 more container objects are
    allocated than freed) the collector still walked them about 4% of the extraction's CPU
    time, at GC_FIRST_GENERATION next to none. Cycles, if any, are still collected."""
    import gc
    watch_parent(parent)
    gc.set_threshold(GC_FIRST_GENERATION, 50, 100)


def watch_parent(parent: int | None, every: float = 1.0) -> None:
    """In a child process: exit as soon as `parent` is gone (the child is handed to another
    parent); None: the parent it has now. Checked every `every` seconds by a daemon thread."""
    parent = os.getppid() if parent is None else parent

    def watch():
        while True:
            if os.getppid() != parent:
                os._exit(1)
            time.sleep(every)
    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


_VALIDATOR = None


def _validator():
    """The process where a run that extracts in worker processes validates with GX and
    builds GX's Data Docs, one publish after the other (one writer of the GX project):
    GX costs about 190 MB once imported, which the run's own process, holding the
    publishes and then resolving events, does not carry. It exits as the workers do."""
    global _VALIDATOR
    with _POOL_LOCK:
        if _VALIDATOR is None:
            import concurrent.futures as cf
            import multiprocessing as mp
            _VALIDATOR = cf.ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("spawn"),
                                                initializer=watch_parent, initargs=(os.getpid(),))
        return _VALIDATOR


_FRESH = None


def _fresh():
    """Processes that each do one piece of the run's warehouse work and exit: the writes of
    each publish, the resolution of events, the writes that close the run. What DuckDB and
    the allocators keep of such work grows with the warehouse and the run; in a process that
    ends with its piece, none of it stays to add to the next. Each is forked from a server
    that has DuckDB, polars and the warehouse module loaded (spawning each afresh would
    import them every time). Each exits when its parent, the fork server, is gone, as the
    server is when the run's process is."""
    global _FRESH
    with _POOL_LOCK:
        if _FRESH is None:
            import concurrent.futures as cf
            import multiprocessing as mp
            ctx = mp.get_context("forkserver")
            # (pandas: what DuckDB imports to bind the first parameter of a query)
            ctx.set_forkserver_preload(["duckdb", "polars", "pyarrow", "pandas", "warehouse.store"])
            _FRESH = cf.ProcessPoolExecutor(max_workers=1, mp_context=ctx, max_tasks_per_child=1,
                                            initializer=watch_parent, initargs=(None,))
        return _FRESH


def _few_arenas() -> None:
    """At most two malloc arenas in the run's process, and large blocks given back when freed.
    glibc's default gives each thread that allocates at once an arena of its own (up to 8 per
    core), and the many threads of Prefect, DuckDB and Arrow each keep freed memory there; and
    it raises the size from which a block is mapped on its own each time such a block is
    freed, so that the frames of each publish (received from the workers, some MB each) come
    to be carved from the arenas, where what is freed stays resident: the run's memory then
    creeps with its length. A fixed threshold of 128 KiB keeps every larger block mapped on
    its own, and unmapped when freed. (Only here: the worker processes, one thread of
    extraction each, keep glibc's defaults.)"""
    import ctypes
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-8, 2)  # M_ARENA_MAX
        libc.mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD: fixed, no longer raised as blocks are freed
    except (OSError, AttributeError):  # not glibc
        pass


def _warehouse_work(apart: bool, fn, *args):
    """fn(*args): in a fresh process when the run works apart (in worker processes, on at
    least FRESH_MIN_BYTES of text), here for a smaller run. fn is one of warehouse.store's,
    which the fresh process has loaded: a function of this module would import Prefect and
    the extractors there first (2 s of CPU a process)."""
    return _fresh().submit(fn, *args).result() if apart else fn(*args)


def _in_validator(fn, *args):
    """fn(*args) in the validator process, waited for."""
    return _validator().submit(fn, *args).result()


def _here(fn, *args):
    return fn(*args)


def _shutdown_pool() -> None:
    """Stop the worker processes, the validator and the fresh processes now, work in hand or
    not (a cancelled or failed run)."""
    global _POOL, _VALIDATOR, _FRESH
    with _POOL_LOCK:
        pools = [p for p in (_POOL, _VALIDATOR, _FRESH) if p is not None]
        _POOL = _VALIDATOR = _FRESH = None
    for pool in pools:
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


@contextmanager
def dask_client(address: str | None, workers: int):
    """A client of the Dask cluster at `address`, else of a local cluster of `workers`
    processes started for this run and closed after it."""
    from distributed import Client, LocalCluster
    cluster = None
    if address:
        client = Client(address, timeout=30)
    else:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@task(name="extract batches on dask", cache_policy=NO_CACHE)
def extract_on_dask(chunks: list[list[dict]], address: str, seconds_per_mb: float | None) -> list[dict]:
    """The batches of one publish extracted on the run's Dask cluster (at `address`). (Dask
    runs a task in a worker thread, where the time budget stops a document as well.)"""
    from distributed import Client
    client = Client.current() if _DASK is None else _DASK
    get_run_logger().info("extracting %d batches on the Dask cluster %s", len(chunks), address)
    return client.gather(client.map(extract_batch_safe, chunks, seconds_per_mb=seconds_per_mb, pure=False))


_DASK = None  # the run's Dask client, when it extracts on Dask


@task(name="validate documents", cache_policy=NO_CACHE)
def validate_task(frames: dict[str, pl.DataFrame], run_id: str, docs_root: Path | None = None, apart: bool = False):
    """GX's validation of the frames; when apart, GX reads the columns it checks in the
    validator process (the rows themselves, texts and all, stay here)."""
    from expectations.validate import validate
    return validate(frames, run_id, docs_root, check_with=_in_validator if apart else None)


@task(name="resolve events", cache_policy=NO_CACHE)
def resolve_events(warehouse: Path, lock_wait: float, apart: bool = False):
    """The run's new mentions resolved against the events of the warehouse they may join, one
    kind of event at a time (store.resolve_all): each mention's event (mention_id,
    event_id), the events made or changed, their participants, the ids of the events they
    replace, and how many new and held mentions were read."""
    return _warehouse_work(apart, store.resolve_into, warehouse, lock_wait)


@task(name="publish to warehouse", cache_policy=NO_CACHE)
def publish_task(warehouse: Path, lock_wait: float, tables, replace_ids, extra, apart: bool = False):
    """One publish, in its own transaction. Apart, its frames go to the fresh process that
    writes them as Arrow files in a temporary folder (written from the frames' own buffers),
    not pickled into one more copy of them all in this process."""
    if not apart:
        return store.publish_into(warehouse, lock_wait, tables, replace_ids, extra)
    with tempfile.TemporaryDirectory(prefix="communique-publish-") as folder:
        return _warehouse_work(True, store.publish_files, warehouse, lock_wait, _to_files(tables, folder, "t"),
                               replace_ids, _to_files(extra, folder, "x"))


def _to_files(frames: dict[str, pl.DataFrame], folder: str, prefix: str) -> dict[str, str]:
    """Each frame as an Arrow IPC file in folder: name -> path."""
    out = {}
    for i, (name, frame) in enumerate(frames.items()):
        out[name] = os.path.join(folder, f"{prefix}{i}.arrow")
        frame.write_ipc(out[name])
    return out


@task(name="publish events and close the run", cache_policy=NO_CACHE)
def finish_task(warehouse: Path, lock_wait: float, run_id, clustered, events, participants, missing_ids, extra,
                counts, replaced, apart: bool = False):
    return _warehouse_work(apart, store.finish_into, warehouse, lock_wait, run_id, clustered, events, participants,
                           missing_ids, extra, counts, replaced)


def _concat(parts: list[pl.DataFrame]) -> pl.DataFrame:
    parts = [p for p in parts if p.width]  # a frame of no columns stands for nothing yet
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

    Documents stream through in publishes of at most PUBLISH_BYTES of text, each written in
    its own short transaction (a document whole or not at all); events are then resolved and
    the run closed in one more. Between writes the warehouse is closed, so analysts'
    read-only sessions work while the run reads, extracts and validates. workers: extraction processes (default: one per core when
    there is enough new text to share out); seconds_per_mb: the time budget of a document's
    extraction beyond MIN_SECONDS (None or 0: no limit); full_refresh: read every file again,
    changed or not; runner "dask": extract on the Dask cluster at dask_address (a local one
    when None)."""
    logger = get_run_logger()
    run_id = str(flow_run.get_id() or uuid.uuid4())
    wh = Path(warehouse)
    _few_arenas()
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


_PRESENT = {"doc_id": pl.Utf8, "source_path": pl.Utf8}


def _file_of(path: pl.Expr) -> pl.Expr:
    """sources.file_of, on a column: a feed line's path `file#key` is its file's."""
    return path.str.split_exact("#", 1).struct.field("field_0")


def _missing(known: pl.DataFrame, present: pl.DataFrame, scan: sources.Scan, allow_empty: bool,
             logger) -> list[str]:
    """doc_ids of known documents whose source is gone: the file is no longer there, or a
    jsonl feed read in full no longer holds the line. A folder where nothing at all is found
    (empty, unmounted, every file gone at once) marks nothing missing unless allow_empty.
    present: doc_id and source_path of the documents read by the run."""
    if not known.height:  # a warehouse that held no document: none can be gone
        return []
    if not present.height and not scan.rejects and not scan.unchanged_files and not allow_empty:
        logger.warning("the source folder holds no files: nothing is marked missing "
                       "(run with --allow-empty to mark every document missing)")
        scan.notes.append({"source_path": "", "note": "source folder empty: nothing marked missing"})
        return []
    files = pl.concat([present.select(_file_of(pl.col("source_path")).alias("f")),
                       pl.DataFrame({"f": [sources.file_of(r["source_path"]) for r in scan.rejects]
                                     + list(scan.unchanged_files)}, schema={"f": pl.Utf8})]).unique()
    gone = known.select("doc_id", "source_path").with_columns(f=_file_of(pl.col("source_path"))).filter(
        ~pl.col("f").is_in(files["f"].implode())
        | (pl.col("f").is_in(pl.Series(list(scan.feeds), dtype=pl.Utf8).implode())
           & pl.col("source_path").str.contains("#", literal=True)
           & ~pl.col("doc_id").is_in(present["doc_id"].implode())))
    return gone["doc_id"].to_list()


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


PUBLISH_BYTES = 8 * 1024 * 1024  # text validated and published in one transaction: what bounds memory
PUBLISH_DOCS = 8000


class _Stream:
    """A run's documents, streamed from the source folder in publishes of at most
    PUBLISH_BYTES of text read: only the documents to extract (new, changed, or read by other
    rules) are kept, and of the others only their ids. Whether a document read is one the
    warehouse holds unchanged is looked up once a publish, in the warehouse's list of
    documents (`known`, kept as one frame), not in a dictionary of every document."""

    def __init__(self, scan: sources.Scan, docs, known: pl.DataFrame, version: str, full_refresh: bool,
                 stages: dict):
        self.scan, self.docs, self.version = scan, docs, version
        self.known = known.select("doc_id", "content_sha256", "extractor_version")
        self.full_refresh, self.stages = full_refresh, stages
        # the ids and source paths of the documents read, as Arrow columns a publish at a
        # time (some 30 bytes a document, where sets of strings took some 250)
        # (kept only when the warehouse holds documents: otherwise none can go missing)
        self._read: list[pl.DataFrame] = []
        self.read = self.todo = 0

    def present(self) -> pl.DataFrame:
        """doc_id and source_path of every document the run read (none kept when the
        warehouse held no document)."""
        return pl.concat(self._read) if self._read else pl.DataFrame(schema=_PRESENT)

    def publishes(self):
        """(rows of the documents to extract, the ids among them the warehouse holds), a
        publish at a time."""
        pending, size = [], 0
        while True:
            t = time.monotonic()
            doc = next(self.docs, None)
            self.stages["read"] += time.monotonic() - t
            if doc is not None:
                self.read += 1
                pending.append(doc)
                size += len(doc.text)
            if pending and (doc is None or size >= PUBLISH_BYTES or len(pending) >= PUBLISH_DOCS):
                if self.known.height:
                    self._read.append(pl.DataFrame({"doc_id": [d.doc_id for d in pending],
                                                    "source_path": [d.source_path for d in pending]},
                                                   schema=_PRESENT))
                rows, held = self._to_extract(pending)
                if rows:
                    yield rows, held
                pending, size = [], 0
            if doc is None:
                return

    def _to_extract(self, docs: list) -> tuple[list[dict], list[str]]:
        """Of documents read, the rows of those to extract (all but those the warehouse holds
        with the same content, read by this extractor version), and the ids of those the
        warehouse holds (their rows are replaced)."""
        if self.known.height == 0:
            rows, held = [d.row() for d in docs], []
        else:
            read = pl.DataFrame({"doc_id": [d.doc_id for d in docs], "sha": [d.content_sha256 for d in docs]},
                                schema={"doc_id": pl.Utf8, "sha": pl.Utf8})
            hit = read.join(self.known, on="doc_id", how="inner")
            same = set() if self.full_refresh else set(hit.filter(
                (pl.col("sha") == pl.col("content_sha256")) & (pl.col("extractor_version") == self.version))["doc_id"])
            rows = [d.row() for d in docs if d.doc_id not in same]
            known_ids = set(hit["doc_id"])
            held = [r["doc_id"] for r in rows if r["doc_id"] in known_ids]
        self.todo += len(rows)
        return rows, held


def _run(run_id: str, logger, warehouse: Path, source: str, manifest: str | None, max_file_bytes: int,
         lock_wait: float, workers: int | None, allow_empty: bool, seconds_per_mb: float | None,
         full_refresh: bool, runner: str = "local", dask_address: str | None = None) -> dict:
    """Documents stream from the source folder to the warehouse: read, extracted, validated
    and published a batch at a time (the next batch is read and extracted while one is
    validated and published), so that memory stays flat whatever the size of the folder;
    then events are resolved from every mention, and the run closed."""
    global _DASK
    t0 = time.monotonic()
    stages = {s: 0.0 for s in ("read", "annotate", "extract", "validate", "resolve", "publish")}
    version = extractor_version()
    with store.opened(warehouse, lock_wait, read_only=True) as con:
        known = store.known_documents(con)
        unresolved = store.unresolved_mentions(con)
    known_files = None if full_refresh or manifest else _known_files(known, version)
    files, bad, to_read = discover(source, known_files)
    stages["read"] = time.monotonic() - t0
    scan = sources.Scan()
    progress = Progress(to_read)
    fresh = to_read >= FRESH_MIN_BYTES  # warehouse work in fresh processes (when extracting apart)
    docs = sources.iter_documents(scan, Path(source), Path(manifest) if manifest else None, max_file_bytes,
                                  known_files, progress=progress.read, listing=(files, bad))
    stream = _Stream(scan, docs, known, version, full_refresh, stages)
    docs_root = warehouse.parent / "validation" / "gx" / warehouse.stem  # one GX context per warehouse
    state = {"loaded": 0, "quarantine": [], "results": [], "extract_rejects": 0, "chars": 0}

    def start(chunk: list[dict]):
        """Extraction of one publish's documents begun: in worker processes or on Dask the
        batches run while the previous publish is validated and written."""
        nonlocal workers
        if workers is None:  # worker processes cost more than they save on little text
            workers = (os.cpu_count() or 1) if sum(len(d["text"]) for d in chunk) >= PARALLEL_MIN_BYTES else 1
        if workers > 1 and _VALIDATOR is None:  # GX loads in the validator while the first publish is extracted
            from expectations.validate import load
            _validator().submit(load)
        parts = batches(chunk)
        if workers > 1 and len(parts) < 2 * workers:  # enough batches to keep every worker busy
            per = max(1, -(-len(chunk) // (2 * workers)))
            parts = [chunk[i:i + per] for i in range(0, len(chunk), per)]
        if runner == "dask":  # gathered when the publish is finished, so the cluster works meanwhile
            return parts, _gathered(extract_on_dask.submit(parts, dask_address or "local", seconds_per_mb))
        if workers > 1:  # batches side by side, each in a worker process
            futures = [process_batch.submit(batch, workers, seconds_per_mb) for batch in parts]
            return parts, (f.result() for f in futures)
        # one after the other in this thread, where the time budget can stop a document
        return parts, (process_batch(batch, 1, seconds_per_mb) for batch in parts)

    def finish(chunk: list[dict], replace: list[str], parts: list[list[dict]], outs) -> None:
        """One publish's rows collected, validated and written in one transaction."""
        frames = {k: [] for k in ("documents", "event_mentions", "quotes", "figures")}
        for batch, out in zip(parts, outs):
            for k in frames:
                frames[k].append(out[k])
            scan.rejects.extend(out["rejects"])
            state["extract_rejects"] += len(out["rejects"])
            for s in ("annotate", "extract"):
                stages[s] += out["seconds"][s]
            progress.extracted(len(batch))
        frames = {k: _concat(v) for k, v in frames.items()}
        state["chars"] += sum(len(d["text"]) for d in chunk)
        for path, note in frames["documents"].filter(pl.col("note").is_not_null()).select("source_path", "note").iter_rows():
            scan.notes.append({"source_path": path, "note": note})
        frames["event_mentions"] = frames["event_mentions"].rename(MENTION_RENAMES)
        t_validate = time.monotonic()
        outcome = validate_task.with_options(name="validate documents, mentions, quotes, figures")(
            frames, run_id, docs_root, apart=workers > 1)
        clean = outcome.clean
        if clean["documents"].height < frames["documents"].height:
            good_docs = clean["documents"]["doc_id"]  # rows of a quarantined document are not published either
            for k in ("event_mentions", "quotes", "figures"):
                clean[k] = clean[k].filter(pl.col("doc_id").is_in(good_docs.implode()))
        del frames  # (the rows as extracted: only their clean frames are kept, most often the same)
        stages["validate"] += time.monotonic() - t_validate
        state["quarantine"].append(outcome.quarantine)
        state["results"].append(outcome.results)
        if outcome.failures:
            with store.opened(warehouse, lock_wait) as con:
                store.insert(con, "validation_results", outcome.results)
            raise ValidationFailed("critical expectation failed: " + "; ".join(outcome.failures))
        clean["documents"] = clean["documents"].with_columns(pl.lit(run_id).alias("run_id"),
                                                             pl.lit(version).alias("extractor_version"))
        for k in ("event_mentions", "quotes", "figures"):
            clean[k] = clean[k].with_columns(pl.lit(run_id).alias("run_id"))
        t_publish = time.monotonic()
        publish_task(warehouse, lock_wait, clean, replace,
                     {"quarantine": outcome.quarantine, "validation_results": outcome.results},
                     apart=workers > 1 and fresh)
        stages["publish"] += time.monotonic() - t_publish
        state["loaded"] += clean["documents"].height
        gc.collect()  # each publish leaves cycles (validation, task state) the collector seldom reaches

    with (dask_client(dask_address, workers or (os.cpu_count() or 1)) if runner == "dask" else nullcontext()) as client:
        _DASK = client
        try:
            pending = None
            for chunk, replace in stream.publishes():
                started = (chunk, replace, *start(chunk))
                if pending is not None:
                    finish(*pending)
                pending = started
            if pending is not None:
                finish(*pending)
        finally:
            _DASK = None

    unchanged_files = set(scan.unchanged_files)
    not_read = sum(1 for p in known["source_path"] if sources.file_of(p) in unchanged_files)  # their documents
    unchanged = stream.read - stream.todo + not_read
    seen = stream.read + not_read + len(scan.rejects) - state["extract_rejects"]
    missing = _missing(known, stream.present(), scan, allow_empty, logger)
    already_missing = set(known.filter(pl.col("missing_since").is_not_null())["doc_id"])
    quarantine = _concat(state["quarantine"])
    results = _concat(state["results"])
    counts = {"seen": seen, "loaded": state["loaded"], "unchanged": unchanged, "rejected": len(scan.rejects),
              "missing": len(missing), "quarantined": quarantine.height}

    if not stream.todo and set(missing) == already_missing and not unresolved:  # nothing changed
        counts["message"] = _message(scan, 0)
        t_publish = time.monotonic()
        with store.opened(warehouse, lock_wait) as con:
            rows = store.record_noop(con, run_id, counts, _inputs(run_id, scan))
        stages["publish"] += time.monotonic() - t_publish
        return _finish(logger, run_id, scan, counts, rows, pl.DataFrame(), pl.DataFrame(), 0, t0, "nothing changed: ",
                       stages, _html_report(warehouse, build=False))

    t_resolve = time.monotonic()
    apart = _VALIDATOR is not None  # the run worked apart: its warehouse work and GX are kept out of this process
    clustered, events, participants, replaced, n_new, n_held = resolve_events(warehouse, lock_wait, apart and fresh)
    logger.info("resolved %d new mentions against %d mentions of the events the warehouse holds", n_new, n_held)
    # what the run's resolution read: its new mentions (with the members left of events that lost
    # one), and the members of the held events they may join
    counts["mentions_resolved"], counts["mentions_held"] = n_new, n_held
    gc.collect()
    stages["resolve"] = time.monotonic() - t_resolve
    t_validate = time.monotonic()
    ev_outcome = validate_task.with_options(name="validate events")(
        {"events": events, "event_participants": participants}, run_id, docs_root, apart=apart)
    results = _concat([results, ev_outcome.results])
    quarantine = _concat([quarantine, ev_outcome.quarantine])
    _report(warehouse, docs_root, run_id, results, quarantine, apart)
    stages["validate"] += time.monotonic() - t_validate
    if ev_outcome.failures:
        with store.opened(warehouse, lock_wait) as con:
            store.insert(con, "validation_results", ev_outcome.results)
        raise ValidationFailed("critical expectation failed: " + "; ".join(ev_outcome.failures))
    counts["quarantined"] = quarantine.height
    counts["message"] = _message(scan, quarantine.height)
    extra = {**_inputs(run_id, scan), "quarantine": ev_outcome.quarantine, "validation_results": ev_outcome.results}
    t_publish = time.monotonic()
    rows = finish_task(warehouse, lock_wait, run_id, clustered, ev_outcome.clean["events"],
                       ev_outcome.clean["event_participants"], missing, extra, counts, replaced,
                       apart=apart and fresh)
    stages["publish"] += time.monotonic() - t_publish
    report = _html_report(warehouse, apart=apart)
    return _finish(logger, run_id, scan, counts, rows, quarantine, results, state["chars"], t0, "", stages, report)


def _gathered(future):
    """The outputs of a submitted task, waited for only when first read."""
    yield from future.result()


def _inputs(run_id: str, scan: sources.Scan) -> dict[str, pl.DataFrame]:
    """The run's rows of the rejects and notes tables."""
    return {"rejects": pl.DataFrame([{"run_id": run_id, **r} for r in scan.rejects],
                                    schema={"run_id": pl.Utf8, "source_path": pl.Utf8, "reason": pl.Utf8}),
            "notes": pl.DataFrame([{"run_id": run_id, **n} for n in scan.notes],
                                  schema={"run_id": pl.Utf8, "source_path": pl.Utf8, "note": pl.Utf8})}


def _html_report(warehouse: Path, build: bool = True, apart: bool = False) -> str | None:
    """The warehouse's HTML report (`communique report`), written beside it after a run that
    changed it; its path, or None when it could not be written (which never fails a run).
    Apart: in the validator process (its queries and Altair cost about 150 MB, which the
    run's own process then never carries)."""
    out = warehouse.parent / "report.html"
    if not build:
        return str(out) if out.exists() else None
    try:
        from warehouse.report import build as build_report
        return (_in_validator if apart else _here)(build_report, warehouse, out)["path"]
    except Exception as exc:
        get_run_logger().warning("HTML report not written: %s", exc)
        return None


def _finish(logger, run_id: str, scan: sources.Scan, counts: dict, rows: dict, quarantine: pl.DataFrame,
            results: pl.DataFrame, n_chars: int, t0: float, what: str = "", stages: dict | None = None,
            report: str | None = None) -> dict:
    """After publishing: the inputs' warnings in the log, the artifacts, and the run's summary
    (with the seconds of each stage; annotate and extract summed over the worker processes)."""
    _log_inputs(logger, scan)
    summary = {"run_id": run_id, **counts, "files_unchanged": len(scan.unchanged_files),
               **{f"{k}_rows": v for k, v in rows.items()},
               "seconds": {k: round(v, 2) for k, v in (stages or {}).items()}, "report": report}
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
              ("mentions resolved (new, and held ones they may join)",
               f"{summary.get('mentions_resolved', 0)}, {summary.get('mentions_held', 0)}"),
              *[(f"{k[:-5].replace('_', ' ')} rows", v) for k, v in summary.items() if k.endswith("_rows")],
              ("duration", f"{seconds:.1f} s" if seconds else "n/a"), ("extraction rate", rate),
              ("report (charts and tables, one HTML file)", summary.get("report") or "not written")]))
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


def _report(warehouse: Path, docs_root: Path, run_id: str, results: pl.DataFrame, quarantine: pl.DataFrame,
            apart: bool = False) -> None:
    """The run's validation report, and the GX Data Docs of the warehouse (under docs_root),
    built once (in the validator process when apart)."""
    try:
        from expectations.report import write_report
        from expectations.validate import build_docs
        (_in_validator if apart else _here)(build_docs, docs_root)
        write_report(warehouse.parent / "validation", run_id, results, quarantine)
    except Exception as exc:  # a report that cannot be written never stops a load
        get_run_logger().warning("validation report not written: %s", exc)
