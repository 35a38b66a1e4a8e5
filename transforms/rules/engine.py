"""The rule engine: extraction rules kept as data (one YAML file per extractor, beside this
module), compiled to RE2 matchers that cannot backtrack.

A rule file reads

    extractor: dates
    vocabularies: [month]            # the named vocabularies its patterns use
    rules:
      - id: date.day                 # the `rule` column of every row it makes
        pattern: '{month}\\s+(?P<day>[0-3]?\\d)'
        flags: i                     # i: case-insensitive
        not_preceded_by: '\\bby\\s+' # guards: RE2 patterns read just before / after the match
        yields: {kind: day}          # what the extractor makes of a match
        examples:                    # each must match, giving `match` (and its groups)
          - {text: 'on March 3 the', match: 'March 3', groups: {day: '3'}}
        counter_examples: ['by March 3']   # none of these may match

Patterns are RE2 (no look-around, no back-reference), so every match is linear in the
text. What a look-around said becomes a guard: `not_preceded_by` / `preceded_by` is an
RE2 pattern that must (not) end where the match starts, read in a window of `window`
characters (default 40); `not_followed_by` / `followed_by` must (not) start where it
ends. `{name}` in a pattern is a vocabulary of transforms/data/vocabularies.yaml (or a
column of a data file it points to), written once and expanded to an alternation.

A sentence is scanned once per file (an RE2 set of all its patterns tells which rules can
match it); only those rules are then run to get their spans."""
from __future__ import annotations

import re as _pyre  # only to expand `{name}` placeholders while compiling, never on text
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import re2
import yaml

from transforms.reference import DATA, read

RULES = Path(__file__).parent
_PLACEHOLDER = _pyre.compile(r"(?<!\\x)(?<!\\p)\{([a-z_]+)\}")  # not \x{feff}, \p{Greek}
_NAMED = _pyre.compile(r"\(\?P<([A-Za-z_]\w*)>")  # a named group's opening, in a pattern's source
_OPTIONS = re2.Options()
_OPTIONS.max_mem = 64 << 20


class RuleError(ValueError):
    """A rule file that does not compile, or a rule whose examples it contradicts."""


# ---------------------------------------------------------------- vocabularies

@lru_cache(maxsize=1)
def _vocab_specs() -> dict:
    with open(DATA / "vocabularies.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


@lru_cache(maxsize=None)
def vocabulary(name: str) -> dict[str, object]:
    """The entries of a vocabulary: surface -> value (the value is the surface itself for a
    plain list). A vocabulary is a list, a mapping, or `{file: x.csv, column: c[, value: v]
    [, split: '|']}` to read a column of a data file."""
    spec = _vocab_specs().get(name)
    if spec is None:
        raise RuleError(f"unknown vocabulary {{{name}}}")
    if isinstance(spec, list):
        return {str(s): str(s) for s in spec}
    if isinstance(spec, dict) and "words" in spec:  # {order: as written, words: [...]}
        return {str(w): str(w) for w in spec["words"]}
    if isinstance(spec, dict) and "file" in spec:
        out: dict[str, object] = {}
        for row in read(spec["file"]):
            surfaces = row[spec["column"]]
            for s in (surfaces.split(spec["split"]) if spec.get("split") else [surfaces]):
                s = " ".join(s.split())
                if s:
                    out.setdefault(s, row[spec["value"]] if spec.get("value") else s)
        return out
    if isinstance(spec, dict):
        return {str(k): v for k, v in spec.items()}
    raise RuleError(f"vocabulary {name}: a list, a mapping or a file column")


def alternation(surfaces, as_written: bool = False) -> str:
    """One RE2 alternation of literal strings, longest first (RE2 takes the first
    alternative that matches), or in the order given; a space matches any run of
    whitespace."""
    alts = [" ".join(s.split()) for s in surfaces if s.strip()]
    alts = list(dict.fromkeys(alts)) if as_written else sorted(set(alts), key=lambda s: (-len(s), s))
    return "(?:" + "|".join(r"\s+".join(re2.escape(w) for w in s.split(" ")) for s in alts) + ")"


def full_names(name: str) -> list[str]:
    """The longest surface of each value of a mapping vocabulary, in its order: the months'
    full names ("September", not "Sept")."""
    vocab = vocabulary(name)
    longest: dict = {}
    for surface, value in vocab.items():
        if len(surface) > len(longest.get(value, "")):
            longest[value] = surface
    return list(longest.values())


def vocabulary_pattern(name: str) -> str:
    """The alternation of a vocabulary: longest first, or as written where the vocabulary
    says `order: as written` (a word list that patterns try in its order, as a speech verb
    before a longer phrase that starts with it)."""
    spec = _vocab_specs().get(name)
    as_written = isinstance(spec, dict) and spec.get("order") == "as written"
    return alternation(vocabulary(name), as_written)


def expand(pattern: str, vocab: dict | None = None) -> str:
    """The pattern with every `{name}` replaced by its vocabulary's alternation, and `\\s`
    (and `\\S`) made to mean what it means in Python (any Unicode space: no-break and thin
    spaces too; RE2's `\\s` is ASCII)."""
    return _unicode_spaces(_fill(pattern, vocab))


def _fill(pattern: str, vocab: dict | None, depth: int = 0) -> str:
    """The pattern with each `{name}` replaced (a macro may name vocabularies or other macros)."""
    if depth > 8:
        raise RuleError(f"placeholders nested too deep in {pattern[:60]!r}")

    def sub(m):
        name = m.group(1)
        if vocab and name in vocab:
            return _fill(vocab[name], vocab, depth + 1)
        return vocabulary_pattern(name)
    return _PLACEHOLDER.sub(sub, pattern)


_SPACE_CLASS = r"\s\pZ\x{85}"


def _rewrite_escapes(pattern: str, replace, plain=None) -> str:
    """The pattern with each two-character escape (`\\s`, `\\b` ...) replaced by
    replace(escape, inside_a_class), or kept when that gives None, and each other character
    outside a class by plain(character) when given; character classes are tracked (a `]`
    or `^]` that opens a class is a literal)."""
    out, i, in_class, n = [], 0, False, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            pair = pattern[i:i + 2]
            new = replace(pair, in_class)
            out.append(pair if new is None else new)
            i += 2
            continue
        if ch == "[" and not in_class:
            in_class = True
            out.append(ch)
            if pattern[i + 1:i + 2] == "^":
                out.append("^")
                i += 1
            if pattern[i + 1:i + 2] == "]":  # a literal ] first in a class
                out.append("]")
                i += 1
        elif ch == "]" and in_class:
            in_class = False
            out.append(ch)
        else:
            new = None if in_class or plain is None else plain(ch)
            out.append(ch if new is None else new)
        i += 1
    return "".join(out)


def _unicode_spaces(pattern: str) -> str:
    def space(pair: str, in_class: bool) -> str | None:
        if pair == r"\s":
            return _SPACE_CLASS if in_class else "[" + _SPACE_CLASS + "]"
        if pair == r"\S":
            if in_class:
                raise RuleError(r"\S inside a character class: write the class without it")
            return "[^" + _SPACE_CLASS + "]"
        return None
    return _rewrite_escapes(pattern, space)


_ASCII_CLASSES = {r"\w": "0-9A-Za-z_", r"\d": "0-9"}


def _ascii(pair: str, in_class: bool) -> str | None:
    if pair in _ASCII_CLASSES:
        return _ASCII_CLASSES[pair] if in_class else "[" + _ASCII_CLASSES[pair] + "]"
    if pair == r"\b" and not in_class:
        return r"(?-u:\b)"
    return None


def for_polars(pattern: str) -> str:
    """An RE2 pattern as polars (Rust's regex crate) reads it with RE2's meaning: `\\b`,
    `\\w` and `\\d` ASCII as in RE2 (Unicode ones also make the compiled automaton of a
    long union exceed the crate's size limit)."""
    return _rewrite_escapes(pattern, _ascii)


_ASSERTIONS = {r"\b", r"\B", r"\A", r"\z"}


def _drop_assertions(pattern: str) -> str:
    """The pattern without its anchors and word edges (`^`, `$`, `\\b`, `\\B`, `\\A`, `\\z`):
    what it matches anywhere in a text, it matches in any part of that text read alone (a
    line, the head), and more (an assertion only ever takes matches away)."""
    return _rewrite_escapes(pattern, lambda pair, in_class: "" if not in_class and pair in _ASSERTIONS else None,
                            lambda ch: "" if ch in "^$" else None)


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def unicode_edges(text: str, s: int, e: int) -> bool:
    """Whether a match keeps Python's word boundaries at its edges. RE2's `\\b` knows only
    ASCII letters, so "Mar" matches in "María"; a match whose first (last) character is a
    letter next to a non-ASCII letter is no match at a word boundary."""
    if s > 0 and s < len(text) and not text[s - 1].isascii() and _word(text[s - 1]) and _word(text[s]):
        return False
    if e < len(text) and e > 0 and not text[e].isascii() and _word(text[e]) and _word(text[e - 1]):
        return False
    return True


def compile_pattern(pattern: str, flags: str = "", vocab: dict | None = None) -> re2._Regexp:
    source = expand(pattern, vocab)
    if "i" in flags:
        source = "(?i:" + source + ")"
    try:
        return re2.compile(source, _OPTIONS)
    except re2.error as exc:
        raise RuleError(f"{pattern!r}: {exc}") from None


# ---------------------------------------------------------------- rules

class Hit:
    """One match of a rule: its span in the document and its named groups' spans (read
    from what RE2 gave only when asked)."""

    __slots__ = ("rule", "start", "end", "text", "_spans", "_raw", "_base", "_gi")

    def __init__(self, rule: "Rule", start: int, end: int, spans: dict | None, text: str,
                 raw: tuple | None = None, base: int = 0, gi: dict | None = None) -> None:
        self.rule, self.start, self.end, self.text = rule, start, end, text
        self._spans, self._raw, self._base = spans, raw, base
        self._gi = rule.groupindex if gi is None else gi  # where RE2's spans keep each group

    @property
    def spans(self) -> dict:
        """group name -> (start, end), for the groups that took part."""
        if self._spans is None:
            out = {}
            for name, idx in self._gi.items():
                gs, ge = self._raw[idx]
                if gs >= 0:
                    out[name] = (gs + self._base, ge + self._base)
            self._spans = out
        return self._spans

    def group(self, name: str | None = None) -> str | None:
        if name is None:
            return self.text[self.start:self.end]
        span = self.span(name)
        return None if span is None else self.text[span[0]:span[1]]

    def span(self, name: str) -> tuple[int, int] | None:
        if self._spans is None:
            idx = self._gi.get(name)
            if idx is None:
                return None
            gs, ge = self._raw[idx]
            return None if gs < 0 else (gs + self._base, ge + self._base)
        return self._spans.get(name)


@dataclass
class Rule:
    id: str
    pattern: str | None = None
    patterns: list | None = None  # instead of one pattern: alternatives, each with guards of its own
    flags: str = ""
    yields: dict = field(default_factory=dict)
    examples: list = field(default_factory=list)
    counter_examples: list = field(default_factory=list)
    description: str = ""
    window: int = 40  # characters before the match that preceded_by guards read
    window_after: int = 60
    preceded_by: str | None = None
    not_preceded_by: str | None = None
    followed_by: str | None = None
    not_followed_by: str | None = None
    reject_group: dict | None = None  # group -> pattern: a match whose group starts so is no match
    # group -> pattern: a match is no match when a word of the group (a parenthesis aside)
    # starts so, as a look-ahead before each word of a repetition would say
    reject_words: dict | None = None
    max_words: dict | None = None  # group -> n: a match is no match when the group has more words
    # anchor: start (the match begins the text read), end (it ends it) or whole (it is all of it)
    anchor: str | None = None
    reads: str | None = None  # the window an extractor reads it in (see RuleFile.reader)
    resume: str = "next"  # after a match whose guards fail: "next" character, or its "end" (none starts inside)
    # a simpler pattern that every text the rule matches holds, for the vectorised prefilter
    # (polars reads a long bounded repeat slowly): "signed\s+with" for "the agreement ... we signed with"
    prefilter: str | None = None
    vocab: dict | None = field(default=None, repr=False)  # vocabularies the code supplies: name -> alternation

    def __post_init__(self) -> None:
        self._nowhere: _Nowhere | None = None
        self._batch_source: str | None = None
        self.parts: list[Rule] = []
        if self.patterns:
            # alternatives: each its own matcher (and guards); together they match as one
            # alternation does, leftmost first, the earlier alternative where two start together
            for p in self.patterns:
                p = {"pattern": p} if isinstance(p, str) else dict(p)
                p.setdefault("flags", self.flags)
                self.parts.append(Rule(id=self.id, yields=self.yields, vocab=self.vocab, **p))
            self.pattern = "|".join(f"(?:{p.pattern})" for p in self.parts)
        if self.pattern is None:
            raise RuleError(f"rule {self.id}: no pattern")
        if self.anchor not in (None, "start", "end", "whole"):
            raise RuleError(f"rule {self.id}: anchor is start, end or whole, not {self.anchor!r}")
        # the source (for sets over a window) anchors with ^; the regex, read at a position
        # of a longer text, anchors there instead (RE2's ^ is only the text's start)
        anchored = {None: "{}", "start": "^(?:{})", "end": "(?:{})$", "whole": "^(?:{})$"}[self.anchor]
        at_pos = {None: "{}", "start": "(?:{})", "end": "(?:{})$", "whole": "(?:{})$"}[self.anchor]
        # RE2's \b knows ASCII only: a rule that uses it has its edges read as Python reads them
        self._edges = "\\b" in self.pattern
        self.source = anchored.format(expand(self.pattern, self.vocab)) if not self.parts else anchored.format(
            "|".join(("(?i:" + p.source + ")") if "i" in p.flags else "(?:" + p.source + ")" for p in self.parts))
        if self.parts:
            # the parts match; their union finds where one may start (scan), and serves the
            # file's set and prefilter
            self.regex, self.groupindex, self._before, self._after, self._reject = None, {}, {}, {}, {}
            self._reject_words = {}
            self.guarded = True
            # in the union, part i's group g is named g__i (two parts may name the same
            # group); a match of the union is read with the names of the part that matched
            def own(i: int, source: str) -> str:
                return _NAMED.sub(lambda m: f"(?P<{m.group(1)}__{i}>", source)
            self._union = re2.compile("|".join(
                f"(?P<_alt{i}>" + own(i, ("(?i:" + p.source + ")") if "i" in p.flags else p.source) + ")"
                for i, p in enumerate(self.parts)), _OPTIONS)
            union_index = self._union.groupindex  # (a property that builds a dict each time)
            self._alts = [union_index[f"_alt{i}"] for i in range(len(self.parts))]
            self._alt_gi = [{g: union_index[f"{g}__{i}"] for g in p.groupindex} for i, p in enumerate(self.parts)]
            return
        self.regex = compile_pattern(at_pos.format(self.pattern), self.flags, self.vocab)
        self.groupindex = self.regex.groupindex
        # a guard before the match must end where it starts; one after must start where it ends
        self._before = {k: compile_pattern(f"(?:{p})$", self.flags, self.vocab) for k, p in
                        (("pos", self.preceded_by), ("neg", self.not_preceded_by)) if p}
        self._after = {k: compile_pattern(p, self.flags, self.vocab) for k, p in
                       (("pos", self.followed_by), ("neg", self.not_followed_by)) if p}
        self._reject = {g: compile_pattern(p, self.flags, self.vocab) for g, p in (self.reject_group or {}).items()}
        self._reject_words = {g: Rule(id=f"{self.id}:{g}", pattern=p, flags=self.flags, vocab=self.vocab)
                              for g, p in (self.reject_words or {}).items()}
        for g in self.max_words or {}:
            self._reject_words.setdefault(g, None)
        # whether a match is more than its pattern: guards to read before it is one
        self.guarded = bool(self._before or self._after or self._reject or self._reject_words)
        # a guard that reads a window of a few characters ("not after a letter") is read once
        # per distinct window: its answers are kept (at most _MEMO_MAX windows a rule)
        self._memo_before: dict | None = {} if self._before and self.window <= _MEMO_WINDOW else None
        self._memo_after: dict | None = {} if self._after and self.window_after <= _MEMO_WINDOW else None

    def guards_pass(self, text: str, s: int, e: int, lo: int = 0, hi: int | None = None) -> bool:
        """The look-arounds of the rule, read in [lo, hi) (a sentence, or the whole text)."""
        if self._edges and not unicode_edges(text, s, e):
            return False
        if self._before and not _side_passes(self._before, self._memo_before,
                                             text[max(lo, s - self.window):s], _UNANCHORED):
            return False
        if self._after and not _side_passes(self._after, self._memo_after,
                                            text[e:min(len(text) if hi is None else hi, e + self.window_after)],
                                            _ANCHOR_START):
            return False
        return True

    def prefilter_source(self, unbounded: bool = False) -> str:
        """The rule's pattern as a group of its own, its flags kept: what a text it can
        match holds (a prefilter ignores guards)."""
        # a prefilter reads no groups: names go, so parts may share one ("head")
        if self.parts:
            return "(?:" + "|".join(p.prefilter_source(unbounded) for p in self.parts) + ")"
        if self.prefilter:
            source = expand(self.prefilter, self.vocab)
        elif self.preceded_by and self.preceded_by.endswith("$") and not self.preceded_by.endswith("\\$") \
                and "^" not in self.preceded_by and not self.anchor:
            # what must stand before the match stands right before it: "Joint Commission", not
            # every "Commission" (a superset still: the guard reads a window no longer than this)
            source = "(?:" + expand(self.preceded_by[:-1], self.vocab) + ")" + self.source
        else:
            source = self.source
        source = _GROUP_NAME.sub("(?:", source)
        if unbounded:
            # a long bounded repeat ("[^.;]{0,80}?") loses its bound: what it lets through is
            # a superset, and an automaton over many rules does not count to 80 in its states
            source = _LONG_REPEAT.sub(r"{\1,}\3", source)
        return ("(?i:" + source + ")") if "i" in self.flags else "(?:" + source + ")"

    def within(self, absent: frozenset) -> "Rule | _Nowhere":
        """The rule as a document reads it: itself, or, when the batch prefilter found it
        nowhere in the document (`absent`), a rule that finds nothing in any part of it."""
        if self.id not in absent:
            return self
        if self._nowhere is None:
            self._nowhere = _Nowhere(self.id)
        return self._nowhere

    def batch_source(self) -> str:
        """The prefilter without anchors and word edges, in polars' dialect (see `absent`),
        made once: every batch reads it."""
        if self._batch_source is None:
            self._batch_source = for_polars(_drop_assertions(self.prefilter_source(unbounded=True)))
        return self._batch_source

    def finditer(self, text: str, start: int = 0, end: int | None = None, seg: str | None = None,
                 lo: int | None = None, hi: int | None = None) -> Iterator[Hit]:
        """Matches in text[start:end] whose guards pass, left to right, not overlapping.
        A match whose guard fails is tried again one character on, as a look-around would.
        Guards read within [lo, hi) (default: the whole text)."""
        end = len(text) if end is None else end
        lo = 0 if lo is None else lo
        hi = end if hi is None else hi
        if self.parts:
            # one scan of the parts' union finds where a part may match; there the parts are
            # read in turn, as an alternation is
            for found in self._alternatives(text, start, end, lo=lo, hi=hi):
                yield Hit(self, found.start(), found.end(), None, text, found.spans, found.base, found.gi)
            return
        # one character of context before the span, so that ^ and \b at its start read
        # the text as Python's finditer(text, pos) does; no match starts in it
        base = start - 1 if start > 0 else 0
        seg = text[base:end]
        scan = _Scanner(self.regex, seg)
        pos, n = start - base, len(seg)
        while pos <= n:
            spans = scan.first(pos, _UNANCHORED)
            if spans is None:
                return
            ms, me = spans[0]
            s, e = ms + base, me + base
            if not self._found_passes(text, Found(text, base, spans, self.groupindex), hi, lo):
                pos = ms + 1
                continue
            yield Hit(self, s, e, None, text, spans, base)
            pos = me if me > ms else me + 1

    def search(self, text: str, start: int = 0, end: int | None = None, **kw) -> Hit | None:
        if self.anchor in ("start", "whole"):  # it is read where a window starts
            return self.match(text, start, end)
        return next(self.finditer(text, start, end, **kw), None)

    def match(self, text: str, pos: int = 0, end: int | None = None) -> Hit | None:
        """The match that starts exactly at pos, when its guards pass."""
        end = len(text) if end is None else end
        if self.parts:
            return next((h for p in self.parts if (h := p.match(text, pos, end)) is not None), None)
        base = pos - 1 if pos > 0 else 0
        seg = text[base:end]
        spans = _Scanner(self.regex, seg).first(pos - base, _ANCHOR_START)
        if spans is None:
            return None
        s, e = base + spans[0][0], base + spans[0][1]
        if not self._found_passes(text, Found(text, base, spans, self.groupindex)):
            return None
        return Hit(self, s, e, None, text, spans, base)

    def _word_rejected(self, text: str, found: "Found") -> bool:
        """Whether a word of a group starts as reject_words says, or the group has more
        words than max_words allows (words: runs between spaces; a parenthesis is one)."""
        for g, rule in self._reject_words.items():
            limit = (self.max_words or {}).get(g)
            i, ge = found.span(g)
            n = 0
            while 0 <= i < ge:
                n += 1
                if text[i] == "(":  # a parenthesis is one word, read as a whole
                    j = text.find(")", i, ge)
                    i = j + 1 if j >= 0 else ge
                else:
                    if rule is not None and rule.at(text, i, i + 40) is not None:
                        return True
                    while i < ge and not text[i].isspace():
                        i += 1
                while i < ge and text[i].isspace():
                    i += 1
            if limit is not None and n > limit:
                return True
        return False

    def at(self, text: str, pos: int = 0, end: int | None = None) -> "Found | None":
        """The match that starts exactly at pos and ends by `end`, guards read: as Python's
        `pattern.match(text, pos, end)`, at the cost of one RE2 call on text[pos-1:end]."""
        end = len(text) if end is None else min(end, len(text))
        if self.parts:
            return next(self._alternatives(text, pos, end, anchored=True), None)
        base = pos - 1 if pos > 0 else 0
        seg = text[base:end]
        if seg.isascii():  # most windows: byte and character offsets agree, one call into RE2
            raw = seg.encode("ascii")
            spans = self.regex._regexp.Match(_ANCHOR_START, raw, pos - base, len(raw))
            if spans[0] == _NULL:
                return None
        else:
            spans = _Scanner(self.regex, seg).first(pos - base, _ANCHOR_START)
            if spans is None:
                return None
        found = Found(text, base, spans, self.groupindex)
        if not self._found_passes(text, found):
            return None
        return found

    def find(self, text: str, start: int = 0, end: int | None = None) -> "Found | None":
        """The first match in text[start:end] whose guards pass (Python's `search`); for a
        rule anchored at the start, the match at `start` (Python's `match`)."""
        if self.parts or self.anchor in ("start", "whole") or self.guarded:
            return next(self.scan(text, start, end), None)
        end = len(text) if end is None else min(end, len(text))
        base = start - 1 if start > 0 else 0
        seg = text[base:end]
        if seg.isascii():  # no guard to read: the first match is the answer, unless its edges are no word edges
            raw = seg.encode("ascii")
            spans = self.regex._regexp.Match(_UNANCHORED, raw, start - base, len(raw))
            if spans[0] == _NULL:
                return None
            found = Found(text, base, spans, self.groupindex)
            if not self._edges or unicode_edges(text, found.start(), found.end()):
                return found
        return next(self.scan(text, start, end), None)

    def scan(self, text: str, start: int = 0, end: int | None = None) -> Iterator["Found"]:
        """Matches in text[start:end], left to right, not overlapping, as Python's finditer
        reads an alternation: where the part that matches first fails its guards, the later
        parts are tried at the same place, then the scan goes on one character further (or,
        with `resume: end`, after that part's match). A guard after a match reads no
        further than `end` (as Python's endpos); `at` reads its guards in the whole text."""
        end = len(text) if end is None else min(end, len(text))
        if self.anchor in ("start", "whole"):  # read where the window starts, nowhere else
            found = self.at(text, start, end)
            if found is not None:
                yield found
            return
        if self.parts:
            yield from self._alternatives(text, start, end)
            return
        base = start - 1 if start > 0 else 0
        seg = text[base:end]
        scan = _Scanner(self.regex, seg)
        pos, n = start - base, len(seg)
        gi = self.groupindex
        while pos <= n:
            spans = scan.first(pos, _UNANCHORED)
            if spans is None:
                return
            ms, me = spans[0]
            found = Found(text, base, spans, gi)
            if self._found_passes(text, found, end):
                yield found
                pos = me if me > ms else me + 1
            else:
                pos = me if self.resume == "end" and me > ms else ms + 1

    def raw_scan(self, text: str, start: int = 0, end: int | None = None) -> tuple[int, Iterator[tuple]]:
        """(base, matches): the matches of `scan`, for a rule with no guard, word edge,
        alternatives or anchor, as RE2's tuples of group spans, each offset by base (no
        object made per match: for scans of very many matches, as the stops of a text)."""
        if self.guarded or self._edges or self.parts or self.anchor:
            raise RuleError(f"{self.id}: raw_scan reads no guards, edges, parts or anchor")
        end = len(text) if end is None else min(end, len(text))
        base = start - 1 if start > 0 else 0
        return base, self._raw(text[base:end], start - base)

    def _raw(self, seg: str, pos: int) -> Iterator[tuple]:
        scan = _Scanner(self.regex, seg)
        n = len(seg)
        if scan.ascii:  # byte and character offsets agree: RE2's own call, nothing between
            match, raw = scan.match, scan.raw
            while pos <= n:
                spans = match(_UNANCHORED, raw, pos, n)
                ms, me = spans[0]
                if ms < 0:
                    return
                yield spans
                pos = me if me > ms else me + 1
            return
        while pos <= n:
            spans = scan.first(pos, _UNANCHORED)
            if spans is None:
                return
            yield spans
            ms, me = spans[0]
            pos = me if me > ms else me + 1

    def split(self, text: str) -> list[str]:
        """The pieces of text between matches (Python's `split` of a pattern with no groups)."""
        out, pos = [], 0
        for m in self.scan(text):
            out.append(text[pos:m.start()])
            pos = m.end()
        out.append(text[pos:])
        return out

    def sub(self, repl: str, text: str) -> str:
        """The text with every match replaced by repl (Python's `sub` with a plain string)."""
        out, pos = [], 0
        for m in self.scan(text):
            out.append(text[pos:m.start()])
            out.append(repl)
            pos = m.end()
        out.append(text[pos:])
        return "".join(out)

    def _alternatives(self, text: str, start: int, end: int, anchored: bool = False,
                      lo: int = 0, hi: int | None = None) -> Iterator["Found"]:
        """scan (or, anchored, at) for a rule of alternatives; guards read within [lo, hi)
        (default: before the match, the whole text; after it, up to `end`, or the whole
        text when anchored)."""
        if hi is None:
            hi = None if anchored else end
        base = start - 1 if start > 0 else 0
        seg = text[base:end]
        scan = _Scanner(self._union, seg)
        others: dict = {}
        pos, n = start - base, len(seg)
        while pos <= n:
            spans = scan.first(pos, _ANCHOR_START if anchored else _UNANCHORED)
            if spans is None:
                return
            ms, me = spans[0]
            k = 0
            for g in self._alts:
                if spans[g][0] >= 0:
                    break
                k += 1
            found = Found(text, base, spans, self._alt_gi[k])  # part k's own match there
            if not self.parts[k]._found_passes(text, found, hi, lo):
                found = None
            for j in range(k + 1, len(self.parts)) if found is None else ():
                other = self.parts[j]  # a later part, at the same place
                if j not in others:
                    others[j] = _Scanner(other.regex, seg)
                sp = others[j].first(ms, _ANCHOR_START)
                if sp is not None:
                    cand = Found(text, base, sp, other.groupindex)
                    if other._found_passes(text, cand, hi, lo):
                        found, me = cand, sp[0][1]
                        break
            if found is None:
                if anchored:
                    return
                pos = me if self.parts[k].resume == "end" and me > ms else ms + 1
                continue
            yield found
            if anchored:
                return
            pos = me if me > ms else me + 1

    def _found_passes(self, text: str, found: "Found", hi: int | None = None, lo: int = 0) -> bool:
        """Whether a match keeps to the rule's guards, read in [lo, hi) (hi: the whole text)."""
        ms, me = found.spans[0]
        s, e = ms + found.base, me + found.base
        if not self.guarded:
            return not self._edges or unicode_edges(text, s, e)
        if not self.guards_pass(text, s, e, lo, hi):
            return False
        if self._reject:
            stop = len(text) if hi is None else hi
            for g, regex in self._reject.items():
                gs = found.start(g)
                if gs >= 0 and regex.match(text[gs:min(gs + 60, stop)]) is not None:
                    return False
        if self._reject_words and self._word_rejected(text, found):
            return False
        return True


class Found:
    """A match as `Rule.at`, `find` and `scan` give it: its spans kept as RE2 gives them,
    read on demand (what the hot paths of an extractor need, no more)."""

    __slots__ = ("text", "base", "spans", "gi")

    def __init__(self, text: str, base: int, spans: tuple, groupindex) -> None:
        self.text, self.base, self.spans, self.gi = text, base, spans, groupindex

    def _span(self, group) -> tuple:
        if not group:  # None or 0: the whole match
            return self.spans[0]
        i = self.gi.get(group, -1) if group.__class__ is str else group
        return self.spans[i] if i >= 0 else _NULL

    def start(self, group=None) -> int:
        s = (self.spans[0] if not group else self._span(group))[0]
        return s + self.base if s >= 0 else -1

    def end(self, group=None) -> int:
        e = (self.spans[0] if not group else self._span(group))[1]
        return e + self.base if e >= 0 else -1

    def span(self, group=None) -> tuple[int, int]:
        s, e = self.spans[0] if not group else self._span(group)
        return (s + self.base, e + self.base) if s >= 0 else _NULL

    @property
    def string(self) -> str:
        """The text the match was read in (as a Python match's `string`)."""
        return self.text

    def group(self, group=None) -> str | None:
        s, e = self.spans[0] if not group else self._span(group)
        return None if s < 0 else self.text[s + self.base:e + self.base]


_UNANCHORED = re2._Anchor.UNANCHORED
_MEMO_WINDOW = 3  # guard windows of up to this many characters are read once each
_MEMO_MAX = 50_000
_GROUP_NAME = _pyre.compile(r"\(\?P<\w+>")  # compiling only, never on text
_LONG_REPEAT = _pyre.compile(r"(?<!\\)\{(\d+),(\d{2,})\}(\??)")  # {0,80}, {1,14}: compiling only
_ANCHOR_START = re2._Anchor.ANCHOR_START
_NULL = (-1, -1)


def _side_passes(guards: dict, memo: dict | None, window: str, anchor) -> bool:
    """Whether the window on one side of a match keeps to that side's guards ("pos" must
    match, "neg" must not), read once per window when the rule keeps a memo of them."""
    ok = None if memo is None else memo.get(window)
    if ok is None:
        ok = not ("pos" in guards and not _matches(guards["pos"], window, anchor)
                  or "neg" in guards and _matches(guards["neg"], window, anchor))
        if memo is not None and len(memo) < _MEMO_MAX:
            memo[window] = ok
    return ok


def _matches(regex, s: str, anchor) -> bool:
    """Whether a compiled pattern matches s (anchored at its start, or anywhere): one call
    into RE2, without the binding's per-call work of building a match object."""
    raw = s.encode("utf-8")
    return regex._regexp.Match(anchor, raw, 0, len(raw))[0] != _NULL


class _Scanner:
    """Matches of one compiled pattern in one string, as spans of str offsets. The string is
    encoded once; ASCII text (most news text) has the same byte and character offsets, and
    for other text a cursor converts between them, moving only as far as the next offset
    asked for, so a scan costs in proportion to the text, not to matches times text."""

    __slots__ = ("match", "seg", "raw", "n", "ascii", "cc", "cb")

    def __init__(self, regex, seg: str) -> None:
        self.seg = seg
        self.match = regex._regexp.Match  # RE2's own call, looked up once a scan
        self.ascii = seg.isascii()
        self.raw = seg.encode("ascii" if self.ascii else "utf-8")
        self.n = len(self.raw)
        self.cc = self.cb = 0  # the cursor: a character offset and its byte offset

    def _to_byte(self, c: int) -> int:
        if c >= self.cc:
            self.cb += len(self.seg[self.cc:c].encode("utf-8"))
        else:
            self.cb -= len(self.seg[c:self.cc].encode("utf-8"))
        self.cc = c
        return self.cb

    def _to_char(self, b: int) -> int:
        if b >= self.cb:
            self.cc += len(self.raw[self.cb:b].decode("utf-8"))
        else:
            self.cc -= len(self.raw[b:self.cb].decode("utf-8"))
        self.cb = b
        return self.cc

    def first(self, pos: int, anchor) -> tuple | None:
        if self.ascii:
            spans = self.match(anchor, self.raw, pos, self.n)
            return None if spans[0] == _NULL else spans
        spans = self.match(anchor, self.raw, self._to_byte(pos), self.n)
        if spans[0] == _NULL:
            return None
        conv = {-1: -1}
        for b in sorted({x for span in spans for x in span if x >= 0}):
            conv[b] = self._to_char(b)
        return tuple((conv[s], conv[e]) for s, e in spans)


class RuleFile:
    """The rules of one extractor, in the order the file gives them (earlier rules win
    where the extractor keeps one of several overlapping matches)."""

    def __init__(self, name: str, spec: dict, vocab: dict | None = None) -> None:
        # macros: named pieces of pattern the file's rules share, written once at its head
        if spec.get("macros"):
            vocab = {**(vocab or {}), **spec["macros"]}
        self.name = name
        self.extractor = spec.get("extractor", name)
        self.table = spec.get("table")  # the warehouse table its rules make rows of, if any
        self.description = spec.get("description", "")
        self.rules: list[Rule] = []
        seen = set()
        for r in spec.get("rules") or []:
            if r["id"] in seen:
                raise RuleError(f"{name}: rule {r['id']} twice")
            seen.add(r["id"])
            try:
                self.rules.append(Rule(vocab=vocab, **{k: v for k, v in r.items() if k in Rule.__dataclass_fields__}))
            except RuleError as exc:
                raise RuleError(f"{name}: rule {r['id']}: {exc}") from None
        self.by_id = {r.id: r for r in self.rules}
        self._readers: dict = {}
        # named patterns the extractor reads around a match, beside the rules ("deadline")
        self.contexts = {k: compile_pattern(v, "", vocab) for k, v in (spec.get("contexts") or {}).items()}
        # one RE2 set of every rule's prefilter: which rules can match a sentence, in one scan
        # (a rule's own simpler prefilter keeps the set's automaton small)
        self._set = re2.Set.SearchSet(_OPTIONS)
        for r in self.rules:
            self._set.Add(r.prefilter_source(unbounded=True))
        if self.rules:
            self._set.Compile()

    def __getitem__(self, rule_id: str) -> Rule:
        return self.by_id[rule_id]

    def pick(self, *ids: str) -> list[Rule]:
        """The rules of these ids, in turn: `a, b = rules.pick("quote.verb", "quote.cue")`."""
        return [self.by_id[i] for i in ids]

    def reader(self, reads: str) -> "Reader":
        """The rules that read the window `reads` (a rule's `reads:`), as one RE2 set."""
        if reads not in self._readers:
            self._readers[reads] = Reader([r for r in self.rules if r.reads == reads])
        return self._readers[reads]

    def __iter__(self):
        return iter(self.rules)

    def candidates(self, seg: str) -> list[Rule]:
        """The rules whose patterns match somewhere in seg (guards not yet read), in file order."""
        if not self.rules:
            return []
        hit = self._set.Match(seg)
        return [self.rules[i] for i in sorted(hit)] if hit else []

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Hit]:
        """Every match of every rule in text[start:end], rule by rule in file order (the
        extractor decides which overlapping ones it keeps). As with Python's `finditer(text,
        pos, endpos)`, a guard after a match reads no further than `end`; one before it may
        read before `start`."""
        end = len(text) if end is None else end
        seg = text[start:end]
        for rule in self.candidates(seg):
            yield from rule.finditer(text, start, end, seg=seg, hi=end)

    def context(self, name: str, text: str, start: int, end: int) -> bool:
        """Whether the named context pattern matches text[start:end] (ending at its end,
        when the pattern says `$`)."""
        return self.contexts[name].search(text[start:end]) is not None

    def prefilter(self) -> str:
        """One pattern that any text a rule can match holds (the union of all patterns),
        for a vectorised pass over whole batches (`for_polars` makes it polars' dialect)."""
        return "|".join(r.prefilter_source() for r in self.rules)


class Reader:
    """Rules an extractor reads together in one window of text (the text just before a
    number, or just after it): one RE2 set, one pass over the window, which tells every
    rule that matches. An anchor says where a rule sits in the window. A rule with guards
    (or alternatives with guards of their own) is told with its guards unread: it may
    match, and the extractor then reads it with `at` or `find`; a window where it is not
    told is one where it cannot match."""

    def __init__(self, rules: list[Rule]) -> None:
        self.ids = [r.id for r in rules]
        self._set = re2.Set.SearchSet(_OPTIONS)
        for r in rules:
            self._set.Add(("(?i:" + r.source + ")") if "i" in r.flags and not r.parts else r.source)
        if rules:
            self._set.Compile()
            self._match = self._set._set.Match

    def __call__(self, window: str) -> set[str]:
        """The ids of the rules that match the window."""
        if not self.ids:
            return set()
        hit = self._match(window.encode("utf-8"))  # the set itself, not its wrapper's per-call work
        if not hit:
            return set()
        ids = self.ids
        return {ids[i] for i in hit}


class _Nowhere:
    """A rule found nowhere in a document (`Rule.within`): every reading of it finds nothing."""

    __slots__ = ("id",)

    def __init__(self, rule_id: str) -> None:
        self.id = rule_id

    def search(self, *args, **kw) -> None:
        return None

    match = at = find = search

    def finditer(self, *args, **kw) -> Iterator:
        return iter(())

    scan = finditer


def absent(rules: list[Rule], texts) -> list[frozenset[str]]:
    """For each text of a batch (a list or a polars Series), the ids of the given rules that
    can match nowhere in it, in one vectorised polars pass per rule over the whole batch.
    The pass reads what the rule's prefilter holds (its guards unread), without its anchors
    and word edges: a rule absent from a text matches in no part of it either (a line, the
    head, a sentence), read from any position. A rule polars cannot compile is never absent."""
    import polars as pl
    series = texts if isinstance(texts, pl.Series) else pl.Series(texts, dtype=pl.Utf8)
    series = series.fill_null("")
    out: list[set] = [set() for _ in range(len(series))]
    for rule in rules:
        try:
            hit = series.str.contains(rule.batch_source())
        except Exception:  # (polars' ComputeError: a pattern over its size limit) read as usual
            continue
        for i in (~hit).arg_true().to_list():
            out[i].add(rule.id)
    return [frozenset(a) for a in out]


class _StrictLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key written twice in one mapping: YAML lets the last
    one win silently, and in a rule file that drops a guard or a whole rule's pattern."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise RuleError(f"{key_node.start_mark.name}, line {key_node.start_mark.line + 1}: "
                                f"{key!r} written twice in one mapping")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@lru_cache(maxsize=None)
def spec(name: str) -> dict:
    with open(RULES / f"{name}.yaml", encoding="utf-8") as f:
        return yaml.load(f, Loader=_StrictLoader)


@lru_cache(maxsize=None)
def load(name: str) -> RuleFile:
    """transforms/rules/<name>.yaml, compiled once. A file whose patterns use vocabularies
    that code computes (`vocab_from_code` in the file) is compiled by `load_with`."""
    return RuleFile(name, spec(name), _code_vocab(name))


_CODE_VOCAB: dict = {}


def provide(name: str, builder) -> None:
    """Register the function that computes the code-made vocabularies of rule file `name`
    (a dict: vocabulary name -> list of surfaces)."""
    _CODE_VOCAB[name] = builder


def _code_vocab(name: str) -> dict | None:
    needs = spec(name).get("vocab_from_code")
    if not needs:
        return None
    if name not in _CODE_VOCAB:
        import importlib
        importlib.import_module(needs["module"])  # the module registers its builder
    built = _CODE_VOCAB[name]()
    return {k: alternation(v) for k, v in built.items()}


def rule_files() -> list[str]:
    return sorted(p.stem for p in RULES.glob("*.yaml"))


def all_rules() -> dict[str, tuple[str, Rule]]:
    """Every rule of every file: id -> (file, rule)."""
    return {r.id: (name, r) for name in rule_files() for r in load(name)}


def check_examples(rule: Rule) -> list[str]:
    """What contradicts a rule's examples: each example must match (its first match giving
    `match`, whitespace trimmed, and the `groups` it lists), no counter-example may."""
    problems = []
    if not rule.examples:
        problems.append("no example")
    for ex in rule.examples:
        ex = {"text": ex} if isinstance(ex, str) else ex
        hit = rule.search(ex["text"])
        if hit is None:
            problems.append(f"example {ex['text']!r}: no match")
            continue
        if "match" in ex and hit.group().strip() != ex["match"]:
            problems.append(f"example {ex['text']!r}: matched {hit.group()!r}, not {ex['match']!r}")
        for g, want in (ex.get("groups") or {}).items():
            if hit.group(g) != str(want):
                problems.append(f"example {ex['text']!r}: group {g} is {hit.group(g)!r}, not {want!r}")
    for text in rule.counter_examples:
        hit = rule.search(text)
        if hit is not None:
            problems.append(f"counter-example {text!r} matched {hit.group()!r}")
    return problems


def catalog() -> list[dict]:
    """Every rule, one row each, as the warehouse's `rules` table keeps it: the rules of the
    rule files (with their file and pattern), then those of transforms/data/rules.csv that
    no rule file holds yet."""
    rows, seen = [], set()
    for name in rule_files():
        f = load(name)
        for r in f:
            ex = r.examples[0] if r.examples else None
            rows.append({"rule": r.id, "table_name": f.table, "description": r.description or None,
                         "example": (ex if isinstance(ex, str) else ex["text"]) if ex else None,
                         "rule_file": f"transforms/rules/{name}.yaml", "pattern": r.pattern})
            seen.add(r.id)
    for row in read("rules.csv"):
        if row["rule"] not in seen:
            rows.append({"rule": row["rule"], "table_name": row["table_name"], "description": row["description"],
                         "example": row["example"].replace("\\n", "\n") or None, "rule_file": None, "pattern": None})
    return rows
