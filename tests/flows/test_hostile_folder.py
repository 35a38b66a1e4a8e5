"""A folder of inputs written to stall a pattern or a loop, beside good articles: the run
ends, with every document loaded or rejected with its reason. (The bound on its time is a
guard against a hang, five times what the run takes on a slow machine; how fast hostile
texts are read is measured by `bench/bench.py --hostile`, not here.)"""
import time

import duckdb
import pytest

GOOD = "The foreign ministers of Chile and Peru met in Lima on March 3, 2022 and signed a trade agreement.\n"
ARTICLE = ("President Ana Ruiz of Portugal held a telephone call with Chancellor Tomas Berg of Austria on May 3, 2021. "
           "\"We agreed on 12 new rail links worth €3.5bn,\" said Ruiz. The talks lasted 40 minutes.\n\n")


def _cases() -> dict[str, str]:
    wrapped = "\n".join(("Chile and Peru met in Lima on May 1, 2021 and talked about trade and the border "
                         "for a long time")[:70] for _ in range(20000))
    return {
        "good.txt": GOOD,
        "bangs.txt": "Hello" + "!" * 50_000 + "x",  # the sentence splitter
        "ordinal.txt": "1" * 20_000 + "th",  # figures
        "commas.txt": "Chinese, " * 10_000,  # names
        "titles.txt": "President " * 10_000,  # names
        "comment.html": "<html><body><p>" + GOOD + "</p><!--" + "x" * 200_000,  # an unclosed comment
        "angles.html": "<p>" + GOOD + "<" * 100_000,  # unclosed tags
        "frontmatter.md": "---\ntitle:" + " " * 100_000 + "x\n---\n" + GOOD,  # long runs of spaces
        "wrapped.txt": wrapped,  # hard-wrapped, no blank line
        "dense.txt": "Chile met Peru on May 1, 2021, and " * 3000 + "they parted.",  # events and dates in one sentence
        "repeated.txt": ARTICLE * 12_000,  # one article repeated, 2.7 MB
        "baddate.md": "---\ntitle: Talks\ndate: 2021-02-30\n---\n" + GOOD,
        "numbers.txt": "The ministry hired 12\u200b000 doctors and 3\u00a0500 nurses; a debt of " + "9" * 400 + " dollars.",
    }


@pytest.fixture(scope="module")
def hostile(prefect_harness, tmp_path_factory):
    from flows.pipeline import run_pipeline
    base = tmp_path_factory.mktemp("hostile")
    src = base / "src"
    src.mkdir()
    for name, text in _cases().items():
        (src / name).write_text(text, encoding="utf-8")
    wh = base / "w.duckdb"
    t0 = time.monotonic()
    summary = run_pipeline(source=str(src), warehouse=str(wh), workers=1)
    took = time.monotonic() - t0
    con = duckdb.connect(str(wh), read_only=True)
    out = {
        "took": took, "summary": summary,
        "docs": {r[0] for r in con.execute("SELECT source_path FROM documents").fetchall()},
        "rejects": dict(con.execute("SELECT source_path, reason FROM rejects").fetchall()),
        "notes": dict(con.execute("SELECT source_path, note FROM notes").fetchall()),
        "figures": con.execute("SELECT d.source_path, f.value, f.text FROM figures f JOIN documents d USING (doc_id)").fetchall(),
    }
    con.close()
    return out


def test_the_run_ends_with_every_input_loaded_or_rejected(hostile):
    assert hostile["took"] < 300, "the run stalled"
    names = set(_cases())
    assert hostile["docs"] | set(hostile["rejects"]) == names
    for path, reason in hostile["rejects"].items():
        assert reason  # every reject says why
    assert {"good.txt", "repeated.txt", "baddate.md", "numbers.txt", "comment.html", "angles.html"} <= hostile["docs"]


def test_a_date_that_is_no_date_costs_the_field_not_the_document(hostile):
    assert "baddate.md" in hostile["docs"]
    assert "2021-02-30" in hostile["notes"]["baddate.md"] and "ignored" in hostile["notes"]["baddate.md"]


def test_numbers_ignore_format_characters_and_stay_finite(hostile):
    values = {t: v for p, v, t in hostile["figures"] if p == "numbers.txt"}
    assert 12000 in values.values() and 3500 in values.values()
    assert all(v is None or v < 1e300 for v in values.values())


def test_a_document_over_its_time_budget_is_rejected_alone(monkeypatch):
    from flows import pipeline
    small = {"doc_id": "a", "source_path": "small.txt", "text": GOOD, "content_sha256": "a", "encoding": "utf-8",
             "title": None, "url": None, "published_date": None, "date_source": None, "char_count": len(GOOD)}
    big = {**small, "doc_id": "b", "source_path": "big.txt", "text": ARTICLE * 12_000, "content_sha256": "b"}
    pipeline.extract_batch([small])  # load the reference data first
    monkeypatch.setattr(pipeline, "MIN_SECONDS", 1.0)
    out = pipeline.extract_batch_safe([small, big], seconds_per_mb=0.01)
    assert list(out["documents"]["source_path"]) == ["small.txt"]
    assert [r["source_path"] for r in out["rejects"]] == ["big.txt"]
    assert "budget of" in out["rejects"][0]["reason"] and "CPU seconds" in out["rejects"][0]["reason"]


def test_the_budget_holds_in_a_worker_thread_as_in_the_main_one(monkeypatch):
    """Dask runs extraction in worker threads: the CPU budget is checked there too."""
    import threading
    from flows import pipeline
    small = {"doc_id": "a", "source_path": "small.txt", "text": GOOD, "content_sha256": "a", "encoding": "utf-8",
             "title": None, "url": None, "published_date": None, "date_source": None, "char_count": len(GOOD)}
    big = {**small, "doc_id": "b", "source_path": "big.txt", "text": ARTICLE * 12_000, "content_sha256": "b"}
    pipeline.extract_batch([small])
    monkeypatch.setattr(pipeline, "MIN_SECONDS", 1.0)
    result = {}
    worker = threading.Thread(target=lambda: result.update(pipeline.extract_batch_safe([small, big], seconds_per_mb=0.01)))
    worker.start()
    worker.join(timeout=300)
    assert [r["source_path"] for r in result["rejects"]] == ["big.txt"]
    assert list(result["documents"]["source_path"]) == ["small.txt"]
