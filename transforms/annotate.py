"""One reading of each document that every extractor shares.

An `Annotation` holds what figures, quotes and events all need: the body and title,
the dateline (place, date, agency), the publication date and where it came from, the
document's anchor date (the dateline's day, else the publication date: the one date
against which "on Tuesday" or "the German chancellor" is read; nothing reads the
clock), paragraphs and sentences with offsets, and the date expressions of the body.
It is computed once per document (`transforms.documents.annotate`) and handed to each
extractor as a value; what an extractor derives from it (sentences, paragraphs, names at a
date) is kept on the annotation itself, so nothing is cached behind the caller's back.
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import polars as pl

from transforms import dates as D
from transforms.dates import MONTHS
from transforms.rules.engine import load

# "BEIJING, Nov. 17 (Xinhua) --", "MOSCOW, March 5, 2021 (Reuters) -", "KYIV (AP) —", "Geneva, 3 May -"
_DATELINE = load("pages")["page.dateline"]
_DATELINE_WINDOW = 600


@dataclass(frozen=True)
class Dateline:
    start: int
    end: int
    place: str
    agency: str | None
    date: dt.date | None
    text: str


def _year_for(month: int, day: int, near: dt.date) -> dt.date | None:
    """The day (month, day) nearest before `near` (a dateline may precede its page by a day
    or two, never follow it by more than a week)."""
    for year in (near.year, near.year - 1, near.year + 1):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            continue
        if near - dt.timedelta(days=358) <= d <= near + dt.timedelta(days=7):
            return d
    return None


def find_dateline(text: str, start: int, end: int, near: dt.date | None, absent: frozenset = frozenset()) -> Dateline | None:
    """The dateline near the start of the body: at the start of a line, or mid-line when
    its place is in capitals (a page flattened to one line). It needs a date or an agency."""
    stop = min(end, start + _DATELINE_WINDOW)
    for m in _DATELINE.within(absent).scan(text, start, stop):
        if not (m.group("date") or m.group("agency")):
            continue
        s = m.start()
        at_line = s == start or text[s - 1] == "\n" or not text[text.rfind("\n", start, s) + 1:s].strip()
        if not at_line and not m.group("place").isupper():
            continue
        if m.group("place").isupper() and len(m.group("place")) < 3:
            continue
        if m.group("dash") == ":" and not m.group("agency"):
            continue
        date = None
        if m.group("date"):
            month = MONTHS[(m.group("m1") or m.group("m2")).lower().rstrip(".")]
            day = int(m.group("d1") or m.group("d2"))
            if m.group("year"):
                try:
                    date = dt.date(int(m.group("year")), month, day)
                except ValueError:
                    date = None
            elif near is not None:
                date = _year_for(month, day, near)
        return Dateline(s, m.end(), m.group("place"), m.group("agency"), date, text[s:m.end()].strip())
    return None


@dataclass
class Annotation:
    doc_id: str
    text: str
    body_start: int
    body_end: int
    title: str | None
    published: dt.date | None
    date_source: str
    reference_year: int | None
    dateline: Dateline | None = None
    date_note: str | None = None  # a date field the text gives that is no date, ignored
    home: str | None = None  # the country whose government publishes the page (transforms.documents.home_country)
    # the rules a batch's prefilter found nowhere in the text (transforms.rules.engine.absent)
    absent: frozenset = frozenset()
    _dates: dict = field(default=None, repr=False)
    _names: dict = field(default=None, repr=False)

    @property
    def anchor(self) -> dt.date | None:
        """The day the document speaks from: its dateline's date, else its publication date."""
        if self.dateline is not None and self.dateline.date is not None:
            return self.dateline.date
        return self.published

    @property
    def anchor_basis(self) -> str | None:
        if self.dateline is not None and self.dateline.date is not None:
            return "dateline"
        return "published" if self.published else None

    @property
    def when(self) -> dt.date | None:
        """The date offices are read at ("the German chancellor"): the anchor, else the
        middle of the year the text is about, else None (no office is resolved)."""
        if self.anchor:
            return self.anchor
        return dt.date(self.reference_year, 7, 1) if self.reference_year else None

    @cached_property
    def paragraphs(self) -> list:
        from transforms.text import paragraphs
        return paragraphs(self.text, self.body_start, self.body_end)

    @cached_property
    def sentences(self) -> tuple:
        from transforms.text import sentence_spans
        return tuple(sentence_spans(self.text, self.body_start, self.body_end, paras=self.paragraphs))

    def names(self, when: dt.date | None) -> list:
        """The names of the body (transforms.names), read at the date `when`, found once."""
        from transforms.names import gazetteer
        if self._names is None:
            self._names = {}
        if when not in self._names:
            self._names[when] = gazetteer().find(self.text, self.body_start, self.body_end, when=when,
                                                 absent=self.absent)
        return list(self._names[when])

    @cached_property
    def sentence_starts(self) -> list[int]:
        return [s for _, s, _ in self.sentences]

    def sentence_of(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        if i >= 0 and self.sentences[i][1] <= pos <= self.sentences[i][2]:
            return self.sentences[i][1], self.sentences[i][2]
        return pos, pos

    def dates_in(self, start: int, end: int) -> list[D.DateExpr]:
        """Date expressions of text[start:end] (a sentence), found once and kept; the
        dateline's own date is the anchor, not an expression of the story. Found only for
        the sentences an extractor asks about, so a long document costs what it holds."""
        key = (start, end)
        hit = self._dates.get(key) if self._dates is not None else None
        if hit is None:
            if self._dates is None:
                self._dates = {}
            hit = D.find_dates(self.text, start, end)
            if self.dateline is not None:
                hit = [d for d in hit if not (d.start < self.dateline.end and self.dateline.start < d.end)]
            self._dates[key] = hit
        return hit


def annotate_row(row: dict, absent: frozenset = frozenset()) -> Annotation:
    """The Annotation of one document row (doc_id, text, and when known published_date,
    date_source, title); absent: the rules a batch's prefilter found nowhere in its text."""
    from transforms.documents import read_document
    return read_document(row, absent)


def annotations(docs: pl.DataFrame, anns: list[Annotation] | None = None):
    """(row, Annotation) for every document of a frame with doc_id and text (and, when
    known, published_date, date_source, title): the annotations given (one per row, in
    order, as `transforms.documents.annotate` makes them), else each read now."""
    rows = docs.iter_rows(named=True)
    if anns is not None:
        if len(anns) != docs.height:
            raise ValueError(f"{len(anns)} annotations for {docs.height} documents")
        yield from zip(rows, anns)
        return
    for row in rows:
        yield row, annotate_row(row)
