"""Reading a source folder: files of several kinds and encodings become documents;
whatever cannot be read becomes a reject with a one-line reason."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".jsonl", ".ndjson"}
MANIFEST_NAME = "manifest.csv"
DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass
class Document:
    doc_id: str
    source_path: str
    text: str
    content_sha256: str
    encoding: str
    title: str | None = None
    url: str | None = None
    published_date: dt.date | None = None
    date_source: str | None = None
    file_size: int | None = None  # of the file it was read from, when read
    file_mtime_ns: int | None = None

    def row(self) -> dict:
        return {"doc_id": self.doc_id, "source_path": self.source_path, "text": self.text,
                "content_sha256": self.content_sha256, "encoding": self.encoding, "title": self.title,
                "url": self.url, "published_date": self.published_date, "date_source": self.date_source,
                "char_count": len(self.text), "file_size": self.file_size, "file_mtime_ns": self.file_mtime_ns}


@dataclass
class Scan:
    documents: list[Document] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)  # jsonl files read in full: their lines are all known
    unchanged_files: list[str] = field(default_factory=list)  # same path, size and mtime as when loaded: not read
    bytes_read: int = 0

    def reject(self, path: str, reason: str) -> None:
        self.rejects.append({"source_path": printable(path), "reason": printable(" ".join(reason.split()))[:500]})


def doc_id_for(source_path: str) -> str:
    return hashlib.sha1(f"doc|{source_path}".encode()).hexdigest()[:20]


def file_of(source_path: str) -> str:
    """The file a document came from: a feed line's path is `file#key` (any other path is
    returned as it is, not copied)."""
    return source_path.split("#", 1)[0] if "#" in source_path else source_path


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI",
            "DEVANAGARI", "FULLWIDTH", "HALFWIDTH")


def _script(ch: str) -> str | None:
    import unicodedata
    name = unicodedata.name(ch, "")
    return next((s for s in _SCRIPTS if name.startswith(s)), "OTHER") if ch.isalpha() else None


def _plausible(text: str, western: bool) -> bool:
    """No mojibake: every word keeps to one script, control characters are rare, and in a
    Western (cp1252) reading accented letters stay a minority of the letters, as in
    French or German; a Cyrillic text read as cp1252 is almost all accented letters."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > max(2, len(text) // 200):
        return False
    letters = non_ascii = 0
    for word in re.findall(r"\w+", text):
        scripts = {_script(ch) for ch in word if ord(ch) > 127 and ch.isalpha()}
        kana_han = scripts <= {"CJK", "HIRAGANA", "KATAKANA", "FULLWIDTH", "HALFWIDTH"}
        if len(scripts) > 1 and not kana_han:
            return False
        if scripts and not kana_han and not (scripts <= {"LATIN"}) and re.search(r"[A-Za-z]", word):
            return False  # a Latin word with a Cyrillic or Greek letter inside
        letters += sum(ch.isalpha() for ch in word)
        non_ascii += sum(ord(ch) > 127 and ch.isalpha() for ch in word)
    if western and letters and non_ascii / letters > 0.25:
        return False
    return True


# Among readings as clean as one another, the encodings most used for news text win
# (a Windows code page over the Mac one that decodes the same bytes).
_PREFERRED = {e: i for i, e in enumerate(
    ("cp1252", "cp1251", "koi8_r", "cp1250", "iso8859_2", "cp932", "shift_jis", "euc_jp", "gb18030", "gbk", "gb2312",
     "big5", "euc_kr", "cp949", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "iso8859_15", "latin_1"))}


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding) of raw bytes: a byte-order mark says the encoding; else UTF-8;
    else Windows-1252 when that reading is plainly Western text; else the encoding that
    charset-normalizer detects, when its reading is free of mojibake. Raises ValueError
    with the reason when the encoding cannot be told with confidence."""
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise ValueError(f"undecodable bytes: {enc} byte-order mark, bad byte at {exc.start}")
    if b"\x00" in raw:
        raise ValueError("binary file (NUL bytes), not text")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_at = exc.start
    try:
        text = raw.decode("cp1252")
        if _plausible(text, western=True):
            return text, "cp1252"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    found = list(from_bytes(raw))
    best = min(found, key=lambda r: (round(r.chaos, 2), _PREFERRED.get(r.encoding, 99))) if found else None
    if best is None:
        raise ValueError(f"undecodable: not UTF-8 (bad byte at {utf8_at}) and no encoding fits")
    text = str(best)
    evidence = sum(1 for ch in text if ord(ch) > 127 and ch.isalpha())
    if best.chaos > 0.1 or evidence < 6 or \
            not _plausible(text, western=best.encoding in ("cp1252", "latin_1", "iso8859_15")):
        raise ValueError(f"undecodable: not UTF-8 (bad byte at {utf8_at}); the best guess, {best.encoding}, "
                         f"gives garbled text")
    return text, best.encoding


_TAG = re.compile(r"<[^<>]*>")
_SCRIPT = re.compile(r"<(script|style)\b[^<>]*>[^<]*(?:<(?!/\1)[^<]*)*</\1\s*>", re.I)


def html_to_text(markup: str) -> tuple[str, str | None, dt.date | None]:
    """(text, title, date) of an HTML page. The text is what a reader reads: trafilatura
    keeps the article and drops navigation, lists of other stories, comments and footers
    (falling back to the page's whole text when it finds no article); paragraphs are
    separated by blank lines. The date is the one the page's metadata states (never a
    guess from the text)."""
    import trafilatura
    doc = None
    try:
        doc = trafilatura.bare_extraction(markup, with_metadata=True, include_comments=False, favor_precision=True,
                                          date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception:  # a page trafilatura cannot parse still gives its whole text below
        doc = None
    text = doc.text if doc is not None and doc.text and len(doc.text.split()) >= 10 else None
    if text is None:
        try:
            text = trafilatura.html2txt(markup) or ""
        except Exception:
            text = ""
    if not text.strip():
        # markup no HTML parser makes a tree of (a run of unclosed '<'): its text between the
        # tags, by a pattern that never backtracks, since nothing else reads such a page
        import html
        text = html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", markup)))
    text = re.sub(r"[ \t]*\n+[ \t]*", "\n\n", text.strip())
    title = " ".join(doc.title.split()) if doc is not None and doc.title else None
    date = None
    if doc is not None and doc.date:
        try:
            date = dt.date.fromisoformat(str(doc.date)[:10])
        except ValueError:
            date = None
    return text, title, date


def _parse_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    m = re.match(r"^\s*((?:19|20)\d{2})-(\d{2})-(\d{2})", str(value))
    if not m:
        raise ValueError(f"not YYYY-MM-DD: {printable(str(value)[:40])!r}")
    try:
        return dt.date(*map(int, m.groups()))
    except ValueError:
        raise ValueError(f"not a day of the calendar: {m.group(0).strip()}")


def read_manifest(path: Path, root: Path, scan: Scan) -> dict[str, dict]:
    """file -> {published_date, title, url} from a manifest; bad rows are rejected."""
    out: dict[str, dict] = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames or "file" not in reader.fieldnames:
                scan.reject(path.name, "manifest has no 'file' column")
                return out
            for line_no, row in enumerate(reader, start=2):
                name = (row.get("file") or "").strip()
                where = f"{path.name} line {line_no}"
                try:
                    target = Path(os.path.realpath(root / name))
                except (ValueError, OSError) as exc:  # a NUL byte in the path
                    scan.reject(where, f"manifest path unusable: {exc}")
                    continue
                if not name or not str(target).startswith(os.path.realpath(root) + os.sep):
                    scan.reject(where, f"manifest path outside the source folder: {name}")
                    continue
                try:
                    date = _parse_date(row.get("published_date"))
                except ValueError as exc:
                    scan.reject(where, f"manifest date is {exc} for {name}")
                    continue
                out[target.relative_to(os.path.realpath(root)).as_posix()] = {
                    "published_date": date, "title": (row.get("title") or "").strip() or None,
                    "url": (row.get("url") or "").strip() or None}
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        scan.reject(path.name, f"manifest unreadable: {exc}")
    return out


def _feed(rel: str, text: str, scan: Scan) -> list[Document]:
    docs = []
    seen: dict[str, tuple[str, str]] = {}
    for n, line in enumerate(text.split("\n"), start=1):  # not splitlines: U+2028 may stand inside a string
        if not line.strip():
            continue
        where = f"{rel}#L{n}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            scan.reject(where, f"jsonl line is not JSON: {exc.msg} at column {exc.colno}")
            continue
        except (RecursionError, ValueError) as exc:  # nesting too deep, an integer of thousands of digits
            scan.reject(where, f"jsonl line cannot be read: {type(exc).__name__}: {str(exc)[:120]}")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
            scan.reject(where, "jsonl line has no 'text' string")
            continue
        key = obj.get("id")
        if key is not None and not isinstance(key, (str, int)) or isinstance(key, bool):
            key = None
        if isinstance(key, str) and _name_problem(key):
            scan.reject(where, f"jsonl id '{printable(key[:60])}' is not usable: {_name_problem(key).replace('file name', 'it')}")
            continue
        try:
            # a line without an id is known by its text, not its line number: deleting or adding
            # a line leaves the others their identity, and no id can take its name
            by_text = f"{rel}#text-{hashlib.sha256(obj['text'].encode('utf-8')).hexdigest()[:12]}"
            path = f"{rel}#{key}" if key not in (None, "") else by_text
            path.encode("utf-8")
        except UnicodeEncodeError:
            scan.reject(where, "jsonl line holds text that is not valid Unicode (a lone surrogate)")
            continue
        date_value = obj.get("published_date") or obj.get("date")
        try:
            date = _parse_date(date_value)
        except (ValueError, TypeError) as exc:  # kept without a date: a bad date loses no article
            scan.notes.append({"source_path": printable(path), "note": f"date ignored: {printable(str(exc))[:100]}"})
            date = None
        sha = hashlib.sha256(line.encode("utf-8", "surrogatepass")).hexdigest()
        if path in seen:
            if seen[path][1] == sha:
                scan.reject(where, f"same content as {seen[path][0]}; loaded once, under that name")
                continue
            path = by_text  # the id is taken by another line: this line is known by its text
        seen[path] = (path, sha)
        docs.append(Document(doc_id_for(path), path, obj["text"], sha, "utf-8", title=_text_or_none(obj.get("title")),
                             url=_text_or_none(obj.get("url") or obj.get("source_url")), published_date=date,
                             date_source="manifest" if date else None))
    return docs


def printable(s: str) -> str:
    """A name or reason safe to print on one line: control characters, surrogates and
    terminal escapes shown as escapes, so that no file name can forge a log line."""
    out = []
    for ch in s:
        o = ord(ch)
        if o < 32 or o == 127 or 0x80 <= o < 0xA0 or 0xD800 <= o < 0xE000 or ch in "\u2028\u2029":
            out.append(f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}")
        else:
            out.append(ch)
    return "".join(out)


def _name_problem(rel: str) -> str | None:
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8"
    if printable(rel) != rel:
        return "file name holds control characters"
    return None


def _text_or_none(v) -> str | None:
    """A feed's optional text field, as valid text (anything else is dropped)."""
    if not isinstance(v, str) or not v.strip():
        return None
    return v.encode("utf-8", "replace").decode("utf-8")[:1000]


def walk(root: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """(files to read, [(path, reason)] of entries that cannot be read): regular files
    inside the folder, or symlinks that resolve to one inside it; never a FIFO, device or
    socket, a link out of the folder, or a link loop. Files are named by their path in the
    folder, in order, as plain strings (a run holds the listing of a whole archive)."""
    files, bad = [], []
    real_root = os.path.realpath(root)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for d in sorted(dirnames):
            if not d.startswith(".") and os.path.islink(os.path.join(dirpath, d)):
                bad.append((Path(dirpath, d).relative_to(root).as_posix(), "link to a folder: not followed"))
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not os.path.islink(os.path.join(dirpath, d)))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            try:
                st = os.lstat(path)
                if stat.S_ISLNK(st.st_mode):
                    try:
                        target = os.path.realpath(path, strict=True)
                    except (OSError, RuntimeError) as exc:
                        bad.append((rel, f"broken link or link loop: {exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}"))
                        continue
                    if os.path.commonpath([real_root, target]) != real_root:
                        bad.append((rel, "link to a path outside the source folder"))
                        continue
                    st = os.stat(target)
                if not stat.S_ISREG(st.st_mode):
                    kind = "FIFO" if stat.S_ISFIFO(st.st_mode) else "device" if stat.S_ISCHR(st.st_mode) or \
                        stat.S_ISBLK(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode) else "directory" \
                        if stat.S_ISDIR(st.st_mode) else "special file"
                    if kind != "directory":
                        bad.append((rel, f"not a regular file ({kind})"))
                    continue
            except OSError as exc:
                bad.append((rel, f"unreadable: {exc.strerror or exc}"))
                continue
            files.append(rel)
    files.sort()
    return files, bad


def read_limited(path: Path, limit: int) -> bytes:
    """At most limit bytes of a regular file; raises ValueError when it holds more, and
    OSError when it is not a regular file (a FIFO is opened without waiting for a writer)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"not a regular file: {printable(str(path.name))}")
        with os.fdopen(fd, "rb", closefd=False) as f:
            raw = f.read(limit + 1)
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise ValueError(f"file too large: more than the limit of {limit} bytes")
    return raw


def scan(root: Path, manifest: Path | None = None, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
         known_files: dict[str, tuple[int, int, str | None]] | None = None, progress=None) -> Scan:
    """Every document under root, and a reject for every input that cannot be read, all held
    in one Scan (a run streams them instead: iter_documents)."""
    result = Scan()
    result.documents = list(iter_documents(result, root, manifest, max_file_bytes, known_files, progress))
    return result


class FirstSeen:
    """64-bit keys, each with the first place (an integer) it was seen at, in about 16 bytes
    an entry, where a dictionary of Python integers takes some 100: what a run keeps of every
    document it reads, to find doubles, stays small beside the documents in flight. The latest
    entries are kept in a dictionary, merged every MERGE entries into two sorted arrays that
    are read by binary search."""

    MERGE = 8192

    def __init__(self) -> None:
        import numpy as np
        self._np = np
        self._keys = np.empty(0, np.uint64)
        self._places = np.empty(0, np.int64)
        self._recent: dict[int, int] = {}

    def __len__(self) -> int:
        return self._keys.size + len(self._recent)

    def get(self, key: int) -> int | None:
        place = self._recent.get(key)
        if place is not None or not self._keys.size:
            return place
        k = self._np.uint64(key)
        i = int(self._np.searchsorted(self._keys, k))
        return int(self._places[i]) if i < self._keys.size and self._keys[i] == k else None

    def setdefault(self, key: int, place: int) -> int:
        """The place first seen for key; `place` when key is new."""
        first = self.get(key)
        if first is None:
            self.add(key, place)
        return place if first is None else first

    def add(self, key: int, place: int) -> None:
        """A key not seen before (get gave None), first seen at place."""
        self._recent[key] = place
        if len(self._recent) >= self.MERGE:
            self._merge()

    def _merge(self) -> None:
        np = self._np
        n = len(self._recent)
        keys = np.concatenate([self._keys, np.fromiter(self._recent.keys(), np.uint64, n)])
        places = np.concatenate([self._places, np.fromiter(self._recent.values(), np.int64, n)])
        order = np.argsort(keys, kind="stable")
        self._keys, self._places, self._recent = keys[order], places[order], {}


def iter_documents(result: Scan, root: Path, manifest: Path | None = None,
                   max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
                   known_files: dict[str, tuple[int, int, str | None]] | None = None, progress=None,
                   listing: tuple[list[str], list[tuple[str, str]]] | None = None) -> Iterator[Document]:
    """Every document under root, one at a time as its file is read, so that a folder of any
    size is read in flat memory; rejects, notes and the files not read again go to `result`
    as they are found. known_files: (size, mtime_ns, sha256) of the files already loaded; a
    file with the same size and modification time is not read again (listed in
    unchanged_files) unless a manifest is in use (its dates and titles may have changed).
    progress(files_done, files_total, bytes_read) is called as files are read. listing: what
    walk(root) returned, when already made. Two documents never share a doc_id: the later one
    is rejected, naming the first. What is kept of each file and document read, to find
    such doubles, is 64 bits of their digest and id, with the file's place in the listing
    (about 32 bytes a document: FirstSeen)."""
    root = Path(root)
    manifest = manifest or (root / MANIFEST_NAME if (root / MANIFEST_NAME).exists() else None)
    meta = read_manifest(Path(manifest), root, result) if manifest else {}
    known_files = {} if manifest else (known_files or {})
    files, bad = listing if listing is not None else walk(root)
    # Kept of every file and document read, to find doubles: the first 64 bits of a file's
    # content digest and of a doc_id, each with the file's place in `files` (or a feed line's
    # path). A hit is checked in full before anything is rejected.
    seen_sha = FirstSeen()  # content digest -> the first file that held it
    first_id = FirstSeen()  # doc_id -> the file (its place), or the feed line (-1 - its place in feed_lines)
    feed_lines: list[str] = []  # the path of each feed line first_id names
    exact: dict[str, str] = {}  # doc_ids whose first 64 bits another doc_id has too

    for rel, reason in bad:
        result.reject(printable(rel), reason)

    def unique(doc: Document, n: int) -> bool:
        key = int(doc.doc_id[:16], 16)
        first = first_id.get(key)
        if first is None:
            if doc.source_path == files[n]:
                first_id.add(key, n)
            else:
                first_id.add(key, -1 - len(feed_lines))
                feed_lines.append(doc.source_path)
            return True
        path = files[first] if first >= 0 else feed_lines[-1 - first]
        if doc_id_for(path) != doc.doc_id:  # another doc_id with the same first 64 bits
            path = exact.get(doc.doc_id)
            if path is None:
                exact[doc.doc_id] = doc.source_path
                return True
        result.reject(doc.source_path, f"document id already taken by {path}; give it a unique id")
        return False

    def same_content(digest: bytes) -> str | None:
        """The file read before with this content digest, if any."""
        first = seen_sha.get(int.from_bytes(digest[:8], "little"))
        if first is None:
            return None
        try:
            if hashlib.sha256(read_limited(root / files[first], max_file_bytes)).digest() == digest:
                return files[first]
        except (OSError, ValueError):
            pass
        return None

    for n, rel in enumerate(files):
        if progress is not None:
            progress(n, len(files), result.bytes_read)
        path = root / rel
        problem = _name_problem(rel)
        if problem:
            result.reject(printable(rel), problem)
            continue
        if manifest and os.path.realpath(path) == os.path.realpath(manifest):
            continue
        suffix = path.suffix.lower()
        if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES:
            result.reject(rel, f"unsupported file type {printable(suffix) or '(none)'}")
            continue
        if "#" in rel:
            result.reject(rel, "file name holds '#', which marks a line of a jsonl feed; rename the file")
            continue
        try:
            st = os.stat(path)
        except OSError as exc:
            result.reject(rel, f"unreadable: {exc.strerror or exc}")
            continue
        known = known_files.get(rel)
        if known is not None and known[:2] == (st.st_size, st.st_mtime_ns):
            result.unchanged_files.append(rel)
            if known[2]:
                seen_sha.setdefault(int.from_bytes(bytes.fromhex(known[2])[:8], "little"), n)
            continue
        try:
            raw = read_limited(path, max_file_bytes)
            result.bytes_read += len(raw)
        except ValueError as exc:
            result.reject(rel, str(exc))
            continue
        except OSError as exc:
            result.reject(rel, f"unreadable: {exc.strerror or exc}")
            continue
        if not raw.strip():
            result.reject(rel, "empty file")
            continue
        try:
            text, encoding = decode(raw)
        except ValueError as exc:
            result.reject(rel, str(exc))
            continue
        if not text.strip():
            result.reject(rel, "no text after decoding")
            continue
        if suffix in FEED_SUFFIXES:
            before = len(result.rejects)
            result.feeds.append(rel)
            lines = 0
            for doc in _feed(rel, text, result):
                doc.file_size, doc.file_mtime_ns = st.st_size, st.st_mtime_ns
                lines += 1
                if unique(doc, n):
                    yield doc
            if lines == 0 and len(result.rejects) == before:
                result.reject(rel, "jsonl file holds no lines")
            continue
        digest = hashlib.sha256(raw).digest()
        first = same_content(digest)
        if first is not None:
            result.reject(rel, f"same content as {first}; loaded once, under that name")
            continue
        seen_sha.setdefault(int.from_bytes(digest[:8], "little"), n)
        sha = digest.hex()
        title = page_date = None
        if suffix in HTML_SUFFIXES:
            text, title, page_date = html_to_text(text)
        if not text.strip():
            result.reject(rel, "no text after decoding")
            continue
        doc = Document(doc_id_for(rel), rel, text, sha, encoding, title=title, published_date=page_date,
                       date_source="dateline" if page_date else None, file_size=st.st_size,
                       file_mtime_ns=st.st_mtime_ns)
        m = meta.get(rel)
        if m and m["published_date"]:
            doc.published_date, doc.date_source = m["published_date"], "manifest"
        if m:
            doc.title = m["title"] or doc.title
            doc.url = m["url"]
        if unique(doc, n):
            yield doc
    if progress is not None:
        progress(len(files), len(files), result.bytes_read)
