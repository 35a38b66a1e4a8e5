"""Rows of every extractor on the development documents, saved or compared, so that a change
meant to keep behaviour can show it does.

    .venv/bin/python bench/same_rows.py save DIR    # the rows of the code as it is, to DIR
    .venv/bin/python bench/same_rows.py diff DIR [N]  # the rows now against DIR: counts and N rows that differ

Documents: bbc and the White House readouts (as bench/extract.py), PolNeAR train, pdo_pages,
the seeds, and the figure sentences of ../shared/gold/figure_sentences."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def corpus() -> list[dict]:
    from extract import corpus as shared
    rows = shared(None)
    for folder in (SHARED / "corpora/polnear_train/text", SHARED / "corpora/pdo_pages", ROOT / "seeds"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".txt", ".md"):
                rows.append({"doc_id": str(path.relative_to(SHARED.parent)), "text": path.read_text("utf-8", "replace")})
    for path in sorted((SHARED / "gold/figure_sentences").glob("*.json")):
        for i, item in enumerate(json.loads(path.read_text())):
            text = item.get("text") or item.get("sentence") if isinstance(item, dict) else None
            if text:
                rows.append({"doc_id": f"{path.stem}#{i}", "text": text})
    return rows


def extract() -> dict:
    import polars as pl
    from transforms import documents, events, figures, quotes
    frame = pl.DataFrame(corpus())
    t = time.perf_counter()
    anns = documents.annotate(frame)
    docs = documents.prepare(frame, anns)
    out = {"documents": docs.drop([c for c in docs.columns if docs[c].dtype == pl.Object])}
    for name, fn in (("mentions", events.mentions), ("quotes", quotes.extract), ("figures", figures.extract)):
        out[name] = fn(docs, anns)
    print(f"{frame.height} documents extracted in {time.perf_counter() - t:.1f} s")
    return out


def main() -> int:
    import polars as pl
    cmd, folder = sys.argv[1], Path(sys.argv[2])
    now = extract()
    if cmd == "save":
        folder.mkdir(parents=True, exist_ok=True)
        for name, df in now.items():
            df.write_parquet(folder / f"{name}.parquet")
            print(name, df.height)
        return 0
    differ = 0
    for name, df in now.items():
        old = pl.read_parquet(folder / f"{name}.parquet")
        cols = [c for c in old.columns if c in df.columns]
        a = old.select(cols).with_row_index("_i")
        b = df.select(cols).with_row_index("_i")
        gone = a.drop("_i").join(b.drop("_i"), on=cols, how="anti", nulls_equal=True)
        new = b.drop("_i").join(a.drop("_i"), on=cols, how="anti", nulls_equal=True)
        print(f"{name}: before {old.height} after {df.height}; only before {gone.height}, only after {new.height}")
        if gone.height or new.height:
            differ += 1
            show = [c for c in ("doc_id", "char_start", "char_end", "text", "value", "unit", "qualifier", "subject",
                                "speaker", "event_type", "rule") if c in cols]
            for label, frame in (("-", gone), ("+", new)):
                for row in frame.select(show).sort(show[:2]).head(int(sys.argv[3]) if len(sys.argv) > 3 else 15).iter_rows():
                    print(label, " | ".join(str(x)[-40:] if i == 0 else str(x)[:70] for i, x in enumerate(row)))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
