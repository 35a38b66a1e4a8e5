"""`communique report`: one self-contained HTML file, every article text escaped, and in a
real browser the numbers it shows are the warehouse's."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEEDS

HOSTILE = ('Ana Duarte held a phone call with Pavel Moravec on March 3, 2021. '
           '"We will send <script>alert(1)</script> 40 tonnes of aid & more," said Ana Duarte.\n')


@pytest.fixture(scope="module")
def built(prefect_harness, tmp_path_factory):
    from flows.pipeline import run_pipeline
    base = tmp_path_factory.mktemp("report")
    shutil.copytree(SEEDS, base / "src")
    (base / "src" / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    wh = base / "w.duckdb"
    summary = run_pipeline(source=str(base / "src"), warehouse=str(wh))
    return {"wh": wh, "summary": summary, "base": base}


def _sql(wh, q):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(q).fetchall()
    finally:
        con.close()


def test_a_run_writes_the_report_and_says_where(built):
    path = built["summary"]["report"]
    assert path == str(built["wh"].parent / "report.html") and Path(path).stat().st_size > 100_000


def test_the_command_writes_a_self_contained_file_with_every_text_escaped(built, tmp_path):
    out = tmp_path / "r.html"
    cli = Path(sys.executable).parent / "communique"
    done = subprocess.run([str(cli), "report", "--warehouse", str(built["wh"]), "--out", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    # nothing fetched at view time: every script inline, and no style, image or frame from elsewhere
    assert set(re.findall(r"<script[^>]*>", page)) == {"<script>"}
    markup = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    assert not re.search(r"<(link|img|iframe|object|embed)\b", markup, re.I)
    # the article's markup is text, never markup
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "aid &amp; more" in page
    missing = subprocess.run([str(cli), "report", "--warehouse", str(tmp_path / "none.duckdb")],
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and "not found" in missing.stderr


def _browser():
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(_browser() is None, reason="headless Chromium not installed (apt-get install chromium)")
def test_in_a_browser_the_charts_and_counts_show_the_warehouse_numbers(built, tmp_path):
    page = Path(built["summary"]["report"])
    common = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000",
              f"--user-data-dir={tmp_path / 'profile'}"]
    shot = tmp_path / "report.png"
    subprocess.run(common + [f"--screenshot={shot}", "--window-size=1200,2400", page.as_uri()],
                   capture_output=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    dom = subprocess.run(common + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "HOME": str(tmp_path)}).stdout
    wh = built["wh"]
    for table in ("documents", "events", "quotes", "figures"):
        shown = re.search(rf"id=\"count-{table}\"><b>([\d,]+)</b>", dom).group(1)
        assert int(shown.replace(",", "")) == _sql(wh, f"SELECT count(*) FROM {table}")[0][0], table
    # the bars Vega drew, read back from their labels
    bars = re.findall(r'aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="bar"', dom)
    months = [b for b in bars if b.startswith("month: ")]
    parts = {re.search(r"name: ([^;]*)", b).group(1): int(re.search(r"events: (\d+)", b).group(1))
             for b in bars if "name: " in b}
    assert sum(int(re.search(r"events: (\d+)", b).group(1)) for b in months) == \
        _sql(wh, "SELECT sum(events) FROM event_timeline")[0][0] > 0
    top = _sql(wh, """SELECT name, count(DISTINCT event_id) AS n FROM event_participants
                      GROUP BY name, kind ORDER BY n DESC, name LIMIT 20""")
    assert {html_name(n): c for n, c in top} == parts


def html_name(name: str) -> str:
    """A name as it reads inside an attribute of the page."""
    return name.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _data_docs(built) -> Path:
    return next((built["base"] / "validation" / "gx").glob("*/gx/uncommitted/data_docs/local_site"))


def test_the_data_docs_load_nothing_from_the_web_and_every_local_asset_is_there(built):
    from expectations.offline import external_assets
    site = _data_docs(built)
    pages = list(site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert external_assets(html) == [], page
        for ref in re.findall(r'(?:src|href)="([^"#?]+\.(?:js|css))"', html):
            assert (page.parent / ref).resolve().is_file(), (page, ref)


@pytest.mark.skipif(_browser() is None, reason="headless Chromium not installed (apt-get install chromium)")
def test_offline_the_data_docs_index_lists_every_validation_of_the_run(built, tmp_path):
    index = _data_docs(built) / "index.html"
    dom = subprocess.run([_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000",
                          f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", index.as_uri()],
                         capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)}).stdout
    shown = set(re.findall(r'data-href="(validations/[^"]+\.html)"', dom))
    on_disk = {str(p.relative_to(index.parent)) for p in (index.parent / "validations").rglob("*.html")}
    assert shown == on_disk and len(on_disk) >= 6  # one row per suite validated, each linking to its page
    assert re.search(r'<table[^>]*class="[^"]*\btable-hover\b', dom)  # drawn as a Bootstrap table


def test_the_chart_script_is_made_once_outside_the_process_and_kept(tmp_path, monkeypatch):
    from warehouse import report
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = report._vega_bundle()
    kept = list((tmp_path / "communique").glob("vega-bundle-*.js"))
    assert len(kept) == 1 and "vega-embed" in first and "</script" not in first
    assert "vl_convert" not in sys.modules  # made in a child process
    stamp = kept[0].stat().st_mtime_ns
    assert report._vega_bundle() == first and kept[0].stat().st_mtime_ns == stamp
