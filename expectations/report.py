"""A plain HTML report of each run's validation, readable offline."""
from __future__ import annotations

import html
from pathlib import Path

import polars as pl


def _table(frame: pl.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
                   for row in frame.iter_rows())
    return f"<table><tr>{head}</tr>{body}</table>"


STYLE = ("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
         "padding:3px 6px;font-size:13px}.fail{color:#b00}")


def write_report(folder: Path, run_id: str, results: pl.DataFrame, quarantine: pl.DataFrame) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    failed = results.filter(~pl.col("success")).height
    page = (f"<!doctype html><meta charset='utf-8'><title>Validation of run {html.escape(run_id)}</title>"
            f"<style>{STYLE}</style><h1>Validation of run {html.escape(run_id)}</h1>"
            f"<p>{results.height} expectations, <span class='fail'>{failed} failed</span>; "
            f"{quarantine.height} rows quarantined.</p>"
            f"<h2>Expectations</h2>{_table(results.drop('run_id'))}"
            f"<h2>Quarantined rows</h2>{_table(quarantine.drop('run_id', 'row_json')) if quarantine.height else '<p>none</p>'}")
    runs = folder / "runs"
    runs.mkdir(exist_ok=True)
    (runs / f"{run_id}.html").write_text(page, encoding="utf-8")
    links = sorted(runs.glob("*.html"), key=lambda p: p.stat().st_mtime, reverse=True)
    index = (f"<!doctype html><meta charset='utf-8'><title>Validation runs</title><style>{STYLE}</style>"
             "<h1>Validation runs, newest first</h1>" +
             "".join(f"<p>Great Expectations Data Docs of warehouse {html.escape(d.name)}: "
                     f"<a href='gx/{d.name}/gx/uncommitted/data_docs/local_site/index.html'>"
                     f"gx/{d.name}/gx/uncommitted/data_docs/local_site/index.html</a> (styled offline: "
                     "what they load is copied beside them).</p>"
                     for d in sorted((folder / "gx").glob("*")) if d.is_dir()) + "<ul>" +
             "".join(f"<li><a href='runs/{p.name}'>{p.stem}</a></li>" for p in links) + "</ul>")
    (folder / "index.html").write_text(index, encoding="utf-8")
    return folder / "index.html"
