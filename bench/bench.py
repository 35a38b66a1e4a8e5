"""Benchmark: the real flow on ../shared/corpora repeated N times, each copy distinct.

    .venv/bin/python bench/bench.py --copies 10

Prints documents, MB, seconds, MB/s and peak RSS (of the full run, and with the no-op rerun after it), and the seconds of each stage of the run
(read, annotate, extract, validate, resolve, publish). `--hostile` times extraction of
hostile texts at two sizes; `bench/extract.py` times extraction alone, extractor by extractor."""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
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


def make_big(dest: Path, kind: str, size: int = 25_000_000) -> int:
    """One document of `size` bytes: a readout repeated ("repeat") or the corpora's distinct
    articles one after another ("distinct"). Returns its size."""
    dest.mkdir(parents=True, exist_ok=True)
    readouts = [json.loads(line)["text"] for line in
                (CORPORA / "whitehouse_readouts.jsonl").read_text(encoding="utf-8").splitlines()]
    if kind == "repeat":
        parts, n = [], 0
        while n < size:
            parts.append(readouts[0])
            n += len(readouts[0]) + 2
    else:
        arts = readouts + [p.read_text(encoding="utf-8", errors="replace") for p in sorted((CORPORA / "bbc").rglob("*.txt"))]
        parts, n, i = [], 0, 0
        while n < size:
            parts.append(f"{arts[i % len(arts)]} ({i})")
            n += len(parts[-1]) + 2
            i += 1
    raw = "\n\n".join(parts).encode("utf-8")[:size]
    (dest / f"{kind}.txt").write_bytes(raw.decode("utf-8", errors="ignore").encode("utf-8"))
    return len(raw)


def make_feed(dest: Path, copies: int = 3) -> tuple[int, int]:
    """The articles of `copies` distinct copies of the corpora as one jsonl feed (about 22 MB
    and 10,900 lines at 3), and the same texts as one file each under dest/"files"; returns
    (documents, bytes of text)."""
    (dest / "feed").mkdir(parents=True, exist_ok=True)
    (dest / "files").mkdir(parents=True, exist_ok=True)
    arts = [(p.relative_to(CORPORA).as_posix(), p.read_text(encoding="utf-8", errors="replace"))
            for p in sorted((CORPORA / "bbc").rglob("*.txt"))]
    arts += [(json.loads(line)["id"], json.loads(line)["text"]) for line in
             (CORPORA / "whitehouse_readouts.jsonl").read_text(encoding="utf-8").splitlines()]
    lines, n_bytes = [], 0
    for i in range(copies):
        for n, (name, text) in enumerate(arts):
            text = f"{text}\n\n(copy {i})\n"
            doc_id = f"c{i}-{n:05d}"
            lines.append(json.dumps({"id": doc_id, "text": text}))
            (dest / "files" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
            n_bytes += len(text.encode())
    (dest / "feed" / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines), n_bytes


HOSTILE = {"bang": "!", "ones": "1", "commas": "Chile, ", "demonyms": "Chinese, ", "titles": "President ",
           "quotes": '"a ', "tags": "<", "capitals": "ABC-", "dots": "A. ",
           "one_sentence": "Joe Biden met Justin Trudeau on May 3, and "}


def hostile() -> None:
    """Extraction time of each hostile text at 200 KB and at 800 KB: a ratio near 4 is
    linear, near 16 quadratic."""
    from flows.pipeline import extract_batch
    for name, unit in HOSTILE.items():
        times = []
        for size in (200_000, 800_000):
            text = "Hello" + unit * (size // len(unit)) + "x"
            row = {"doc_id": "d", "source_path": "x.txt", "text": text, "content_sha256": "x", "encoding": "utf-8",
                   "title": None, "url": None, "published_date": None, "date_source": None, "char_count": len(text)}
            t0 = time.perf_counter()
            extract_batch([row])
            times.append(time.perf_counter() - t0)
        print(f"hostile={name} s_200KB={times[0]:.2f} s_800KB={times[1]:.2f} ratio={times[1] / max(times[0], 1e-3):.1f}")


def peak_rss_mb() -> float:
    """The largest resident memory so far of this process, or of a child process that has ended."""
    return max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def timed_run(source: Path, warehouse: Path, **how) -> tuple[dict, float]:
    """One run of the real flow: its summary and its seconds."""
    from flows.pipeline import run_pipeline
    t0 = time.perf_counter()
    summary = run_pipeline(source=str(source), warehouse=str(warehouse), **how)
    return summary, time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--source", help="instead of copies of ../shared/corpora: this folder as it is")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--feed", action="store_true",
                    help="instead: one 22 MB jsonl feed of 10,900 distinct articles, then the same texts as "
                         "separate files (with --busy: while a second run loads other copies)")
    ap.add_argument("--busy", action="store_true",
                    help="with --feed: a second run busy on the same machine during each timed run")
    ap.add_argument("--runner", default="local", choices=("local", "dask"),
                    help="dask: extract on a local Dask cluster of --workers processes (or at --dask-address)")
    ap.add_argument("--workers", type=int, help="extraction processes (default: one per core)")
    ap.add_argument("--dask-address", help="scheduler of an existing Dask cluster")
    ap.add_argument("--hostile", action="store_true", help="instead: time hostile texts at two sizes")
    ap.add_argument("--big", action="store_true",
                    help="instead: one 25 MB document of one readout repeated, then one of distinct articles")
    a = ap.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "ERROR")  # the numbers below, not the run's log
    if a.hostile:
        sys.path.insert(0, str(ROOT))
        hostile()
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="communique-bench-"))
    try:
        if a.big:
            for kind in ("repeat", "distinct"):
                n_bytes = make_big(tmp / kind, kind)
                summary, seconds = timed_run(tmp / kind, tmp / f"{kind}.duckdb")
                print(f"big={kind} MB={n_bytes / 1e6:.1f} seconds={seconds:.1f} MB/s={n_bytes / 1e6 / seconds:.2f} "
                      f"loaded={summary['loaded']} mentions={summary['event_mentions_rows']} "
                      f"figures={summary['figures_rows']} quotes={summary['quotes_rows']}")
            return 0
        if a.feed:
            n_docs, n_bytes = make_feed(tmp)
            if a.busy:
                make_copies(tmp / "other", 10)
            for kind in ("feed", "files"):
                busy = None
                if a.busy:  # a second run, of other copies, in a process of its own, under way for each timed run
                    (tmp / "other.duckdb").unlink(missing_ok=True)
                    busy = subprocess.Popen([sys.executable, "-m", "flows.cli", "run", "--quiet", "--source",
                                             str(tmp / "other"), "--warehouse", str(tmp / "other.duckdb")],
                                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    time.sleep(20)  # under way
                summary, seconds = timed_run(tmp / kind, tmp / f"{kind}.duckdb")
                print(f"{kind} documents={n_docs} loaded={summary['loaded']} rejected={summary['rejected']} "
                      f"MB={n_bytes / 1e6:.1f} seconds={seconds:.1f} MB/s={n_bytes / 1e6 / seconds:.2f} "
                      f"busy={'yes' if busy is not None and busy.poll() is None else 'no'}")
                if busy is not None:
                    busy.terminate()
                    busy.wait()
            return 0
        if a.source:
            src = Path(a.source)
            n_bytes = sum(p.stat().st_size for p in src.rglob("*") if p.is_file())
        else:
            src = tmp / "src"
            files, n_bytes = make_copies(src, a.copies)
        how = {"runner": a.runner, "workers": a.workers, "dask_address": a.dask_address}
        summary, seconds = timed_run(src, tmp / "bench.duckdb", **how)
        rss_mb = peak_rss_mb()  # of the full run (a process of it still alive, a worker, is not counted)
        again, noop = timed_run(src, tmp / "bench.duckdb", **how)
        noop_rss_mb = peak_rss_mb()
        mb = n_bytes / 1e6
        print(f"{'source=' + a.source if a.source else f'copies={a.copies}'} runner={a.runner} "
              f"workers={a.workers or 'auto'} documents={summary['loaded']} "
              f"rejected={summary['rejected']} MB={mb:.2f} "
              f"seconds={seconds:.1f} MB/s={mb / seconds:.2f} peak_rss_MB={rss_mb:.0f} "
              f"mentions={summary['event_mentions_rows']} events={summary['events_rows']} "
              f"quotes={summary['quotes_rows']} figures={summary['figures_rows']}")
        print("seconds per stage (annotate and extract summed over worker processes): " +
              " ".join(f"{k}={v:.1f}" for k, v in summary.get("seconds", {}).items()))
        print(f"no-op run: seconds={noop:.1f} ({100 * noop / seconds:.0f}% of the full run) "
              f"loaded={again['loaded']} unchanged={again['unchanged']} "
              f"peak_rss_MB={noop_rss_mb:.0f}" + (" (higher than the full run's: set by the no-op run)"
                                                  if noop_rss_mb > rss_mb + 1 else ""))
    finally:
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
