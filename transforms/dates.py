"""Date expressions: find them in text and resolve them against an article's time."""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from transforms.rules import load, vocabulary

MONTHS = {name.lower(): int(n) for name, n in vocabulary("month").items()}
MONTHS["may"] = 5
WEEKDAYS = {name.lower(): int(n) for name, n in vocabulary("weekday").items()}
_SEASON_MONTH = {name.lower(): int(n) for name, n in vocabulary("season").items()}
PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


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


_UNABBREVIATED = frozenset(("may", "june", "july"))  # months of four letters or fewer, never cut short


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateExpr]:
    """Date expressions in text[start:end] (the rules of transforms/rules/dates.yaml), offsets
    into text; where two overlap, the earlier rule of the file wins."""
    end = len(text) if end is None else end
    from transforms.text import Spans
    rules = load("dates")
    found: list[DateExpr] = []
    taken = Spans()
    for hit in rules.finditer(text, start, end):
        s, e = hit.start, hit.end
        while s < e and text[s].isspace():
            s += 1
        if s == e or not taken.free(s, e):
            continue
        y = hit.rule.yields
        kind = y["kind"]
        if y.get("void_after") and rules.context(y["void_after"], text, max(start, s - 25), s):
            taken.add(s, e)
            continue
        g = {k: hit.group(k) for k in hit.spans}
        if text[e - 1] == "." and g.get("month") and e == hit.span("month")[1] + 1 \
                and (len(g["month"]) > 4 or g["month"].lower() in _UNABBREVIATED):
            e -= 1  # the sentence's full stop after a month's full name ("on 21 and 22 November."), no abbreviation's
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
        d.precision = y["precision"]
        if d.precision == "day" and kind in ("iso", "day", "day_first") and (not d.day or d.day > 31):
            continue
        if kind == "month" and g.get("month", "").lower() == "may" and not (g.get("year") or g.get("rel") or g.get("part")):
            # date.month: "may" is also a verb; only "in May", "of May" with a capital
            before = text[max(start, s - 4):s].lower()
            if not before.endswith(("in ", "of ")) or not g["month"][0].isupper():
                continue
        if kind == "half":
            d.month = 1 if g["half"].lower() == "first" else 7
        elif kind == "season":
            d.month = _SEASON_MONTH[g["season"].lower()]
        elif kind == "weekday":
            d.weekday = WEEKDAYS[g["weekday"].lower()]
        elif kind == "holiday":  # its day, by its name (the rule's `days`)
            d.month, d.day = y["days"][" ".join(g["holiday"].lower().replace("’", "'").split())]
        found.append(d)
        taken.add(s, e)
    found.sort(key=lambda d: d.start)
    return found




def resolve(d: DateExpr, published: dt.date | None, ref_year: int | None,
            previous: tuple[dt.date, str] | None = None, future: bool = False) -> tuple[dt.date | None, str | None]:
    """The (first day, precision) that a date expression stands for, or (None, None).
    future: the clause speaks of what is to come, so a month without a year is the next
    such month rather than the last."""
    base_year = published.year if published else ref_year
    if d.kind == "sameday":
        return previous if previous else (None, None)
    if d.kind == "nextday":  # the day after the last day the text gave before
        return (previous[0] + dt.timedelta(days=1), "day") if previous and previous[1] == "day" else (None, None)
    if d.kind == "today":
        if not published:
            return None, None
        shift = {"yesterday": -1, "tomorrow": 1}.get(d.text.lower(), 0)
        return published + dt.timedelta(days=shift), "day"
    if d.kind == "weekday":
        if not published:
            return None, None
        if future:  # "will visit on Tuesday": the coming one
            return published + dt.timedelta(days=(d.weekday - published.weekday()) % 7), "day"
        delta = (published.weekday() - d.weekday) % 7
        return published - dt.timedelta(days=delta), "day"
    if d.kind == "relweek":  # the month of most of its days, Monday to Sunday
        if not published:
            return None, None
        thursday = published + dt.timedelta(days=3 - published.weekday() + 7 * _rel_offset(d.text))
        return dt.date(thursday.year, thursday.month, 1), "month"
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
    if year is None and d.kind in ("day", "day_first", "month", "holiday"):
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


def explicit_years(text: str, absent: frozenset = frozenset()) -> list[int]:
    """The years a text writes out (rule page.explicit_year)."""
    return [int(m.group("year")) for m in load("pages")["page.explicit_year"].within(absent).finditer(text)]


def dated_years(text: str, absent: frozenset = frozenset()) -> set[int]:
    """The years a text writes with their month (rule page.dated_year)."""
    return {int(m.group("year")) for m in load("pages")["page.dated_year"].within(absent).finditer(text)}
