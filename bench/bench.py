"""Benchmark: the real flow on ../shared/corpora repeated N times, each copy distinct.

    .venv/bin/python bench/bench.py --copies 10

Prints documents, MB, seconds, MB/s and peak RSS."""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"


def make_copies(dest: Path, copies: int) -> tuple[int, int]:
    """Write `copies` distinct copies of the corpora under dest; returns (files, bytes)."""
    n_bytes = n_docs = 0
    for i in range(copies):
        out = dest / f"copy{i:03d}"
        for path in sorted((CORPORA / "bbc").rglob("*.txt")):
            target = out / "bbc" / path.relative_to(CORPORA / "bbc")
            target.parent.mkdir(parents=True, exist_ok=True)
            raw = path.read_bytes() + f"\n\n(copy {i})\n".encode()
            target.write_bytes(raw)
            n_bytes += len(raw)
            n_docs += 1
        lines = []
        for line in (CORPORA / "whitehouse_readouts.jsonl").read_text(encoding="utf-8").splitlines():
            obj = json.loads(line)
            obj["id"] = f"{obj['id']}-{i}"
            obj["text"] = obj["text"] + f"\n\n(copy {i})\n"
            lines.append(json.dumps(obj))
            n_bytes += len(obj["text"].encode())
            n_docs += 1
        (out / "readouts.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n_docs, n_bytes


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = ap.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    tmp = Path(tempfile.mkdtemp(prefix="communique-bench-"))
    try:
        src = tmp / "src"
        files, n_bytes = make_copies(src, a.copies)
        from flows.pipeline import run_pipeline
        t0 = time.perf_counter()
        summary = run_pipeline(source=str(src), warehouse=str(tmp / "bench.duckdb"))
        seconds = time.perf_counter() - t0
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        mb = n_bytes / 1e6
        print(f"copies={a.copies} documents={summary['loaded']} rejected={summary['rejected']} MB={mb:.2f} "
              f"seconds={seconds:.1f} MB/s={mb / seconds:.2f} peak_rss_MB={rss_mb:.0f} "
              f"mentions={summary['event_mentions_rows']} events={summary['events_rows']} "
              f"quotes={summary['quotes_rows']} figures={summary['figures_rows']}")
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
