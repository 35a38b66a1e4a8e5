"""Named gatherings and known events: "the 14th BRICS Summit", "the UN General Assembly",
and the events of transforms/data/known_events.csv, each made a Candidate with its name."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from transforms.events.record import Candidate
from transforms.reference import read_patterns
from transforms.rules import load

# A named gathering: capitalised words ending in a head (rule event.named_gathering).
_NAME_TOKEN = re.compile(r"[A-Z0-9“\"‘][\w'’.&-]*[”\"’]?|of|for|and|on|the|to|in|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|[Ss]pecial|[Ee]xtraordinary|[Ii]nformal|[Aa]nnual|[Vv]irtual|[Ll]eaders['’]?|[Ss]olidarity|[Aa]nti-[Ee]pidemic|general|debate|session")
_TITLE_OF = re.compile(r"(?:President|Chair|Chairman|Secretary-General|Director-General|member|members|head|President-elect)\s+of\s+(?:the\s+)?$", re.I)
_DOMESTIC = re.compile(r"Political\s+Consultative\s+Conference|National\s+Congress|Party\s+Congress|People['’]s\s+Congress|Plenary\s+Session|Central\s+Committee|Two\s+Sessions|CPPCC")
_PART_OF_BEFORE = re.compile(r"(?:resolutions?|reports?|documents?|declaration|outcome|theme|agenda|venue|site|slogan|spirit)\s+of\s+(?:the\s+)?$", re.I)
_NOT_EVENT_AFTER = re.compile(r"^\s*(?:[Rr]esolution|[Dd]eclaration|Secretary|[Pp]residen(?:cy|t)|Charter|[Rr]eport|[Ff]ramework|"
                              r"Centre|Center|Hall|Park|Venue|Building|Complex|Secretariat|[Mm]embers?|Government|"
                              r"Chamber|[Ss]eats?|[Ee]lections?|[Mm]andate)\b")


@dataclass
class KnownEvent:
    name: str
    event_type: str
    date: dt.date | None
    channel: str | None
    participants: list[str]
    pattern: re.Pattern


@lru_cache(maxsize=1)
def known_events() -> list[KnownEvent]:
    return [KnownEvent(r["name"], r["event_type"], dt.date.fromisoformat(r["date"]) if r["date"] else None,
                       r["channel"] or None, [p for p in r["participants"].split(";") if p],
                       re.compile(r["pattern"].replace(" ?", r"\s?").replace(" ", r"\s")))
            for r in read_patterns("known_events.csv")]


def _strip_lookarounds(pattern: str) -> str:
    """The pattern without its look-arounds: it matches all the pattern does, and more."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            depth, j = 0, i
            while j < len(pattern):
                if pattern[j] == "\\":
                    j += 2
                    continue
                depth += pattern[j] == "("
                depth -= pattern[j] == ")"
                j += 1
                if depth == 0:
                    break
            i = j
            continue
        out.append(pattern[i])
        i += 1
    return "".join(out)


@lru_cache(maxsize=1)
def known_prefilter() -> str:
    """One RE2 pattern that every known event's pattern implies."""
    return "|".join(f"(?:{_strip_lookarounds(k.pattern.pattern)})" for k in known_events())


class _AnyKnown:
    """Whether a text can name a known event: one RE2 pass (linear) before the events'
    own patterns are tried."""

    def __init__(self) -> None:
        import re2
        self.regex = re2.compile(known_prefilter())

    def search(self, text: str, start: int = 0, end: int | None = None):
        return self.regex.search(text[start:len(text) if end is None else end])


@lru_cache(maxsize=1)
def _any_known() -> _AnyKnown:
    return _AnyKnown()


def named_gatherings(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Spans of named summits, forums, assemblies... in text[s:e]."""
    out = []
    for m in load("events")["event.named_gathering"].finditer(text, s, e):
        hs, he = m.start, m.end
        # walk left over name tokens
        toks = list(re.finditer(r"\S+", text[max(s, hs - 160):hs]))
        start = hs
        caps = 0
        for t in reversed(toks):
            w = t.group(0).rstrip(",")
            if t.group(0).endswith(",") or not _NAME_TOKEN.fullmatch(w.strip("“”\"‘’")) and not _NAME_TOKEN.fullmatch(w):
                break
            if w in ("the", "and", "of", "for", "on", "to", "in"):
                if w == "the":
                    break
            start = max(s, hs - 160) + t.start()
            if (w[:1].isupper() or w[:1].isdigit() or w[:1] in "“\"") and any(c.isalnum() for c in w):
                caps += 1
        while text[start:hs].split()[:1] and text[start:hs].split()[0] in ("and", "of", "for", "on", "to", "in"):
            start += len(text[start:hs].split()[0]) + 1
        # walk right over "of/for/on the Capitalised ..." and a trailing year
        end = he
        r = re.match(r"(?:\s+(?:of|for|on)\s+(?:the\s+)?(?:[A-Z0-9][\w'’.&-]*|COVID-19)(?:\s+(?:[A-Z0-9][\w'’.&-]*|of|for|and|on|the|in|against|to)(?=\s|[,.;)”\"]|$))*)?(?:\s+\(?\d{4}\)?)?(?:\s+(?:Annual\s+Conference|Summit))?", text[he:e])
        if r:
            end = he + len(r.group(0).rstrip())
            while text[start:end].split()[-1] in ("and", "of", "for", "on", "the", "in", "to", "against"):
                end = start + len(text[start:end].rsplit(" ", 1)[0])
        head = m.group("head")
        if head == "summit" and caps == 0:
            continue
        name_text = text[start:end]
        if head == "Assembly" and not re.search(r"(?:General|Health|Environment|Parliamentary)\s+Assembly|\d+(?:st|nd|rd|th)\b", name_text):
            continue  # a legislature ("National Assembly", "Welsh Assembly"), not a gathering
        if head == "Congress" and not re.search(r"\bWorld\b|\d+(?:st|nd|rd|th)\b", name_text):
            continue  # a legislature or a party's congress
        if head in ("Fair", "Meeting", "Dialogue", "Forum", "Debate") and re.match(r"\s+[A-Z][a-z]", text[he:he + 3]) \
                and not re.match(r"\s+(?:on|of|for)\b", text[he:he + 5]):
            continue  # an adjective or part of a longer name ("Students for Fair Admissions")
        if re.search(r"\bv\.?\s*$|\bInc\.\s*$", text[max(s, start - 6):start]):
            continue  # a court case
        if caps == 0 and end == he:
            continue
        if _TITLE_OF.search(text[max(s, start - 30):start]) or _NOT_EVENT_AFTER.match(text[end:end + 20]):
            continue
        if _DOMESTIC.search(text[start:end]) or _PART_OF_BEFORE.search(text[max(s, start - 30):start]):
            continue
        if out and start < out[-1][1]:
            continue
        out.append((start, end))
    return out


def _known_for(name: str | None, clause: str, when: dt.date | None) -> KnownEvent | None:
    if not _any_known().search(name or clause):
        return None
    cands = []
    for k in known_events():
        if (name and k.pattern.search(name)) or (not name and k.pattern.search(clause)):
            cands.append(k)
    if not cands:
        return None
    if when:
        dated = [k for k in cands if k.date and k.date.year == when.year]
        if dated:
            return dated[0]
        if any(k.date for k in cands):
            undated = [k for k in cands if not k.date]
            return undated[0] if undated else None
    return cands[0]


def _norm_name(name: str) -> str:
    n = re.sub(r"[“”\"‘’']", "", name)
    n = re.sub(r"^(?:the|The)\s+", "", n)
    return " ".join(n.split())


def event_name_unnamed(text: str, r: Candidate, s: int, e: int) -> str | None:
    if r.event_type == "ceremony":
        m = re.search(r"(?:(?:opening|groundbreaking|launch(?:ing)?|inauguration|signing|completion)\s+)?ceremony\s+(?:of|for)\s+the\s+(?:[A-Z][\w'’.-]*\s*)+(?:(?:of|and|for)\s+(?:the\s+)?(?:[A-Z][\w'’.-]*\s*)+)*", text[s:e])
        if m:
            return " ".join(m.group(0).split())
    if r.event_type == "ceremony":
        m = re.search(r"(?:the\s+)?((?:[A-Z][\w'’.-]*\s+)*(?:[A-Z][\w'’.-]*))\s+(?:was\s+|were\s+)?(?:officially\s+)?(?:opened\s+(?:for\s+operation|to\s+traffic)|put\s+into\s+operation|inaugurated)", text[s:e])
        if m and m.group(1).split()[0] not in ("On", "In", "The", "At"):
            return "opening ceremony of the " + " ".join(m.group(1).split())
    if r.event_type == "agreement":
        m = re.search(r"[“\"]([^”\"]{5,120}(?:Agreement|Treaty|Declaration|Pact|Accord|Memorandum)[^”\"]{0,60})[”\"]", text[s:e]) or \
            re.search(r"(?:the\s+)?((?:[A-Z][\w'’.-]*\s+)+(?:of\s+(?:[A-Z][\w'’.-]*\s+|and\s+)+)?(?:Agreement|Treaty|Declaration|Pact|Accord)(?:\s+(?:of|on|for)\s+(?:[A-Z][\w'’.-]*(?:\s+|$)|and\s+)+)?)", text[s:e])
        if m:
            return " ".join(m.group(1).split()).rstrip(" ,.")
    return None


def known_event_year(text: str, start: int, end: int) -> int | None:
    """For an undated text that names no year: the most common year of the dated known
    events it mentions."""
    if not _any_known().search(text, start, end):
        return None
    years = {}
    for k in known_events():
        if k.date and k.pattern.search(text, start, end):
            years[k.date.year] = years.get(k.date.year, 0) + 1
    if not years:
        return None
    return max(years, key=lambda y: (years[y], y))




def find(text: str, ss: int, se: int) -> list[Candidate]:
    """Candidates of the sentence text[ss:se] made by a named gathering or a known event."""
    out: list[Candidate] = []
    for ns, ne in named_gatherings(text, ss, se):
        name = _norm_name(text[ns:ne])
        known = _known_for(_norm_name(text[ns:min(se, ne + 25)]), text[ss:se], None)
        etype = known.event_type if known else ("other" if re.search(r"Expo|Fair|Exposition", name) else "multilateral_meeting")
        out.append(Candidate(ns, ne, etype, name=known.name if known else name, known=known,
                             rule="event.known" if known else "event.named_gathering"))
    if _any_known().search(text, ss, se):
        for known in known_events():
            for m in known.pattern.finditer(text, ss, se):
                if any(c.known is known for c in out) or \
                        _PART_OF_BEFORE.search(text[max(ss, m.start() - 30):m.start()]):
                    continue
                over = next((c for c in out if m.start() < c.anchor_end and c.anchor < m.end()), None)
                if over is not None:
                    if over.known is None:  # the named gathering is this known event
                        over.known, over.name, over.event_type = known, known.name, known.event_type
                    continue
                out.append(Candidate(m.start(), m.end(), known.event_type, name=known.name, known=known,
                                     rule="event.known"))
    return out


def messages_to_gatherings(text: str, ss: int, cands: list[Candidate]) -> list[Candidate]:
    """"a message to the 14th Summit": the gathering is the addressee of a message."""
    for c in [c for c in cands if c.name and c.event_type == "multilateral_meeting"]:
        if re.search(r"(?:message|letter)s?\s+to\s+(?:the\s+)?(?:[\w-]+\s+){0,4}(?:of\s+)?(?:the\s+)?$",
                     text[max(ss, c.anchor - 60):c.anchor]):
            c.event_type, c.channel = "message", "written"
            cands = [x for x in cands if x is c or not (x.event_type == "message" and x.name is None
                                                        and abs(x.anchor - c.anchor) < 80)]
    return cands
