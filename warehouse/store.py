"""The DuckDB warehouse: opening it (waiting out another process's lock), its schema,
and publishing a run's rows in one transaction."""
from __future__ import annotations

import datetime as dt
import os
import socket
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

import duckdb
import polars as pl

SCHEMA_SQL = (Path(__file__).parent / "schema.sql").read_text(encoding="utf-8")
# the views, and what every table, view and column means: made again by every run
VIEWS_SQL = "\n".join((Path(__file__).parent / name).read_text(encoding="utf-8") for name in ("views.sql", "comments.sql"))
# Tables whose rows belong to one document and carry the run that wrote them.
DOC_TABLES = ("event_mentions", "quotes", "figures")


class WarehouseLocked(RuntimeError):
    pass


def connect(path: str | Path, lock_wait: float = 60.0, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse, retrying with backoff while another process holds it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + lock_wait
    delay = 0.2
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            if not read_only:
                try:
                    con.execute(SCHEMA_SQL)
                    _drop_row_keys(con)
                except BaseException:
                    con.close()
                    raise
            return con
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                holder = str(exc).split("\n")[0]
                raise WarehouseLocked(
                    f"warehouse {path} is locked by another process ({holder}); waited {lock_wait:g}s") from exc
            time.sleep(min(delay, max(0.05, deadline - time.monotonic())))
            delay = min(delay * 2, 5.0)


def _drop_row_keys(con) -> None:
    """A warehouse made by an earlier version declared the keys of mentions, quotes and
    figures PRIMARY KEY (see schema.sql): those tables are rebuilt without, rows and
    column order kept, their views and comments made again, in one transaction."""
    keyed = [t for (t,) in con.execute(
        "SELECT DISTINCT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' "
        "AND database_name = current_database() AND schema_name = current_schema() "
        "AND table_name IN (SELECT unnest(?::VARCHAR[]))", [list(DOC_TABLES)]).fetchall()]
    if not keyed:
        return
    con.execute("BEGIN TRANSACTION")
    try:
        for table in keyed:
            con.execute(f"ALTER TABLE {table} RENAME TO {table}_keyed")
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM {table}_keyed")
            con.execute(f"DROP TABLE {table}_keyed")
        con.execute(VIEWS_SQL)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("CHECKPOINT")  # the old tables' space reused


@contextmanager
def opened(path: str | Path, lock_wait: float = 60.0, read_only: bool = False):
    """The warehouse, open only for the block: for writing (waiting with backoff up to
    lock_wait for readers and other writers to let go), or read-only."""
    con = connect(path, lock_wait=lock_wait, read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class RunInProgress(RuntimeError):
    """Another run of the same warehouse is still going."""


def process_running(pid: int | None, host: str | None) -> bool:
    """Whether another process of this host with that pid still runs."""
    from flows.reaper import alive
    if pid is None or host != socket.gethostname() or pid == os.getpid():
        return False
    return alive(pid)


def open_run(con, run_id: str, source: str) -> list[str]:
    """Record the run as running (committed at once, so a killed run shows as unfinished);
    mark earlier runs whose process is gone as interrupted, and return their ids. Raises
    RunInProgress when another run of this warehouse is alive: one run at a time."""
    stale = []
    for rid, pid, host in con.execute("SELECT run_id, pid, host FROM runs WHERE status = 'running'").fetchall():
        if process_running(pid, host):
            raise RunInProgress(f"run {rid} (process {pid}) is still running on this warehouse; one run at a time")
        stale.append(rid)
    interrupt_runs(con, stale, "the run stopped before it finished")
    con.execute(VIEWS_SQL)
    con.execute("INSERT INTO runs (run_id, started_at, status, source, pid, host) VALUES (?, ?, 'running', ?, ?, ?)",
                [run_id, now(), source, os.getpid(), socket.gethostname()])
    return stale


def interrupt_runs(con, run_ids: list[str], message: str) -> None:
    """Runs that stopped before they finished: status interrupted, with why."""
    if run_ids:
        con.execute("UPDATE runs SET status = 'interrupted', finished_at = coalesce(finished_at, ?), message = ? "
                    "WHERE run_id IN (SELECT unnest(?::VARCHAR[]))", [now(), message, run_ids])


def known_documents(con) -> pl.DataFrame:
    return con.execute("SELECT doc_id, source_path, content_sha256, missing_since, extractor_version, file_size, "
                       "file_mtime_ns FROM documents").pl()


# Every mention with what clustering reads (not its text), its document's publication date,
# its outlet (the host of the document's URL, else the file it came from: every item of one
# feed is one outlet's) and its event.
_MENTION_COLUMNS = """
        SELECT m.mention_id, m.doc_id, m.char_start,
               m.mention_date AS event_date, m.mention_precision AS date_precision, m.mention_basis AS date_basis,
               m.mention_type AS event_type, m.mention_channel AS channel, m.mention_name AS event_name,
               m.mention_participants AS participants, d.published_date AS doc_published,
               coalesce(nullif(regexp_extract(d.url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#]+)', 1), ''),
                        split_part(d.source_path, '#', 1)) AS doc_outlet, m.event_id
        FROM event_mentions m LEFT JOIN documents d ON d.doc_id = m.doc_id"""


# What a mention is compared on when it is resolved against the events the warehouse holds:
# its type and document, its name (the first and last word of the name's core,
# transforms.events.gatherings.name_ends, from the table _name_ends: two names clustering
# may hold for one gathering always share it), and
# each participant with the months its date may reach (a report's date reaches back a
# week, a lookup a day on either side: a month of margin each way covers both). A held
# member the text leaves undated is filed under its event's date, as clustering files it;
# a new one is compared on its document and name only.
_KEYS_SQL = """
    CREATE OR REPLACE TEMP TABLE {name} AS
    WITH m AS (
        SELECT mention_id, m.event_id, mention_type AS t, doc_id,
               (SELECT k.name_key FROM _name_ends k WHERE k.name = m.mention_name) AS name_key,
               mention_participants AS ps,
               CASE WHEN d IS NULL OR p IS NULL THEN NULL WHEN p = 'day' THEN d
                    WHEN p = 'month' THEN date_trunc('month', d)::DATE ELSE make_date(year(d), 1, 1) END AS lo,
               CASE WHEN d IS NULL OR p IS NULL THEN NULL WHEN p = 'day' THEN d
                    WHEN p = 'month' THEN last_day(d) ELSE make_date(year(d), 12, 31) END AS hi
        FROM (SELECT m.*, {date} AS d, {precision} AS p
              FROM event_mentions m LEFT JOIN events e ON e.event_id = m.event_id WHERE {where}) m)
    SELECT mention_id, event_id, t, doc_id, name_key, p.name AS who,
           year(lo - INTERVAL 8 DAY) * 12 + month(lo - INTERVAL 8 DAY) - 2 AS mo_lo,
           year(hi + INTERVAL 1 DAY) * 12 + month(hi + INTERVAL 1 DAY) AS mo_hi
    FROM (SELECT *, unnest(CASE WHEN len(ps) > 0 THEN ps ELSE [NULL] END) AS p FROM m)"""


def _register_name_ends(con, where: str) -> None:
    """The table _name_ends (name, name_key) of every gathering's name the mentions that
    `where` selects write: the key clustering compares names on (a few hundred distinct names
    for a warehouse of millions of mentions)."""
    from transforms.events.gatherings import name_ends, name_key
    names = [r[0] for r in con.execute(f"SELECT DISTINCT mention_name FROM event_mentions m LEFT JOIN events e "
                                       f"ON e.event_id = m.event_id WHERE mention_name IS NOT NULL AND ({where})"
                                       ).fetchall()]
    keys = pl.DataFrame({"name": names, "name_key": [name_ends(name_key(n)) for n in names]},
                        schema={"name": pl.Utf8, "name_key": pl.Utf8})
    con.register("_name_ends_view", keys.to_arrow())
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE _name_ends AS SELECT * FROM _name_ends_view")
    finally:
        con.unregister("_name_ends_view")


def stale_events(con) -> list[str]:
    """Events to make again or drop: those whose members are not the ones they were made
    from (a member's document changed or was pruned), and the ids mentions point to that
    no event row has."""
    return [r[0] for r in con.execute("""
        WITH n AS (SELECT event_id, count(*) AS k FROM event_mentions WHERE event_id IS NOT NULL GROUP BY event_id)
        SELECT e.event_id FROM events e LEFT JOIN n ON n.event_id = e.event_id
        WHERE n.k IS NULL OR n.k <> e.mention_count
        UNION
        SELECT DISTINCT m.event_id FROM event_mentions m ANTI JOIN events e ON e.event_id = m.event_id
        WHERE m.event_id IS NOT NULL""").fetchall()]


def kinds_to_resolve(con, stale: list[str]) -> list[str]:
    """The kinds of event a resolution has work for: those of mentions with no event yet, and
    of the members left of events to make again (stale: their ids, stale_events)."""
    return [r[0] for r in con.execute(
        "SELECT DISTINCT mention_type FROM event_mentions WHERE event_id IS NULL "
        "OR event_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY 1", [stale]).fetchall()]


def resolve_all(connect) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[str], int, int]:
    """Every mention to resolve, resolved one kind of event at a time: mentions of two kinds
    never make one event, so what is held at once is one kind's mentions (and the held events
    they may join), not all of them. connect() opens the warehouse for each kind (a context
    manager). Returns (mention_id and event_id of every mention resolved, the events
    made, their participants, the ids of the events these replace, how many new mentions
    and how many held ones were read)."""
    from transforms.events.resolve import resolve
    with connect() as con:
        stale = stale_events(con)
        kinds = kinds_to_resolve(con, stale)
    parts, replaced, n_new, n_held = [], set(), 0, 0
    for kind in kinds or [None]:  # none: only events left with no member, to drop
        with connect() as con:
            new, held = mentions_to_resolve(con, stale, kind)
        n_new, n_held = n_new + new.height, n_held + held.height
        clustered, events, participants, gone = resolve(new, held, stale)
        del new, held
        parts.append((clustered, events, participants))
        replaced.update(gone)
    clustered, events, participants = (pl.concat([p[i] for p in parts], how="vertical_relaxed") for i in range(3))
    return clustered, events, participants, sorted(replaced), n_new, n_held


def mentions_to_resolve(con, stale: list[str], kind: str | None = None
                        ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """What a run resolves, instead of every mention of the warehouse: (new, held), given
    `stale`, the ids of events to be made again or dropped (stale_events).
    new: mentions with no event yet (this run's, or those of a run cut off before it
    resolved), and the members left of events that lost one (a changed or pruned document);
    held: every member of each event the warehouse holds that a new mention may join (same
    type, and the same document, the same name, or a participant in common within a month or
    two of the held member's date, else of its event's: an undated new mention joins only an
    event of its own document, or of its name, and an undated event is found by neither
    participant nor month). The mentions come with the columns of _MENTION_COLUMNS. kind:
    only mentions and events of that kind of event (all: None)."""
    con.execute("CREATE OR REPLACE TEMP TABLE _stale AS SELECT unnest(?::VARCHAR[]) AS event_id", [stale])
    of_kind = "TRUE" if kind is None else "m.mention_type = " + _literal(kind)
    new_where = f"(m.event_id IS NULL OR m.event_id IN (SELECT event_id FROM _stale)) AND {of_kind}"
    new = con.execute(f"{_MENTION_COLUMNS} WHERE {new_where}").pl()
    held_any = con.execute("SELECT count(*) FROM event_mentions WHERE event_id IS NOT NULL AND event_id NOT IN "
                           "(SELECT event_id FROM _stale)").fetchone()[0]
    if new.height == 0 or not held_any:  # nothing to resolve, or nothing held to resolve against
        con.execute("DROP TABLE IF EXISTS _stale")
        return new, new.clear()
    held_where = f"m.event_id IS NOT NULL AND m.event_id NOT IN (SELECT event_id FROM _stale) AND {of_kind}"
    _register_name_ends(con, f"({new_where}) OR ({held_where})")
    con.execute(_KEYS_SQL.format(name="_new_keys", where=new_where, date="m.mention_date",
                                 precision="m.mention_precision"))
    con.execute(_KEYS_SQL.format(name="_held_keys", date="coalesce(m.mention_date, e.event_date)",
                                 precision="CASE WHEN m.mention_date IS NULL THEN e.date_precision "
                                           "ELSE m.mention_precision END",
                                 where=held_where))
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _touched AS
        SELECT DISTINCT h.event_id FROM _held_keys h JOIN (SELECT DISTINCT t, doc_id FROM _new_keys) n
            ON h.t = n.t AND h.doc_id = n.doc_id
        UNION
        SELECT DISTINCT h.event_id FROM _held_keys h JOIN (SELECT DISTINCT t, name_key FROM _new_keys
                                                           WHERE name_key IS NOT NULL) n
            ON h.t = n.t AND h.name_key = n.name_key
        UNION
        SELECT DISTINCT h.event_id FROM _held_keys h JOIN _new_keys n ON h.t = n.t AND h.who = n.who
        WHERE h.mo_lo <= n.mo_hi AND n.mo_lo <= h.mo_hi""")
    held = con.execute(f"{_MENTION_COLUMNS} WHERE m.event_id IN (SELECT event_id FROM _touched)").pl()
    for t in ("_new_keys", "_held_keys", "_touched", "_stale", "_name_ends"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    return new, held


def _literal(value: str) -> str:
    """A string as an SQL literal (a kind of event: words and underscores)."""
    return "'" + value.replace("'", "''") + "'"


def insert(con, table: str, frame: pl.DataFrame) -> None:
    """Append a frame's rows to a table, matching columns by name."""
    if frame.height == 0:
        return
    cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
    use = [c for c in cols if c in frame.columns]
    view = f"_stage_{table}"
    con.register(view, frame.select(use).to_arrow())
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(use)}) SELECT {', '.join(use)} FROM {view}")
    finally:
        con.unregister(view)


def _remove_documents(con, doc_ids: list[str]) -> None:
    if not doc_ids:
        return
    ids = pl.DataFrame({"doc_id": doc_ids})
    con.register("_gone", ids.to_arrow())
    try:
        for table in DOC_TABLES + ("documents",):
            con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM _gone)")
    finally:
        con.unregister("_gone")


def publish_batch(con, tables: dict[str, pl.DataFrame], replace_doc_ids: list[str],
                  extra: dict[str, pl.DataFrame]) -> None:
    """One transaction per batch of documents: the rows of changed documents replaced, the
    batch's documents, mentions, quotes and figures inserted (each document whole or not at
    all), with its quarantined rows and validation results. Its mentions have no event until
    the run resolves events (finish_run)."""
    con.execute("BEGIN TRANSACTION")
    try:
        _remove_documents(con, replace_doc_ids)
        for name in ("documents", "event_mentions", "quotes", "figures"):
            insert(con, name, tables[name])
        for name, frame in extra.items():
            insert(con, name, frame)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def publish_into(path: str | Path, lock_wait: float, tables: dict[str, pl.DataFrame], replace_doc_ids: list[str],
                 extra: dict[str, pl.DataFrame]) -> None:
    """publish_batch on the warehouse at path, open only for it: this publish whole, or not at all."""
    with opened(path, lock_wait) as con:
        publish_batch(con, tables, replace_doc_ids, extra)


def publish_files(path: str | Path, lock_wait: float, tables: dict[str, str], replace_doc_ids: list[str],
                  extra: dict[str, str]) -> None:
    """publish_into of frames written as Arrow IPC files (name -> path), read before the
    warehouse is opened: a publish done in a process of its own."""
    def read(paths: dict[str, str]) -> dict[str, pl.DataFrame]:
        return {name: pl.read_ipc(p) for name, p in paths.items()}
    publish_into(path, lock_wait, read(tables), replace_doc_ids, read(extra))


def resolve_into(path: str | Path, lock_wait: float):
    """resolve_all on the warehouse at path, opened read-only for each kind of event."""
    return resolve_all(lambda: opened(path, lock_wait, read_only=True))


def finish_into(path: str | Path, lock_wait: float, *args) -> dict:
    """finish_run on the warehouse at path: events, missing documents and the run's close, one
    transaction."""
    with opened(path, lock_wait) as con:
        return finish_run(con, *args)


def unresolved_mentions(con) -> int:
    """Mentions with no event (published by a run that stopped before it resolved events),
    and events to make again (a document of theirs changed by such a run): what the next
    run resolves even when it finds nothing new."""
    return con.execute("SELECT count(*) FROM event_mentions WHERE event_id IS NULL").fetchone()[0] \
        + len(stale_events(con))


def finish_run(con, run_id: str, clustered: pl.DataFrame, events: pl.DataFrame, participants: pl.DataFrame,
               missing_doc_ids: list[str], extra: dict[str, pl.DataFrame], counts: dict,
               replaced: list[str]) -> dict:
    """One transaction at the end of a run: documents whose source is gone marked missing
    (and those back unmarked), the events its new mentions are in written (with their
    participants) in place of those they replace (`replaced`), quotes and
    figures linked to them, the run's rejects and notes, and the run closed."""
    con.execute("BEGIN TRANSACTION")
    try:
        if missing_doc_ids:
            con.register("_missing", pl.DataFrame({"doc_id": missing_doc_ids}).to_arrow())
            con.execute("UPDATE documents SET missing_since = ? WHERE doc_id IN (SELECT doc_id FROM _missing) "
                        "AND missing_since IS NULL", [now()])
            con.unregister("_missing")
        con.execute("UPDATE documents SET missing_since = NULL WHERE missing_since IS NOT NULL AND doc_id NOT IN "
                    "(SELECT unnest(?::VARCHAR[]))", [missing_doc_ids])
        for name, frame in extra.items():
            insert(con, name, frame)
        write_rules(con)
        event_counts = write_events(con, clustered, events, participants, replaced)
        row_counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                      for t in ("documents", "event_mentions", "quotes", "figures")}
        row_counts.update(event_counts)
        _close_run(con, run_id, counts, row_counts)
        con.execute("COMMIT")
        return row_counts
    except BaseException:
        con.execute("ROLLBACK")
        raise


def write_rules(con) -> None:
    """The rules table: every rule of the rule files and of the rules table of the data."""
    from transforms.rules.engine import catalog
    con.execute("DELETE FROM rules")
    insert(con, "rules", pl.DataFrame(catalog(), schema={"rule": pl.Utf8, "table_name": pl.Utf8, "description": pl.Utf8,
                                                          "example": pl.Utf8, "rule_file": pl.Utf8, "pattern": pl.Utf8}))


def write_events(con, clustered: pl.DataFrame, events: pl.DataFrame, participants: pl.DataFrame,
                 replaced: list[str]) -> dict:
    """Write events and participants in place of those they replace; point mentions, quotes
    and figures at their events. replaced: the ids of every event the resolution made again
    or dropped (stale ones, and those its mentions are in, whether or not their rows passed
    validation). Returns the row counts of both tables."""
    gone = pl.DataFrame({"event_id": list({*replaced, *events["event_id"].to_list()})}, schema={"event_id": pl.Utf8})
    con.register("_gone_events", gone.to_arrow())
    con.execute("DELETE FROM events WHERE event_id IN (SELECT event_id FROM _gone_events)")
    con.execute("DELETE FROM event_participants WHERE event_id IN (SELECT event_id FROM _gone_events)")
    con.unregister("_gone_events")
    insert(con, "events", events)
    insert(con, "event_participants", participants)
    if clustered.height:
        con.register("_ids", clustered.select("mention_id", "event_id").to_arrow())
        con.execute("UPDATE event_mentions SET event_id = i.event_id FROM _ids i WHERE event_mentions.mention_id = i.mention_id")
        for table in ("quotes", "figures"):  # the rows linked to a mention whose event it may have changed
            con.execute(f"""UPDATE {table} SET event_id = i.event_id FROM _ids i
                            WHERE {table}.mention_id = i.mention_id""")
        con.unregister("_ids")
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("events", "event_participants")}


def fail_run(con, run_id: str, message: str, status: str = "failed") -> None:
    con.execute("UPDATE runs SET finished_at = ?, status = ?, message = ? WHERE run_id = ?",
                [now(), status, message[:2000], run_id])


def _close_run(con, run_id: str, counts: dict, rows: dict) -> None:
    """The run succeeded: its counts and the warehouse's row counts."""
    con.execute("""UPDATE runs SET finished_at = ?, status = 'succeeded', documents_seen = ?,
                   documents_loaded = ?, documents_unchanged = ?, documents_rejected = ?,
                   documents_missing = ?, documents_rows = ?, event_mentions_rows = ?, events_rows = ?,
                   event_participants_rows = ?, quotes_rows = ?, figures_rows = ?, quarantined_rows = ?,
                   message = ? WHERE run_id = ?""",
                [now(), counts["seen"], counts["loaded"], counts["unchanged"], counts["rejected"],
                 counts["missing"], rows["documents"], rows["event_mentions"], rows["events"],
                 rows["event_participants"], rows["quotes"], rows["figures"], counts["quarantined"],
                 counts.get("message"), run_id])


def record_noop(con, run_id: str, counts: dict, extra: dict[str, pl.DataFrame]) -> dict:
    """Close a run that found nothing to change: its counts, rejects and notes; the tables
    stay as they are."""
    con.execute("BEGIN TRANSACTION")
    try:
        for name, frame in extra.items():
            insert(con, name, frame)
        rows = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("documents", "event_mentions", "quotes", "figures", "events", "event_participants")}
        _close_run(con, run_id, {**counts, "loaded": 0, "quarantined": 0}, rows)
        con.execute("COMMIT")
        return rows
    except BaseException:
        con.execute("ROLLBACK")
        raise


def prune(con) -> int:
    """Remove the rows of documents whose source files have disappeared; returns how many."""
    ids = [r[0] for r in con.execute("SELECT doc_id FROM documents WHERE missing_since IS NOT NULL").fetchall()]
    if not ids:
        return 0
    con.execute("BEGIN TRANSACTION")
    try:
        _remove_documents(con, ids)
        clustered, events, participants, replaced, _, _ = resolve_all(lambda: nullcontext(con))
        write_events(con, clustered, events, participants, replaced)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(ids)
