"""Figures: quantities the text states, with value, unit, qualifier and subject.

A figure is found number first (digits, or number words of any size), then read
outwards: a fraction, a scale ("m", "bn", "million", "lakh"), a currency before or
after it (symbols, ISO codes, names: transforms/data/currencies.csv), a percent or a
measure (transforms/data/units.csv), cents, and the qualifier and lead before it
("more than", "the next"). Each step is an anchored match at a known offset, so the
pass is linear in the text."""
from __future__ import annotations

import hashlib
from fractions import Fraction
from functools import lru_cache

import polars as pl

from transforms.reference import read
from transforms.rules import budget
from transforms.rules.engine import load, provide, vocabulary
from transforms.text import bodies


def _values(name: str) -> dict[str, float]:
    """A vocabulary of transforms/data/vocabularies.yaml whose values are numbers ("1/3" a fraction)."""
    return {k: float(Fraction(str(v))) if isinstance(v, str) else v for k, v in vocabulary(name).items()}


SMALL = _values("number_small")
MULTIPLIERS = _values("number_multiplier")
FRACTIONS = _values("number_fraction")
NUMBER_WORDS = {**SMALL, **MULTIPLIERS, **FRACTIONS}
SCALES = _values("scale")
GLUED = _values("scale_glued")
VULGAR = _values("vulgar_fraction")
SCHEMA = {"figure_id": pl.Utf8, "doc_id": pl.Utf8, "char_start": pl.Int32, "char_end": pl.Int32,
          "text": pl.Utf8, "value": pl.Float64, "unit": pl.Utf8, "qualifier": pl.Utf8,
          "subject": pl.Utf8, "event_id": pl.Utf8, "sent_start": pl.Int32, "sent_end": pl.Int32,
          "range_low": pl.Float64, "range_high": pl.Float64, "rule": pl.Utf8}
MAX_DIGITS = 18  # longer runs of digits are codes or noise, not quantities
_SEPARATORS = str.maketrans("", "", ", \u00a0\u202f\u2009\u200b")  # what groups thousands in a number


class _Vocab:
    """The vocabularies of figures (transforms/data/currencies.csv, units.csv, qualifiers.csv)
    and its rule file, compiled once."""

    def __init__(self) -> None:
        self.units = {" ".join(r["surface"].lower().split()): (r["unit"], r["kind"]) for r in read("units.csv")}
        self.qualifiers = {k.lower(): v for k, v in vocabulary("qualifier").items()}
        self.symbols: dict[str, str] = {}
        self.words: dict[str, str] = {}
        self.codes: set[str] = set()
        for r in read("currencies.csv"):
            self.codes.add(r["code"])
            for s in r["symbols"].split():
                self.symbols.setdefault(s.lower(), r["code"])
            for w in r["words"].split("|"):
                self.words[" ".join(w.split())] = r["code"]
        self.rules = R = load("figures")
        self.number, self.number_tokenised, self.tokenised = R["figure.number"], R["figure.number_tokenised"], \
            R["figure.tokenised"]
        self.read_number, self.read_after = R.reader("number"), R.reader("after")
        self.read_before, self.read_tail = R.reader("before"), R.reader("tail")
        for name in ("fraction", "currency_before", "number_before_word", "glued_scale", "scale", "currency_after",
                     "unit", "unit_glued", "cents", "qualifier", "of", "word", "verb_next", "quoted_short",
                     "range_gap", "change", "between", "the", "age", "next_word", "capital_next"):
            setattr(self, name, R["figure." + name])
        self.sign = R["figure.before.sign"]


def _code_vocabularies() -> dict[str, list[str]]:
    """The vocabularies figures.yaml takes from the data files."""
    units = [" ".join(r["surface"].lower().split()) for r in read("units.csv")]
    currencies = read("currencies.csv")
    return {
        "number_word": list(NUMBER_WORDS),
        "scale": list(SCALES),
        "currency_code": [r["code"] for r in currencies],
        "currency_symbol": [s.lower() for r in currencies for s in r["symbols"].split()],
        "currency_word": [" ".join(w.split()) for r in currencies for w in r["words"].split("|")],
        # percent and degrees have patterns of their own
        "unit": [u for u in units if u not in ("%", "°", "°c", "°f")],
        "qualifier": list(vocabulary("qualifier")),
    }


provide("figures", _code_vocabularies)


@lru_cache(maxsize=1)
def vocab() -> _Vocab:
    return _Vocab()


def words_value(words: str) -> float | None:
    """The value of number words: "twenty-five" 25, "three hundred" 300, "three thousand two
    hundred" 3200, "one and a half million" 1.5e6, "three quarters billion" 7.5e8,
    "a quarter million" 2.5e5, "one third" 1/3."""
    total, current, after_and = 0.0, 0.0, False
    for w in words.lower().replace("-", " ").split():
        if w in ("a", "an"):
            continue
        if w == "and":
            after_and = True
            continue
        if w in SMALL:
            current += SMALL[w]
        elif w in FRACTIONS:
            current = current + FRACTIONS[w] if after_and or not current else current * FRACTIONS[w]
        elif w == "hundred":
            current = (current or 1) * 100
        elif w == "dozen":
            current = (current or 1) * 12
        elif w in MULTIPLIERS:
            total += (current or 1) * MULTIPLIERS[w]
            current = 0
        else:
            return None
        after_and = False
    return total + current


_STOP = frozenset(vocabulary("subject_stop"))
_STOP_STEMS = tuple(vocabulary("subject_stop_stem"))


def _stops(word: str) -> bool:
    """A word that ends the subject of a count (a verb, a preposition: vocabularies
    subject_stop and subject_stop_stem)."""
    w = word.lower()
    if w in _STOP:
        return True
    if w.startswith(_STOP_STEMS):
        return any(w.startswith(st) and all(c.isalnum() or c == "_" for c in w[len(st):]) for st in _STOP_STEMS)
    return False


def _subject(text: str, pos: int, limit: int) -> tuple[str | None, int]:
    """Up to five words after pos that name what is counted; returns (subject, end offset)."""
    v = vocab()
    words, ends, i = [], [], pos
    for m in v.word.scan(text, pos, min(limit, pos + 80)):
        ms, me = m.span()
        gap = text[i:ms]
        if gap.strip() not in ("", "-") or (words and "\n\n" in gap):
            break
        w = text[ms:me]
        if _stops(w) and not (words and w.lower() == "of"):
            break
        if w.lower() in NUMBER_WORDS:
            break  # the next figure begins
        if words and len(w) > 4 and w.lower().endswith("ed") and not text[me:me + 1].isalpha() and \
                v.verb_next.at(text, me, me + 20):
            break  # "trains passed through": the verb, not the subject
        words.append(w)
        ends.append(me)
        i = me
        if len(words) >= 5:
            break
    while words and words[-1].lower() in ("and", "of", "or"):
        words.pop()
        ends.pop()
    if not words:
        return None, pos
    return " ".join(words), ends[-1]


def _skip(text: str, ns: int, start: int, num: str, before: set, after: set) -> bool:
    """Numbers that are not quantities: years, dates, clock times, list numbering,
    numbers inside names and codes, ordinals (the rules figure.number.*, figure.after.*
    and figure.before.* of transforms/rules/figures.yaml; before and after: the rules
    that match just before and just after the number)."""
    is_ = vocab().read_number(num)
    if "figure.number.code" in is_:
        return True  # "000123", "007": a code or serial number, not a quantity
    if "figure.after.code" in after or "figure.after.ordinal" in after:
        return True  # "24703L202", "73rd"
    if "figure.before.iso_date" in before or "figure.after.iso_date" in after:
        return True  # inside an ISO date "2022-01-03"
    if "figure.after.serial" in after or "figure.before.serial" in before:
        return True  # account, phone and serial numbers: "1111-2222-4444"
    if "figure.number.year" in is_ and "figure.after.percent" not in after:
        return True  # a year
    if "figure.before.day_range" in before or "figure.after.year" in after:
        return True  # the end of a range of days
    if "figure.number.day" in is_ and "figure.after.day_range" in after:
        return True  # the start of a range of days ("on 18 and 19 November")
    if "figure.after.address" in after:
        return True  # "10 Downing Street": an address
    if "figure.before.identifier" in before and "figure.after.percent" not in after:
        return True  # "Release ID: 2015832"
    if "figure.after.plus" in after or "figure.before.plus" in before:
        return True  # "1+N", a name
    if "figure.number.day" in is_ and (
            "figure.before.month" in before and "figure.before.may" not in before
            or "figure.after.month" in after and "figure.after.may" not in after
            or "figure.before.may" in before and "figure.after.comma" in after):
        return True  # a date ("may 19, the ..." in lower-cased text too)
    if "figure.after.clock" in after or "figure.before.clock" in before:
        return True  # a clock time
    line_start = text.rfind("\n", start, ns) + 1
    if not text[line_start:ns].strip() and "figure.after.list_mark" in after:
        return True  # list numbering
    if "figure.after.paren" in after and "figure.before.clause" in before and len(num) <= 2 \
            and "figure.before.open_paren" not in before:
        return True  # "1 ) explains": numbering inside a sentence
    if "figure.before.name" in before or "figure.after.name" in after:
        return True  # a number inside a name
    if "figure.before.letter_mark" in before:
        return True  # "COVID-19", "A/75"
    if "figure.before.letter" in before and "figure.before.currency_mark" not in before:
        return True  # "G20", "A380": a name
    return False


_GLUED_CODES = {"USD", "EUR", "GBP", "JPY", "CNY", "RMB", "HKD", "AUD", "CAD", "CHF", "INR", "SGD", "NZD"}
_LETTER_DOLLARS = {"us$": "USD", "c$": "CAD", "a$": "AUD", "s$": "SGD", "r$": "BRL"}


def _currency_before(v: _Vocab, text: str, start: int, lo: int, ns: int):
    """The currency written just before the number (rule figure.currency_before): (match, code)."""
    pc = v.currency_before.find(text, lo, ns)
    if pc and pc.group("word") and v.number_before_word.find(text, max(start, pc.start() - 3), pc.start()):
        pc = None  # "50 dollar 40": the word belongs to the number before
    if pc is None:
        return None, None
    if pc.group("mcode"):
        return pc, pc.group("mcode")[1:].upper()
    if pc.group("code"):
        code = pc.group("code").upper()
        return pc, code if code in v.codes else v.symbols.get(code.lower())
    if pc.group("sym"):
        return pc, v.symbols.get(pc.group("sym").lower())
    if pc.group("word"):
        return pc, v.words.get(pc.group("word").lower())
    letters = "".join(ch for ch in pc.group("lettersym") if not (ch.isspace() or ch == ".")).lower()
    cur = v.symbols.get(letters) or v.symbols.get(letters[:-1] + "$") or _LETTER_DOLLARS.get(letters)
    if cur is None:
        code = letters[:-1].upper()
        cur = code if code in v.codes else None
    return pc, cur


def find(text: str, start: int = 0, end: int | None = None) -> list[dict]:
    v = vocab()
    end = len(text) if end is None else end
    out: list[dict] = []
    consumed = start  # figures do not overlap: a number read as cents or a range end is taken
    number = v.number_tokenised if v.tokenised.find(text, start, min(end, start + 5000)) else v.number
    for n_seen, m in enumerate(number.scan(text, start, end)):
        if not n_seen & 63:
            budget.check()
        ns, ne = m.span()
        if ns < consumed:
            continue
        # the rules that match just after and just before the number, in one pass each
        after = v.read_after(text[ne:ne + 40])
        before = v.read_before(text[max(start, ns - 40):ns])
        words = m.group("words")
        if words:
            raw = words
            # keep number words only: a trailing "and"/"a" is not part of the number
            value = words_value(raw)
            lower = " ".join(raw.lower().split())
            if value is None or lower in ("one", "a", "an", "zero", "half", "quarter", "third", "thirds", "quarters",
                                          "hundred", "thousand", "million", "billion", "trillion", "dozen", "lakh",
                                          "crore", "lakhs", "crores"):
                if lower not in ("half", "quarter") or "figure.scale" not in after or not v.scale.at(text, ne, ne + 40):
                    continue
            is_word = True
            num = raw
        elif m.group("vonly"):
            value, is_word, num = VULGAR[m.group("vonly")], False, m.group("vonly")
        else:
            num = m.group("digits")
            if sum(ch.isdecimal() for ch in num) > MAX_DIGITS:
                continue
            is_word = False
            try:
                value = float(num.translate(_SEPARATORS))
            except ValueError:
                continue
            if m.group("vulgar"):
                value += VULGAR[m.group("vulgar")]
            if _skip(text, ns, start, num, before, after):
                continue
        pos = ne
        # a fraction: "10 1/2 miles", "1/4 mile"
        fm = v.fraction.at(text, pos, pos + 8) if not is_word and "figure.fraction" in after else None
        if fm:
            if fm.group("over"):
                den = int(fm.group("over"))
                if den and value <= 20 and not text[fm.end():fm.end() + 1].isdecimal():
                    value, pos = value / den, fm.end()
            elif int(fm.group("den")) and int(fm.group("num")) < int(fm.group("den")):
                value, pos = value + int(fm.group("num")) / int(fm.group("den")), fm.end()
        # currency before the number ("US$", "£", "USD ", "MUSD", "dollar")
        pc, cur = _currency_before(v, text, start, max(start, consumed, ns - 12), ns) \
            if "figure.currency_before" in before else (None, None)
        cur_start = pc.start() if pc is not None and (cur is not None or not pc.group("lettersym")) else None
        if pc is not None and pc.group("mcode"):
            value *= 1e6
        if cur is None and _skip_letters_before(text, ns, start) and not is_word:
            continue
        if pc and pc.group("code") and pc.end() == ns and pc.group("code").upper() not in _GLUED_CODES:
            continue  # "COP26", "ATP7": a name, though COP is a currency
        if pc and pc.group("sym") and pc.end() == ns and pc.group("sym").isalpha() and \
                pc.group("sym").lower() not in ("rm", "rs", "rp", "rmb"):
            continue
        # scale: "5.2bn", "2.5 billion", "75 USD million"
        scale_end = pos
        if not is_word:
            g = v.glued_scale.at(text, pos, pos + 3) if pos != ne or "figure.glued_scale" in after else None
            if g and (g.group("glued") not in ("m", "M") or cur or v.currency_after.at(text, g.end(), g.end() + 60)):
                value *= GLUED[g.group("glued")]
                scale_end = pos = g.end()
            elif g and g.group("glued") in ("k", "K"):
                value *= 1e3
                scale_end = pos = g.end()
        sc = v.scale.at(text, pos, pos + 40) if pos != ne or "figure.scale" in after else None
        if sc:
            value *= SCALES[sc.group("scale").lower()]
            pos = sc.end()
        unit = kind = None
        cur_after = False  # the currency is written after the number ("15 dollars 50")
        if cur is None:
            sc2 = v.currency_after.at(text, pos, pos + 60) if pos != ne or "figure.currency_after" in after else None
            if sc2:
                if sc2.group("mcode"):
                    cur, value = sc2.group("mcode")[1:].upper(), value * 1e6
                elif sc2.group("code"):
                    cur = sc2.group("code").upper()
                elif sc2.group("sym"):
                    cur = v.symbols.get(sc2.group("sym").lower())
                else:
                    cur = v.words.get(" ".join(sc2.group("word").lower().split()))
                if cur:
                    pos = sc2.end()
                    cur_after = not sc2.group("sym")
                    sc = v.scale.at(text, pos, pos + 40)  # "75 USD million"
                    if sc:
                        value *= SCALES[sc.group("scale").lower()]
                        pos = sc.end()
        if cur:
            unit, kind = cur, "currency"
            cm = v.cents.at(text, pos, pos + 60)
            if cm and value == int(value):
                c = cm.group("c")
                cents = int(c) if c.isdigit() else words_value(c)
                if cents is not None and cents < 100 and (cm.group("unit") or cur_after):
                    value += cents / 100
                    pos = cm.end()
        else:
            um = v.unit.at(text, pos, pos + 60) if pos != ne or "figure.unit" in after else None
            if um is None and pos > 0 and text[pos - 1].isdecimal() and (pos != ne or "figure.unit_glued" in after):
                um = v.unit_glued.at(text, pos, pos + 60)  # "5km"
            if um:
                if um.group("pct"):
                    unit, kind = "percent", "percent"
                elif um.group("deg"):
                    d = um.group("deg").replace(" ", "").lower()
                    unit, kind = {"°c": "celsius", "°f": "fahrenheit"}.get(d, "degree"), "measure"
                else:
                    unit, kind = v.units[" ".join(um.group("unit").lower().split())]
                pos = um.end()
        if unit is None:
            unit, kind = "count", "count"
        tail = v.read_tail(text[pos:pos + 40])
        if not is_word and pos == ne and "figure.tail.letter" in tail:
            continue  # "5G", "4x4": a name or a code
        if "figure.tail.equals" in tail or "figure.before.equals" in before:
            continue  # an exchange-rate note: "(1 euro = 1.19 U.S. dollars)"
        if unit == "count" and "figure.tail.era" in tail:
            continue  # an era: "476 B.C."
        if unit == "count" and not is_word and "figure.before.year_of" in before:
            continue  # "in the year of 1131"
        if unit == "count" and not is_word and "figure.tail.comma" in tail and \
                "figure.before.name_comma" in before and value < 120:
            continue  # "Esper, 56,": an age in apposition
        if unit == "count" and "figure.tail.adjective" in tail:
            continue  # "two-way", "three-dimensional": adjectives, not counts
        if is_word and num[0].isupper() and not _sentence_start(text, ns, start, before) and \
                v.capital_next.at(text, ne, ne + 3):
            continue  # "the 14th Five-Year Plan", "the Two Sessions": a name
        range_only = False
        if is_word and unit == "count":
            # number words need a following word that names what is counted, or a range
            nxt = v.next_word.at(text, pos, pos + 40)
            if "figure.tail.range" in tail:
                range_only = True  # "eight to 10 feet": kept only as a range's low end
            elif not nxt or _stops(nxt.group("word")) or nxt.group("word").lower() in NUMBER_WORDS:
                continue
            if nxt and not range_only and nxt.group("word")[0].isupper() and text[pos:pos + 1] == " ":
                continue  # "Two Sessions", a name
        if unit == "count" and (pos != ne or "figure.age" in after):
            um = v.age.at(text, pos, pos + 40)
            if um:
                unit, kind = um.group("unit"), "duration"
                pos = um.end()
        # qualifier and lead before the number (or its currency)
        left = cur_start if cur_start is not None and cur_start < ns else ns
        if left == ns and "figure.before.sign" in before:
            sm = v.sign.find(text, max(start, ns - 8), ns)
            if sm is not None and sm.end() == ns and (not is_word or sm.start("word") >= 0):  # "-5 degrees", "minus nine"
                value, left = -value, next(sm.start(g) for g in ("sign", "line_sign", "word") if sm.start(g) >= 0)
        window_start = max(start, left - 40)
        qual, span_start = "exact", left
        q = v.qualifier.find(text, window_start, left) if left != ns or "figure.qualifier" in before else None
        if q:
            if q.group("qual"):
                qual = v.qualifiers.get(" ".join(q.group("qual").split()).lower(), "exact")
                span_start = q.start("qual")
            elif q.group("lead") and kind == "duration":
                span_start = q.start("lead")
        span_end = pos
        subject = None
        if unit == "count":
            subject, subj_end = _subject(text, span_end, end)
            if subject:
                span_end = subj_end
        elif kind in ("currency", "measure", "percent"):
            sm = v.of.at(text, span_end, span_end + 6)
            if sm:
                subject, _ = _subject(text, sm.end(), end)
        if unit == "count" and text[span_end - 1:span_end] == "-":
            span_end -= 1
        if unit == "count" and not is_word and _names_a_thing(text, span_start, value, subject):
            continue
        if unit == "count" and _in_slogan(text, ns, ne):
            continue
        rule = "figure." + ("currency" if kind == "currency" else "words" if is_word else kind)
        out.append({"char_start": span_start, "char_end": span_end, "text": text[span_start:span_end],
                    "value": value, "unit": unit, "qualifier": qual, "subject": subject, "rule": rule,
                    "range_low": None, "range_high": None, "_num_end": ne, "_unit_start": ne if pos == ne else None,
                    "_range_only": range_only})
        consumed = pos
    out = [f for f in _ranges(text, out) if not f["_range_only"]]
    for f in out:
        for k in ("_num_end", "_unit_start", "_range_only"):
            f.pop(k)
    return out


def _sentence_start(text: str, pos: int, start: int, before: set) -> bool:
    return not text[max(start, pos - 3):pos].strip() or "figure.before.sentence_mark" in before


def _in_slogan(text: str, s: int, e: int) -> bool:
    """Inside a short quoted phrase of words without a verb of its own: a slogan or a
    name ("one country, two systems"), not a quantity."""
    lo = max(0, s - 60)
    for m in vocab().quoted_short.scan(text, lo, min(len(text), e + 60)):
        ps, pe = m.span("phrase")
        if ps <= s and e <= pe and len(text[ps:pe].split()) <= 6:
            return True
    return False


def _skip_letters_before(text: str, ns: int, start: int) -> bool:
    return ns > start and text[ns - 1].isalpha()


def _ranges(text: str, figs: list[dict]) -> list[dict]:
    """"from 252 to 287 miles", "eight to 10 feet", "40-50 years", "between 3 and 5 percent":
    one figure for the range, its value the low end, with range_low and range_high, and the
    unit written after the second number."""
    out: list[dict] = []
    i = 0
    while i < len(figs):
        a = figs[i]
        b = figs[i + 1] if i + 1 < len(figs) else None
        if b is not None and _is_range(text, a, b):
            lo, hi = sorted((a["value"], b["value"]))
            merged = dict(a)
            merged.update(char_end=b["char_end"], text=text[a["char_start"]:b["char_end"]], value=a["value"],
                          unit=b["unit"], subject=b["subject"] or a["subject"], range_low=lo, range_high=hi,
                          rule="figure.range", _range_only=False)
            out.append(merged)
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def _is_range(text: str, a: dict, b: dict) -> bool:
    v = vocab()
    if a["char_end"] > b["char_start"] or not v.range_gap.at(text, a["char_end"], b["char_start"]):
        return False
    gap = text[a["char_end"]:b["char_start"]]
    lo = max(0, a["char_start"] - 60)
    if v.change.find(text, lo, a["char_start"]):
        return False  # "rose from 35 to 250 billion", "fell by 79 to 4,775": a change, not a range
    if gap.strip().lower() == "and" and not v.between.find(text, lo, a["char_start"]):
        return False  # "5% and 7%": two figures
    if a["unit"] == "count" and a["char_end"] != a["_num_end"]:
        return False  # "40 ambulances to 20 towns": the first counts something of its own
    return a["unit"] == b["unit"] or a["unit"] == "count" and a["_unit_start"] is not None


def _names_a_thing(text: str, start: int, value: float, subject: str | None) -> bool:
    """A number that names rather than counts: "the 486 is" (a bare number after "the",
    with nothing counted after it)."""
    return subject is None and vocab().the.find(text, max(0, start - 5), start) is not None


def figure_id(doc_id: str, start: int, end: int) -> str:
    return hashlib.sha1(f"figure|{doc_id}|{start}|{end}".encode()).hexdigest()[:20]


def extract(docs: pl.DataFrame, anns: list | None = None) -> pl.DataFrame:
    """Figures of every document: docs has doc_id, text (and body_start/body_end when known);
    anns: their annotations (transforms.documents.annotate), when already made."""
    rows = []
    for row, ann in bodies(docs, anns):
        for f in find(ann.text, ann.body_start, ann.body_end):
            f["sent_start"], f["sent_end"] = ann.sentence_of(f["char_start"])
            f["doc_id"] = row["doc_id"]
            f["figure_id"] = figure_id(row["doc_id"], f["char_start"], f["char_end"])
            f["event_id"] = None
            rows.append(f)
    return pl.DataFrame(rows, schema=SCHEMA) if rows else pl.DataFrame(schema=SCHEMA)
