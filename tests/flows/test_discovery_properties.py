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


def test_a_double_is_rejected_naming_the_first_and_every_other_document_is_read(tmp_path):
    (tmp_path / "a.txt").write_text("Ana Ruiz met Lars Holm in Lisbon on Monday.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Ana Ruiz met Lars Holm in Lisbon on Monday.\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Lars Holm called Ana Ruiz on Tuesday.\n", encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(
        '{"id": "k1", "text": "Holm visited Lisbon."}\n{"id": "k1", "text": "Ruiz visited Oslo."}\n'
        '{"id": "k2", "text": "Ruiz visited Riga."}\n', encoding="utf-8")
    scan = sources.scan(tmp_path)
    paths = sorted(d.source_path for d in scan.documents)
    assert paths[:2] == ["a.txt", "c.txt"] and len(paths) == 5  # the feed's line with a doubled id is read by its text
    assert len({d.doc_id for d in scan.documents}) == 5
    assert [r["source_path"] for r in scan.rejects] == ["b.txt"]
    assert "same content as a.txt" in scan.rejects[0]["reason"]


def test_a_new_file_with_the_content_of_one_loaded_before_is_rejected_naming_it(tmp_path):
    import hashlib
    a = tmp_path / "a.txt"
    a.write_text("Ana Ruiz met Lars Holm in Lisbon on Monday.\n", encoding="utf-8")
    st_a = os.stat(a)
    known = {"a.txt": (st_a.st_size, st_a.st_mtime_ns, hashlib.sha256(a.read_bytes()).hexdigest())}
    (tmp_path / "b.txt").write_bytes(a.read_bytes())
    scan = sources.scan(tmp_path, known_files=known)
    assert scan.unchanged_files == ["a.txt"] and scan.documents == []
    assert scan.rejects == [{"source_path": "b.txt", "reason": "same content as a.txt; loaded once, under that name"}]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2**64 - 1), st.integers(-2**40, 2**40)), max_size=60))
def test_first_seen_keeps_the_first_place_of_every_key_as_a_dictionary_does(pairs):
    seen, expect = sources.FirstSeen(), {}
    seen.MERGE = 7  # merged into its sorted arrays often
    for key, place in pairs:
        assert seen.get(key) == expect.get(key)
        assert seen.setdefault(key, place) == expect.setdefault(key, place)
    assert len(seen) == len(expect)
    assert all(seen.get(k) == v for k, v in expect.items())


def test_a_double_read_long_after_its_first_is_rejected_naming_it(tmp_path, monkeypatch):
    monkeypatch.setattr(sources.FirstSeen, "MERGE", 3)  # the first is in the merged arrays by then
    for i in range(10):
        (tmp_path / f"a{i}.txt").write_text(f"Ana Ruiz met Lars Holm in Lisbon on day {i}.\n", encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(
        "".join(f'{{"id": "k{i}", "text": "Holm visited Lisbon on day {i}."}}\n' for i in range(8))
        + '{"id": "k1", "text": "Ruiz visited Oslo."}\n', encoding="utf-8")
    (tmp_path / "z.txt").write_text("Ana Ruiz met Lars Holm in Lisbon on day 0.\n", encoding="utf-8")
    scan = sources.scan(tmp_path)
    assert [r["source_path"] for r in scan.rejects] == ["z.txt"]
    assert "same content as a0.txt" in scan.rejects[0]["reason"]
    assert len(scan.documents) == 10 + 9 and len({d.doc_id for d in scan.documents}) == 19
