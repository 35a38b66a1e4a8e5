"""A source folder that mixes good files with every kind of bad input."""
import datetime as dt
import json
import os

import duckdb
import pytest

GOOD = "The foreign ministers of Chile and Peru met in Lima on March 3, 2022 and signed a trade agreement.\n"


@pytest.fixture(scope="module")
def mixed(prefect_harness, tmp_path_factory):
    from flows.pipeline import run_pipeline
    base = tmp_path_factory.mktemp("mixed")
    src = base / "src"
    (src / "sub").mkdir(parents=True)
    (src / "good.txt").write_text(GOOD, encoding="utf-8")
    (src / "bom.txt").write_bytes(b"\xef\xbb\xbf" + "Angela Merkel spoke by phone with Emmanuel Macron on May 4, 2020.".encode())
    (src / "utf16.txt").write_bytes("Justin Trudeau visited Mexico on June 2, 2021 for talks.".encode("utf-16"))
    (src / "cp1252.txt").write_bytes("\u201cWe will stay close partners,\u201d said Angela Merkel in Orl\u00e9ans on May 4, 2020.".encode("cp1252"))
    (src / "crlf.txt").write_bytes(b"Joe Biden held a call with Fumio Kishida on March 1, 2022.\r\n\r\nThey discussed 3 issues.\r\n")
    (src / "sub" / "nested.md").write_text("# Note\n\nNarendra Modi met Joe Biden on May 24, 2022 in Tokyo.\n", encoding="utf-8")
    (src / "page.html").write_text("<html><head><title>Talks</title><script>var x = 'no';</script></head><body>"
                                   "<p>Chile &amp; Peru held talks on May 5, 2021 in Lima.</p></body></html>", encoding="utf-8")
    (src / "feed.jsonl").write_text("\n".join([
        json.dumps({"id": "a1", "date": "2021-06-01", "title": "A", "text": "Joe Biden spoke with Justin Trudeau on Monday."}),
        "{not json",
        json.dumps({"id": "a2", "title": "no text"}),
        json.dumps({"id": "a3", "text": "Narendra Modi visited Japan on May 23, 2022."}),
    ]) + "\n", encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00data")
    (src / "undecodable.txt").write_bytes(b"abc \x81\x8d\x8f\x90 def")
    (src / "big.txt").write_text("x " * 3000, encoding="utf-8")
    (src / "zz-copy-of-good.txt").write_text(GOOD, encoding="utf-8")
    (src / "picture.png").write_bytes(b"\x89PNG\r\n")
    (src / "broken.txt").symlink_to(src / "nowhere.txt")  # a file that cannot be read, even by root
    os.mkfifo(src / "fifo.txt")  # opening it would wait for a writer forever
    (src / "zero.txt").symlink_to("/dev/zero")  # endless
    (base / "outside.txt").write_text(GOOD.replace("Lima", "Quito"), encoding="utf-8")
    (src / "out.txt").symlink_to(base / "outside.txt")
    (src / "loop1.txt").symlink_to(src / "loop2.txt")
    (src / "loop2.txt").symlink_to(src / "loop1.txt")
    (src / os.fsdecode(b"\xff\xfe.txt")).write_text(GOOD.replace("Lima", "Cusco"), encoding="utf-8")
    (src / "new\nline.txt").write_text(GOOD.replace("Lima", "Arica"), encoding="utf-8")
    (src / "f.jsonl#x.txt").write_text(GOOD.replace("Lima", "Tacna"), encoding="utf-8")
    (src / "manifest.csv").write_text(
        "file,published_date,title\ngood.txt,2022-03-04,Good one\nbom.txt,06/05/2022,bad date\n../outside.txt,2022-01-01,escape\n",
        encoding="utf-8")
    wh = base / "w.duckdb"
    summary = run_pipeline(source=str(src), warehouse=str(wh), max_file_bytes=2000)
    con = duckdb.connect(str(wh), read_only=True)
    docs = {r[0]: r[1:] for r in con.execute(
        "SELECT source_path, text, published_date::VARCHAR, date_source, title FROM documents").fetchall()}
    rejects = dict(con.execute("SELECT source_path, reason FROM rejects").fetchall())
    offsets_bad = con.execute("""SELECT count(*) FROM figures f JOIN documents d USING (doc_id)
        WHERE substr(d.text, f.char_start + 1, f.char_end - f.char_start) <> f.text""").fetchone()[0]
    con.close()
    return {"summary": summary, "docs": docs, "rejects": rejects, "offsets_bad": offsets_bad}


def test_good_inputs_all_load(mixed):
    assert set(mixed["docs"]) >= {"good.txt", "bom.txt", "utf16.txt", "cp1252.txt", "crlf.txt", "sub/nested.md",
                                  "page.html", "feed.jsonl#a1", "feed.jsonl#a3"}


def test_encodings_decode_without_mojibake(mixed):
    docs = mixed["docs"]
    assert docs["bom.txt"][0].startswith("Angela Merkel")
    assert docs["utf16.txt"][0].startswith("Justin Trudeau")
    assert "\u201cWe will" in docs["cp1252.txt"][0] and "Orl\u00e9ans" in docs["cp1252.txt"][0]
    assert "\r\n" in docs["crlf.txt"][0]
    assert mixed["offsets_bad"] == 0


def test_html_is_stripped_and_decoded(mixed):
    text, _, _, title = mixed["docs"]["page.html"]
    assert "Chile & Peru" in text and "<p>" not in text and "var x" not in text
    assert title == "Talks"


def test_manifest_and_feed_dates(mixed):
    assert mixed["docs"]["good.txt"][1:3] == ("2022-03-04", "manifest")
    assert mixed["docs"]["good.txt"][3] == "Good one"
    assert mixed["docs"]["feed.jsonl#a1"][1] == "2021-06-01"


@pytest.mark.parametrize("path, reason", [
    ("empty.txt", "empty"),
    ("binary.txt", "binary"),
    ("undecodable.txt", "undecodable"),
    ("big.txt", "too large"),
    ("zz-copy-of-good.txt", "same content as good.txt"),
    ("picture.png", "unsupported file type"),
    ("broken.txt", "broken link"),
    ("fifo.txt", "not a regular file (FIFO)"),
    ("zero.txt", "outside the source folder"),
    ("out.txt", "outside the source folder"),
    ("loop1.txt", "link loop"),
    ("\\udcff\\udcfe.txt", "not valid UTF-8"),
    ("new\\x0aline.txt", "control characters"),
    ("f.jsonl#x.txt", "'#'"),
    ("feed.jsonl#L2", "not JSON"),
    ("feed.jsonl#L3", "no 'text'"),
    ("manifest.csv line 3", "date"),
    ("manifest.csv line 4", "outside the source folder"),
])
def test_each_bad_input_is_rejected_with_a_reason(mixed, path, reason):
    assert reason in mixed["rejects"][path]


def test_hostile_feed_lines_are_rejected_alone(tmp_path):
    from flows import sources
    (tmp_path / "hostile.jsonl").write_text("\n".join([
        '{"id": "\\ud800", "text": "Chile and Peru met in Lima on May 1, 2021."}',
        "[" * 100000 + "]" * 100000,
        '{"id": "big", "n": ' + "9" * 5000 + ', "text": "Chile and Peru met in Lima on May 2, 2021."}',
        json.dumps({"id": "ls", "text": "Chile and Peru met\u2028in Lima on May 3, 2021."}, ensure_ascii=False),
        json.dumps({"id": "L6", "text": "Chile and Peru met in Lima on May 4, 2021."}),
        json.dumps({"text": "Chile and Peru met in Lima on May 6, 2021."}),
    ]) + "\n", encoding="utf-8")
    scan = sources.scan(tmp_path)
    docs = {d.source_path: d.text for d in scan.documents}
    rejects = {r["source_path"]: r["reason"] for r in scan.rejects}
    assert "not usable" in rejects["hostile.jsonl#L1"]
    assert "cannot be read" in rejects["hostile.jsonl#L2"] and "cannot be read" in rejects["hostile.jsonl#L3"]
    assert "\u2028in Lima" in docs["hostile.jsonl#ls"] and "May 4" in docs["hostile.jsonl#L6"]
    # the line without an id is known by its text: no id, not even "L6", can take its name
    assert [t for p, t in docs.items() if p.startswith("hostile.jsonl#text-")] == ["Chile and Peru met in Lima on May 6, 2021."]
    assert not [p for p in rejects if p.endswith("#L6")]
    assert len({d.doc_id for d in scan.documents}) == len(scan.documents)


def test_run_counts(mixed):
    s = mixed["summary"]
    assert s["loaded"] == len(mixed["docs"])
    assert s["rejected"] >= 10


def test_encodings_are_detected_or_rejected_never_garbled():
    from flows.sources import decode
    russian = "Президент России провел телефонный разговор с президентом Франции и обсудил ситуацию."
    japanese = "岸田首相は本日、大統領と電話会談を行い、両国の協力について話し合った。"
    assert decode(russian.encode("cp1251")) == (russian, "cp1251")
    text, enc = decode(japanese.encode("shift_jis"))
    assert text == japanese and enc in ("shift_jis", "cp932", "shift_jis_2004")
    french = "Le président a reçu à l’Élysée le chancelier allemand pour un dîner de travail."
    assert decode(french.encode("cp1252")) == (french, "cp1252")
    for raw in (b"abc \x81\x8d\x8f\x90 def", "Путин.".encode("cp1251")[:4] + b"\x81"):
        with pytest.raises(ValueError, match="undecodable"):
            decode(raw)


def test_html_pages_keep_the_article_not_the_page():
    from flows.sources import html_to_text
    page = """<html><head><title>Leaders meet in Lisbon | Example News</title>
    <meta property="article:published_time" content="2021-03-04T09:15:00Z"></head><body>
    <nav><ul><li><a href="/">Home</a></li><li><a href="/w">World</a></li><li><a href="/s">Sports</a></li></ul></nav>
    <article><h1>Leaders meet in Lisbon</h1>
    <p>LISBON, March 4 (Lusa) -- The prime ministers of Portugal and Spain met in Lisbon on Thursday and agreed
    to reopen 12 border crossings between the two countries.</p>
    <p>"We are neighbours and friends," said the Portuguese prime minister after the talks, which lasted three
    hours in the old palace by the river.</p></article>
    <aside><h3>Most Read</h3><ol><li><a href="/a">Stocks rally 5 percent</a></li><li><a href="/b">Team wins 10
    games</a></li></ol></aside><footer>&copy; 2021 Example News</footer></body></html>"""
    text, title, date = html_to_text(page)
    assert text.startswith("LISBON, March 4") or text.startswith("Leaders meet in Lisbon")
    assert "12 border crossings" in text and "three\n" not in text
    assert "Stocks rally" not in text and "Home" not in text and "2021 Example" not in text
    assert title.startswith("Leaders meet in Lisbon") and date == dt.date(2021, 3, 4)
    assert "\n\n" in text  # paragraphs stay apart


def test_broken_html_gives_its_text_or_a_reject_never_a_stall():
    from flows.sources import html_to_text
    text, _, _ = html_to_text("<html><body><p>Talks in Lima on May 5 between the two ministers " + "<!--" * 2000 + "x")
    assert isinstance(text, str)
