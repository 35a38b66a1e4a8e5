"""Events: mentions of dated diplomatic activities, their participants, and the
real-world events that mentions in one or several documents share."""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from transforms import dates as D
from transforms.names import Entity, Mention, gazetteer, protagonist
from transforms.reference import read_patterns, trie_regex
from transforms.text import bodies, sentence_spans

PARTICIPANT = pl.Struct({"name": pl.Utf8, "kind": pl.Utf8, "country_code": pl.Utf8})
MENTION_SCHEMA = {
    "mention_id": pl.Utf8, "event_id": pl.Utf8, "doc_id": pl.Utf8, "char_start": pl.Int32,
    "char_end": pl.Int32, "evidence": pl.Utf8, "date_text": pl.Utf8, "event_date": pl.Date,
    "date_precision": pl.Utf8, "date_basis": pl.Utf8, "event_type": pl.Utf8, "channel": pl.Utf8, "event_name": pl.Utf8,
    "participants": pl.List(PARTICIPANT), "sent_start": pl.Int32, "sent_end": pl.Int32, "rule": pl.Utf8,
}
EVENT_TYPES = ("phone_call", "meeting", "multilateral_meeting", "message", "visit", "ceremony",
               "agreement", "aid_delivery", "other")
CHANNELS = ("phone", "video", "written", "in_person")
_PROTAGONIST_TYPES = {"meeting", "phone_call", "message", "multilateral_meeting", "visit", "ceremony"}

# A named gathering: capitalised words ending in one of these heads.
_HEAD = r"(?:Summit|Forum|Assembly|Conference|Dialogue|Meeting|Expo|Exposition|Fair|Congress|Debate|Symposium|summit)"
_NAME_TOKEN = re.compile(r"[A-Z0-9“\"‘][\w'’.&-]*[”\"’]?|of|for|and|on|the|to|in|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|[Ss]pecial|[Ee]xtraordinary|[Ii]nformal|[Aa]nnual|[Vv]irtual|[Ll]eaders['’]?|[Ss]olidarity|[Aa]nti-[Ee]pidemic|general|debate|session")
_CHANNEL_VIDEO = re.compile(r"\bvideo\b|\bvirtual(?:ly)?\b|\bonline\b|\bvia\s+link\b|\bcloud\b", re.I)
_CHANNEL_PERSON = re.compile(r"\bin\s+person\b|\bface-to-face\b|\bin-person\b", re.I)
_MET_IN_PLACE = re.compile(r"\b(?:held|met|meets|hosted)\b[^.;]{0,80}?\b(?:in|at)\s+(?:the\s+)?(?!(?:January|February|March|April|June|July|August|September|October|November|December)\b)(?:Great\s+Hall|White\s+House|Kremlin|Elysee|Élysée|[A-Z][a-z]{3,})\b")
_CHANNEL_ONLY = re.compile(r"^(?:by\s+video|via\s+video|video\s+link)$", re.I)
_SUMMARY_BEFORE = re.compile(
    r"(?:\b\d+(?:,\d{3})*|\b(?:[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|[Dd]ozens|[Hh]undreds|[Ss]everal|[Mm]any|[Nn]umerous|[Mm]ultiple|[Ss]eries\s+of))\s+(?:[a-z][\w-]*\s+){0,3}$")
_DATE_NUMBER = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+\d+\s+(?:[a-z][\w-]*\s+){0,3}$|(?:19|20)\d\d\s+(?:[a-z][\w-]*\s+){0,3}$")
_DONE = re.compile(r"\b(?:[a-z]{2,}ed|had|held|spoke|met|sent|took|paid|made|wrote|gave|began|went|came|"
                   r"led|saw|told|thanked|has\s+\w+|have\s+\w+|today|this\s+(?:morning|afternoon|evening))\b")
# An undated activity reported as done takes the dateline's day anywhere in a datelined
# item (the item tells that day's news), the publication date only in the lead.
_LEAD_SENTENCES = 2
_EARLIER = re.compile(r"\b(?:previous(?:ly)?|earlier|before|prior|last|ago|since|former(?:ly)?|once|first\s+met|several\s+times|"
                      r"in\s+the\s+past|had\s+(?:\w+\s+)?(?:met|held|spoken|talked|visited|signed|sent|been|agreed)|"
                      r"used\s+to|annual(?:ly)?|every|each|regular(?:ly)?|often|usually|(?:19|20)\d\d)\b", re.I)
_REPORTED_ON = re.compile(r"\b(?:reported|said|says|announced|stated|told\s+\w+(?:\s+\w+)?|quoted|cited|wrote|"
                          r"tweeted|posted|confirmed)\s+(?:on\s+|late\s+|early\s+)?$", re.I)
_PRONOUN = re.compile(r"\b(?:he|He|his|His|she|She|her|Her)\b")


def _is_summary(before: str) -> bool:
    """A count right before a trigger ("79 telephone calls"), not a date ("May 5 he sent")."""
    m = _SUMMARY_BEFORE.search(before)
    if not m:
        return False
    if _DATE_NUMBER.search(before):
        return False
    return not re.search(r"\b(?:he|she|they|we|it|sent|held|had|made|a|an|the)\s", m.group(0))
_TITLE_NP = re.compile(r"\b(?:the|The)\s+(?:[A-Z][a-z]+\s+)?(?:president|premier|chancellor|prime\s+minister|head\s+of\s+state|general\s+secretary)\b")
_TITLE_OF = re.compile(r"(?:President|Chair|Chairman|Secretary-General|Director-General|member|members|head|President-elect)\s+of\s+(?:the\s+)?$", re.I)
_DOMESTIC = re.compile(r"National\s+Congress|Party\s+Congress|People['’]s\s+Congress|Plenary\s+Session|Central\s+Committee|Two\s+Sessions|CPPCC")
_PART_OF_BEFORE = re.compile(r"(?:resolutions?|reports?|documents?|declaration|outcome|theme|agenda|venue|site|slogan|spirit)\s+of\s+(?:the\s+)?$", re.I)
_CAPTION = re.compile(r"\((?:[^()]{0,60}\b)?(?:photo|taken)\s+(?:taken\s+)?on\b|\bdrone\s+photo\b|^\s*Photo\s+by\b|"
                      r"^\s*This\s+is\s+the\b|^\s*(?:\([^()]{1,60}\)\s*)?(?:A\s+)?(?:file\s+)?[Pp]hoto\s+(?:taken|shows)\b|"
                      r"\((?:[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*\s*/\s*[^()]{1,40}|Photo\s+by\s+[^()]{1,40})\)\s*$", re.I)
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


@lru_cache(maxsize=1)
def triggers() -> list[tuple[str, str | None, re.Pattern]]:
    return [(r["event_type"], r["channel"] or None, re.compile(r["pattern"])) for r in read_patterns("event_triggers.csv")]


@lru_cache(maxsize=1)
def trigger_rules() -> list[str]:
    """The rule name of each trigger of triggers(), in the same order."""
    return [r["rule"] for r in read_patterns("event_triggers.csv")]


# Every trigger, head word and known event holds one of these word starts.
_KEYWORDS = ["call", "phone", "telephone", "spoke", "met", "meet", "talks", "summit", "forum", "assembly",
             "conference", "dialogue", "meeting", "expo", "fair", "congress", "debate", "symposium", "session",
             "letter", "wrote", "written", "message", "congratulat", "reply", "replied", "condolence", "cable",
             "visit", "trip", "travel", "tour", "ceremony", "groundbreaking", "inaugurat", "opened", "launch",
             "agreement", "treaty", "declaration", "pact", "accord", "memorandum", "deal", "mou", "arriv",
             "deliver", "handed", "donat", "landed", "vaccinat", "hosted", "video", "virtual", "online",
             "davos", "cop", "ciie", "sign", "issued", "adopt", "extension", "extended", "renewed", "inked",
             "officially", "operation", "traffic", "batch", "shipment", "consignment", "greeting", "welcom", "talked",
             "received"]


@lru_cache(maxsize=1)
def _any_trigger() -> re.Pattern:
    """Whether a sentence can report an event at all: any trigger, head word or known event."""
    return re.compile(r"\b(?:" + trie_regex(_KEYWORDS) + ")", re.I)


@lru_cache(maxsize=1)
def _any_known() -> re.Pattern:
    return re.compile("|".join(f"(?:{k.pattern.pattern})" for k in known_events()))


def named_gatherings(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Spans of named summits, forums, assemblies... in text[s:e]."""
    out = []
    for m in re.finditer(rf"\b{_HEAD}\b", text[s:e]):
        hs, he = s + m.start(), s + m.end()
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
        head = m.group(0)
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


@dataclass
class Raw:
    anchor: int
    anchor_end: int
    event_type: str
    channel: str | None = None
    name: str | None = None
    known: KnownEvent | None = None
    start: int = 0
    end: int = 0
    rule: str = "event.trigger"


def _norm_name(name: str) -> str:
    n = re.sub(r"[“”\"‘’']", "", name)
    n = re.sub(r"^(?:the|The)\s+", "", n)
    return " ".join(n.split())


def _event_name_unnamed(text: str, r: Raw, s: int, e: int) -> str | None:
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


def _clause_bounds(text: str, s: int, e: int, anchors: list[int]) -> list[tuple[int, int]]:
    """One span per anchor: the sentence cut between neighbouring anchors at the comma,
    semicolon or conjunction nearest halfway; with none between them, the earlier clause
    runs up to the next anchor (never a cut inside a word)."""
    if len(anchors) == 1:
        return [(s, e)]
    cuts = [s]
    for a, b in zip(anchors, anchors[1:]):
        mid = (a + b) // 2
        best = None
        for m in re.finditer(r"[;,]\s+|\s+and\s+|\s+while\s+|\s+when\s+", text[a:b]):
            pos = a + m.end()
            if best is None or abs(pos - mid) < abs(best - mid):
                best = pos
        cuts.append(best if best is not None else b)  # no boundary: the earlier clause runs to the next trigger
    cuts.append(e)
    spans = []
    for x, y in zip(cuts, cuts[1:]):
        while x < y and text[x] in " \n,;":
            x += 1
        while y > x and text[y - 1] in " \n,;":
            y -= 1
        spans.append((x, max(y, x + 1)))
    return spans


def _within(ents: list[Mention], starts: list[int] | None, s: int, e: int) -> list[Mention]:
    """The mentions of ents (in order of start; starts their offsets) that lie in [s, e)."""
    if starts is None:
        return [m for m in ents if s <= m.start and m.end <= e]
    lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
    return [m for m in ents[lo:hi] if m.end <= e]


def _participants(text: str, s: int, e: int, r: Raw, ents: list[Mention], main: Entity | None,
                  name_span: tuple[int, int] | None, starts: list[int] | None = None) -> list[Entity]:
    g = gazetteer()
    # "China-U.S." names the parties of an agreement, but only the theme of a summit
    inside = [m for m in _within(ents, starts, s, e) if not m.compound or r.event_type == "agreement"]
    people = [m.entity for m in inside if m.entity.kind == "person"]
    orgs = [m.entity for m in inside if m.entity.kind == "organization"]
    countries = [m.entity for m in inside if m.entity.kind == "country" and m.via == "name"]
    out: list[Entity] = []
    if r.event_type == "multilateral_meeting":
        out += people
        if name_span:
            out += [m.entity for m in _within(ents, starts, *name_span) if m.entity.kind == "organization"]
        if r.known:
            for p in r.known.participants:
                ent = g.lookup.get(p) or g.people.get(p)
                if ent:
                    out.append(ent)
    elif r.event_type in ("aid_delivery", "agreement", "other"):
        out += people + orgs + countries
    else:
        out += people + orgs + countries
    if main and r.event_type in _PROTAGONIST_TYPES and main not in out:
        span = text[s:e]
        named_people = [p for p in people if p != main]
        if (_PRONOUN.search(span) or _TITLE_NP.search(span) or not named_people
                or r.event_type in ("meeting", "phone_call") and re.search(r"\bcounterpart|\bwith\b", span)):
            if r.event_type != "ceremony" or named_people or _PRONOUN.search(span) or not countries:
                out.insert(0, main)
    # a leader stands for their country; the protagonist's own country goes with them
    person_codes = {p.country_code for p in out if p.kind == "person"}
    out = [p for p in out if not (p.kind == "country" and p.country_code in person_codes)]
    seen, uniq = set(), []
    for p in out:
        if p.name not in seen and p.name not in g.media:
            seen.add(p.name)
            uniq.append(p)
    return uniq


def _domestic(event_type: str, parts: list[Entity]) -> bool:
    """Talks among people of one and the same country (a president and a cabinet member)
    are not diplomacy."""
    if event_type not in ("meeting", "phone_call", "message") or len(parts) < 2:
        return False
    if any(p.kind != "person" for p in parts):
        return False
    codes = {p.country_code for p in parts}
    return None not in codes and len(codes) == 1


def _channel(text: str, s: int, e: int, r: Raw) -> str | None:
    span = text[s:e]
    if r.event_type == "phone_call":
        return "video" if re.search(r"\bvideo\b", span, re.I) else "phone"
    if _CHANNEL_VIDEO.search(span):
        return "video"
    if r.event_type == "message":
        return "written"
    if _CHANNEL_PERSON.search(span):
        return "in_person"
    if r.event_type == "visit":
        return "in_person"
    if r.event_type in ("meeting", "multilateral_meeting") and _MET_IN_PLACE.search(span):
        return "in_person"  # "met ... in Brasilia", "was held in Qingdao"
    if r.known and r.known.channel:
        return r.known.channel
    if r.channel == "in_person":
        return "in_person"  # the trigger itself says so: "welcomed ... to the White House"
    return None


_WISH = re.compile(r"\b(?:desire|desires|hope|hopes|hoped|wish|wishes|look(?:s|ed)?\s+forward|at\s+a\s+future\s+date|"
                   r"invit(?:ed|ation|es)|at\s+an\s+early\s+date|when\s+conditions\s+permit|stand(?:s)?\s+ready)\b", re.I)
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]")


def _speaks_of_future(clause: str) -> bool:
    """Whether the words before a date look ahead ("will meet", "agreed to meet at ... in"),
    words in quotes aside."""
    return bool(D.FUTURE.search(_QUOTED.sub(" ", clause)))


def _previous_day(text: str, floor: int, pos: int, published, ref_year):
    """(date, 'day') of the last day-precise date written before pos: what "the same day" means."""
    for d in reversed(D.find_dates(text, max(floor, pos - 1500), pos)):
        if d.kind not in ("sameday",) and d.precision == "day":
            ed, pr = D.resolve(d, published, ref_year)
            if ed:
                return ed, pr
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


def _reported_done(clause: str) -> bool:
    """The clause reports the activity as done, recently: a past or present-perfect verb,
    nothing about the future, and nothing that places it further back ("last year",
    "had met", "previously")."""
    return bool(_DONE.search(clause)) and not D.FUTURE.search(clause) and not _EARLIER.search(clause) \
        and not _WISH.search(clause)


def find(text: str, start: int, end: int, published: dt.date | None, ref_year: int | None, ann=None) -> list[dict]:
    """Event mentions of text[start:end]. Relative dates are read against the document's
    anchor: its dateline's date when `ann` (its Annotation) has one, else `published`."""
    g = gazetteer()
    if ann is not None:
        published, basis = ann.anchor, ann.anchor_basis
    else:
        basis = "published" if published else None
    if published is None and ref_year is None:
        ref_year = known_event_year(text, start, end)
    when = published or (dt.date(ref_year, 7, 1) if ref_year else None)
    ents = g.find(text, start, end, when=when)
    ent_starts = [m.start for m in ents]
    main = protagonist(ents)
    out = []
    any_trigger = _any_trigger()
    for sent_no, (_, ss, se) in enumerate(ann.sentences if ann is not None else sentence_spans(text, start, end)):
        if not any_trigger.search(text, ss, se) or _CAPTION.search(text[ss:se]):
            continue
        raws: list[Raw] = []
        names = named_gatherings(text, ss, se)
        for ns, ne in names:
            name = _norm_name(text[ns:ne])
            known = _known_for(_norm_name(text[ns:min(se, ne + 25)]), text[ss:se], None)
            etype = known.event_type if known else ("other" if re.search(r"Expo|Fair|Exposition", name) else "multilateral_meeting")
            raws.append(Raw(ns, ne, etype, name=known.name if known else name, known=known,
                            rule="event.known" if known else "event.named_gathering"))
        if _any_known().search(text, ss, se):
            for known in known_events():
                for m in known.pattern.finditer(text, ss, se):
                    if any(r.known is known for r in raws) or \
                            _PART_OF_BEFORE.search(text[max(ss, m.start() - 30):m.start()]):
                        continue
                    over = next((r for r in raws if m.start() < r.anchor_end and r.anchor < m.end()), None)
                    if over is not None:
                        if over.known is None:  # the named gathering is this known event
                            over.known, over.name, over.event_type = known, known.name, known.event_type
                        continue
                    raws.append(Raw(m.start(), m.end(), known.event_type, name=known.name, known=known, rule="event.known"))
        taken = [(r.anchor, r.anchor_end) for r in raws]
        channel_only = []
        for (etype, chan, pat), rule in zip(triggers(), trigger_rules()):
            for m in pat.finditer(text, ss, se):
                if any(m.start() < te + 40 and ts - 60 < m.end() and etype in ("ceremony", "meeting") and
                       re.search(r"(?:opening|closing|ceremony|meeting|session|speech|address)\s+(?:\w+\s+){0,2}(?:of|at|to)\s+(?:the\s+)?(?:\w+\s+)?$", text[m.start():ts] + " ")
                       for ts, te in taken):
                    continue
                if any(m.start() < te and ts < m.end() for ts, te in taken):
                    continue
                if _CHANNEL_ONLY.match(m.group(0)):
                    channel_only.append(m)
                    continue
                if _is_summary(text[max(ss, m.start() - 60):m.start()]):
                    continue  # "79 telephone calls": a summary, not an event
                if _TITLE_OF.search(text[max(ss, m.start() - 30):m.start()]):
                    continue
                same = next((r for r in raws if r.event_type == etype and r.name is None
                             and abs(r.anchor - m.start()) < 60), None)
                if same:
                    continue
                if etype == "meeting" and any(r.event_type == "phone_call" for r in raws):
                    continue
                if etype == "phone_call" and (same := next((r for r in raws if r.event_type == "meeting" and r.name is None), None)):
                    raws.remove(same)
                raws.append(Raw(m.start(), m.end(), etype, channel=chan, rule=rule))
                taken.append((m.start(), m.end()))
        if not raws:
            continue
        for r in [r for r in raws if r.name and r.event_type == "multilateral_meeting"]:
            if re.search(r"(?:message|letter)s?\s+to\s+(?:the\s+)?(?:[\w-]+\s+){0,4}(?:of\s+)?(?:the\s+)?$", text[max(ss, r.anchor - 60):r.anchor]):
                r.event_type, r.channel = "message", "written"
                raws[:] = [x for x in raws if x is r or not (x.event_type == "message" and x.name is None
                                                             and abs(x.anchor - r.anchor) < 80)]
        raws.sort(key=lambda r: r.anchor)
        spans = _clause_bounds(text, ss, se, [r.anchor for r in raws])
        if len(raws) >= 3:  # a list of gatherings: each item is its name
            spans = [(r.anchor - (4 if text[max(ss, r.anchor - 4):r.anchor] == "the " else 0), r.anchor_end)
                     if r.name and not r.known or r.name and r.anchor_end - r.anchor > 8 else sp
                     for r, sp in zip(raws, spans)]
        dexprs = ann.dates_in(ss, se) if ann is not None else D.find_dates(text, ss, se)
        anchors = [r.anchor for r in raws]
        for r, (cs, ce) in zip(raws, spans):
            # date: expressions nearest this mention's anchor rather than another's
            mine = [d for d in dexprs if cs <= d.start < ce] or \
                [d for d in dexprs if min(range(len(anchors)), key=lambda i: abs(anchors[i] - d.start)) == raws.index(r)]
            # "..., CCTV reported on Nov. 16": the date of the report, not of the event
            mine = [d for d in mine if not _REPORTED_ON.search(text[max(ss, d.start - 30):d.start])] or mine
            if r.name:
                mine = [d for d in mine if not (r.anchor <= d.start < r.anchor_end)] or \
                    [d for d in mine if d.kind != "bareyear"] or mine
            chosen, event_date, precision = None, None, None

            def apart(d) -> int:
                """0 when no comma or semicolon stands between the date and the mention."""
                lo, hi = (d.end, r.anchor) if d.end <= r.anchor else (r.anchor_end, d.start)
                return 1 if re.search(r"[,;]", text[lo:hi]) else 0

            def gap(d) -> int:
                return max(0, r.anchor - d.end, d.start - r.anchor_end)

            for d in sorted(mine, key=lambda d: (D.PRECISION_RANK.get(d.precision, 3), apart(d), gap(d))):
                if d.text.lower().startswith("since"):
                    continue  # the start of a period, not the date of an event
                if d.kind == "bareyear" and any(x.kind != "bareyear" for x in mine):
                    continue
                previous = _previous_day(text, start, d.start, published, ref_year) if d.kind == "sameday" else None
                ed, pr = D.resolve(d, published, ref_year, previous,
                                   future=_speaks_of_future(text[max(cs, d.start - 80):d.start]))
                if ed:
                    chosen, event_date, precision = d, ed, pr
                    break
            if chosen is None and r.name and r.anchor_end:
                inner = [d for d in dexprs if r.anchor <= d.start < r.anchor_end]
                for d in inner:
                    ed, pr = D.resolve(d, published, ref_year)
                    if ed:
                        chosen, event_date, precision = d, ed, pr
            date_basis = "text" if event_date else None
            if r.known and r.known.date:
                if event_date is None or (event_date.year == r.known.date.year and
                                          (precision != "day" or event_date.month == r.known.date.month)):
                    event_date, precision, date_basis = r.known.date, "day", "text"
            if event_date is None and published is not None and not r.name \
                    and (sent_no < _LEAD_SENTENCES or basis == "dateline") and _reported_done(text[cs:ce]):
                event_date, precision, date_basis = published, "day", basis
            name_span = (r.anchor, r.anchor_end) if r.name else None
            parts = _participants(text, cs, ce, r, ents, main, name_span, ent_starts)
            name = r.name or _event_name_unnamed(text, r, cs, ce)
            # a mention needs a name, a date finer than a year, or a counterpart
            valid = name or (event_date and precision in ("day", "month")) or any(p != main for p in parts)
            if not valid or _domestic(r.event_type, parts):
                continue
            if not parts and r.event_type in ("meeting", "phone_call", "message", "visit") and not name:
                continue  # talks of nobody the text names
            if event_date is None and not r.name and _WISH.search(text, cs, ce):
                continue  # a wish or an invitation, not an activity set at a point in time
            chan = _channel(text, cs, ce, r)
            if chan is None and channel_only and len(raws) == 1:
                chan = "video"
            base = dict(doc_start=cs, char_start=cs, char_end=ce, evidence=text[cs:ce],
                        date_text=chosen.text if chosen else None, event_date=event_date,
                        date_precision=precision if event_date else None, date_basis=date_basis, event_type=r.event_type,
                        channel=chan, event_name=name, sent_start=ss, sent_end=se, rule=r.rule)
            # plural visits and messages: one mention per destination or recipient
            split_on = None
            if r.event_type == "visit":
                split_on = [p for p in parts if p.kind == "country" and p != main and p.country_code != (main.country_code if main else None)]
            elif r.event_type == "message":
                people = [p for p in parts if p.kind == "person"]
                sender = main if main is not None else (people[0] if people else None)
                split_on = [p for p in people if p != sender]
            if split_on and len(split_on) > 1:
                keep = [p for p in parts if p not in split_on]
                for p in split_on:
                    out.append({**base, "participants": keep + [p]})
            else:
                out.append({**base, "participants": parts})
    return out


def _pdict(p: Entity) -> dict:
    return {"name": p.name, "kind": p.kind, "country_code": p.country_code}


def mention_id(doc_id: str, m: dict, n: int) -> str:
    key = f"mention|{doc_id}|{m['char_start']}|{m['char_end']}|{m['event_type']}|{m['event_name']}|{n}"
    return hashlib.sha1(key.encode()).hexdigest()[:20]


def mentions(docs: pl.DataFrame) -> pl.DataFrame:
    """One row per event mention, not yet clustered (event_id NULL)."""
    rows = []
    for row, ann in bodies(docs):
        for n, m in enumerate(find(ann.text, ann.body_start, ann.body_end, ann.published, ann.reference_year, ann)):
            m.pop("doc_start")
            m["participants"] = [_pdict(p) for p in m["participants"]]
            m["doc_id"] = row["doc_id"]
            m["mention_id"] = mention_id(row["doc_id"], m, n)
            m["event_id"] = None
            rows.append(m)
    return pl.DataFrame(rows, schema=MENTION_SCHEMA) if rows else pl.DataFrame(schema=MENTION_SCHEMA)


# ---- clustering -------------------------------------------------------------------
def _period(d: dt.date | None, p: str | None) -> tuple[dt.date, dt.date] | None:
    if d is None or p is None:
        return None
    if p == "day":
        return d, d
    if p == "month":
        last = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        return d, last
    return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)


def _compatible(a, b) -> bool:
    if a is None or b is None:
        return True
    return a[0] <= b[1] and b[0] <= a[1]


@dataclass
class _Event:
    event_type: str
    name_key: str | None
    date: dt.date | None
    precision: str | None
    people: set
    order: int = 0
    members: list = field(default_factory=list)
    docs: set = field(default_factory=set)

    @property
    def period(self):
        return _period(self.date, self.precision)


_RANK = {"day": 0, "month": 1, "year": 2, None: 3}
_BASIS_RANK = {"text": 0, "dateline": 1, "published": 2}


def cluster(m: pl.DataFrame) -> pl.DataFrame:
    """Give every mention the event_id of the real-world event it reports: same type,
    compatible dates, and the same name or participant sets that hold one another."""
    if m.height == 0:
        return m
    recs = m.with_row_index("_i").to_dicts()
    order = sorted(recs, key=lambda r: (r["event_name"] is None, _RANK[r["date_precision"]], r["doc_id"], r["char_start"], r["mention_id"]))
    events: list[_Event] = []
    by_name: dict[tuple, list[_Event]] = {}
    by_part: dict[tuple, dict[int, _Event]] = {}  # (type, participant) -> dated events, by id
    by_part_doc: dict[tuple, dict[int, _Event]] = {}  # (type, participant, doc) -> events
    undated: dict[tuple, _Event] = {}  # (type, name, people, doc) -> the undated event they report
    for r in order:
        names = frozenset(p["name"] for p in r["participants"] or [])
        per = _period(r["event_date"], r["date_precision"])
        if per is not None and r.get("date_basis") in ("published", "dateline"):
            # dated by the report, not the text: the activity may be the day before ("a call
            # reported the next morning is the same call")
            per = (per[0] - dt.timedelta(days=1), per[1])
        key = _norm_name(r["event_name"]).casefold() if r["event_name"] else None
        target = None
        if key:
            for ev in by_name.get((r["event_type"], key), []):
                if _compatible(ev.period, per):
                    target = ev
                    break
        if target is None:
            cands = []
            # only events that share a participant can match: look them up by participant
            # (an undated mention joins only an event its own article reports)
            if per is None:
                pool = {k: ev for n in names for k, ev in by_part_doc.get((r["event_type"], n, r["doc_id"]), {}).items()
                        if ev.period is not None}
            else:
                pool = {k: ev for n in names for k, ev in by_part.get((r["event_type"], n), {}).items()}
            for ev in sorted(pool.values(), key=lambda ev: ev.order):
                if key and ev.name_key and ev.name_key != key:
                    continue
                if not _compatible(ev.period, per):
                    continue
                if per is None and ev.period is None:
                    continue
                if per is None and r["doc_id"] not in ev.docs:
                    continue  # an undated mention joins only an event its own article reports
                if not names or not ev.people:
                    continue
                if names <= ev.people or ev.people <= names:
                    if len(names & ev.people) >= 2 or (names == ev.people and per is not None and ev.period == per):
                        cands.append(ev)
            # among several candidates: those the same document reports, then the same people, then the same period
            for narrow in (lambda ev: r["doc_id"] in ev.docs,
                           lambda ev: ev.people == names,
                           lambda ev: ev.period == per):
                if len(cands) > 1:
                    cands = [ev for ev in cands if narrow(ev)] or cands
            if len(cands) == 1:
                target = cands[0]
        same_undated = (r["event_type"], key, names, r["doc_id"])
        if target is None and per is None:
            target = undated.get(same_undated)  # the same undated activity told again in one article
        if target is None:
            target = _Event(r["event_type"], key, r["event_date"], r["date_precision"], set(names), order=len(events))
            events.append(target)
            if key:
                by_name.setdefault((r["event_type"], key), []).append(target)
            if per is None:
                undated[same_undated] = target
        else:
            target.people |= names
            if _RANK[r["date_precision"]] < _RANK[target.precision]:
                target.date, target.precision = r["event_date"], r["date_precision"]
            if key and not target.name_key:
                target.name_key = key
                by_name.setdefault((r["event_type"], key), []).append(target)
        for n in names:
            if target.period is not None:
                by_part.setdefault((r["event_type"], n), {})[id(target)] = target
            by_part_doc.setdefault((r["event_type"], n, r["doc_id"]), {})[id(target)] = target
        target.members.append(r["_i"])
        target.docs.add(r["doc_id"])
    ids = [None] * len(recs)
    for ev in events:
        first = min((recs[i] for i in ev.members), key=lambda r: (r["doc_id"], r["char_start"], r["mention_id"]))
        eid = hashlib.sha1(f"event|{first['mention_id']}".encode()).hexdigest()[:20]
        for i in ev.members:
            ids[i] = eid
    return m.with_columns(pl.Series("event_id", ids, pl.Utf8))


def events_table(m: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(events, event_participants) from clustered mentions."""
    rows, parts = [], []
    for eid, grp in m.group_by("event_id", maintain_order=True):
        g = grp.sort(["date_precision", "doc_id", "char_start"], nulls_last=True).to_dicts()
        ranked = sorted(g, key=lambda r: (_RANK[r["date_precision"]], _BASIS_RANK.get(r.get("date_basis"), 3)))
        best = ranked[0]
        chans = [r["channel"] for r in g if r["channel"]]
        pref = [c for c in ("video", "phone", "written", "in_person") if c in chans]
        # the most often stated channel, the more specific on ties
        channel = max(pref, key=lambda c: (chans.count(c), -pref.index(c))) if pref else None
        name = next((r["event_name"] for r in g if r["event_name"]), None)
        rows.append({"event_id": eid[0] if isinstance(eid, tuple) else eid, "event_date": best["event_date"],
                     "date_precision": best["date_precision"] if best["event_date"] else None,
                     "date_basis": best.get("date_basis") if best["event_date"] else None,
                     "event_type": best["event_type"], "channel": channel, "event_name": name,
                     "mention_count": len(g)})
        seen = set()
        for r in g:
            for p in r["participants"] or []:
                if p["name"] not in seen:
                    seen.add(p["name"])
                    parts.append({"event_id": rows[-1]["event_id"], **p})
    ev = pl.DataFrame(rows, schema={"event_id": pl.Utf8, "event_date": pl.Date, "date_precision": pl.Utf8,
                                    "date_basis": pl.Utf8,
                                    "event_type": pl.Utf8, "channel": pl.Utf8, "event_name": pl.Utf8,
                                    "mention_count": pl.Int32})
    ps = pl.DataFrame(parts, schema={"event_id": pl.Utf8, "name": pl.Utf8, "kind": pl.Utf8, "country_code": pl.Utf8})
    return ev, ps


def extract(docs: pl.DataFrame) -> pl.DataFrame:
    """Event mentions of docs (doc_id, text, published_date?), clustered, one row a mention,
    with the columns of event_mentions and events and a participants list."""
    m = cluster(mentions(docs))
    ev, _ = events_table(m)
    return m.drop(["event_date", "date_precision", "date_basis", "event_type", "channel", "event_name"]).join(
        ev, on="event_id", how="left")


def recluster(m: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(mentions with event_id, events, event_participants) for a set of unclustered mentions."""
    if m.height == 0:
        empty_ev, empty_p = events_table(pl.DataFrame(schema=MENTION_SCHEMA))
        return m.with_columns(pl.lit(None, pl.Utf8).alias("event_id")), empty_ev, empty_p
    c = cluster(m.with_columns(pl.lit(None, pl.Utf8).alias("event_id")))
    ev, ps = events_table(c)
    return c, ev, ps


def link(rows: pl.DataFrame, mentions: pl.DataFrame) -> pl.DataFrame:
    """mention_id for quotes or figures: the mention whose clause holds the row (the first
    by mention_id when several do), else the only mention of its sentence. Looked up by
    binary search over each document's mentions, so a document with thousands of rows
    and mentions costs their number, not its square."""
    if rows.height == 0 or mentions.height == 0:
        return rows.with_columns(pl.lit(None, pl.Utf8).alias("mention_id"))
    clauses: dict[str, list] = {}
    sentences: dict[str, dict] = {}
    for d, mid, cs, ce, ss, se in mentions.select("doc_id", "mention_id", "char_start", "char_end", "sent_start",
                                                   "sent_end").iter_rows():
        clauses.setdefault(d, []).append((cs, ce, mid))
        sentences.setdefault(d, {}).setdefault((ss, se), set()).add(mid)
    index = {}
    for d, cl in clauses.items():
        cl.sort()
        sents = sorted(sentences[d].items())
        index[d] = ([c[0] for c in cl], cl, [k[0] for k, _ in sents], sents)
    out = []
    for d, rs, re_ in rows.select("doc_id", "char_start", "char_end").iter_rows():
        found = None
        if d in index:
            cstarts, cl, sstarts, sents = index[d]
            i = bisect.bisect_right(cstarts, rs)
            holders = [mid for cs, ce, mid in cl[max(0, i - 16):i] if cs <= rs and re_ <= ce]
            if holders:
                found = min(holders)
            else:
                j = bisect.bisect_right(sstarts, rs)
                for (ss, se), mids in sents[max(0, j - 4):j]:
                    if ss <= rs and re_ <= se and len(mids) == 1:
                        found = next(iter(mids))
        out.append(found)
    return rows.with_columns(pl.Series("mention_id", out, pl.Utf8))
