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


def alternation(surfaces) -> str:
    """One RE2 alternation of literal strings, longest first (RE2 takes the first
    alternative that matches); a space matches any run of whitespace."""
    alts = sorted({" ".join(s.split()) for s in surfaces if s.strip()}, key=lambda s: (-len(s), s))
    return "(?:" + "|".join(r"\s+".join(re2.escape(w) for w in s.split(" ")) for s in alts) + ")"


def expand(pattern: str, vocab: dict | None = None) -> str:
    """The pattern with every `{name}` replaced by its vocabulary's alternation, and `\\s`
    made to mean what it means in Python (any Unicode space: no-break and thin spaces too;
    RE2's `\\s` is ASCII)."""
    def sub(m):
        name = m.group(1)
        if vocab and name in vocab:
            return vocab[name]
        return alternation(vocabulary(name))
    return _unicode_spaces(_PLACEHOLDER.sub(sub, pattern))


_SPACE_CLASS = r"\s\pZ\x{85}"


def _rewrite_escapes(pattern: str, replace) -> str:
    """The pattern with each two-character escape (`\\s`, `\\b` ...) replaced by
    replace(escape, inside_a_class), or kept when that gives None; character classes are
    tracked (a `]` or `^]` that opens a class is a literal)."""
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
            out.append(ch)
        i += 1
    return "".join(out)


def _unicode_spaces(pattern: str) -> str:
    return _rewrite_escapes(pattern, lambda pair, in_class: None if pair != r"\s" else
                            _SPACE_CLASS if in_class else "[" + _SPACE_CLASS + "]")


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

@dataclass(frozen=True)
class Hit:
    """One match of a rule: its span in the document and its named groups' spans."""
    rule: "Rule"
    start: int
    end: int
    spans: dict  # group name -> (start, end), for the groups that took part
    text: str    # the document

    def group(self, name: str | None = None) -> str | None:
        if name is None:
            return self.text[self.start:self.end]
        span = self.spans.get(name)
        return None if span is None else self.text[span[0]:span[1]]

    def span(self, name: str) -> tuple[int, int] | None:
        return self.spans.get(name)


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
    vocab: dict | None = field(default=None, repr=False)  # vocabularies the code supplies: name -> alternation

    def __post_init__(self) -> None:
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
        self.source = expand(self.pattern, self.vocab) if not self.parts else \
            "|".join(("(?i:" + p.source + ")") if "i" in p.flags else "(?:" + p.source + ")" for p in self.parts)
        if self.parts:  # the parts match; the union (source) serves only the file's set and prefilter
            self.regex, self.groupindex, self._before, self._after, self._reject = None, {}, {}, {}, {}
            return
        self.regex = compile_pattern(self.pattern, self.flags, self.vocab)
        self.groupindex = self.regex.groupindex
        # a guard before the match must end where it starts; one after must start where it ends
        self._before = {k: compile_pattern(f"(?:{p})$", self.flags, self.vocab) for k, p in
                        (("pos", self.preceded_by), ("neg", self.not_preceded_by)) if p}
        self._after = {k: compile_pattern(p, self.flags, self.vocab) for k, p in
                       (("pos", self.followed_by), ("neg", self.not_followed_by)) if p}
        self._reject = {g: compile_pattern(p, self.flags, self.vocab) for g, p in (self.reject_group or {}).items()}

    def guards_pass(self, text: str, s: int, e: int, lo: int = 0, hi: int | None = None) -> bool:
        """The look-arounds of the rule, read in [lo, hi) (a sentence, or the whole text)."""
        if not unicode_edges(text, s, e):
            return False
        if self._before:
            window = text[max(lo, s - self.window):s]
            if "pos" in self._before and self._before["pos"].search(window) is None:
                return False
            if "neg" in self._before and self._before["neg"].search(window) is not None:
                return False
        if self._after:
            window = text[e:min(len(text) if hi is None else hi, e + self.window_after)]
            if "pos" in self._after and self._after["pos"].match(window) is None:
                return False
            if "neg" in self._after and self._after["neg"].match(window) is not None:
                return False
        return True

    def _spans(self, spans: tuple, offset: int) -> dict:
        out = {}
        for name, idx in self.groupindex.items():
            gs, ge = spans[idx]
            if gs >= 0:
                out[name] = (gs + offset, ge + offset)
        return out

    def finditer(self, text: str, start: int = 0, end: int | None = None, seg: str | None = None,
                 lo: int | None = None, hi: int | None = None) -> Iterator[Hit]:
        """Matches in text[start:end] whose guards pass, left to right, not overlapping.
        A match whose guard fails is tried again one character on, as a look-around would.
        Guards read within [lo, hi) (default: the whole text)."""
        end = len(text) if end is None else end
        lo = 0 if lo is None else lo
        hi = end if hi is None else hi
        if self.parts:
            hits = sorted(((h.start, i, h) for i, p in enumerate(self.parts)
                           for h in p.finditer(text, start, end, None, lo, hi)), key=lambda x: (x[0], x[1]))
            taken = start
            for s, _, h in hits:
                if s >= taken:
                    yield Hit(self, h.start, h.end, h.spans, text)
                    taken = h.end if h.end > h.start else h.end + 1
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
            if not self.guards_pass(text, s, e, lo, hi) or (self._reject and self._rejected(seg, spans)):
                pos = ms + 1
                continue
            yield Hit(self, s, e, self._spans(spans, base), text)
            pos = me if me > ms else me + 1

    def search(self, text: str, start: int = 0, end: int | None = None, **kw) -> Hit | None:
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
        if not self.guards_pass(text, s, e) or (self._reject and self._rejected(seg, spans)):
            return None
        return Hit(self, s, e, self._spans(spans, base), text)

    def _rejected(self, seg: str, spans: tuple) -> bool:
        for g, regex in self._reject.items():
            gs, ge = spans[self.groupindex[g]]
            if gs >= 0 and regex.match(seg[gs:gs + 60]) is not None:
                return True
        return False


_UNANCHORED = re2._Anchor.UNANCHORED
_ANCHOR_START = re2._Anchor.ANCHOR_START
_NULL = (-1, -1)


class _Scanner:
    """Matches of one compiled pattern in one string, as spans of str offsets. The string is
    encoded once; ASCII text (most news text) has the same byte and character offsets, and
    for other text a cursor converts between them, moving only as far as the next offset
    asked for, so a scan costs in proportion to the text, not to matches times text."""

    __slots__ = ("regex", "seg", "raw", "ascii", "cc", "cb")

    def __init__(self, regex, seg: str) -> None:
        self.regex, self.seg = regex, seg
        self.ascii = seg.isascii()
        self.raw = seg.encode("ascii" if self.ascii else "utf-8")
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
        raw = self.raw
        if self.ascii:
            spans = self.regex._regexp.Match(anchor, raw, pos, len(raw))
            return None if spans[0] == _NULL else spans
        spans = self.regex._regexp.Match(anchor, raw, self._to_byte(pos), len(raw))
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
        # named patterns the extractor reads around a match, beside the rules ("deadline")
        self.contexts = {k: compile_pattern(v, "", vocab) for k, v in (spec.get("contexts") or {}).items()}
        # one RE2 set of every pattern: which rules can match a sentence, in one scan
        self._set = re2.Set.SearchSet(_OPTIONS)
        for r in self.rules:
            self._set.Add(r.source if r.parts else ("(?i:" + r.source + ")") if "i" in r.flags else r.source)
        if self.rules:
            self._set.Compile()

    def __getitem__(self, rule_id: str) -> Rule:
        return self.by_id[rule_id]

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
        return "|".join(("(?i:" + r.source + ")") if "i" in r.flags and not r.parts else "(?:" + r.source + ")"
                        for r in self.rules)


@lru_cache(maxsize=None)
def spec(name: str) -> dict:
    with open(RULES / f"{name}.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


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
