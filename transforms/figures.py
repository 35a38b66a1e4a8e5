"""Figures: quantities the text states, with value, unit, qualifier and subject.

A figure is found number first (digits, or number words of any size), then read
outwards: a fraction, a scale ("m", "bn", "million", "lakh"), a currency before or
after it (symbols, ISO codes, names: transforms/data/currencies.csv), a percent or a
measure (transforms/data/units.csv), cents, and the qualifier and lead before it
("more than", "the next"). Each step is an anchored match at a known offset, so the
pass is linear in the text."""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import polars as pl

from transforms.rules import budget

from transforms.reference import read, trie_regex
from transforms.text import bodies

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
MULTIPLIERS = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
               "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7, "dozen": 12}
FRACTIONS = {"half": 0.5, "quarter": 0.25, "quarters": 0.25, "third": 1 / 3, "thirds": 1 / 3}
NUMBER_WORDS = {**SMALL, **MULTIPLIERS, **FRACTIONS}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "mln": 1e6, "bln": 1e9, "bn": 1e9,
          "mn": 1e6, "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7, "tn": 1e12, "trn": 1e12}
# a scale letter glued to digits: "£581m", "5.2bn", "$3k", "1.8M dollars"
GLUED = {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "B": 1e9, "bn": 1e9,
         "bln": 1e9, "tn": 1e12, "trn": 1e12}
VULGAR = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_NAME_BEFORE = re.compile(
    r"(?:Article|Articles|No\.|Number|Resolution|Chapter|Section|Phase|Level|Room|Flight|Vol\.|Page|Point|Item|Rule|"
    r"Paragraph|Agenda|Class|Grade|Type|Model|Version|Annex|Protocol|Category|Group|Line|Route|Pillar|[Hh]ighway|"
    r"[Ee]xit|[Ii]nterstate|[Bb]uilding|[Bb]lock|[Gg]ate|[Pp]latform|[Ss]eason|[Ee]pisode)\s*$")
_NAME_AFTER = re.compile(r"^\s*(?:Agenda|Summit|Initiative|Vision|Plan\b|Olympics?|Games|Expo|World\s+Cup)")
SCHEMA = {"figure_id": pl.Utf8, "doc_id": pl.Utf8, "char_start": pl.Int32, "char_end": pl.Int32,
          "text": pl.Utf8, "value": pl.Float64, "unit": pl.Utf8, "qualifier": pl.Utf8,
          "subject": pl.Utf8, "event_id": pl.Utf8, "sent_start": pl.Int32, "sent_end": pl.Int32,
          "range_low": pl.Float64, "range_high": pl.Float64, "rule": pl.Utf8}
MAX_DIGITS = 18  # longer runs of digits are codes or noise, not quantities


class _Vocab:
    """The vocabularies of figures, compiled once."""

    def __init__(self) -> None:
        self.units = {" ".join(r["surface"].lower().split()): (r["unit"], r["kind"]) for r in read("units.csv")}
        self.qualifiers = {r["surface"]: r["qualifier"] for r in read("qualifiers.csv")}
        self.symbols: dict[str, str] = {}
        self.words: dict[str, str] = {}
        self.codes: set[str] = set()
        for r in read("currencies.csv"):
            self.codes.add(r["code"])
            for s in r["symbols"].split():
                self.symbols.setdefault(s.lower(), r["code"])
            for w in r["words"].split("|"):
                self.words[" ".join(w.split())] = r["code"]
        words = trie_regex(NUMBER_WORDS)
        # thousands grouped by commas, or by (non-breaking, thin, zero-width) spaces
        digits = (r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|"
                  r"\d{1,3}(?:[\u00a0\u202f\u2009\u200b]\d{3})+(?![\d])(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+")
        # in tokenised text ("sales , profits ( net )"), thousands are "10, 000"
        self.number_tokenised = self._number(r"\d{1,3}(?:, \d{3})+(?![\d,])(?:\.\d+)?|" + digits, words)
        self.number = self._number(digits, words)
        self._compile_context()

    @staticmethod
    def _number(digits: str, words: str) -> re.Pattern:
        return re.compile(
            rf"(?P<digits>(?<![\d.,/\u00a0\u202f\u2009\u200b])(?:{digits})(?![\d,]*\.\d))(?P<vulgar>[½¼¾⅓⅔])?"
            rf"|(?P<vonly>(?<!\w)[½¼¾⅓⅔])"
            rf"|(?P<words>\b(?:an?\s+(?=(?:hundred|thousand|million|billion|dozen|half|quarter)\b))?"
            rf"(?:{words})\b(?:(?:\s+|\s*-\s*)(?:and\s+)?(?:an?\s+)?(?:{words})\b)*)", re.I)

    def _compile_context(self) -> None:
        """Currencies, scales, units, qualifiers and cents around a number."""
        codes = "|".join(sorted(self.codes, key=len, reverse=True))
        syms = trie_regex(sorted(self.symbols, key=len, reverse=True))
        self.prefix_currency = re.compile(
            rf"(?:(?P<mcode>\bM(?:{codes}))|(?P<code>\b(?:{codes}|(?i:usd|eur|gbp|rmb|cny|jpy|inr|aud|cad|chf|hkd|sgd)))|"
            rf"(?P<sym>(?<![A-Za-z])(?i:{syms}))|(?P<word>\b(?i:dollars?|euros?))|"
            rf"(?P<lettersym>\b(?:[Uu]\.?[Ss]\.?|[Hh][Kk]|A|[Aa][Uu]|[Cc]|[Cc][Aa]|[Cc]an|[Nn][Zz]|S|[Nn][Tt]|[Rr]|[Mm][Xx]|"
            rf"[Aa][Uu][Dd]|[Cc][Aa][Dd]|[Nn][Zz][Dd]|[Uu][Ss][Dd]|[Hh][Kk][Dd]|[Ss][Gg][Dd])\s?\$))\s?$")
        cwords = trie_regex(sorted(self.words, key=len, reverse=True))
        self.suffix_currency = re.compile(
            rf"(?:\s*-?\s*(?P<mcode>M(?:{codes}))\b|\s*(?P<code>(?:{codes}))(?![A-Za-z\d])|"
            rf"\s*(?P<sym>[€£$¥元₹₩₽₺₦₱฿₪₴₫₸])(?!\s?\d)|(?:\s+|\s*-\s*)(?P<word>{cwords})\b)", re.I)
        self.scale = re.compile(rf"\s*-?\s*(?P<scale>{trie_regex(SCALES)})\b", re.I)
        self.glued = re.compile(r"(?P<glued>bn|mn|mln|bln|trn|tn|[kKmMbB])(?![\w$€£])")
        unit_alts = trie_regex(sorted((u for u in self.units if u not in ("%", "°", "°c", "°f")), key=len, reverse=True))
        self.unit = re.compile(rf"(?:\s*(?P<pct>%)|\s*(?P<deg>°\s?[CcFf]?)(?![A-Za-z])|(?:\s*-\s*|\s+|(?<=\d))(?P<unit>{unit_alts})\b)",
                               re.I)
        self.qual = re.compile(
            rf"(?:(?P<lead>\b[Tt]he\s+(?:next|past|last|coming|previous|following|first)\s+)|"
            rf"(?P<qual>\b(?:{trie_regex(self.qualifiers)})\s+))$", re.I)
        self.cents = re.compile(
            r"\s*(?:and\s+)?(?P<c>\d{1,2}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|"
            r"four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"
            r"nineteen|one|two|three|four|five|six|seven|eight|nine)(?:\s+(?P<unit>cents?|pence|mao|kopecks?))?"
            r"(?=\s*(?:[.,;!?)](?!\d)|$))", re.I)


@lru_cache(maxsize=1)
def vocab() -> _Vocab:
    return _Vocab()


def words_value(words: str) -> float | None:
    """The value of number words: "twenty-five" 25, "three hundred" 300, "three thousand two
    hundred" 3200, "one and a half million" 1.5e6, "three quarters billion" 7.5e8,
    "a quarter million" 2.5e5, "one third" 1/3."""
    total, current, after_and = 0.0, 0.0, False
    for w in re.findall(r"[a-z]+", words.lower()):
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


_SUBJECT_STOP = re.compile(
    r"^(?:to|from|in|at|that|which|with|for|by|on|into|than|as|is|are|was|were|will|has|have|had|been|be|"
    r"this|each|per|a|an|the|since|through|during|after|before|under|over|while|who|whose|its|their|"
    r"should|would|could|can|must|may|might|shall|also|said|says|announced|agreed|held|exchanged|did|do|does|"
    r"not|now|then|were|respectively|reached|signed|attended|met|made|took|gave|got|had|including|such|"
    r"throughout|across|between|among|against|within|without|toward|towards|via|so|but|or\s+more|and|or|"
    r"died|spent|went|came|left|fell|rose|grew|won|lost|saw|sold|kept|stood|felt|found|led|wrote|flew|ran|hit|"
    r"began|became|brought|bought|caught|fought|taught|thought|built|told|got|paid|sent|says|say|are|remain\w*|"
    r"need\w*|want\w*|take|took|make|get|give|come|go|become|die|live[ds]?|work(?:ed|s)?|arriv\w*|join\w*|"
    r"attend\w*|participat\w*|visit\w*|receiv\w*|includ\w*|account\w*|remain|stay\w*)$", re.I)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def _subject(text: str, pos: int, limit: int) -> tuple[str | None, int]:
    """Up to five words after pos that name what is counted; returns (subject, end offset)."""
    words, ends, i = [], [], pos
    for m in _WORD.finditer(text, pos, min(limit, pos + 80)):
        gap = text[i:m.start()]
        if gap.strip() not in ("", "-") or (words and "\n\n" in gap):
            break
        w = m.group(0)
        if _SUBJECT_STOP.match(w) and not (words and w.lower() == "of"):
            break
        if w.lower() in NUMBER_WORDS:
            break  # the next figure begins
        if words and len(w) > 4 and w.lower().endswith("ed") and not text[m.end():m.end() + 1].isalpha() and \
                re.match(r"\s+(?:[a-z]+\s+)?(?:to|by|in|at|on|from|the|a|an|and|with|for|into|over|their|its|his|her)\b",
                         text[m.end():m.end() + 20]):
            break  # "trains passed through": the verb, not the subject
        words.append(w)
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


_MONTH_BEFORE = re.compile(r"(?:\b(?i:january|february|march|april|june|july|august|september|october|november|"
                           r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?|\bMay)\s*$")
_MONTH_AFTER = re.compile(r"\s*(?:(?i:january|february|march|april|june|july|august|september|october|november|"
                          r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?|May\b)")


def _skip(text: str, ns: int, ne: int, start: int, num: str) -> bool:
    """Numbers that are not quantities: years, dates, clock times, list numbering,
    numbers inside names and codes, ordinals."""
    before = text[max(start, ns - 30):ns]
    after = text[ne:ne + 30]
    if re.fullmatch(r"0\d+", num):
        return True  # "000123", "007": a code or serial number, not a quantity
    if re.match(r"[A-Za-z]+\d|-?[A-Za-z]\d|\s[A-Za-z]-?\d{3}", after) or re.match(r"(?:st|nd|rd|th)\b", after, re.I):
        return True  # "24703L202", "73rd"
    if re.match(r"\s*-\s*(?:th|st|nd|rd)\b", after):
        return True
    if re.search(r"\d{4}-(?:\d{1,2}-)?$", before) or re.match(r"-\d{1,2}-\d{1,2}\b", after):
        return True  # inside an ISO date "2022-01-03"
    if re.match(r"-\d{4,}", after) or re.search(r"\d{4,}-$", before):
        return True  # account, phone and serial numbers: "1111-2222-4444"
    if re.fullmatch(r"(?:1[6-9]|20)\d{2}", num) and not re.match(r"\s*(?:%|percent|per cent)", after):
        return True  # a year
    if re.search(_MONTH + r"\s+\d{1,2}\s*(?:to|-|–|and)\s*$", before) or re.match(r"\s*,\s*(?:19|20)\d\d\b", after):
        return True  # the end of a range of days
    if re.match(r"\s*\+", after) or before.endswith("+"):
        return True  # "1+N", a name
    if re.fullmatch(r"[0-3]?\d", num) and (_MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after) or
                                            re.search(r"\bmay\s*$", before) and re.match(r"\s*,", after)):
        return True  # a date ("may 19, the ..." in lower-cased text too)
    if re.match(r"\s*(?:a\.m\.|p\.m\.|am\b|pm\b|:\d)", after, re.I) or re.search(r"\d:$", before):
        return True  # a clock time
    line_start = text.rfind("\n", start, ns) + 1
    if not text[line_start:ns].strip() and re.match(r"[.)]\s", after):
        return True  # list numbering
    if re.match(r"\s*\)", after) and re.search(r"(?:^|[;:.]\s*|\s)$", before) and len(num) <= 2 \
            and not re.search(r"\(\s*$", before):
        return True  # "1 ) explains": numbering inside a sentence
    if _NAME_BEFORE.search(before) or _NAME_AFTER.match(after):
        return True  # a number inside a name
    if before.endswith(("-", "/")) and re.search(r"[A-Za-z]-$|[A-Za-z]/$", before):
        return True  # "COVID-19", "A/75"
    if re.search(r"[A-Za-z]$", before) and not re.search(r"\b(?:[A-Z]{3}|M[A-Z]{3}|RM|Rs|Rp|US|HK|NT|S|A|C|R)$", before):
        return True  # "G20", "A380": a name
    return False


_GLUED_CODES = {"USD", "EUR", "GBP", "JPY", "CNY", "RMB", "HKD", "AUD", "CAD", "CHF", "INR", "SGD", "NZD"}
_CHANGE_BEFORE = re.compile(r"\b(?:rose|rise[sn]?|rising|fell|fall(?:s|en|ing)?|increas\w*|decreas\w*|grew|grow(?:s|n|ing)?|"
                            r"climb\w*|jump\w*|dropp?\w*|declin\w*|surg\w*|soar\w*|plung\w*|slipp?\w*|up|down|"
                            r"expand\w*|shr[ai]nk\w*|rais\w*|cut|reduc\w*|lower\w*|boost\w*|went|gone|go(?:es)?)\s+"
                            r"(?:\w+\s+){0,2}(?:from|by)\s+$", re.I)
_QUOTED_SHORT = re.compile(r"[\"“‘']([^\"“”‘’'\n]{1,60})[\"”’']")
_TOKENISED = re.compile(r"\w [,;:)] \w|\w \( \w|\w ' s\b|\w' s\b")


def find(text: str, start: int = 0, end: int | None = None) -> list[dict]:
    v = vocab()
    end = len(text) if end is None else end
    out: list[dict] = []
    consumed = start  # figures do not overlap: a number read as cents or a range end is taken
    number = v.number_tokenised if _TOKENISED.search(text, start, min(end, start + 5000)) else v.number
    for n_seen, m in enumerate(number.finditer(text, start, end)):
        if not n_seen & 63:
            budget.check()
        ns, ne = m.span()
        if ns < consumed:
            continue
        if m.group("words"):
            raw = m.group("words")
            # keep number words only: a trailing "and"/"a" is not part of the number
            value = words_value(raw)
            lower = " ".join(raw.lower().split())
            if value is None or lower in ("one", "a", "an", "zero", "half", "quarter", "third", "thirds", "quarters",
                                          "hundred", "thousand", "million", "billion", "trillion", "dozen", "lakh",
                                          "crore", "lakhs", "crores"):
                if lower not in ("half", "quarter") or not v.scale.match(text, ne):
                    continue
            is_word = True
            num = raw
        elif m.group("vonly"):
            value, is_word, num = VULGAR[m.group("vonly")], False, m.group("vonly")
        else:
            num = m.group("digits")
            if len(re.sub(r"[,.\s\u200b]", "", num)) > MAX_DIGITS:
                continue
            is_word = False
            try:
                value = float(re.sub(r"[,\s\u200b]", "", num))
            except ValueError:
                continue
            if m.group("vulgar"):
                value += VULGAR[m.group("vulgar")]
            if _skip(text, ns, ne, start, num):
                continue
        pos = ne
        # a fraction: "10 1/2 miles", "1/4 mile"
        fm = re.match(r"(?:\s+(\d{1,2})/(\d{1,2})|/(\d{1,2}))(?!\d)", text[pos:pos + 8]) if not is_word else None
        if fm:
            if fm.group(3):
                den = int(fm.group(3))
                if den and value <= 20 and not re.match(r"\d", text[pos + fm.end():pos + fm.end() + 1]):
                    value, pos = value / den, pos + fm.end()
            elif int(fm.group(2)) and int(fm.group(1)) < int(fm.group(2)):
                value, pos = value + int(fm.group(1)) / int(fm.group(2)), pos + fm.end()
        cur = cur_start = None
        # currency before the number ("US$", "£", "USD ", "MUSD", "dollar")
        pc = v.prefix_currency.search(text, max(start, consumed, ns - 12), ns)
        if pc and pc.group("word") and re.search(r"\d\s*$", text[max(start, pc.start() - 3):pc.start()]):
            pc = None  # "50 dollar 40": the word belongs to the number before
        if pc:
            cur_start = pc.start()
            if pc.group("mcode"):
                cur = pc.group("mcode")[1:].upper()
                value *= 1e6
            elif pc.group("code"):
                code = pc.group("code").upper()
                cur = code if code in v.codes else v.symbols.get(code.lower())
            elif pc.group("sym"):
                cur = v.symbols.get(pc.group("sym").lower())
            elif pc.group("word"):
                cur = v.words.get(pc.group("word").lower())
            else:
                letters = re.sub(r"[\s.]", "", pc.group("lettersym")).lower()
                cur = v.symbols.get(letters) or v.symbols.get(letters[:-1] + "$") or \
                    {"us$": "USD", "c$": "CAD", "a$": "AUD", "s$": "SGD", "r$": "BRL"}.get(letters)
                if cur is None:
                    code = letters[:-1].upper()
                    cur = code if code in v.codes else None
                if cur is None:
                    cur_start = None
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
            g = v.glued.match(text, pos)
            if g and (g.group("glued") not in ("m", "M") or cur or v.suffix_currency.match(text, g.end())):
                value *= GLUED[g.group("glued")]
                scale_end = pos = g.end()
            elif g and g.group("glued") in ("k", "K"):
                value *= 1e3
                scale_end = pos = g.end()
        sc = v.scale.match(text, pos)
        if sc:
            value *= SCALES[sc.group("scale").lower()]
            pos = sc.end()
        unit = kind = None
        cur_after = False  # the currency is written after the number ("15 dollars 50")
        if cur is None:
            sc2 = v.suffix_currency.match(text, pos)
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
                    sc = v.scale.match(text, pos)  # "75 USD million"
                    if sc:
                        value *= SCALES[sc.group("scale").lower()]
                        pos = sc.end()
        if cur:
            unit, kind = cur, "currency"
            cm = v.cents.match(text, pos)
            if cm and value == int(value):
                c = cm.group("c")
                cents = int(c) if c.isdigit() else words_value(c)
                if cents is not None and cents < 100 and (cm.group("unit") or cur_after):
                    value += cents / 100
                    pos = cm.end()
        else:
            um = v.unit.match(text, pos)
            if um:
                if um.group("pct"):
                    unit, kind = "percent", "percent"
                elif um.group("deg"):
                    d = um.group("deg").replace(" ", "").lower()
                    unit, kind = {"°c": "celsius", "°f": "fahrenheit"}.get(d, "degree"), "measure"
                else:
                    unit, kind = v.units[" ".join(um.group("unit").lower().split())]
                pos = um.end()
        if unit is None and is_word and scale_end == ne and not sc:
            pass
        if unit is None:
            unit, kind = "count", "count"
        after = text[pos:pos + 40]
        if not is_word and pos == ne and re.match(r"[A-Za-z]", after):
            continue  # "5G", "4x4": a name or a code
        if re.match(r"\s*=", after) or re.search(r"=\s*(?:[$€£¥]|[A-Z]{3}\s*)?$", text[max(start, ns - 8):ns]):
            continue  # an exchange-rate note: "(1 euro = 1.19 U.S. dollars)"
        if unit == "count" and re.match(r"\s*(?:B\.?C\.?|A\.?D\.?|BCE|CE)\b", after):
            continue  # an era: "476 B.C."
        if unit == "count" and not is_word and re.search(r"\b(?:year|the\s+years?)\s+(?:of\s+)?$", text[max(start, ns - 16):ns]):
            continue  # "in the year of 1131"
        if unit == "count" and not is_word and re.match(r",", after) and \
                re.search(r"\b[A-Z][a-z]+,\s*$", text[max(start, ns - 30):ns]) and value < 120:
            continue  # "Esper, 56,": an age in apposition
        if unit == "count" and re.match(r"-(?:way|dimensional|fold|faced|sided)\b", after):
            continue  # "two-way", "three-dimensional": adjectives, not counts
        if is_word and num[0].isupper() and not _sentence_start(text, ns, start) and \
                re.match(r"[\s-]*[A-Z]", text[ne:ne + 3]):
            continue  # "the 14th Five-Year Plan", "the Two Sessions": a name
        range_only = False
        if is_word and unit == "count":
            # number words need a following word that names what is counted, or a range
            nxt = re.match(r"[\s-]+[\"“‘']?([A-Za-z][\w-]*)", after)
            if re.match(r"\s*(?:to|-|–)\s*\d", after):
                range_only = True  # "eight to 10 feet": kept only as a range's low end
            elif not nxt or _SUBJECT_STOP.match(nxt.group(1)) or nxt.group(1).lower() in NUMBER_WORDS:
                continue
            if nxt and not range_only and nxt.group(1)[0].isupper() and text[pos:pos + 1] == " ":
                continue  # "Two Sessions", a name
        if unit == "count" and re.match(r"\s*-\s*(?:year|month|week|day)s?-old\b", after):
            um = re.match(r"\s*-\s*(year|month|week|day)s?-old", after)
            unit, kind = um.group(1), "duration"
            pos += um.end()
        # qualifier and lead before the number (or its currency)
        left = cur_start if cur_start is not None and cur_start < ns else ns
        window_start = max(start, left - 40)
        qual, span_start = "exact", left
        q = v.qual.search(text, window_start, left)
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
            sm = re.match(r"\s+(?:of|in)\s+", text[span_end:span_end + 6])
            if sm:
                subject, _ = _subject(text, span_end + sm.end(), end)
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


def _sentence_start(text: str, pos: int, start: int) -> bool:
    return not text[max(start, pos - 3):pos].strip() or bool(re.search(r"[.!?:\"“]\s*$", text[max(start, pos - 4):pos]))


def _in_slogan(text: str, s: int, e: int) -> bool:
    """Inside a short quoted phrase of words without a verb of its own: a slogan or a
    name ("one country, two systems"), not a quantity."""
    lo = max(0, s - 60)
    for m in _QUOTED_SHORT.finditer(text, lo, min(len(text), e + 60)):
        if m.start(1) <= s and e <= m.end(1) and len(m.group(1).split()) <= 6:
            return True
    return False


def _skip_letters_before(text: str, ns: int, start: int) -> bool:
    return ns > start and text[ns - 1].isalpha()


_RANGE_GAP = re.compile(r"^\s*(?:to|-|–|—|and)\s*$", re.I)


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
    gap = text[a["char_end"]:b["char_start"]] if a["char_end"] <= b["char_start"] else None
    if gap is None or not _RANGE_GAP.match(gap):
        return False
    before = text[max(0, a["char_start"] - 60):a["char_start"]]
    if _CHANGE_BEFORE.search(before):
        return False  # "rose from 35 to 250 billion", "fell by 79 to 4,775": a change, not a range
    if gap.strip().lower() == "and" and not re.search(r"\bbetween\s+$", before, re.I):
        return False  # "5% and 7%": two figures
    if a["unit"] == "count" and a["char_end"] != a["_num_end"]:
        return False  # "40 ambulances to 20 towns": the first counts something of its own
    return a["unit"] == b["unit"] or a["unit"] == "count" and a["_unit_start"] is not None


def _names_a_thing(text: str, start: int, value: float, subject: str | None) -> bool:
    """A number that names rather than counts: "the 486 is" (a bare number after "the",
    with nothing counted after it)."""
    return subject is None and bool(re.search(r"\b[Tt]he\s+$", text[max(0, start - 5):start]))


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
