"""Shared text helpers: paragraphs and sentences with offsets into the text as read."""
from __future__ import annotations

import bisect
from dataclasses import dataclass

import polars as pl

from transforms.rules import budget
from transforms.rules.engine import load, vocabulary

# the honorifics before a name ("Hon.", "Amb.", "Rev."): abbreviations after which a
# capitalised word continues the sentence
_HONORIFICS = {w.lower() for w in vocabulary("honorific")} - {"miss"}  # ("a near miss." ends one)
# Tokens that end with a period without ending a sentence.
ABBREVIATIONS = {
    "st", "jr", "sr", "no", "vol", "vs", "etc", "inc", "ltd", "co", "corp", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n", "u.k", "e.u",
    "d.c", "a.m", "p.m", "e.g", "i.e", "approx", "est", "fig", "mt", "ft", "h.e", "h.m", "h.h", "h.r.h",
} | _HONORIFICS
# After these abbreviations a capitalised word usually continues the sentence ("U.S. President").
_CONTINUING = {"u.s", "u.n", "u.k", "e.u", "st", "jan", "feb", "mar", "apr", "jun", "jul",
               "aug", "sep", "sept", "oct", "nov", "dec", "no", "h.e", "h.m", "h.h", "h.r.h"} | _HONORIFICS

# rules of transforms/rules/text.yaml: a sentence's end, a photo credit that closes a caption
# ("... Nov. 12, 2020. (Xinhua/Sadat) ZHUJI, China ...")
_RULES = load("text")
_SENT_END, _CREDIT_END = _RULES["text.sentence_end"], _RULES["text.photo_credit"]
_LINE_GOES_ON = _RULES["text.line_goes_on"]
_P, _Q, _SP, _P2 = (_SENT_END.groupindex[g] for g in ("p", "q", "sp", "p2"))
_LETTER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_WORD_OR_STOP = _LETTER | {"."}  # the word before a full stop
_TERMINAL = tuple(".!?:;\"”’)")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _lines(text: str, start: int, end: int):
    """(start, end) of each line within [start, end), newline excluded."""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        yield pos, stop
        pos = stop + 1


def wrap_width(text: str) -> int | None:
    """The column width of a hard-wrapped text, or None when lines are paragraphs."""
    raw = [len(line.rstrip()) for line in text.split("\n")]
    lengths = sorted(n for n in raw if n)
    if len(lengths) < 4:
        return None
    p90 = lengths[int(len(lengths) * 0.9) - 1]
    long_lines = sum(1 for n in lengths if n >= 0.7 * p90)
    # wrapped text has runs of full lines, one straight after another
    runs = sum(1 for a, b in zip(raw, raw[1:]) if a >= 0.75 * p90 and b >= 0.5 * p90)
    if 40 <= p90 <= 100 and long_lines >= 0.5 * len(lengths) and runs >= 3:
        return p90
    return None


def line_goes_on(line: str, next_line: str) -> bool:
    """Whether a sentence runs on from a line into the next (rule text.line_goes_on: the line
    ends with a word no sentence or heading ends with, or a comma: "spoke with President Ana
    Ruiz of / Portugal today.")."""
    line, next_line = line.rstrip(), next_line.lstrip()
    # (the rule's last character first, without a call: most lines end with a full stop)
    return (line[-1:].isalpha() or line[-1:] == ",") and bool(next_line) \
        and _LINE_GOES_ON.find(line[-16:] + "\n" + next_line[:1]) is not None


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Paragraph spans (whitespace trimmed). A blank line always breaks; in a
    hard-wrapped text a single newline joins lines unless the line before it is short; in
    a text of lines too few to tell a width, it joins them where it breaks a sentence
    (rule text.line_goes_on: "spoke with President Ana Ruiz of / Portugal today.")."""
    end = len(text) if end is None else end
    width = wrap_width(text[start:end])
    out: list[Span] = []
    cur_s = cur_e = None
    for ls, le in _lines(text, start, end):
        line = text[ls:le]
        stripped = line.strip()
        if not stripped:
            if cur_s is not None:
                out.append(Span(cur_s, cur_e))
                cur_s = None
            continue
        s = ls + (len(line) - len(line.lstrip()))
        e = ls + len(line.rstrip())
        if cur_s is None:
            cur_s, cur_e = s, e
            continue
        prev = text[cur_s:cur_e]
        prev_last_line = prev.rsplit("\n", 1)[-1]
        joins = not stripped.startswith(("-", "*", "•", "#")) and (
            len(prev_last_line) >= 0.75 * width if width is not None
            # (lines too few to tell a width: a break no sentence or heading ends at)
            else line_goes_on(prev_last_line, stripped)
        )
        if joins:
            cur_e = e
        else:
            out.append(Span(cur_s, cur_e))
            cur_s, cur_e = s, e
    if cur_s is not None:
        out.append(Span(cur_s, cur_e))
    return out


def _is_abbreviation(chunk: str) -> tuple[bool, bool]:
    i = len(chunk)
    while i > 0 and chunk[i - 1] in _WORD_OR_STOP:
        i -= 1
    if i == len(chunk):
        return False, False
    tok = chunk[i:].lower().rstrip(".")  # (an initial, "Joseph R. Biden", is passed over before)
    return tok in ABBREVIATIONS, tok in _CONTINUING


def sentence_spans(text: str, start: int = 0, end: int | None = None, paras: list | None = None) -> list[tuple[int, int, int]]:
    """(para_no, start, end) of every sentence in text[start:end]; paras: its paragraphs,
    when already made. An extractor given a document's Annotation takes its sentences from
    there instead, made once."""
    end = len(text) if end is None else end
    out = []
    for para_no, para in enumerate(paragraphs(text, start, end) if paras is None else paras):
        budget.check()
        s = para.start
        base, stops = _SENT_END.raw_scan(text, para.start, para.end)
        for spans in stops:  # RE2's group spans, offset by base: a text may hold very many stops
            sp_start, stop = spans[_SP]  # stop: where the next sentence starts
            if sp_start >= 0:
                sp_start, stop = sp_start + base, stop + base
                at, at_end = spans[_P][0] + base, spans[_P][1] + base
            else:  # run together ("sources.Trump"): the next sentence starts right after the stop
                at, at_end = spans[_P2][0] + base, spans[_P2][1] + base
                stop = at_end
            if at_end - at == 1 and text[at] == ".":
                if at - 1 >= s and text[at - 1] in _LETTER and (at - 2 < s or text[at - 2] not in _WORD_OR_STOP):
                    continue  # an initial ("Joseph R. Biden"): it ends no sentence
                abbrev, continuing = _is_abbreviation(text[max(s, at - 12):at])
                if abbrev and (continuing or spans[_Q][0] == spans[_Q][1]):
                    nxt = text[stop:stop + 12].split(" ", 1)[0]
                    if continuing or nxt not in _STARTERS:
                        continue
            e = sp_start if sp_start >= 0 else stop
            if e > s:
                out.append((para_no, s, e))
            s = stop
        if para.end > s:
            out.append((para_no, s, para.end))
    # a photo credit is rare: one pass over the whole span says whether any sentence holds one
    # (its guard reads no further there than in a sentence, so it finds all they would)
    return _cap_length(text, _split_at_credits(text, out) if _CREDIT_END.find(text, start, end) else out)


MAX_SENTENCE = 2000  # characters: longer runs without a full stop are cut at clause boundaries


def _cap_length(text: str, spans: list) -> list:
    """No sentence longer than MAX_SENTENCE: a run without full stops (a list, a table,
    hostile input) is cut at its last semicolon, comma or space before the limit, so that
    every step that looks at a whole sentence stays bounded."""
    out = []
    for p, s, e in spans:
        while e - s > MAX_SENTENCE:
            window = text[s + MAX_SENTENCE // 2:s + MAX_SENTENCE]
            cut = max(window.rfind("; "), window.rfind(", "))
            if cut < 0:
                cut = window.rfind(" ")
            cut = s + MAX_SENTENCE // 2 + cut + 1 if cut >= 0 else s + MAX_SENTENCE
            out.append((p, s, cut))
            s = cut
            while s < e and text[s].isspace():
                s += 1
        if e > s:
            out.append((p, s, e))
    return out


def _split_at_credits(text: str, spans: list) -> list:
    """A sentence that runs on past a photo credit ends at the credit."""
    out = []
    for p, s, e in spans:
        for m in _CREDIT_END.scan(text, s, e):
            if m.start("gap") > s:
                out.append((p, s, m.start("gap")))
            s = m.end("gap")
        if e > s:
            out.append((p, s, e))
    return out


_STARTERS = {"The", "He", "She", "It", "They", "We", "In", "On", "At", "This", "That", "But", "A"}


def sentences(docs: pl.DataFrame) -> pl.DataFrame:
    """One row per sentence: doc_id, sent_no, para_no, char_start, char_end.
    Only the body ([body_start, body_end) when those columns exist) is segmented."""
    rows = {"doc_id": [], "sent_no": [], "para_no": [], "char_start": [], "char_end": []}
    has_body = "body_start" in docs.columns
    cols = ["doc_id", "text"] + (["body_start", "body_end"] if has_body else [])
    for rec in docs.select(cols).iter_rows():
        doc_id, text = rec[0], rec[1] or ""
        bs, be = (rec[2], rec[3]) if has_body else (0, len(text))
        for n, (p, s, e) in enumerate(sentence_spans(text, bs, be)):
            rows["doc_id"].append(doc_id)
            rows["sent_no"].append(n)
            rows["para_no"].append(p)
            rows["char_start"].append(s)
            rows["char_end"].append(e)
    return pl.DataFrame(rows, schema={"doc_id": pl.Utf8, "sent_no": pl.Int32, "para_no": pl.Int32,
                                      "char_start": pl.Int32, "char_end": pl.Int32})


def bodies(docs: pl.DataFrame, anns: list | None = None):
    """(row, Annotation) for every document of a frame with doc_id and text: the one
    reading of each document (body, dateline, dates, sentences) that extractors share,
    as given (anns), else read now."""
    from transforms.annotate import annotations
    yield from annotations(docs, anns)


class Spans:
    """Disjoint spans kept in order, so that "does [s, e) overlap a taken span?" costs a
    binary search rather than a scan of every span taken so far (a long document takes
    tens of thousands)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, s: int, e: int) -> bool:
        i = bisect.bisect_right(self.starts, s) - 1
        if i >= 0 and self.ends[i] > s:
            return False
        return not (i + 1 < len(self.starts) and self.starts[i + 1] < e)

    def add(self, s: int, e: int) -> None:
        lo = bisect.bisect_right(self.starts, s) - 1
        if lo < 0 or self.ends[lo] <= s:
            lo += 1
        hi = bisect.bisect_left(self.starts, e)
        if lo < hi:
            s, e = min(s, self.starts[lo]), max(e, self.ends[hi - 1])
        self.starts[lo:hi] = [s]
        self.ends[lo:hi] = [e]
