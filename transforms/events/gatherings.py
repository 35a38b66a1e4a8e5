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
from transforms.rules.engine import vocabulary

# A named gathering: capitalised words ending in a head (rule event.named_gathering); the rules
# of transforms/rules/event_context.yaml that read its name
_CTX = load("event_context")
_NAME_WORD, _TOKEN, _OF_PART, _MORE_WORDS, _YEAR = _CTX.pick(
    "event.name.word", "event.name.token", "event.name.of_part", "event.name.more_words", "event.name.year")
_ASSEMBLY, _CONGRESS, _CAPITAL_AFTER, _LINKED_AFTER, _COURT_CASE = _CTX.pick(
    "event.name.assembly", "event.name.congress", "event.name.capital_after", "event.name.linked_after",
    "event.name.court_case")
_TITLE_OF, _NOT_EVENT_AFTER, _DOMESTIC, _PART_OF_BEFORE, _MEMBERS_AFTER = _CTX.pick(
    "event.name.title_of", "event.name.not_after", "event.name.domestic", "event.name.part_of",
    "event.name.members_after")
_MEMBERS_BEFORE = _CTX["event.name.members_before"]
_CEREMONY_OF, _OPENED, _AGREEMENT_QUOTED, _AGREEMENT, _MESSAGE_TO, _LIST_SEPARATOR = _CTX.pick(
    "event.name.ceremony_of", "event.name.opened", "event.name.agreement_quoted", "event.name.agreement",
    "event.name.message_to", "event.name.agreement_list")
_TOPIC_BEFORE = _CTX["event.name.topic_before"]
_BODY_AFTER, _TITLE_INSIDE = _CTX["event.name.body_after"], _CTX["event.name.title_inside"]
_WALK_STOP, _GENERIC, _DATE_TAIL, _DATE_PREFIX = _CTX.pick("event.name.walk_stop", "event.name.generic",
                                                          "event.name.date_tail", "event.name.date_prefix")
# heads whose names are a gathering only as a rule says: an Assembly or a Congress that is no
# legislature ("National Assembly"), a Fair that is international ("Vanity Fair", "Iowa State
# Fair" are none), a Debate that is a body's session ("the GOP Debate" is none)
_HEAD_MUST = {"Assembly": _ASSEMBLY, "Congress": _CONGRESS, "Fair": _CTX["event.name.fair"],
              "Debate": _CTX["event.name.debate"]}
# after the last word of a name: what may follow it
_NAME_END = set(",.;)”\"")


def _name_tail(text: str, he: int, e: int) -> int:
    """Where a gathering's name ends after its head: "of/for/on (the) X" and the capitalised
    and small words after it, the last ending at a space, a comma, a full stop, a bracket or
    the end (a word that runs on into other characters is given back, up to a full stop
    inside it); then a year and "Annual Conference" or "Summit"."""
    pos = he
    first = _OF_PART.at(text, he, e)
    if first is not None:
        pos = first.end()
        more = _MORE_WORDS.at(text, pos, e)
        if more is not None and more.end() > pos:
            end = more.end()
            if not (end == e or text[end].isspace() or text[end] in _NAME_END):
                ws, we = more.span("word")
                dot = text.rfind(".", ws + 1, we)
                end = dot if dot > ws else more.start("last")
            # a date the words ran into is none of the name ("the Summit for Peace on June 3")
            cut = _DATE_TAIL.find(text, first.end(), end)
            pos = cut.start() if cut is not None else end
    year = _YEAR.at(text, pos, e)
    return year.end() if year is not None else pos


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


# a title-case headline's determiners of a meeting of someone's ("Before Their Virtual Meeting")
_POSSESSIVES = frozenset(("Their", "His", "Her", "Our", "Its", "My", "Your"))


def named_gatherings(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Spans of named summits, forums, assemblies... in text[s:e]."""
    out = []
    for m in load("events")["event.named_gathering"].finditer(text, s, e):
        hs, he = m.start, m.end
        # walk left over name tokens
        lo = max(s, hs - 160)
        toks = list(_TOKEN.scan(text, lo, hs))
        start = hs
        caps, owned = 0, False
        # one lower-case word of topic between a capitalised name and a lower-case head: "the
        # Copenhagen climate summit" (not "Tuesday's emergency summit")
        topic = len(toks) >= 2 and m.group("head") == "summit" and toks[-1].group().isalpha() \
            and toks[-1].group().islower() and not _NAME_WORD.at(toks[-1].group()) \
            and _TOPIC_BEFORE.at(toks[-2].group()) is not None
        for i, t in enumerate(reversed(toks)):
            w = t.group().rstrip(",")
            if w in _POSSESSIVES:
                owned = True  # "Before Their Virtual Meeting": a meeting of theirs, not a name
                break
            if _WALK_STOP.at(w) is not None:
                break  # "Remarks by President A Before Bilateral Meeting": a headline's words
            if i == 0 and topic:
                start = t.start()
                continue
            if t.group().endswith(",") or not _NAME_WORD.at(w.strip("“”\"‘’")) and not _NAME_WORD.at(w):
                break
            if w in ("the", "The"):  # "The summit, hosted by Malaysia": no name
                break
            start = t.start()
            if (w[:1].isupper() or w[:1].isdigit() or w[:1] in "“\"") and any(c.isalnum() for c in w):
                caps += 1
        if owned:
            continue
        while text[start:hs].split()[:1] and text[start:hs].split()[0] in ("and", "of", "for", "on", "to", "in"):
            start += len(text[start:hs].split()[0]) + 1
        # walk right over "of/for/on the Capitalised ..." and a trailing year
        end = he + len(text[he:_name_tail(text, he, e)].rstrip())
        while text[start:end].split()[-1] in ("and", "of", "for", "on", "the", "in", "to", "against"):
            end = start + len(text[start:end].rsplit(" ", 1)[0])
        last = text[start:end].split()[-1]
        if last.endswith(".") and "." not in last[:-1]:
            end -= 1  # the sentence's full stop ("at the Summit of the Americas."), not an abbreviation's ("U.S.")
        head = m.group("head")
        if head == "summit" and caps == 0:
            continue
        name_text = text[start:end]
        if _GENERIC.at(name_text) is not None:
            continue  # "Bilateral Meeting", "Joint Press Conference": no gathering's name
        must = _HEAD_MUST.get(head)
        if must is not None and not must.find(name_text):
            continue  # a legislature, a party's congress, a magazine, a candidates' debate
        if head in ("Fair", "Meeting", "Dialogue", "Dialogues", "Forum", "Debate") and _CAPITAL_AFTER.find(text[he:he + 3]) \
                and not _LINKED_AFTER.find(text[he:he + 5]):
            continue  # an adjective or part of a longer name ("Students for Fair Admissions")
        if head == "Meeting" and _CTX["event.name.meeting_with"].find(text[he:he + 9]):
            continue  # "Biden’s Meeting with Prime Minister Sunak": a meeting of people (a trigger)
        if head == "Forum" and (_MEMBERS_AFTER.at(text, end, min(e, end + 20))
                                or _MEMBERS_BEFORE.find(text, max(s, start - 50), start)):
            continue  # "other Pacific Islands Forum leaders", "Leaders of the Forum met": the forum as a body
        if _COURT_CASE.find(text[max(s, start - 6):start]):
            continue  # a court case
        if caps == 0 and end == he:
            continue
        if _TITLE_OF.find(text[max(s, start - 30):start]) or _NOT_EVENT_AFTER.find(text[end:end + 20]) \
                or _TITLE_INSIDE.find(text[start:hs]):
            continue
        if _DOMESTIC.find(text[start:end]) or _PART_OF_BEFORE.find(text[max(s, start - 30):start]):
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


_NO_QUOTES = str.maketrans("", "", "“”\"‘’'")


def _norm_name(name: str) -> str:
    """A gathering's name as its mentions share it: without quotes, "the", and the date
    written before it, but its year ("the July 9-11 NATO Summit" is the NATO Summit; rule
    event.name.date_prefix)."""
    n = name.strip()
    if n.startswith(("the", "The")) and n[3:4].isspace():
        n = n[3:].lstrip()
    when = _DATE_PREFIX.at(n)
    if when is not None and any(c.isupper() for c in n[when.end():]):
        n = n[when.end():]  # (not "Thursday’s summit": a summit told by its day has no other name)
    return " ".join(n.translate(_NO_QUOTES).split())


_VARIANT_LEAD, _OPTIONAL_WORD, _PLACE_TAIL = _CTX.pick("event.name.variant_lead", "event.name.optional_word",
                                                      "event.name.place_tail")


@lru_cache(maxsize=8192)
def name_core(key: str) -> tuple[tuple[str, ...], str | None, str | None]:
    """What every mention of a gathering shares of its name key: its words without those
    written before it, inside it or after it that mentions write or leave out (rules
    event.name.variant_lead, event.name.optional_word and event.name.place_tail), with the
    year and the edition it writes (None when it writes none): "the 53rd pacific islands
    forum leaders meeting in suva" -> (("pacific", "islands", "forum", "meeting"), None, "53rd")."""
    m = _VARIANT_LEAD.at(key)
    year = edition = None
    if m is not None and m.end() < len(key):
        year, edition, key = m.group("year"), m.group("edition"), key[m.end():]
    tail = _PLACE_TAIL.find(key)
    if tail is not None and len(key[:tail.start()].split()) >= 2:
        key = key[:tail.start()]
    words = _short_forms(tuple(w for w in key.split() if not _OPTIONAL_WORD.at(w)))
    return words or tuple(key.split()), year, edition


def _short_forms(words: tuple[str, ...]) -> tuple[str, ...]:
    """Words of a name with those its reports also write short in their short form
    (vocabulary name_short_form: "united nations" -> "un")."""
    short = _short_form_table()
    out, i = [], 0
    while i < len(words):
        two = " ".join(words[i:i + 2])
        if len(words) > i + 1 and two in short:
            out.append(short[two])
            i += 2
        else:
            out.append(short.get(words[i], words[i]))
            i += 1
    return tuple(out)


@lru_cache(maxsize=1)
def _short_form_table() -> dict[str, str]:
    return {k.casefold(): str(v) for k, v in vocabulary("name_short_form").items()}


def name_key(name: str) -> str:
    """The key clustering files a gathering's name under: the name as its mentions share it
    (_norm_name), in lower case."""
    return _norm_name(name).casefold()


def name_ends(key: str) -> str:
    """The first and the last word of a name's core (name_core): two names that may name one
    gathering always share them."""
    words = name_core(key)[0]
    return words[0] + " " + words[-1]


def event_name_unnamed(text: str, r: Candidate, s: int, e: int) -> str | None:
    if r.event_type == "ceremony":
        m = _CEREMONY_OF.find(text[s:e])
        if m:
            return " ".join(m.group().split())
    if r.event_type == "ceremony":
        m = _OPENED.find(text[s:e])
        if m and m.group("what").split()[0] not in ("On", "In", "The", "At"):
            return "opening ceremony of the " + " ".join(m.group("what").split())
    if r.event_type == "agreement":
        m = _AGREEMENT_QUOTED.find(text[s:e]) or _AGREEMENT.find(text[s:e])
        if m:
            return _agreement_name(m.group("what"))
    return None


def _agreement_name(what: str) -> str:
    name = " ".join(what.split()).rstrip(" ,.")
    cut = _DATE_TAIL.find(name)
    name = name[:cut.start()] if cut else name
    return name[4:] if name.startswith(("The ", "the ")) else name  # "The Bangkok Declaration"


def agreement_list(text: str, r: Candidate, s: int, e: int) -> list[str]:
    """The names of the agreements a clause lists after its trigger, when it lists more than
    one ("signed an Agreement on ..., a Memorandum of Understanding on ... and a Cultural
    Exchange Programme"): each is an agreement of its own. [] for one name or none."""
    names, last = [], None
    for m in _AGREEMENT.scan(text, max(s, r.anchor), e):
        if last is not None and _LIST_SEPARATOR.at(text, last, m.start("what")) is None:
            break  # ("the Agreement on X, which builds on the Treaty of Y": one signed)
        names.append(_agreement_name(m.group("what")))
        last = m.end("what")
        if _DATE_TAIL.find(m.group("what")) is not None:
            break  # its date ends the list ("signed the Lisbon Agreement on Monday, a Joint Statement said")
    return names if len(names) > 1 else []


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
        body = _BODY_AFTER.at(text, ne, se)
        if body is not None:
            # "the general debate of the 75th session of the UN General Assembly First
            # Committee": a meeting of that body, not the gathering itself
            ne = body.end()
        name = _norm_name(text[ns:ne])
        known = None if body is not None else _known_for(_norm_name(text[ns:min(se, ne + 25)]), text[ss:se], None)
        etype = known.event_type if known else ("other" if "Expo" in name or "Fair" in name else
                                                 "meeting" if _CTX["event.name.bilateral_body"].find(name) else
                                                 "multilateral_meeting")
        out.append(Candidate(ns, ne, etype, name=known.name if known else name, known=known,
                             rule="event.known" if known else "event.named_gathering"))
    if _any_known().search(text, ss, se):
        for known in known_events():
            for m in known.pattern.finditer(text, ss, se):
                if any(c.known is known for c in out) or \
                        _PART_OF_BEFORE.find(text[max(ss, m.start() - 30):m.start()]) or _BODY_AFTER.at(text, m.end(), se):
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
        if _MESSAGE_TO.find(text[max(ss, c.anchor - 60):c.anchor]):
            c.event_type, c.channel = "message", "written"
            cands = [x for x in cands if x is c or not (x.event_type == "message" and x.name is None
                                                        and abs(x.anchor - c.anchor) < 80)]
    return cands
