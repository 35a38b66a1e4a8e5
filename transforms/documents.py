"""Documents: where the article body is, its title, and its publication date."""
from __future__ import annotations

import collections
import datetime as dt
import re

import polars as pl

from transforms.dates import MONTHS, explicit_years
from transforms.text import wrap_width

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<body>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FM_FIELD = re.compile(r"^(?P<key>[A-Za-z_]+)\s*:\s*(?P<val>.*?)\s*$", re.M)
_DATE_LINE = re.compile(r"\A\s*(?:date|published|published_date)\s*:?\s*['\"]?(?P<d>(?:19|20)\d{2}-\d{2}-\d{2})", re.I)
_XINHUA = re.compile(
    r"\b[A-Z][A-Z .'-]{2,40},\s+(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2})\s*\((?:Xinhua|Reuters|AP|AFP|[A-Za-z ]{2,20})\)")
_TIME_DATE = re.compile(
    r"\b\d{1,2}:\d{2},\s+(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)\s+(?P<day>\d{1,2}),\s+(?P<year>(?:19|20)\d{2})")
_PAGE_DATE = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_FOOTER = re.compile(
    r"^\s*[\[(]?\s*(?:most\s+(?:read|popular|viewed)|related\s+(?:news|articles|stories|reading|coverage)|editor\s*:|"
    r"copyright|©|\(c\)\s|share\s+this|follow\s+us|recommended|top\s+stories|latest\s+news|read\s+more)",
    re.I)
_PROSE_END = tuple('.!?"”’:;)')


def front_matter(text: str) -> tuple[dict[str, str], int]:
    """YAML front matter fields (flat key: value) and the offset where the body starts."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, 0
    fields = {f.group("key").lower(): f.group("val").strip("'\"") for f in _FM_FIELD.finditer(m.group("body"))}
    return fields, m.end()


def _is_prose(line: str, width: int | None = None) -> bool:
    """A line of running text: a sentence's end, or long enough that no menu or list of
    headlines has it; in hard-wrapped text (width), a line filled to the wrap width."""
    words = line.split()
    if width and len(words) >= 6 and len(line.rstrip()) >= 0.75 * width:
        return True
    return len(words) >= 25 or (len(words) >= 5 and line.rstrip().endswith(_PROSE_END))


def body_span(text: str, start: int = 0) -> tuple[int, int]:
    """The article body: from the first prose line to the last, cut at a footer
    ("Most Read", "Related articles", "Editor:" ...) once prose has begun.
    Runs of three or more short non-prose lines before the body are menus."""
    lines = []
    pos = start
    width = wrap_width(text[start:])
    for line in text[start:].split("\n"):
        lines.append((pos, pos + len(line), line))
        pos += len(line) + 1
    first = last = None
    for i, (s, e, line) in enumerate(lines):
        if not line.strip():
            continue
        if first is not None and _FOOTER.match(line):
            break
        if _is_prose(line, width):
            if first is None:
                first = i
                # keep a headline just above the first prose line
                j = i - 1
                while j >= 0 and not lines[j][2].strip():
                    j -= 1
                if j >= 0 and not _FOOTER.match(lines[j][2]) and len(lines[j][2].split()) >= 3:
                    k = j - 1
                    while k >= 0 and not lines[k][2].strip():
                        k -= 1
                    # a headline stands alone, not as the last item of a menu
                    if k < 0 or k < j - 1 or _is_prose(lines[k][2], width):
                        first = j
            last = i
        elif first is not None:
            last = i if len(line.split()) >= 3 else last
    if first is None:
        return start, len(text)
    s = lines[first][0]
    e = lines[last][1]
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _date_or_none(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def publication_date(text: str, fields: dict[str, str]) -> tuple[dt.date | None, str]:
    """(date, source) from front matter or a dateline; (None, 'none') when the text does not say."""
    for key in ("date", "published", "published_date", "pubdate"):
        if key in fields:
            m = re.match(r"((?:19|20)\d{2})-(\d{2})-(\d{2})", fields[key])
            if m and (d := _date_or_none(*map(int, m.groups()))):
                return d, "dateline"
    head = text[:3000]
    m = _DATE_LINE.match(head)
    if m:
        d = dt.date.fromisoformat(m.group("d"))
        return d, "dateline"
    m = _TIME_DATE.search(head)
    if m and (d := _date_or_none(int(m.group("year")), MONTHS[m.group("month").lower()], int(m.group("day")))):
        return d, "dateline"
    m = _XINHUA.search(head)
    if m and m.group("month").lower().rstrip(".") in MONTHS:
        month, day = MONTHS[m.group("month").lower().rstrip(".")], int(m.group("day"))
        page = _PAGE_DATE.search(text)
        years = explicit_years(text)
        year = int(page.group("year")) if page else (max(years) if years else None)
        if year and (d := _date_or_none(year, month, day)):
            return d, "dateline"
    return None, "none"


def reference_year(text: str) -> int | None:
    """The year an undated article is about: its most frequent explicit year (latest on ties)."""
    years = [y for y in explicit_years(text) if 1950 <= y <= 2100]
    if not years:
        return None
    counts = collections.Counter(years)
    return max(counts, key=lambda y: (counts[y], y))


def _title(text: str, fields: dict[str, str], body_start: int) -> str | None:
    if fields.get("title"):
        return fields["title"]
    first = text[body_start:body_start + 300].split("\n", 1)[0].strip()
    if first and len(first.split()) <= 30 and not first.endswith("."):
        return first
    return None


def prepare(docs: pl.DataFrame) -> pl.DataFrame:
    """Adds body_start, body_end, title, published_date, date_source, reference_year.
    A published_date already present (from a manifest or feed) wins, with its date_source."""
    out = {k: [] for k in ("body_start", "body_end", "title", "published_date", "date_source", "reference_year")}
    has_pub = "published_date" in docs.columns
    has_src = "date_source" in docs.columns
    has_title = "title" in docs.columns
    for row in docs.iter_rows(named=True):
        text = row["text"] or ""
        fields, fm_end = front_matter(text)
        bs, be = body_span(text, fm_end)
        given = row.get("published_date") if has_pub else None
        if given is not None:
            pub, src = given, (row.get("date_source") if has_src else None) or "manifest"
        else:
            pub, src = publication_date(text, fields)
        ref = pub.year if pub else reference_year(text[bs:be])
        if pub is None and ref is not None:
            src = "text"
        out["body_start"].append(bs)
        out["body_end"].append(be)
        out["title"].append((row.get("title") if has_title else None) or _title(text, fields, bs))
        out["published_date"].append(pub)
        out["date_source"].append(src)
        out["reference_year"].append(ref)
    base = docs.drop([c for c in out if c in docs.columns])
    return base.with_columns(
        pl.Series("body_start", out["body_start"], pl.Int32),
        pl.Series("body_end", out["body_end"], pl.Int32),
        pl.Series("title", out["title"], pl.Utf8),
        pl.Series("published_date", out["published_date"], pl.Date),
        pl.Series("date_source", out["date_source"], pl.Utf8),
        pl.Series("reference_year", out["reference_year"], pl.Int32),
    )
