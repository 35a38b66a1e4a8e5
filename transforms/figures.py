"""Figures: quantities the text states, with value, unit, qualifier and subject."""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import polars as pl

from transforms.reference import read, trie_regex
from transforms.text import bodies

NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "a hundred": 100, "one hundred": 100, "a thousand": 1000, "one thousand": 1000, "a dozen": 12,
}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "mln": 1e6, "bln": 1e9, "bn": 1e9}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_NAME_BEFORE = re.compile(
    r"(?:Article|Articles|No\.|Number|Resolution|Chapter|Section|Phase|Level|Room|Flight|Vol\.|Page|Point|Item|Rule|Paragraph|Agenda|Class|Grade|Type|Model|Version|Annex|Protocol|Category|Group|Line|Route|Pillar)\s*$")
_NAME_AFTER = re.compile(r"^\s*(?:Agenda|Summit|Initiative|Vision|Plan\b|Olympics?|Games|Expo|World\s+Cup)")
SCHEMA = {"figure_id": pl.Utf8, "doc_id": pl.Utf8, "char_start": pl.Int32, "char_end": pl.Int32,
          "text": pl.Utf8, "value": pl.Float64, "unit": pl.Utf8, "qualifier": pl.Utf8,
          "subject": pl.Utf8, "event_id": pl.Utf8, "sent_start": pl.Int32, "sent_end": pl.Int32}


@lru_cache(maxsize=1)
def _tables():
    units = {r["surface"]: (r["unit"], r["kind"]) for r in read("units.csv")}
    currencies = {r["symbol"].upper(): r["unit"] for r in read("currency_symbols.csv")}
    qualifiers = {r["surface"]: r["qualifier"] for r in read("qualifiers.csv")}
    words = trie_regex(NUMBER_WORDS)
    prefix = (re.compile(rf"(?P<cur>{trie_regex(currencies)})\s?$", re.I),
              re.compile(rf"(?:(?P<lead>\b[Tt]he\s+(?:next|past|last|coming|previous|following|first)\s+)|"
                         rf"(?P<qual>\b(?:{trie_regex(qualifiers)})\s+))$", re.I))
    pattern = re.compile(
        rf"(?P<num>(?<![\w.,/-])(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d,]*\.\d)(?!\w*(?:st|nd|rd|th)\b)|\b(?:{words})\b)"
        rf"(?P<scale>\s+(?:{trie_regex(SCALES)})\b)?"
        rf"(?P<unit>\s*%|-?\s*(?:{trie_regex(u for u in units if u != '%')})\b)?",
        re.I)
    return units, currencies, qualifiers, pattern, prefix


@lru_cache(maxsize=1)
def _unit_lookup_cached(items: tuple) -> dict:
    return {" ".join(k.lower().split()): v for k, v in items}


def _unit_lookup(units: dict) -> dict:
    """Units by their written form, case and spacing aside."""
    return _unit_lookup_cached(tuple(units.items()))


_MAY_BE_CURRENCY = re.compile(r"[$€£¥]|RMB|[A-Z]\$", re.I)
# every word a qualifier or a lead ("the next") can end with
_QUALIFIER_WORDS = {"than", "over", "exceeded", "exceeding", "exceeds", "above", "of", "about", "around",
                    "nearly", "almost", "approximately", "roughly", "some", "to", "estimated", "under",
                    "below", "least", "up", "many", "much", "as", "next", "past", "last", "coming",
                    "previous", "following", "first"}


class _Found:
    """A number with what stands before it (qualifier or lead, currency) and after it
    (scale, unit): the number is found first, its prefix looked up behind it."""

    def __init__(self, text: str, m: re.Match, prefix, floor: int):
        self.m = m
        self.groups = {k: (m.group(k), m.start(k), m.end(k)) for k in ("num", "scale", "unit")}
        pos = m.start("num")
        window_start = max(floor, pos - 40)
        window = text[window_start:pos]
        c = prefix[0].search(window) if _MAY_BE_CURRENCY.search(window[-8:]) else None
        if c:
            self.groups["cur"] = (c.group("cur"), window_start + c.start("cur"), window_start + c.end("cur"))
            window = window[:c.start()]
        tail = window[-24:].lower()
        q = prefix[1].search(window) if any(w in _QUALIFIER_WORDS for w in tail.split()[-3:]) else None
        if q:
            for k in ("lead", "qual"):
                if q.group(k):
                    self.groups[k] = (q.group(k), window_start + q.start(k), window_start + q.end(k))

    def group(self, k):
        return self.groups.get(k, (None, -1, -1))[0]

    def start(self, k):
        return self.groups[k][1]

    def span(self, k):
        return self.groups[k][1], self.groups[k][2]

    def end(self):
        return self.m.end()


_SUBJECT_STOP = re.compile(
    r"^(?:to|from|in|at|that|which|with|for|by|on|into|than|as|is|are|was|were|will|has|have|had|been|be|"
    r"this|each|per|a|an|the|since|through|during|after|before|under|over|while|who|whose|its|their|"
    r"should|would|could|can|must|may|might|shall|also|said|says|announced|agreed|held|exchanged|did|do|does|"
    r"not|now|then|were|respectively|reached|signed|attended|met|made|took|gave|got|had|including|such|"
    r"throughout|across|between|among|against|within|without|toward|towards|via|so|but|or\s+more)$", re.I)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def _subject(text: str, pos: int, limit: int) -> tuple[str | None, int]:
    """Up to five words after pos that name what is counted; returns (subject, end offset)."""
    words, ends, i = [], [], pos
    for m in _WORD.finditer(text, pos, min(limit, pos + 80)):
        gap = text[i:m.start()]
        if gap.strip() not in ("", "-") or (words and "\n\n" in gap):
            break
        if _SUBJECT_STOP.match(m.group(0)) and not (words and m.group(0).lower() in ("of",)):
            break
        if m.group(0).lower() in NUMBER_WORDS or (words and words[-1].lower() == "and" and
                                                  text[m.end():m.end() + 1].isdigit()):
            break  # the next figure begins
        words.append(m.group(0))
        ends.append(m.end())
        i = m.end()
        if len(words) >= 5:
            break
    while words and words[-1].lower() in ("and", "of", "or"):
        words.pop()
        ends.pop()
    if not words:
        return None, pos
    return " ".join(words), ends[-1]


def find(text: str, start: int = 0, end: int | None = None) -> list[dict]:
    units, currencies, qualifiers, pattern, prefix = _tables()
    end = len(text) if end is None else end
    out = []
    for raw in pattern.finditer(text, start, end):
        m = _Found(text, raw, prefix, start)
        num = m.group("num")
        ns, ne = m.span("num")
        before = text[max(start, ns - 30):ns]
        after = text[ne:ne + 30]
        unit_s = (m.group("unit") or "").strip().lstrip("-").strip()
        is_word = not num[0].isdigit()
        if is_word:
            value = float(NUMBER_WORDS[" ".join(num.lower().split())])
        else:
            value = float(num.replace(",", ""))
            if not m.group("cur") and not m.group("scale") and not unit_s:
                if re.fullmatch(r"(?:19|20)\d{2}", num):
                    continue  # a year
                if re.search(_MONTH + r"\s+\d{1,2}\s*(?:to|-|–|and)\s*$", before) or re.match(r"\s*,\s*(?:19|20)\d\d\b", after):
                    continue  # the end of a range of days
                if re.match(r"\s*\+", after) or before.endswith("+"):
                    continue  # "1+N", a name
                if re.search(_MONTH + r"\s*$", before) or re.match(r"\s*" + _MONTH, after) or re.match(r"\s*(?:st|nd|rd|th)\b", after):
                    continue  # a date
                if re.match(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|:\d)", after, re.I) or before.endswith(":"):
                    continue  # a clock time
                line_start = text.rfind("\n", start, ns) + 1
                if not text[line_start:ns].strip() and re.match(r"[.)]\s", after):
                    continue  # list numbering
            if _NAME_BEFORE.search(before) or _NAME_AFTER.match(after):
                continue  # a number inside a name
            if re.match(r"\s*-\s*(?:year-old|th|st|nd|rd)\b", after):
                continue
        if is_word and value == 12 and "dozen" in num.lower() and not m.group("qual"):
            pass
        scale = (m.group("scale") or "").strip().lower()
        if scale:
            value *= SCALES[scale]
        unit, kind = "count", "count"
        if unit_s:
            hit = _unit_lookup(units).get(" ".join(unit_s.lower().split()))
            if hit:
                unit, kind = hit
        if m.group("cur"):
            unit, kind = currencies[m.group("cur").strip().upper()], "currency"
        if unit == "count" and re.match(r"-(?:way|dimensional|fold|faced|sided)\b", after):
            continue  # "two-way", "three-dimensional": adjectives, not counts
        if is_word and unit == "count":
            # number words need a following word that names what is counted
            nxt = re.match(r"[\s-]+[\"“‘']?([A-Za-z][\w-]*)", text[ne:ne + 40])
            if not nxt or _SUBJECT_STOP.match(nxt.group(1)) or nxt.group(1).lower() in NUMBER_WORDS:
                continue
            if nxt.group(1)[0].isupper() and text[ne] == " ":
                continue  # "Two Sessions", a name
        qual = "exact"
        span_start = ns if not m.group("cur") else m.start("cur")
        if m.group("qual"):
            qual = qualifiers.get(" ".join(m.group("qual").split()).lower(), "exact")
            span_start = m.start("qual")
        if m.group("lead"):
            if kind == "duration":
                span_start = m.start("lead")
            else:
                span_start = min(span_start, ns if not m.group("cur") else m.start("cur"))
        span_end = m.end()
        subject = None
        if unit == "count":
            subject, subj_end = _subject(text, span_end, end)
            if subject:
                span_end = subj_end
        elif kind in ("currency", "measure", "percent"):
            sm = re.match(r"\s+(?:of|in)\s+", text[span_end:span_end + 6])
            if sm:
                subject, _ = _subject(text, span_end + sm.end(), end)
        if unit == "count" and text[span_end - 1:span_end] == "-":
            span_end -= 1
        out.append({"char_start": span_start, "char_end": span_end, "text": text[span_start:span_end],
                    "value": value, "unit": unit, "qualifier": qual, "subject": subject})
    return out


def figure_id(doc_id: str, start: int, end: int) -> str:
    return hashlib.sha1(f"figure|{doc_id}|{start}|{end}".encode()).hexdigest()[:20]


def extract(docs: pl.DataFrame) -> pl.DataFrame:
    """Figures of every document: docs has doc_id, text (and body_start/body_end when known)."""
    rows = []
    for row, ann in bodies(docs):
        for f in find(ann.text, ann.body_start, ann.body_end):
            f["sent_start"], f["sent_end"] = ann.sentence_of(f["char_start"])
            f["doc_id"] = row["doc_id"]
            f["figure_id"] = figure_id(row["doc_id"], f["char_start"], f["char_end"])
            f["event_id"] = None
            rows.append(f)
    return pl.DataFrame(rows, schema=SCHEMA) if rows else pl.DataFrame(schema=SCHEMA)
