"""`communique report`: one self-contained HTML file of what the warehouse holds: events by
month and channel, top counterparts (Vega-Lite charts, drawn by Altair, with Vega's scripts
inlined), figures with their units, quotes with their speakers, and the last runs with their
rejects. Every row links to its sentence, shown further down. Nothing is fetched when the
file is viewed; every text from an article is escaped."""
from __future__ import annotations

import datetime as dt
import html
import json
import time
from pathlib import Path

import duckdb

ROWS = 500  # figures and quotes shown: the most recent documents first
RUNS = 10
COUNTERPARTS = 20

_CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2em auto; max-width: 1100px;
       color: #1d2430; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { margin-top: 2em; border-bottom: 1px solid #dde; }
.muted { color: #667; } .counts span { display: inline-block; margin-right: 2em; }
.counts b { font-size: 1.4em; display: block; }
table { border-collapse: collapse; width: 100%; margin-top: .5em; }
th, td { text-align: left; padding: .3em .5em; border-bottom: 1px solid #eef; vertical-align: top; }
th { background: #f4f5fa; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.failed td { background: #fff1f0; } .chart { margin: 1em 0; }
ol.sentences li { margin: .4em 0; } ol.sentences li:target { background: #fff7cc; }
"""


def _q(con, sql: str, *params) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


def _charts(timeline: list[tuple], counterparts: list[tuple]) -> list[dict]:
    """Vega-Lite specs of the two charts, data inline."""
    import altair as alt
    import pandas as pd
    by_month = pd.DataFrame(timeline, columns=["month", "channel", "events"])
    by_month["month"] = pd.to_datetime(by_month["month"])
    months = alt.Chart(by_month, title="Events by month and channel").mark_bar().encode(
        x=alt.X("yearmonth(month):T", title="month"),
        y=alt.Y("sum(events):Q", title="events"),
        color=alt.Color("channel:N", title="channel"),
        tooltip=[alt.Tooltip("yearmonth(month):T", title="month"), "channel:N", "events:Q"],
    ).properties(width=900, height=260)
    top = pd.DataFrame(counterparts, columns=["name", "kind", "events"])
    parts = alt.Chart(top, title=f"Top {COUNTERPARTS} participants by events").mark_bar().encode(
        x=alt.X("events:Q", title="events"),
        y=alt.Y("name:N", sort="-x", title=None),
        color=alt.Color("kind:N", title="kind"),
        tooltip=["name:N", "kind:N", "events:Q"],
    ).properties(width=760, height=max(120, 18 * len(top)))
    return [months.to_dict(), parts.to_dict()]


def _script_json(obj) -> str:
    """JSON safe inside a <script> element: no "</" or "<!--" can end it."""
    return json.dumps(obj, default=str).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _bundle_text() -> str:
    """vega, vega-lite and vega-embed in one script, as Altair inlines them (shipped in
    vl-convert-python: nothing to fetch)."""
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert
    return vl_convert.javascript_bundle(vl_version=vl_version_for_vl_convert()).replace("</script", "<\\/script")


def _vega_bundle() -> str:
    """The script of _bundle_text, made once per installed vl-convert and kept in the user's
    cache folder. vl-convert makes it in a JavaScript runtime that keeps about 170 MB for
    the life of its process: it runs in a child process, never in the run that writes the
    report."""
    import os
    import subprocess
    import sys
    from importlib.metadata import version
    import tempfile
    name = f"vega-bundle-{version('vl-convert-python')}-{version('altair')}.js"
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "communique"
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:  # no writable cache folder: the system's temporary one
        cache = Path(tempfile.gettempdir()) / "communique"
        cache.mkdir(parents=True, exist_ok=True)
    path = cache / name
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        subprocess.run([sys.executable, "-c", "import sys; from warehouse.report import _bundle_text; "
                        "open(sys.argv[1], 'w', encoding='utf-8').write(_bundle_text())", str(tmp)],
                       check=True, cwd=str(Path(__file__).resolve().parents[1]), timeout=300)
        os.replace(tmp, path)  # whole or not at all, whoever writes it at the same time
    return path.read_text(encoding="utf-8")


REPORT_MEMORY = "64MB"


def build(warehouse: str | Path, out: str | Path) -> dict:
    """Write the report of `warehouse` to `out`; returns its path, size, seconds and the
    counts it shows."""
    t0 = time.monotonic()
    # a small buffer pool and one thread: the report reads a few hundred rows, but joining
    # them to the documents' texts would otherwise keep pages of every text cached (300 MB
    # more at the peak of a run of 30 copies of the corpora, 160 MB with 64 MB and one
    # thread), inside the run that writes the report
    con = duckdb.connect(str(warehouse), read_only=True, config={"memory_limit": REPORT_MEMORY, "threads": 1})
    try:
        con.execute("SET enable_progress_bar = false")
        counts = {t: _q(con, f"SELECT count(*) FROM {t}")[0][0]
                  for t in ("documents", "events", "event_mentions", "quotes", "figures")}
        timeline = _q(con, """SELECT month, coalesce(channel, 'not said') AS channel, sum(events)::INTEGER AS events
                              FROM event_timeline GROUP BY ALL ORDER BY month, channel""")
        counterparts = _q(con, """SELECT name, kind, count(DISTINCT event_id)::INTEGER AS events
                                  FROM event_participants GROUP BY ALL ORDER BY events DESC, name LIMIT ?""",
                          COUNTERPARTS)
        # the rows are chosen first, and only their sentences cut from the documents' texts
        figures = _q(con, """WITH top AS (
                                 SELECT f.value, f.unit, f.qualifier, f.text, f.subject, f.doc_id, d.title,
                                        d.published_date, f.sent_start, f.sent_end, f.char_start
                                 FROM figures f JOIN documents d USING (doc_id)
                                 ORDER BY d.published_date DESC NULLS LAST, f.doc_id, f.char_start LIMIT ?)
                             SELECT t.value, t.unit, t.qualifier, t.text, t.subject, t.doc_id, t.title,
                                    t.published_date, t.sent_start, t.sent_end,
                                    substr(d.text, t.sent_start + 1, t.sent_end - t.sent_start)
                             FROM top t JOIN documents d USING (doc_id)
                             ORDER BY t.published_date DESC NULLS LAST, t.doc_id, t.char_start""", ROWS)
        quotes = _q(con, """WITH top AS (
                                SELECT coalesce(q.speaker, q.speaker_text) AS who, q.text, q.doc_id, d.title,
                                       d.published_date, q.sent_start, q.sent_end, q.char_start
                                FROM quotes q JOIN documents d USING (doc_id)
                                ORDER BY d.published_date DESC NULLS LAST, q.doc_id, q.char_start LIMIT ?)
                            SELECT t.who, t.text, t.doc_id, t.title, t.published_date, t.sent_start, t.sent_end,
                                   substr(d.text, t.sent_start + 1, t.sent_end - t.sent_start)
                            FROM top t JOIN documents d USING (doc_id)
                            ORDER BY t.published_date DESC NULLS LAST, t.doc_id, t.char_start""", ROWS)
        runs = _q(con, """SELECT run_id, started_at, finished_at, status, documents_seen, documents_loaded,
                                 documents_rejected, quarantined_rows, message
                          FROM runs ORDER BY started_at DESC LIMIT ?""", RUNS)
        rejects = _q(con, """SELECT run_id, source_path, reason FROM rejects
                             WHERE run_id IN (SELECT run_id FROM runs ORDER BY started_at DESC LIMIT ?)
                             ORDER BY run_id, source_path""", RUNS)
    finally:
        con.close()
    sentences: dict[tuple, int] = {}  # (doc_id, start) -> anchor number
    sentence_rows: list[tuple] = []

    def anchor(doc_id, start, end, text, title) -> str | None:
        if start is None or end is None or not text:
            return None
        key = (doc_id, start)
        if key not in sentences:
            sentences[key] = len(sentences) + 1
            sentence_rows.append((sentences[key], text, doc_id, title))
        return f"s{sentences[key]}"

    e = html.escape
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>Communiqué report: {e(Path(warehouse).name)}</title><style>{_CSS}</style>"
             f"<script>{_vega_bundle()}</script></head><body>"]
    parts.append(f"<h1>Communiqué report</h1><p class='muted'>{e(str(warehouse))}, "
                 f"{dt.datetime.now():%Y-%m-%d %H:%M}</p><p class='counts'>")
    for name, key in (("documents", "documents"), ("events", "events"), ("mentions", "event_mentions"),
                      ("quotes", "quotes"), ("figures", "figures")):
        parts.append(f"<span id='count-{key}'><b>{counts[key]:,}</b>{name}</span>")
    parts.append("</p>")
    specs = _charts(timeline, counterparts)
    parts.append("<h2>Events</h2><div class='chart' id='chart-months'></div><div class='chart' id='chart-parts'></div>")
    parts.append(f"<script>const specs = {_script_json(specs)};"
                 "vegaEmbed('#chart-months', specs[0], {renderer: 'svg', actions: false}).catch(console.error);"
                 "vegaEmbed('#chart-parts', specs[1], {renderer: 'svg', actions: false}).catch(console.error);"
                 "</script>")

    parts.append(f"<h2>Figures</h2><p class='muted'>{min(ROWS, counts['figures']):,} of {counts['figures']:,}, "
                 "the most recent documents first</p><table id='figures'><tr><th>value</th><th>unit</th>"
                 "<th>qualifier</th><th>as written</th><th>subject</th><th>document</th></tr>")
    for value, unit, qual, text, subject, doc_id, title, pub, s, t, sent in figures:
        a = anchor(doc_id, s, t, sent, title)
        link = f"<a href='#{a}'>{e(text)}</a>" if a else e(text)
        parts.append(f"<tr><td class='num'>{value:,.6g}</td><td>{e(unit or '')}</td><td>{e(qual or '')}</td>"
                     f"<td>{link}</td><td>{e(subject or '')}</td><td>{e(title or doc_id)}"
                     f"{' · ' + e(str(pub)) if pub else ''}</td></tr>")
    parts.append("</table>")

    parts.append(f"<h2>Quotes</h2><p class='muted'>{min(ROWS, counts['quotes']):,} of {counts['quotes']:,}, "
                 "the most recent documents first</p><table id='quotes'><tr><th>speaker</th><th>quote</th>"
                 "<th>document</th></tr>")
    for speaker, text, doc_id, title, pub, s, t, sent in quotes:
        a = anchor(doc_id, s, t, sent, title)
        link = f"<a href='#{a}'>{e(text)}</a>" if a else e(text)
        parts.append(f"<tr><td>{e(speaker or 'not said')}</td><td>{link}</td><td>{e(title or doc_id)}"
                     f"{' · ' + e(str(pub)) if pub else ''}</td></tr>")
    parts.append("</table>")

    parts.append("<h2>Last runs</h2><table id='runs'><tr><th>started</th><th>status</th><th>seen</th>"
                 "<th>loaded</th><th>rejected</th><th>quarantined</th><th>message</th></tr>")
    for run_id, start, end, status, seen, loaded, rejected, quar, msg in runs:
        parts.append(f"<tr class='{'failed' if status not in ('succeeded', 'running') else ''}'>"
                     f"<td>{e(f'{start:%Y-%m-%d %H:%M:%S}' if start else '')}</td><td>{e(status or '')}</td>"
                     f"<td class='num'>{seen or 0}</td><td class='num'>{loaded or 0}</td>"
                     f"<td class='num'>{rejected or 0}</td><td class='num'>{quar or 0}</td><td>{e(msg or '')}</td></tr>")
    parts.append("</table>")
    parts.append("<h3>Their rejects</h3><table id='rejects'><tr><th>file</th><th>why</th></tr>")
    for _run, path, reason in rejects:
        parts.append(f"<tr><td>{e(path or '')}</td><td>{e(reason or '')}</td></tr>")
    if not rejects:
        parts.append("<tr><td colspan='2' class='muted'>no rejects</td></tr>")
    parts.append("</table>")

    parts.append("<h2>Sentences</h2><ol class='sentences'>")
    for n, text, doc_id, title in sentence_rows:
        parts.append(f"<li id='s{n}' value='{n}'>{e(text)} <span class='muted'>({e(title or doc_id)})</span></li>")
    parts.append("</ol></body></html>")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text("".join(parts), encoding="utf-8")
    tmp.replace(out)  # a reader never sees half a report
    return {"path": str(out), "bytes": out.stat().st_size, "seconds": round(time.monotonic() - t0, 2), **counts,
            "timeline_events": sum(r[2] for r in timeline), "counterparts": counterparts}
