"""Random file names and random contents through discovery and the transforms: every file
becomes a document or a reject with a reason, ids are unique, and extraction keeps to its
time budget."""
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows import pipeline, sources

# any character a file name may hold on Linux, but the separator and NUL
NAME = st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=24)
RAW_NAME = st.binary(min_size=1, max_size=24).filter(lambda b: b"/" not in b and b"\x00" not in b)
SUFFIX = st.sampled_from([".txt", ".md", ".html", ".htm", ".jsonl", ".csv", ".pdf", ""])
WORDS = st.sampled_from(["Xi Jinping", "met", "on March 3,", "2021", "\"", "“", "said", "phone call", "summit",
                         "US$3 billion", "12.7%", "\n", "\n\n", "<p>", "</p>", "<!--", "---", "date: 2021-02-30",
                         "{\"id\": 1, \"text\": \"a\"}", "President", "Chinese,", "!!!", "1st", "\u200b", "\ufeff"])
CONTENT = st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
                    st.lists(WORDS, max_size=80).map(" ".join).map(str.encode))
FILES = st.lists(st.tuples(st.one_of(NAME.map(os.fsencode), RAW_NAME), SUFFIX, CONTENT), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FILES)
def test_any_names_and_bytes_are_loaded_or_rejected_within_the_time_budget(files):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        written = set()
        for raw, suffix, content in files:
            name = raw + suffix.encode()
            if name in (b".", b"..") or name.startswith(b".") or len(name) > 255:
                continue
            try:
                with open(os.path.join(os.fsencode(tmp), name), "wb") as f:
                    f.write(content)
            except OSError:
                continue
            written.add(sources.printable(os.fsdecode(name)))
        scan = sources.scan(root)
        seen = {sources.file_of(d.source_path) for d in scan.documents} | \
            {r["source_path"] for r in scan.rejects} | {sources.file_of(r["source_path"]) for r in scan.rejects}
        assert written <= seen
        assert all(r["reason"] for r in scan.rejects)
        ids = [d.doc_id for d in scan.documents]
        assert len(ids) == len(set(ids))
        rows = [d.row() for d in scan.documents]
        out = pipeline.extract_batch_safe(rows, seconds_per_mb=pipeline.SECONDS_PER_MB)
        assert out["documents"].height + len(out["rejects"]) == len(rows)
        assert not [r for r in out["rejects"] if "CPU seconds" in r["reason"]]
        texts = dict(zip(out["documents"]["doc_id"], out["documents"]["text"]))
        for table, col in (("quotes", "text"), ("figures", "text"), ("event_mentions", "evidence")):
            for d, s, e, t in out[table].select("doc_id", "char_start", "char_end", col).iter_rows():
                assert texts[d][s:e] == t
