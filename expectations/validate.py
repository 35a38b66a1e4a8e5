"""Validation of staged rows with the Great Expectations suites kept in suites/*.json.

Row-level expectations send failing rows to quarantine; a failed table-level expectation
fails the run. Great Expectations is imported here only, when validation runs."""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

SUITES = Path(__file__).parent / "suites"
KEYS = {"documents": "doc_id", "event_mentions": "mention_id", "quotes": "quote_id", "figures": "figure_id",
        "events": "event_id", "event_participants": None}


@dataclass
class Outcome:
    clean: dict[str, pl.DataFrame]
    quarantine: pl.DataFrame
    results: pl.DataFrame
    failures: list[str] = field(default_factory=list)


def load_suite(name: str) -> dict:
    return json.loads((SUITES / f"{name}.json").read_text(encoding="utf-8"))


def _class_name(expectation_type: str) -> str:
    return "".join(part.capitalize() for part in expectation_type.split("_"))


def _gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("TQDM_DISABLE", "1")
    import great_expectations as gx
    return gx


def load() -> None:
    """Import GX now, in a process that will validate soon (it takes about 3 s)."""
    _gx()


def _jsonable(v):
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return v


_CONTEXTS: dict = {}  # GX projects opened by this process, by folder: one per warehouse


def _context(gx, docs_root: Path | None):
    """A file-backed GX project under docs_root (its Data Docs are kept there), or an
    in-memory one. A project left broken (by a killed run) is set aside and made anew. A
    project is opened once per process and reused while its folder is there: opening it
    again for every batch of a long run would cost time and memory that GX never gives back."""
    key = None if docs_root is None else str(docs_root.resolve())
    ctx = _CONTEXTS.get(key)
    if ctx is not None and (key is None or (Path(key) / "gx" / "great_expectations.yml").exists()):
        return ctx
    ctx = _open_context(gx, docs_root)
    _CONTEXTS[key] = ctx
    return ctx


def _open_context(gx, docs_root: Path | None):
    from great_expectations.data_context.types.base import ProgressBarsConfig
    if docs_root is None:
        ctx = gx.get_context(mode="ephemeral")
    else:
        docs_root.mkdir(parents=True, exist_ok=True)
        try:
            ctx = gx.get_context(mode="file", project_root_dir=str(docs_root))
        except Exception:
            broken = docs_root.parent / f"{docs_root.name}.broken-{dt.datetime.now():%Y%m%d%H%M%S}"
            docs_root.rename(broken)
            docs_root.mkdir(parents=True)
            ctx = gx.get_context(mode="file", project_root_dir=str(docs_root))
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    return ctx


RESULT_FORMAT = {"result_format": "COMPLETE", "unexpected_index_column_names": ["_row"]}


def validate(frames: dict[str, pl.DataFrame], run_id: str, docs_root: Path | None = None,
             check_with=None) -> Outcome:
    """Validate every frame whose name has a suite. Returns clean frames (failing rows
    removed), quarantined rows, one result row per expectation, and table-level failures.
    With docs_root, results are also kept as GX Data Docs in a GX project there.
    GX sees only the columns its suites check (`checked`); check_with(check, checked,
    run_id, docs_root) runs that part elsewhere (another process) when given."""
    checked = {name: checked_columns(frame, load_suite(name)) for name, frame in frames.items()}
    verdicts, results, failures = (check_with or _call)(check, checked, run_id, docs_root)
    clean, quarantined = {}, []
    for name, frame in frames.items():
        key, bad_rows = KEYS.get(name), verdicts.get(name) or {}
        if bad_rows:
            staged = frame.with_row_index("_row")
            bad = staged.filter(pl.col("_row").is_in(list(bad_rows)))
            for rec in bad.iter_rows(named=True):
                quarantined.append({
                    "run_id": run_id, "table_name": name,
                    "row_key": None if key is None else rec.get(key),
                    "doc_id": rec.get("doc_id"), "expectation": bad_rows[rec["_row"]],
                    "row_json": json.dumps({k: _jsonable(v) for k, v in rec.items() if k not in ("_row", "text") or name != "documents"}, default=str)[:20000]})
            clean[name] = staged.filter(~pl.col("_row").is_in(list(bad_rows))).drop("_row")
        else:
            clean[name] = frame
    q = pl.DataFrame(quarantined, schema={"run_id": pl.Utf8, "table_name": pl.Utf8, "row_key": pl.Utf8,
                                          "doc_id": pl.Utf8, "expectation": pl.Utf8, "row_json": pl.Utf8})
    rs = pl.DataFrame(results, schema={"run_id": pl.Utf8, "suite": pl.Utf8, "expectation": pl.Utf8,
                                       "column_name": pl.Utf8, "level": pl.Utf8, "success": pl.Boolean,
                                       "observed_value": pl.Utf8, "unexpected_count": pl.Int64,
                                       "checked_at": pl.Datetime})
    return Outcome(clean, q, rs, failures)


def _call(fn, *args):
    return fn(*args)


def checked_columns(frame: pl.DataFrame, spec: dict) -> pl.DataFrame:
    """What GX reads of a frame: its row number and the columns the suite checks; a text
    column checked only for nulls goes as its null mask, not its text (the documents'
    bodies never become pandas objects, nor travel to another process)."""
    staged = frame.with_row_index("_row")
    needed = ["_row"] + [c for c in dict.fromkeys(e["kwargs"].get("column") for e in spec["expectations"])
                         if c and c in staged.columns]
    checks: dict[str, set] = {}
    for e in spec["expectations"]:
        checks.setdefault(e["kwargs"].get("column"), set()).add(e["type"])
    return staged.select([pl.when(pl.col(c).is_null()).then(None).otherwise(pl.lit("-")).alias(c)
                          if checks.get(c) == {"expect_column_values_to_not_be_null"} and staged.schema[c] == pl.Utf8
                          else pl.col(c) for c in needed])


def check(checked: dict[str, pl.DataFrame], run_id: str, docs_root: Path | None = None
          ) -> tuple[dict[str, dict[int, str]], list[dict], list[str]]:
    """GX's verdict on the checked columns of each frame: the rows a row-level expectation
    rejects (row number -> expectation), one result row per expectation, and the failures
    of table-level expectations."""
    gx = _gx()
    ctx = _context(gx, docs_root)
    source = ctx.data_sources.add_or_update_pandas("staged")
    verdicts, results, failures = {}, [], []
    checked_at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    for name, staged in checked.items():
        spec = load_suite(name)
        pdf = staged.to_pandas(use_pyarrow_extension_array=False)
        for col in pdf.columns:  # nested values are checked as text
            if pdf[col].dtype == object and len(pdf) and isinstance(pdf[col].iloc[0], (list, dict)):
                pdf[col] = pdf[col].map(lambda v: json.dumps(v, default=str))
        expectations = []
        for e in spec["expectations"]:
            cls = getattr(gx.expectations, _class_name(e["type"]))
            expectations.append(cls(**e["kwargs"], meta=e.get("meta", {})))
        suite = gx.ExpectationSuite(name=f"{name}", expectations=expectations)
        suite = ctx.suites.add_or_update(suite)
        try:
            asset = source.get_asset(name)
        except LookupError:
            asset = source.add_dataframe_asset(name)
        try:
            batch_def = asset.get_batch_definition("all")
        except (LookupError, KeyError):
            batch_def = asset.add_batch_definition_whole_dataframe("all")
        batch = batch_def.get_batch(batch_parameters={"dataframe": pdf})
        if len(pdf) == 0:
            for e in spec["expectations"]:
                results.append({"run_id": run_id, "suite": name, "expectation": e["type"],
                                "column_name": e["kwargs"].get("column"), "level": e["meta"]["level"],
                                "success": True, "observed_value": "no rows", "unexpected_count": 0,
                                "checked_at": checked_at})
            continue
        if docs_root is None:
            res = batch.validate(suite, result_format=RESULT_FORMAT)
        else:
            vd = ctx.validation_definitions.add_or_update(gx.ValidationDefinition(data=batch_def, suite=suite, name=name))
            # results are stored by the checkpoint; Data Docs are built once per run (build_docs)
            cp = ctx.checkpoints.add_or_update(gx.Checkpoint(
                name=name, validation_definitions=[vd], result_format=RESULT_FORMAT, actions=[]))
            run = cp.run(batch_parameters={"dataframe": pdf}, run_id=gx.RunIdentifier(run_name=run_id))
            res = next(iter(run.run_results.values()))
        bad_rows: dict[int, str] = {}
        for r in res.results:
            cfg = r.expectation_config
            level = (cfg.meta or {}).get("level", "table")
            column = cfg.kwargs.get("column")
            observed = r.result.get("observed_value")
            if observed is None and r.result.get("unexpected_count") is not None:
                pct = r.result.get("unexpected_percent")
                observed = f"{r.result['unexpected_count']} unexpected" + (f" ({pct:.2f}%)" if pct is not None else "")
            results.append({"run_id": run_id, "suite": name, "expectation": cfg.type, "column_name": column,
                            "level": level, "success": bool(r.success),
                            "observed_value": None if observed is None else str(observed)[:500],
                            "unexpected_count": r.result.get("unexpected_count"), "checked_at": checked_at})
            if r.success:
                continue
            if level == "row":
                for idx in r.result.get("unexpected_index_list") or []:
                    row = idx["_row"] if isinstance(idx, dict) else idx
                    bad_rows.setdefault(int(row), f"{cfg.type}({column})")
            else:
                failures.append(f"{name}: {cfg.type}({column}) failed: {str(observed)[:200]}")
        verdicts[name] = bad_rows
    return verdicts, results, failures


DOCS_HISTORY = 20  # runs whose validation results the Data Docs show


def build_docs(docs_root: Path, keep_runs: int | None = None) -> Path | None:
    """Build the GX Data Docs of docs_root once, for the results of its last keep_runs runs:
    older results are removed first, so that neither the store nor the time to build grows
    with every scheduled run. Returns the index page."""
    import shutil
    keep_runs = DOCS_HISTORY if keep_runs is None else keep_runs
    uncommitted = docs_root / "gx" / "uncommitted"
    stored = uncommitted / "validations"
    if not stored.is_dir():
        return None
    for suite_dir in (p for p in stored.iterdir() if p.is_dir()):
        runs = sorted((p for p in suite_dir.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime)
        for old in runs[:-keep_runs] if keep_runs > 0 else runs:
            shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(uncommitted / "data_docs" / "local_site" / "validations", ignore_errors=True)
    gx = _gx()
    ctx = gx.get_context(mode="file", project_root_dir=str(docs_root))
    ctx.build_data_docs()
    from expectations.offline import make_offline
    site = uncommitted / "data_docs" / "local_site"
    make_offline(site)
    return site / "index.html"
