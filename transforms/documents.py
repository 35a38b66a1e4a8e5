"""Documents: where the article body is, its title, and its publication date."""
from __future__ import annotations

import collections
import html
import datetime as dt
import re
from functools import lru_cache
from urllib.parse import urlsplit

import polars as pl

from transforms.dates import MONTHS, dated_years, explicit_years
from transforms.rules import load
from transforms.rules import engine
from transforms.rules.engine import full_names
from transforms.text import line_goes_on, wrap_width

_R = load("pages")
_FRONT_MATTER, _FM_FIELD, _DATE_LINE = _R["page.front_matter"], _R["page.front_matter_field"], _R["page.date_line"]
_TIME_DATE, _PAGE_DATE, _XINHUA = _R["page.timestamp"], _R["page.iso_date"], _R["page.agency_dateline"]
_FOOTER, _END_ANYWHERE, _STAMP = _R["page.footer"], _R["page.end_anywhere"], _R["page.stamp"]
_LEAD_CAPTION = _R["page.lead_caption"]
# the rules a reading runs on every document, line by line or over its head or body: a
# batch's prefilter tells which of them match nowhere in a document, and those are not run
# there (`transforms.rules.engine.absent`)
READ_RULES = (_TIME_DATE, _PAGE_DATE, _XINHUA, _FOOTER, _END_ANYWHERE, _STAMP, _LEAD_CAPTION,
              _R["page.dateline"], _R["page.explicit_year"], _R["page.dated_year"])
_PROSE_END = tuple('.!?"”’:;)')


def front_matter(text: str) -> tuple[dict[str, str], int]:
    """YAML front matter fields (flat key: value) and the offset where the body starts."""
    m = _FRONT_MATTER.match(text, 0) if text.startswith(("---", "\ufeff---")) else None
    if not m:
        return {}, 0
    body = m.group("body")
    fields = {f.group("key").lower(): f.group("val").strip("'\"") for f in _FM_FIELD.finditer(body)}
    return fields, m.end


def _is_prose(line: str, width: int | None = None) -> bool:
    """A line of running text: a sentence's end, or long enough that no menu or list of
    headlines has it; in hard-wrapped text (width), a line filled to the wrap width."""
    words = line.split()
    if width and len(words) >= 6 and len(line.rstrip()) >= 0.75 * width:
        return True
    return len(words) >= 25 or (len(words) >= 5 and line.rstrip().endswith(_PROSE_END))


_BYLINE = re.compile(
    r"[ \t]*(?:[-–—|:][ \t]*)?(?:By[ \t]+[A-Z][^()\n|]{0,80}?(?=[ \t]*\(|[ \t]+\d{1,2}:\d{2}|[ \t]*\||\n))?"
    r"[ \t]*(?:\([ \t]*[^()\n]{1,60}\)[ \t]*)?(?:\|?[ \t]*Source:[ \t]*[^|\n]{1,40})?"
    r"[ \t]*(?:\|?[ \t]*(?:Updated:?[ \t]*)?(?:\d{1,2}:\d{2}(?::\d{2})?,?[ \t]+(?:" + "|".join(full_names("month")) +
    r")[ \t]+\d{1,2},?[ \t]+\d{4}|\d{4}-\d{2}-\d{2}(?:[ \t]+\d{1,2}:\d{2}(?::\d{2})?)?))?"
    r"[ \t]*(?:\|[ \t]*Editor:[^|\n]{0,40})?")


def end_marker(text: str, start: int, end: int) -> int | None:
    """The offset of the first end marker in text[start:end] that closes the story: what
    follows it is page furniture, so no longer than the story itself (or a few thousand
    characters). In a file of many articles, a marker inside the first is not the end.
    The markers are the page.end rules of transforms/rules/pages.yaml; a marker's cut is
    where the line's or sentence's break before it starts (group cut or cut2)."""
    cuts = []
    seg = text[start:end]
    # one pass of the rule file's set says which markers can be in the text at all
    for rule in _R.candidates(seg):
        if rule.yields.get("stage") != "end":
            continue
        for m in rule.finditer(text, start, end, seg=seg):
            span = m.span("cut") or m.span("cut2")
            cuts.append(span[0] if span else m.start)
    for cut in sorted(cuts):
        if end - cut <= max(6000, cut - start):
            return cut
    return None


def _story_start(text: str, s: int, e: int, title: str | None, absent: frozenset = frozenset()) -> int:
    """Where the story starts inside a prose span that a page dump may begin with its
    navigation: after the last copy of its title in the first half (and the byline that
    follows it), else, on a page flattened to one line, after the page's timestamp."""
    half = s + (e - s) // 2
    if title and len(title) >= 12:
        pat = re.compile(r"\s+".join(re.escape(w) for w in html.unescape(title).split()))
        last = None
        for m in pat.finditer(text, s, half):
            last = m
        if last is not None and last.start() > s:
            b = _BYLINE.match(text, last.end())
            pos = b.end() if b else last.end()
            while pos < e and text[pos].isspace():
                pos += 1
            return pos
    first_line_end = text.find("\n", s, e)
    if (first_line_end if first_line_end >= 0 else e) - s > 3000:
        m = _STAMP.within(absent).search(text, s, min(e, s + 20000))
        if m:
            return m.end
    return s


def body_span(text: str, start: int = 0, title: str | None = None, absent: frozenset = frozenset()) -> tuple[int, int]:
    """The article body: from the first prose line to the last, cut at a footer
    ("Most Read", "Related articles", "Editor:" ...) once prose has begun.
    Runs of three or more short non-prose lines before the body are menus; on a page
    flattened to long lines, the story starts at its title or timestamp and ends at the
    first end marker. absent: the page rules a batch's prefilter found nowhere in the text."""
    s, e = _line_body(text, start, absent)
    s = _story_start(text, s, e, title, absent)
    m = _END_ANYWHERE.within(absent).search(text, s, e)
    if m and e - m.start <= max(6000, m.start - s):
        e = m.start
    cut = end_marker(text, s, e)
    if cut is not None:
        e = cut
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _line_body(text: str, start: int = 0, absent: frozenset = frozenset()) -> tuple[int, int]:
    """The article body: from the first prose line to the last, cut at a footer
    ("Most Read", "Related articles", "Editor:" ...) once prose has begun.
    Runs of three or more short non-prose lines before the body are menus."""
    footer = _FOOTER.within(absent)
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
        if first is not None and footer.match(line, 0) and len(text) - s <= max(6000, s - lines[first][0]):
            break  # a footer: what follows is page furniture, not more articles
        if _is_prose(line, width):
            if first is None:
                first = i
                # the lines the first prose line's sentence runs on from ("spoke with President
                # Ana Ruiz of / Portugal today."): in a text too short to tell its wrap width, no
                # line before its last is prose
                while first > 0 and lines[first - 1][2].strip() and line_goes_on(lines[first - 1][2], lines[first][2]):
                    first -= 1
                # keep a headline just above the first prose line
                j = i - 1
                while j >= 0 and not lines[j][2].strip():
                    j -= 1
                k = j - 1
                while k >= 0 and not lines[k][2].strip():
                    k -= 1
                # (of two words only at the document's head: "Russian-Egyptian talks")
                words = len(lines[j][2].split()) if j >= 0 else 0
                top = _head_above(lines, j) if j >= 0 else j
                if top != j:
                    first = top  # the headline, above date, time and place lines
                elif j >= 0 and not footer.match(lines[j][2], 0) and (words >= 3 or words == 2 and k < 0):
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


def is_meta_line(line: str) -> bool:
    """A short line between a headline and its story: a date and time, with a place or a
    source ("June 14, 2023, 16:40, The Kremlin, Moscow", "10:58 A.M. EDT", "Posted On: 20 MAR
    2024 6:12PM by PIB Delhi"), a byline ("Written briefing by Spokesperson X"), or a place,
    a kind or an office of a few words ("Oval Office", "Press release", "Minister for
    Foreign Affairs"): no sentence's end, and five words at most unless a number or "by"
    says what it is, or a date stands with bars or a clock time (a site's stamp)."""
    words = line.split()
    if not words or len(words) > 14 or line.rstrip().endswith(_PROSE_END):
        return False
    if len(words) <= 5:
        return True
    digits = any(c.isdigit() for c in line)
    if len(words) <= 10 and (digits and (words[0][0].isdigit() or ":" in line) or "by" in words[1:]):
        return True
    # a site's stamp: a date set off by bars, or told with its clock time ("KYODO NEWS - Sep
    # 20, 2022 - 08:12 | World, All", "Humas | Thursday, 20 July 2023", "Published on Mar 14,
    # 2024 18h05"); a place and the date it ends with ("Labuan Bajo, Indonesia, 10-11 May 2023")
    return digits and ("|" in line or any(_is_clock(w) for w in words)
                       or len(words) <= 10 and "," in line and words[-1].isdigit() and len(words[-1]) == 4)


def _is_clock(word: str) -> bool:
    """"18h05", "08:12", "16.40": hours and minutes."""
    for sep in ":h.":
        h, _, m = word.partition(sep)
        if m and h.isdigit() and m[:2].isdigit() and len(h) <= 2 and len(m.rstrip(",")) == 2:
            return True
    return False


def _head_above(lines: list, j: int) -> int:
    """The line that opens the body when line j stands above the first prose line: j, or
    the document's first line (or the second, under a kind of three words at most), a
    headline of four words or more, when only a few date,
    time, place or source lines stand between it and j (a readout's "Telephone conversation
    with X", then "June 14, 2023, 16:40"; a transcript's headline, then "Oval Office" and
    the time; a release's headline, then "Press release")."""
    top = next(i for i, (_, _, line) in enumerate(lines) if line.strip())
    if len(lines[top][2].split()) <= 3 and top < j:  # a kind above the headline ("JOINT COMMUNIQUÉ")
        top = next(i for i in range(top + 1, j + 1) if lines[i][2].strip())
    between = [i for i in range(top + 1, j + 1) if lines[i][2].strip()]
    head = lines[top][2]
    if top == j or not between or len(between) > 5 or len(head.split()) < 4 or head.lstrip()[:1].isdigit():
        return j
    # a menu's items ("Home", "World", "Business") are no date or place lines
    if sum(1 for i in between if len(lines[i][2].split()) == 1 and lines[i][2].strip().isalpha()) >= 2:
        return j
    return top if all(is_meta_line(lines[i][2]) for i in between) else j


def _date_or_none(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


_DATE_KEYS = ("date", "published", "published_date", "pubdate")
_ISO_DATE = _R["page.iso_field"]


def _field_dates(fields: dict[str, str]):
    """(key, value, date or None) of each front-matter date field, in order of preference."""
    for key in _DATE_KEYS:
        if key in fields:
            m = _ISO_DATE.match(fields[key])
            yield key, fields[key], _date_or_none(int(m.group("year")), int(m.group("month")),
                                                  int(m.group("day"))) if m else None


def date_note(text: str, fields: dict[str, str]) -> str | None:
    """What a reader should know of a date field the text gives but that is no date
    ("date: 2021-02-30"): the field is ignored, the document kept."""
    for key, value, d in _field_dates(fields):
        return None if d else f"front matter {key} {value[:40]!r} is not a date: ignored"
    m = _DATE_LINE.match(text, 0, 3000)
    if m and not _date_or_none(*map(int, m.group("d").split("-"))):
        return f"date line {m.group('d')!r} is not a date: ignored"
    return None


def publication_date(text: str, fields: dict[str, str], absent: frozenset = frozenset()) -> tuple[dt.date | None, str]:
    """(date, source) from front matter or a dateline; (None, 'none') when the text does not say."""
    for _, _, d in _field_dates(fields):
        if d:
            return d, "dateline"
    head = text[:3000]
    m = _DATE_LINE.match(head, 0)
    if m and (d := _date_or_none(*map(int, m.group("d").split("-")))):
        return d, "dateline"
    m = _TIME_DATE.within(absent).search(head)
    if m and (d := _date_or_none(int(m.group("year")), MONTHS[m.group("month").lower()], int(m.group("day")))):
        return d, "dateline"
    m = _XINHUA.within(absent).search(head)
    if m and m.group("month").lower().rstrip(".") in MONTHS:
        month, day = MONTHS[m.group("month").lower().rstrip(".")], int(m.group("day"))
        page = _PAGE_DATE.within(absent).search(text)
        years = explicit_years(text, absent)
        year = int(page.group("year")) if page else (max(years) if years else None)
        if year and (d := _date_or_none(year, month, day)):
            return d, "dateline"
    return None, "none"


@lru_cache(maxsize=1)
def _home_outlets() -> dict[str, str]:
    from transforms.reference import read
    return {r["host"].lower(): r["country_code"] for r in read("home_outlets.csv")}


def home_country(url: str | None) -> str | None:
    """The country whose government publishes the page at `url` (transforms/data/
    home_outlets.csv: its host, or a domain it ends with), whose own leader a readout names
    by office alone ("The Prime Minister spoke to President Ruiz"); None for other pages."""
    if not url:
        return None
    host = (urlsplit(url.strip()).hostname or "").lower()
    outlets = _home_outlets()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        code = outlets.get(".".join(parts[i:]))
        if code is not None:
            return code
    return None


def reference_year(text: str, absent: frozenset = frozenset()) -> int | None:
    """The year an undated article is about: its most frequent explicit year (latest on ties),
    among those it writes more than once or with a month. A year written once, bare, is most
    often a past event's ("since the war in Afghanistan in 2001", "the rebate secured in
    1984") or a plan's ("the budget for 2007-2013"), not the article's own time."""
    counts = collections.Counter(y for y in explicit_years(text, absent) if 1950 <= y <= 2100)
    dated = dated_years(text, absent)
    years = [y for y, n in counts.items() if n > 1 or y in dated]
    if not years:
        return None
    return max(years, key=lambda y: (counts[y], y))


def _title(text: str, fields: dict[str, str], body_start: int) -> str | None:
    if fields.get("title"):
        return fields["title"]
    first = text[body_start:body_start + 300].split("\n", 1)[0].strip()
    if first and len(first.split()) <= 30 and not first.endswith("."):
        return first
    return None


def read_document(row: dict, absent: frozenset = frozenset()):
    """The Annotation of one document row (doc_id, text, and when known published_date,
    date_source, title): body, title, dateline, publication and anchor dates. absent: the
    rules a batch's prefilter found nowhere in the text (`annotate`), not run on it."""
    from transforms.annotate import Annotation, find_dateline
    text = row.get("text") or ""
    fields, fm_end = front_matter(text)
    given_title = row.get("title") or fields.get("title")
    prepared = row.get("body_start") is not None and row.get("body_end") is not None
    # a row `prepare` made keeps the body it found (its title is the one read from the body)
    bs, be = (row["body_start"], row["body_end"]) if prepared else body_span(text, fm_end, given_title, absent)
    given = row.get("published_date")
    if given is not None:
        pub, src = given, row.get("date_source") or "manifest"
    else:
        pub, src = publication_date(text, fields, absent)
    dateline = find_dateline(text, bs, be, pub or _page_date(text, absent), absent)
    if prepared:
        pass
    elif dateline is not None and dateline.start > bs and "\n" not in text[bs:dateline.start]:
        # on a flattened page, what stands before the dateline is a byline, not the story,
        # unless it is a photo's caption closed by its credit: the story starts at the caption
        # (after the page's timestamp)
        caption = _LEAD_CAPTION.within(absent).search(text, bs, dateline.start)
        if caption is None:
            bs = dateline.start
        else:
            stamps = list(_STAMP.within(absent).scan(text, bs, caption.start))
            if stamps:
                bs = stamps[-1].end()
    if not prepared and dateline is None and bs > fm_end:
        dateline = find_dateline(text, fm_end, be, pub or _page_date(text, absent), absent)
        if dateline is not None and dateline.start < bs and not text[dateline.end:bs].strip():
            bs = dateline.start
        elif dateline is not None and dateline.start < bs:
            dateline = None
    if pub is None and dateline is not None and dateline.date is not None:
        pub, src = dateline.date, "dateline"
    ref = pub.year if pub else reference_year(text[bs:be], absent)
    if pub is None and ref is not None:
        src = "text"
    return Annotation(doc_id=row.get("doc_id"), text=text, body_start=bs, body_end=be,
                      title=given_title or _title(text, fields, bs), published=pub, date_source=src,
                      reference_year=ref, dateline=dateline, home=home_country(row.get("url")),
                      date_note=date_note(text, fields) if src != "manifest" else None, absent=absent)


def _page_date(text: str, absent: frozenset = frozenset()) -> dt.date | None:
    """The page's own date (a timestamp or ISO date in its head), to put a year on a dateline."""
    head = text[:5000]
    m = _TIME_DATE.within(absent).search(head)
    if m and (d := _date_or_none(int(m.group("year")), MONTHS[m.group("month").lower()], int(m.group("day")))):
        return d
    m = _PAGE_DATE.within(absent).search(head)
    if m and (d := _date_or_none(int(m.group("year")), int(m.group("month")), int(m.group("day")))):
        return d
    return None


def annotate(docs: pl.DataFrame) -> list:
    """The one reading of each document of a frame (doc_id, text, and when known
    published_date, date_source, title), in row order: `transforms.annotate.Annotation`s,
    to hand to `prepare` and to every extractor.

    Before any document is read, one vectorised pass per rule over the whole batch tells
    which of the rules run on every document (READ_RULES, and the names' rules read over
    every body) match nowhere in it; a document's reading skips those."""
    from transforms.annotate import annotate_row
    from transforms.names import gazetteer
    absent = engine.absent(list(READ_RULES) + gazetteer().body_rules(), docs["text"]) if docs.height else []
    return [annotate_row(row, a) for row, a in zip(docs.iter_rows(named=True), absent)]


def prepare(docs: pl.DataFrame, anns: list | None = None) -> pl.DataFrame:
    """Adds body_start, body_end, title, published_date, date_source, reference_year and the
    dateline (dateline_text, dateline_date). A published_date already present (from a
    manifest or feed) wins, with its date_source. anns: the documents' annotations, when
    already made (`annotate`)."""
    anns = annotate(docs) if anns is None else anns
    out = {k: [] for k in ("body_start", "body_end", "title", "published_date", "date_source", "reference_year",
                           "dateline_text", "dateline_date", "note")}
    for a in anns:
        out["body_start"].append(a.body_start)
        out["body_end"].append(a.body_end)
        out["title"].append(a.title)
        out["published_date"].append(a.published)
        out["date_source"].append(a.date_source)
        out["reference_year"].append(a.reference_year)
        out["dateline_text"].append(a.dateline.text if a.dateline else None)
        out["dateline_date"].append(a.dateline.date if a.dateline else None)
        out["note"].append(a.date_note)
    base = docs.drop([c for c in out if c in docs.columns])
    prepared = base.with_columns(
        pl.Series("body_start", out["body_start"], pl.Int32),
        pl.Series("body_end", out["body_end"], pl.Int32),
        pl.Series("title", out["title"], pl.Utf8),
        pl.Series("published_date", out["published_date"], pl.Date),
        pl.Series("date_source", out["date_source"], pl.Utf8),
        pl.Series("reference_year", out["reference_year"], pl.Int32),
        pl.Series("dateline_text", out["dateline_text"], pl.Utf8),
        pl.Series("dateline_date", out["dateline_date"], pl.Date),
        pl.Series("note", out["note"], pl.Utf8),
    )
    return prepared
