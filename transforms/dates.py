"""Date expressions: find them in text and resolve them against an article's time."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_M = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
_Y = r"(?P<year>(?:19|20)\d{2})"
_D = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_REL = r"(?P<rel>(?:of\s+)?(?:this|last|next|the\s+same|the\s+previous|the\s+following)\s+year)"

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("day", re.compile(rf"\b{_M}\s+{_D}(?:\s*(?:-|–|to|and)\s*[0-3]?\d(?:st|nd|rd|th)?)?(?:\s*,?\s*{_Y}\b|\s+{_REL}\b)?(?![\d:])", re.I)),
    ("day_first", re.compile(rf"\b{_D}(?:\s*(?:-|–|to)\s*[0-3]?\d)?\s+{_M}(?:\s*,?\s*{_Y}\b|\s+{_REL}\b)?", re.I)),
    ("month", re.compile(rf"\b(?P<part>early|late|mid|mid-|end of|the end of|beginning of|the beginning of)?\s*{_M}(?:\s*,?\s*(?:of\s+)?{_Y}\b|\s+{_REL}\b)?(?![\s\d]*\d)", re.I)),
    ("half", re.compile(rf"\b(?P<half>first|second)\s+half\s+of\s+(?:{_Y}|(?P<rel2>this|last)\s+year)", re.I)),
    ("season", re.compile(rf"\b(?P<season>spring|summer|autumn|fall|winter)\s+(?:of\s+)?{_Y}\b", re.I)),
    ("relyear", re.compile(r"\b(?P<rel>(?:this|last|next)\s+year)\b", re.I)),
    ("relmonth", re.compile(r"\b(?P<rel>(?:this|last|next)\s+month)\b", re.I)),
    ("weekday", re.compile(r"\b(?:on\s+)?(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", re.I)),
    ("today", re.compile(r"\b(?P<today>today|yesterday|this morning|this afternoon|this evening|tonight)\b", re.I)),
    ("sameday", re.compile(r"\b(?:on\s+)?the\s+same\s+day\b", re.I)),
    ("year", re.compile(rf"\b(?:in|of|since|during|from|year)\s+{_Y}\b(?![-–]\d)", re.I)),
    ("bareyear", re.compile(rf"(?<![\w$€£¥.,-]){_Y}(?![\w%-]|\s*(?:Agenda|yuan|dollars|people|km))")),
]
# "by 2030", "before 2035": deadlines, not dates of events.
_DEADLINE = re.compile(r"\b(?:by|before|until|till|through|to)\s+(?:the\s+end\s+of\s+)?$", re.I)
_SEASON_MONTH = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
# How precise each kind of expression is ("autumn of 2013" says no more than the year).
KIND_PRECISION = {"iso": "day", "day": "day", "day_first": "day", "month": "month", "half": "month",
                  "season": "year", "relyear": "year", "relmonth": "month", "weekday": "day", "today": "day",
                  "sameday": "day", "year": "year", "bareyear": "year"}


@dataclass
class DateExpr:
    start: int
    end: int
    text: str
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    rel_year: int | None = None  # 0 this year, -1 last year
    weekday: int | None = None
    precision: str | None = None


def _rel_offset(rel: str | None) -> int | None:
    if not rel:
        return None
    r = rel.lower()
    if "last" in r or "previous" in r:
        return -1
    if "next" in r or "following" in r:
        return 1
    return 0


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateExpr]:
    """Date expressions in text[start:end], offsets into text, longest first where they overlap."""
    end = len(text) if end is None else end
    from transforms.text import Spans
    found: list[DateExpr] = []
    taken = Spans()
    for kind, pat in PATTERNS:
        for m in pat.finditer(text, start, end):
            s, e = m.start(), m.end()
            if s == e or not m.group(0).strip():
                continue
            while s < e and text[s].isspace():
                s += 1
            if not taken.free(s, e):
                continue
            if kind in ("year", "bareyear", "month") and _DEADLINE.search(text[max(start, s - 25):s]):
                taken.add(s, e)
                continue
            g = m.groupdict()
            d = DateExpr(s, e, text[s:e], kind)
            if g.get("year"):
                d.year = int(g["year"])
            if g.get("month"):
                d.month = MONTHS[g["month"].lower().rstrip(".")]
            if g.get("mnum"):
                d.month = int(g["mnum"])
            if g.get("day"):
                d.day = int(g["day"])
            d.rel_year = _rel_offset(g.get("rel") or g.get("rel2"))
            d.precision = KIND_PRECISION[kind]
            if d.precision == "day" and kind in ("iso", "day", "day_first") and (not d.day or d.day > 31):
                continue
            if kind == "month" and g.get("month", "").lower() == "may" and not (g.get("year") or g.get("rel") or g.get("part")):
                # "may" is also a verb: only "in May", "May this year", ...
                before = text[max(start, s - 4):s].lower()
                if not before.endswith(("in ", "of ")) or not g["month"][0].isupper():
                    continue
            if kind == "half":
                d.month = 1 if g["half"].lower() == "first" else 7
            elif kind == "season":
                d.month = _SEASON_MONTH[g["season"].lower()]
            elif kind == "weekday":
                d.weekday = WEEKDAYS[g["weekday"].lower()]
            found.append(d)
            taken.add(s, e)
    found.sort(key=lambda d: d.start)
    return found


FUTURE = re.compile(r"\b(?:will|shall|would|plans?\s+to|planned\s+to|agreed\s+to|is\s+to|are\s+to|expected\s+to|"
                    r"scheduled|upcoming|forthcoming|next|to\s+be\s+held|looks?\s+forward)\b", re.I)


def resolve(d: DateExpr, published: dt.date | None, ref_year: int | None,
            previous: tuple[dt.date, str] | None = None, future: bool = False) -> tuple[dt.date | None, str | None]:
    """The (first day, precision) that a date expression stands for, or (None, None).
    future: the clause speaks of what is to come, so a month without a year is the next
    such month rather than the last."""
    base_year = published.year if published else ref_year
    if d.kind == "sameday":
        return previous if previous else (None, None)
    if d.kind == "today":
        if not published:
            return None, None
        return (published - dt.timedelta(days=1) if d.text.lower() == "yesterday" else published), "day"
    if d.kind == "weekday":
        if not published:
            return None, None
        if future:  # "will visit on Tuesday": the coming one
            return published + dt.timedelta(days=(d.weekday - published.weekday()) % 7), "day"
        delta = (published.weekday() - d.weekday) % 7
        return published - dt.timedelta(days=delta), "day"
    if d.kind == "relmonth":
        if not published:
            return None, None
        y, m = published.year, published.month + _rel_offset(d.text)
        if m == 0:
            y, m = y - 1, 12
        elif m == 13:
            y, m = y + 1, 1
        return dt.date(y, m, 1), "month"
    year = d.year
    if year is None and d.rel_year is not None and base_year:
        year = base_year + d.rel_year
    if year is None and d.kind in ("day", "day_first", "month"):
        if base_year is None:
            return None, None
        year = base_year
        # A month later than the article's own month is last year's, unless the clause looks ahead.
        if published and d.month and d.month > published.month and not future:
            year -= 1
        elif published and d.month and d.month < published.month and future:
            year += 1
    if year is None:
        return None, None
    if d.precision == "day":
        try:
            return dt.date(year, d.month, d.day), "day"
        except (ValueError, TypeError):
            return None, None
    if d.precision == "month" and d.month:
        return dt.date(year, d.month, 1), "month"
    return dt.date(year, 1, 1), "year"


def explicit_years(text: str) -> list[int]:
    return [int(m.group(1)) for m in re.finditer(r"(?<![\w$.,-])((?:19|20)\d{2})(?![\w%-])", text)]
