"""Extraction alone: the Python contract (events, quotes, figures) on ../shared/corpora in one
process, with seconds per stage.

    .venv/bin/python bench/extract.py [--limit N] [--warm] [--passes N] [--profile FILE]

Prints documents, MB, seconds for annotate (reading each document once: body, dateline,
sentences) and for each extractor, and MB/s of the whole, wall clock and CPU. With
--passes N the same documents are extracted N times, a line each: the first pass also
builds RE2's lazy automata as each pattern meets new text (what a long run's worker pays
once), the later ones show the steady state."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
sys.path.insert(0, str(ROOT))


def corpus(limit: int | None) -> list[dict]:
    rows = []
    for path in sorted((CORPORA / "bbc").rglob("*.txt")):
        rows.append({"doc_id": str(path.relative_to(CORPORA)), "text": path.read_bytes().decode("utf-8", "replace")})
    for line in (CORPORA / "whitehouse_readouts.jsonl").read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        rows.append({"doc_id": obj["id"], "text": obj["text"]})
    return rows[:limit] if limit else rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int)
    ap.add_argument("--profile", help="write a cProfile of the extraction to this file")
    ap.add_argument("--passes", type=int, default=1, help="extract the documents this many times, a line each")
    ap.add_argument("--warm", action="store_true",
                    help="first extract 50 other documents, so that the timing leaves out loading the rules "
                         "and reference data (what a long run pays once)")
    a = ap.parse_args()
    import polars as pl
    from transforms import documents, events, figures, quotes
    rows = corpus(a.limit)
    mb = sum(len(r["text"].encode()) for r in rows) / 1e6
    t0 = time.perf_counter()
    # one polars regex pass, the yardstick the engine is measured against
    pl.DataFrame(rows).select(pl.col("text").str.count_matches(r"\b[A-Z][a-z]+\b"))
    yard = time.perf_counter() - t0
    frame = pl.DataFrame(rows)
    if a.warm:
        warm = pl.DataFrame([{"doc_id": f"warm{i}", "text": r["text"] + " (warm-up)"} for i, r in enumerate(rows[:50])])
        d = documents.prepare(warm)
        events.mentions(d), quotes.extract(d), figures.extract(d)
    prof = None
    if a.profile:
        import cProfile
        prof = cProfile.Profile()
        prof.enable()
    for _ in range(max(1, a.passes)):
        times = {}
        t = time.perf_counter()
        cpu = time.process_time()
        anns = documents.annotate(frame)
        docs = documents.prepare(frame, anns)
        times["annotate"] = time.perf_counter() - t
        for name, fn in (("events", events.mentions), ("quotes", quotes.extract), ("figures", figures.extract)):
            t = time.perf_counter()
            out = fn(docs, anns)
            times[name] = time.perf_counter() - t
            times[name + "_rows"] = out.height
        cpu = time.process_time() - cpu
        total = sum(v for k, v in times.items() if not k.endswith("_rows"))
        print(f"documents={len(rows)} MB={mb:.2f} " + " ".join(
            f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in times.items())
              + f" extract_s={total:.2f} MB/s={mb / total:.2f} cpu_s={cpu:.2f} cpu_MB/s={mb / cpu:.2f}"
              + f" polars_pass_s={yard:.3f}", flush=True)
    if prof:
        prof.disable()
        prof.dump_stats(a.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
