"""Every development set through `communique run`, then its scorer from ../shared/score.

    .venv/bin/python bench/devsets.py [--out DIR] [--only NAME,...] [--keep]

Builds one warehouse per set under DIR (default /tmp/communique-dev) and prints one
line of scores per set, so that a change can be measured before and after."""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORE = SHARED / "score"
PY = sys.executable
CLI = str(Path(PY).parent / "communique")


EVENTS = ROOT / "devsets/events"
STYLES = ROOT / "devsets/styles"  # invented documents in other publishers' house styles


def events_source(out: Path) -> Path:
    """The folder of the events development set, made from ../shared/corpora by
    devsets/events/articles.txt: pdo pages and BBC articles as they are, each White
    House readout as its headline, a blank line and its text, with its date in
    manifest.csv."""
    import csv

    src = out / "src_events"
    src.mkdir(parents=True, exist_ok=True)
    corpora = SHARED / "corpora"
    pdo = {r["file"]: r for r in csv.DictReader((corpora / "pdo_pages/manifest.csv").open(encoding="utf-8"))}
    readouts = None
    rows = []
    for ref in (EVENTS / "articles.txt").read_text(encoding="utf-8").splitlines():
        if not ref.strip() or ref.startswith("#"):
            continue
        if "#" in ref:
            if readouts is None:
                readouts = {o["id"]: o for o in map(json.loads, (corpora / "whitehouse_readouts.jsonl").open(encoding="utf-8"))}
            o = readouts[ref.split("#", 1)[1]]
            name = f"wh_{o['id'][:120]}.txt"
            (src / name).write_text(f"{o['title']}\n\n{o['text']}\n", encoding="utf-8")
            rows.append((name, o["date"], o["title"]))
        elif ref.startswith("pdo_pages/"):
            name = Path(ref).name
            (src / name).write_bytes((corpora / ref).read_bytes())
            rows.append((name, pdo[name]["published_date"], pdo[name]["title"]))
        else:
            name = "bbc_politics_" + Path(ref).name
            (src / name).write_bytes((corpora / ref).read_bytes())
    with (src / "manifest.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(("file", "published_date", "title"))
        w.writerows(rows)
    return src


def sets(out: Path) -> dict[str, Path]:
    fig = {}
    for kind in ("currency", "dimension", "temperature", "age"):
        src = out / f"src_fig_{kind}"
        if not src.exists():
            subprocess.run([PY, SCORE / "quantities_score.py", "make",
                            SHARED / "gold/figure_sentences" / f"{kind}-model.json", src], check=True)
        fig[f"fig_{kind}"] = src
    wh = out / "src_whitehouse"
    wh.mkdir(parents=True, exist_ok=True)
    copy = wh / "whitehouse_readouts.jsonl"  # a copy: links out of a source folder are not followed
    if copy.is_symlink():
        copy.unlink()
    if not copy.exists():
        copy.write_bytes((SHARED / "corpora/whitehouse_readouts.jsonl").read_bytes())
    return {"seeds": ROOT / "seeds", "polnear": SHARED / "corpora/polnear_train/text", "whitehouse": wh,
            "pdo": SHARED / "corpora/pdo_pages", "events": events_source(out), "styles": STYLES / "texts", **fig}


def build(name: str, src: Path, out: Path) -> tuple[str, float, str]:
    wh = out / f"{name}.duckdb"
    for p in out.glob(f"{name}.duckdb*"):
        p.unlink()
    t = time.time()
    r = subprocess.run([CLI, "run", "--source", str(src), "--warehouse", str(wh)], capture_output=True, text=True)
    return name, time.time() - t, "" if r.returncode == 0 else r.stderr.strip().splitlines()[-1:][0]


def score(name: str, out: Path) -> str:
    wh = str(out / f"{name}.duckdb")
    if name in ("seeds", "events", "styles"):
        gold, src = {"seeds": (SHARED / "gold/seeds", ROOT / "seeds"), "events": (EVENTS, out / "src_events"),
                     "styles": (STYLES, STYLES / "texts")}[name]
        r = json.loads(subprocess.run([PY, SCORE / "score.py", "--warehouse", wh, "--gold", gold,
                                       "--source", src, "--json"], capture_output=True, text=True).stdout)
        f, q, e = r["figures"], r["quotes"], r["events"]
        return (f"figures vu F1 {f['value_and_unit']['f1']:.3f} | quotes attr F1 {q['attributed']['f1']:.3f} | "
                f"events typed F1 {e['typed']['f1']:.3f} date_acc {e.get('date_accuracy')} "
                f"date_exact {e.get('date_exact')} channel {e.get('channel_accuracy')}"
                + "".join(f" {k} {v}" for k, v in e.items() if k.startswith("particip") and not isinstance(v, list)))
    if name == "polnear":
        r = json.loads(subprocess.run([PY, SCORE / "polnear_score.py", wh, SHARED / "corpora/polnear_train", "--json"],
                                      capture_output=True, text=True).stdout)
        return " | ".join(f"{k} {v}" for k, v in r.items() if not isinstance(v, list))
    if name == "whitehouse":
        return subprocess.run([PY, SCORE / "titles_silver.py", wh, SHARED / "corpora/whitehouse_readouts.jsonl",
                               "--home", "USA"], capture_output=True, text=True).stdout.splitlines()[0]
    if name.startswith("fig_"):
        kind = name[4:]
        r = subprocess.run([PY, SCORE / "quantities_score.py", "score",
                            SHARED / "gold/figure_sentences" / f"{kind}-model.json", wh, "--json"],
                           capture_output=True, text=True)
        return r.stdout.strip()
    if name == "pdo":
        import duckdb
        con = duckdb.connect(wh, read_only=True)
        n = {t: con.execute(f"select count(*) from {t}").fetchone()[0]
             for t in ("documents", "event_mentions", "events", "quotes", "figures")}
        return " ".join(f"{k}={v}" for k, v in n.items())
    return ""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/communique-dev")
    ap.add_argument("--only", default="")
    ap.add_argument("--score-only", action="store_true", help="score the warehouses already built")
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    todo = sets(out)
    if a.only:
        todo = {k: v for k, v in todo.items() if k in a.only.split(",")}
    if not a.score_only:
        with ThreadPoolExecutor(2) as pool:
            for name, secs, err in pool.map(lambda kv: build(kv[0], kv[1], out), todo.items()):
                print(f"built {name} in {secs:.0f} s {err}", file=sys.stderr)
    for name in todo:
        print(f"{name:<16} {score(name, out)}")


if __name__ == "__main__":
    main()
