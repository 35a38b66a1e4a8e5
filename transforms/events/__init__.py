"""Events: mentions of dated diplomatic activities, their participants, and the
real-world events that mentions in one or several documents share.

One sentence at a time, four stages hand one record, `record.Candidate`, along:

- `gatherings`: named summits, forums and assemblies, and the known events of
  transforms/data/known_events.csv;
- `triggers`: words that report a call, meeting, letter, visit, ceremony, agreement or
  delivery (the rules of transforms/rules/events.yaml);
- `participants`: each candidate's clause, date, participants and channel, and whether
  it is kept;
- `resolve`: mentions of one real-world event, across documents, clustered into one.

Each row keeps the `rule` that made it (transforms/rules/events.yaml, transforms/data/rules.csv)."""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from dataclasses import replace

import polars as pl

from transforms.documents import is_meta_line
from transforms.events import gatherings, participants, triggers as _triggers
from transforms.events.gatherings import known_event_year, name_core, name_key, named_gatherings
from transforms.events.record import CHANNELS, EVENT_TYPES, MENTION_SCHEMA, PARTICIPANT, Context
from transforms.events.resolve import cluster, events_table, link, recluster
from transforms.events.triggers import trigger_rules, triggers
from transforms.rules import budget, load
from transforms.rules.engine import vocabulary
from transforms.names import Entity, gazetteer, protagonist, title_refs
from transforms import dates as D
from transforms.text import bodies, sentence_spans

__all__ = ["CHANNELS", "EVENT_TYPES", "MENTION_SCHEMA", "PARTICIPANT", "cluster", "events_table", "extract", "find",
           "link", "mentions", "named_gatherings", "recluster", "trigger_rules", "triggers"]


def _can_report(text: str, sents) -> list[bool]:
    """For each sentence, whether any pattern of the events rules can match it (the
    prefilter, derived from the rule files), in one vectorised pass."""
    if not sents:
        return []
    return _triggers.can_report([text[s:e] for _, s, e in sents])


def find(text: str, start: int, end: int, published: dt.date | None, ref_year: int | None, ann=None,
         can_report: list[bool] | None = None) -> list[dict]:
    """Event mentions of text[start:end]. Relative dates are read against the document's
    anchor: its dateline's date when `ann` (its Annotation) has one, else `published`.
    can_report: which sentences the prefilter lets through (computed when not given)."""
    if ann is not None:
        published, basis = ann.anchor, ann.anchor_basis
    else:
        basis = "published" if published else None
    if published is None and ref_year is None:
        ref_year = known_event_year(text, start, end)
    when = published or (dt.date(ref_year, 7, 1) if ref_year else None)
    if can_report is not None and not any(can_report):
        return []  # no sentence the prefilter lets through: the names need not be read
    if _sports_story(text, start, end):
        return []  # teams that meet and tour, not countries (rule event.not.sport)
    ents = ann.names(when) if ann is not None and (start, end) == (ann.body_start, ann.body_end) else \
        gazetteer().find(text, start, end, when=when)
    sents = ann.sentences if ann is not None else sentence_spans(text, start, end)
    can = _can_report(text, sents) if can_report is None else can_report
    # "the Vice President" for the person so introduced (counted too in whom the text is about)
    refs = title_refs(text, start, end, ents, ann.home if ann is not None else None, when)
    if refs:
        ents = sorted(ents + refs, key=lambda m: (m.start, m.end))
    ctx = Context(text, start, end, published, basis, ref_year, ents, [m.start for m in ents], protagonist(ents),
                  participants.offices(text, ents), _courtesy_only(ents), _meta_lines(text, sents))
    out: list[dict] = []
    dates_in = ann.dates_in if ann is not None else (lambda s, e: D.find_dates(text, s, e))
    ctx.turns = _speaker_turns(ctx, sents)
    for sent_no, (_, ss, se) in enumerate(sents):
        budget.check()
        if not can[sent_no] or _triggers._CAPTION.find(text[ss:se]):
            continue
        cands, channel_only = _triggers.find(text, ss, se, gatherings.find(text, ss, se))
        again, upto, beside = _refers_back(ctx, ss, se, out, dates_in, cands)
        if again is not None and beside is None:
            # "During the meeting, ...": the sentence tells of the gathering reported before;
            # what its own triggers find without a date of their own is that gathering too
            # (up to where the clause that refers back ends)
            out.append(again)
            cands = [c for c in cands
                     if c.event_type not in ("meeting", "phone_call", "multilateral_meeting") or c.anchor >= upto]
        elif again is not None:
            # "Following the meeting, ...": what the sentence tells happened beside that
            # gathering, which it does not tell again (nor does the noun that names it): the
            # triggers before those words, and those after them read again without it
            after, after_channel = _triggers.find(text, beside[1], se, [c for c in cands if c.name and c.anchor >= beside[1]])
            cands = [c for c in cands if c.anchor < beside[0]] + after
            channel_only = [m for m in channel_only if m.start < beside[0]] + after_channel
        if not cands:
            continue
        cands = gatherings.messages_to_gatherings(text, ss, cands)
        cands.sort(key=lambda c: c.anchor)
        for c in cands:
            c.sent_no, c.sent_start, c.sent_end = sent_no, ss, se
        dexprs = dates_in(ss, se)
        kept = _said_in_talks(ctx, cands, participants.complete(ctx, cands, dexprs, channel_only), out)
        _their_earlier_talks(ctx, kept, out)
        _at_the_gathering(ctx, kept)
        kept += _done_at_the_one_told_before(ctx, cands, kept, again)
        _on_its_sidelines(ctx, kept, out)
        kept += _done_by_the_two_sides(ctx, cands, kept, out)
        kept.sort(key=lambda c: c.anchor)
        if beside is not None:
            _beside_the_talks(kept, again)
        if ctx.turns:
            _told_in_turn(ctx, kept)
        out += [c.row(text) for c in kept]
        if again is None and len(kept) < len(cands):
            earlier = _earlier_talks(ctx, cands, kept, out)
            out += earlier
            again = None if earlier else _told_again(ctx, cands, kept, ss, se, out)
            if again is not None:
                out.append(again)
    _attendee_lists(ctx, sents, out)
    _adopted_in_the_story(out)
    _joined_by(ctx, sents, out)
    _during_trip(ctx, out)
    return out


def _speaker_turns(ctx: Context, sents) -> list[tuple[int, Entity | None, Entity | None]]:
    """The turns of a transcript: (where each starts, its speaker, the one spoken to) for each
    label that opens a line after the headline ("PRESIDENT RUIZ:", "Minister Berg:"; rule
    event.ref.speaker_turn), its speaker the person the document or the gazetteer knows by
    it (None for a reporter's question, or a label that names nobody known); the one spoken
    to is the other speaker, where the transcript has exactly two. [] for a text with fewer
    than two labels: a headline that quotes someone ("Ana Ruiz: We will talk to Denmark") is
    no transcript."""
    text = ctx.text
    found = []
    for _, ss, se in sents[1:]:
        if text[ss - 1] != "\n" or ":" not in text[ss:min(se, ss + 60)] and text[ss] != "Q":
            continue
        m = _SPEAKER_TURN.at(text, ss, min(se, ss + 60))
        if m is not None:
            label = m.group("label")
            found.append((ss, _label_person(ctx, label, ss, m.end()) if label else None))
    speakers = list(dict.fromkeys(p for _, p in found if p is not None))
    if len(found) < 2 or not speakers:
        return []

    def other(p):
        return next((q for q in speakers if q != p), None) if p is not None and len(speakers) == 2 else None
    return [(pos, p, other(p)) for pos, p in found]


def _label_person(ctx: Context, label: str, start: int, end: int) -> Entity | None:
    """The person a turn's label names: one the document names elsewhere by the label's name
    (or its last word, unless two people share it: "PRESIDENT RUIZ" is Ana Ruiz), else one
    the gazetteer knows by it."""
    words = [w.capitalize() if w.isupper() else w for w in label.split()]
    named = [w for w in words if w.casefold() not in _TITLE_WORDS] or words
    full, last = " ".join(named), named[-1].casefold()
    # (named outside the label: "Minister Wang:" is not the "Wang" its own title makes of it;
    # a full name before a surname alone)
    people = list(dict.fromkeys(m.entity for m in ctx.ents if m.entity.kind == "person"
                                and not start <= m.start < end))
    for p in people:
        if p.name.casefold() == full.casefold():
            return p
    by_last = [p for p in people if last in (w.casefold() for w in p.name.split())]
    by_last = [p for p in by_last if " " in p.name] or by_last
    if len(by_last) == 1:
        return by_last[0]
    if by_last:
        return None  # two people of that name: the label says not which
    ent = gazetteer().lookup.get(full) or gazetteer().lookup.get(named[-1])
    if ent is not None and ent.kind == "person":
        return ent
    # a full name the transcript writes as a name elsewhere, in its header above the body
    # ("Senator the Hon Ana Ruiz" over the turns of "ANA RUIZ:")
    if len(named) >= 2 and ctx.text.find(full, 0, ctx.start) >= 0:
        return Entity(full, "person", None)
    return None


def _told_in_turn(ctx: Context, kept: list) -> None:
    """Events a speaker tells in the first person in their turn ("We last met in Riga",
    "I will visit Oslo", "thank you for your call"; participants.told_in_turn): the speaker,
    and the one spoken to, take part. The article's protagonist, when the clause does not
    name them, is no party in the speaker's place."""
    for c in kept:
        who = participants.told_in_turn(ctx, c)
        if who is None:
            continue
        add = [p for p in who if p is not None]
        named = {x.entity for x in participants._within(ctx.ents, ctx.ent_starts, c.clause_start, c.clause_end)}
        # ("When I spoke to him last Tuesday": the one the pronoun stands for stays)
        if participants._OBJECT_PRONOUN.at(ctx.text, c.anchor_end, min(c.clause_end, c.anchor_end + 12)) is not None:
            named.add(ctx.main)
        keep = [p for p in c.participants if p is not ctx.main or p in named or p in add]
        c.participants = list(dict.fromkeys(add + keep))


def _meta_lines(text: str, sents) -> int:
    """How many date, time or place lines stand right after the first sentence (a
    headline): "June 14, 2023, 16:40, The Kremlin, Moscow"; "Oval Office", "10:58 A.M. EDT"."""
    n = 0
    for _, ss, se in sents[1:4]:
        if not is_meta_line(text[ss:se]):
            break
        n += 1
    return n


def _joined_by(ctx: Context, sents, out: list[dict]) -> None:
    """People who went with an event's party, told in a sentence of their own right after it
    ("He was joined by Deputy Secretary A, Envoy B, and Senior Director C"; rule
    event.ref.joined_by): parties of that event, the last one told before the sentence."""
    text = ctx.text
    if not out:
        return
    for _, ss, se in sents:
        if "ed by" not in text[ss:min(se, ss + 80)]:
            continue  # ("joined by", "accompanied by" open the sentence: a plain look first)
        m = _JOINED_BY.find(text, ss, se)
        if m is None or m.start() - ss > 40:
            continue
        ref = _last_told(out, ("visit", "meeting", "phone_call", "multilateral_meeting"), ss)
        if ref is None or any(r["sent_start"] == ss for r in out):
            continue  # (a sentence that tells an event of its own has its own parties)
        parts = ref["participants"]
        for x in participants._within(ctx.ents, ctx.ent_starts, m.end(), se):
            if x.entity.kind == "person" and x.entity not in parts and x.entity.name not in ctx.courtesy_only:
                parts.append(x.entity)


def _last_told(out: list[dict], types: tuple, ss: int) -> dict | None:
    """The last mention of one of these types told before the sentence that starts at ss."""
    return next((r for r in reversed(out) if r["event_type"] in types and r["sent_start"] < ss), None)


def _adopted_in_the_story(out: list[dict]) -> None:
    """An agreement its parties adopted or signed, with no date of its own (or only the
    report's), after the gathering or talks the story first dates to the day, is of that day
    ("We adopted the ASEAN Leaders' Declaration on ..." in the chairman's statement of a
    summit held on 10 May): rule event.clause.adopted. (The story's own event, not one it
    recalls on the way: "the 2+2 Ministerial Dialogue held on April 11".)"""
    last = None
    for r in out:
        if last is None and r["event_type"] in ("multilateral_meeting", "meeting"):
            if r["event_date"] is None:
                last = {}  # the story's first gathering is undated: no later one stands for it
            elif r["date_precision"] == "day" and r["date_basis"] in ("text", "dateline"):
                last = r
        elif r["event_type"] == "agreement" and last \
                and (r["event_date"] is None or r["date_basis"] in ("published", "headline")) \
                and r["rule"] == "event.trigger.agreement" and _ADOPTED.find(r["evidence"]) is not None \
                and _FUTURE_WORDS.find(r["evidence"]) is None:
            r["event_date"], r["date_precision"], r["date_basis"] = last["event_date"], "day", last["date_basis"]


def _during_trip(ctx: Context, out: list[dict]) -> None:
    """Talks told after a trip, with no date of their own, held on that trip take its date:
    those a clause puts inside it ("During the visit, she held talks with ...", rule
    event.ref.during_trip) and those with people of the country visited ("National Security
    Advisor X traveled to Israel December 21-22. In Israel, X met with President Herzog").
    A trip of several days gives its month (the day of the talks is not told); a trip of one
    day, its day. Another dated event told in between ends the trip's reach."""
    text = ctx.text
    trip, visited, visitors = None, set(), set()
    for r in out:
        if r["event_type"] == "visit" and r["event_date"] is not None and r["date_basis"] in ("text", "dateline") \
                and r["date_text"]:
            if trip is None or r["sent_start"] != trip["sent_start"]:
                visited, visitors = set(), set()  # a new trip (one sentence may tell it a visit per country)
            trip = r
            visitors |= {p for p in r["participants"] if p.kind == "person"}
            visited |= {p.country_code for p in r["participants"] if p.kind == "country"} - \
                {p.country_code for p in visitors}
            continue
        if trip is None or r["sent_start"] <= trip["sent_start"]:
            continue
        if r["date_text"] is not None and r["event_date"] is not None:
            if r["event_date"] != trip["event_date"]:
                trip = None  # the story has moved on to another dated event
            continue
        if r["event_type"] not in ("meeting", "ceremony", "agreement") or r["date_basis"] == "dateline":
            continue  # (a news story's dateline dates what it tells better than the trip's first day)
        inside = _DURING_TRIP.find(text, r["char_start"], r["char_end"]) is not None
        countries = {p.country_code for p in r["participants"] if p.country_code}
        # talks with people of a country visited, or of the traveller with nobody of elsewhere
        there = bool(countries & visited) or bool(visitors & set(r["participants"])) and countries <= visited
        if not (inside or there and r["event_type"] == "meeting"):
            continue  # (an agreement with the country visited may be of another day: only one told "during the visit")
        several = _DATE_RANGE.find(trip["date_text"]) is not None
        date, precision = trip["event_date"], trip["date_precision"]
        if several and precision == "day":
            date, precision = date.replace(day=1), "month"
        r["event_date"], r["date_precision"], r["date_basis"] = date, precision, trip["date_basis"]


_KIND_TYPES = {"call": ("phone_call",), "summit": ("multilateral_meeting",), "visit": ("visit",), "trip": ("visit",),
               "delegation": ("visit", "meeting")}


def _attendee_lists(ctx: Context, sents, out: list[dict]) -> None:
    """Who took part, listed after a sentence that introduces them ("Joining the call were
    the following leaders:" and a line for each; rule event.ref.attendees): each person,
    country or organisation of the list's lines is a party of the event the sentence refers
    to, the last one of its kind told before it."""
    text = ctx.text
    if not out or ":" not in text:
        return
    for _, ss, se in sents:
        if text[ss:se].rstrip()[-1:] != ":":
            continue
        m = _ATTENDEES.find(text, ss, se)
        if m is None:
            continue
        kind = (m.group("kind") or m.group("kind2")).lower()
        types = _KIND_TYPES.get(kind, ("meeting", "phone_call", "multilateral_meeting"))
        ref = _last_told(out, types, ss)
        if ref is None:
            continue
        added = []
        pos = se
        while pos < ctx.end:
            nl = text.find("\n", pos)
            line_end = ctx.end if nl < 0 else min(nl, ctx.end)
            line = text[pos:line_end]
            if line.strip():
                if _LIST_ITEM.at(text, pos, line_end) is None:
                    break
                added += [x.entity for x in participants._within(ctx.ents, ctx.ent_starts, pos, line_end)]
            pos = line_end + 1
        parts = ref["participants"]
        for ent in added:
            if ent not in parts and not (ent.kind == "country" and any(p.country_code == ent.country_code for p in parts + added
                                                                            if p.kind == "person")):
                parts.append(ent)


_REF, _SUBJECT, _TWO_SIDES, _CALL, _SPEECH, _AGAIN, _FIRST_PERSON, _EARLIER_TALKS = load("events").pick(
    "event.ref.gathering", "event.ref.subject", "event.ref.two_sides", "event.ref.call", "event.ref.speech",
    "event.ref.again", "event.ref.first_person", "event.ref.earlier_talks")
_TALKS = ("meeting", "phone_call")
_FIRST_MENTIONS = 50
_AT_TALKS_KINDS = ("agreement", "ceremony")
_TWO_PARTIES, _AT_THE_TALKS, _AT_GATHERING, _SIDELINES, _MESSAGE_TO_GATHERING, _WITH_SOMEONE, _WHERE_AT = \
    load("event_context").pick("event.ref.two_parties", "event.ref.at_the_talks", "event.ref.at_gathering",
                               "event.ref.sidelines", "event.ref.message_to_gathering", "event.ref.with_someone",
                               "event.ref.where_at")
_WISHES_SAID, _WRITTEN = load("event_context").pick("event.clause.wishes_said", "event.clause.written")
_ATTENDEES, _LIST_ITEM = load("event_context").pick("event.ref.attendees", "event.clause.list_item")
_DURING_TRIP, _DATE_RANGE = load("event_context").pick("event.ref.during_trip", "event.clause.date_range")
_JOINED_BY = load("event_context")["event.ref.joined_by"]
_SPORT = load("event_context")["event.not.sport"]
SPORT_WORDS = 3  # different words of sport that make a document a sports story


def _sports_story(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds SPORT_WORDS different words of sport (rule event.not.sport)."""
    seen = set()
    for m in _SPORT.scan(text, start, end):
        seen.add(m.group().casefold())
        if len(seen) >= SPORT_WORDS:
            return True
    return False


_SPEAKER_TURN = load("event_context")["event.ref.speaker_turn"]
_TITLE_WORDS = frozenset(w.casefold() for t in vocabulary("title_word") for w in t.split())
_ADOPTED, _FUTURE_WORDS = load("event_context").pick("event.clause.adopted", "event.clause.future")
# kinds of event that a noun names again without its parties ("to form the joint patrol team")
_AGAIN_KINDS = ("other", "visit", "agreement", "ceremony", "aid_delivery")
_GATHERING_HEADS = ("summit", "forum", "conference", "symposium", "seminar", "dialogues")


def _courtesy_only(ents) -> frozenset:
    """Names of the people that ents find only by a courtesy title ("Mr Blair", the full
    name so given) or as a party's leader ("Tory leader Tom Hale"), and by their
    surname: they take part, but are nobody's counterpart on their own (a party leader's
    tour of the country is no visit abroad)."""
    how: dict[str, set] = {}
    for m in ents:
        if m.entity.kind == "person":
            how.setdefault(m.entity.name, set()).add(m.via)
    return frozenset(n for n, vias in how.items() if vias <= {"courtesy", "surname", "leader"}
                     and vias & {"courtesy", "leader"})


def _refers_back(ctx: Context, ss: int, se: int, before: list[dict], dates_in, cands: list
                 ) -> tuple[dict | None, int, tuple | None]:
    """A mention of the last meeting (or, for a summit, forum or conference, the last
    multilateral meeting) reported before sentence text[ss:se], when the sentence names it
    again by its kind, and where the part of the sentence that does so ends; (None, se)
    when it does not, or nothing was reported before; and, when the sentence names it only
    as the time of what it tells ("Following the meeting, ..."), the span that does so. The
    people the sentence names take part too ("Also addressing the forum, Deputy Director
    Chen said"). A sentence that names a gathering of its own refers back only by the
    subject that opens it ("The Downing Street talks covered trade ahead of an EU summit")."""
    text = ctx.text
    if not before:
        return None, se, None
    named = any(c.name for c in cands)
    m, rule = (None, None) if named else (_REF.find(text, ss, se), _REF)
    if m is None and not named:
        # "Carrie Lam said in her speech that ...": a speech at the gathering reported before
        m, rule = _SPEECH.find(text, ss, se), _SPEECH
    upto, years = se, set()
    if m is None:
        # "The meeting will also assess progress": the sentence opens with it, undated up to
        # the next event it tells
        m, rule = _SUBJECT.at(text, ss, se), _SUBJECT
        if m is not None:
            upto = min((c.anchor for c in cands if c.anchor >= m.end()), default=se)
            # (not the start of a period: "This was the first meeting ... since President
            # Ruiz assumed office in October 2024")
            dated = [d for d in dates_in(ss, upto) if participants._SINCE.find(text, max(m.end(), d.start - 70), d.start) is None]
            # (a year alone may be someone's term: "Chair of ASEAN for 2023"; it is checked
            # against the gathering's below)
            years = {d.year for d in dated if d.kind == "bareyear"}
            if len(years) < len(dated):
                return None, se, None
    if m is None and not named:
        # "The two sides had an exchange of views": the talks or call reported first, unless
        # the sentence dates what it tells
        m, rule = _TWO_SIDES.find(text, ss, se), _TWO_SIDES
        if m is None or dates_in(ss, se):
            return None, se, None
        # the article's own talks or call, which it reports first: "the two leaders" of a
        # readout are those of its call, not of the earlier summit it recalls
        ref = _fullest(before, _first_talks(before))
    elif m is None:
        return None, se, None
    else:
        # "the meeting", "the talks": the last talks reported, else the last gathering (talks on the
        # margins of a summit are what "the meeting" names); "the summit", "the forum": a gathering
        kind = "" if rule is _SPEECH else m.group("kind").lower()  # ("The Meeting was chaired by")
        kinds = ("multilateral_meeting",) if rule is _SPEECH or kind in _GATHERING_HEADS \
            else ("phone_call",) if kind in ("call", "conversation") else ("meeting", "multilateral_meeting")
        online = any(w in m.group().lower() for w in ("virtual", "video", "online"))
        ref = None
        for kind in kinds:
            # (not earlier talks the story only recalls: "The two leaders last met in Oslo in May")
            ref = next((r for r in reversed(before) if r["event_type"] == kind and (not online or r["channel"] == "video")
                        and r["rule"] not in _TOLD_AGAIN_RULES), None)
            if ref is not None:
                break
    if ref is None:
        return None, se, None
    if rule is _SUBJECT and years and (ref["event_date"] is None or ref["event_date"].year not in years):
        return None, se, None  # "The summit in 2019 was ...": another one
    beside = m.span() if rule is _REF and m.group("beside") else None
    return _again(ctx, ref, ss, se, rule, m), upto, beside


def _beside_the_talks(kept: list, again: dict) -> None:
    """Talks, calls and appearances told "after" or "following" the gathering a sentence
    refers back to, with no date of their own, are of its day ("Following the meeting,
    Ruiz met with Holm"; group `beside` of event.ref.gathering)."""
    for c in kept:
        if c.date_text is None and c.event_type in ("meeting", "phone_call", "other") and again["event_date"] is not None:
            c.take_date(again, with_text=False)


def _said_in_talks(ctx: Context, cands: list, kept: list, before: list[dict]) -> list:
    """kept without the congratulations and condolences that were said in talks, not sent
    (event.clause.wishes_said, with no written message in their clause): those told in the
    sentence of a call or meeting ("called President Holm to congratulate him"), and those
    to people of talks reported before ("President Ruiz congratulated Prime Minister Holm
    on his re-election", in the readout of their call). Congratulations to someone else are
    a message of their own."""
    text = ctx.text
    # (a trigger of talks counts even when its clause names nobody: "During separate meetings
    # with them, X expressed condolences")
    talks_here = any(k.event_type in _TALKS or k.event_type == "multilateral_meeting" for k in cands)
    out = []
    for c in kept:
        if c.event_type == "message" and _WISHES_SAID.at(text, c.anchor, c.anchor_end) is not None \
                and _WRITTEN.find(text, c.clause_start, c.clause_end) is None:
            others = [p for p in c.participants if p != ctx.main]
            if talks_here or any(r["event_type"] in _TALKS and (r["sent_start"] == c.sent_start  # "During the meeting, X congratulated"
                                                                or _covers(r["participants"], others)) for r in before):
                continue
        out.append(c)
    return out


def _covers(parts: list, others: list) -> bool:
    """Whether every one of others takes part in talks of parts: the same party, or a
    country whose person does ("congratulated Greece", in a call with its prime minister)."""
    codes = {p.country_code for p in parts if p.country_code}
    return all(p in parts or p.kind == "country" and p.country_code in codes for p in others)


def _told_again(ctx: Context, cands: list, kept: list, ss: int, se: int, before: list[dict]) -> dict | None:
    """A mention of an event reported before, told again by a trigger that the sentence's
    candidates lost for naming no counterpart, date or name: the article's own call by a
    call word ("President Biden, calling from Air Force One, conveyed that ..."); its patrol,
    visit or agreement by a noun that names it ("each sent a ship to form the joint patrol
    team"); its talks or call told in the first person ("the first time for us to meet
    virtually", on their day if the clause dates them). None when the clause is a wish or
    denies the trigger."""
    text = ctx.text
    lost = [c for c in cands if (c.event_type in _TALKS or c.event_type in _AGAIN_KINDS)
            and not any(k.anchor == c.anchor for k in kept)]
    for c in lost:
        if participants.is_wish(text, c.clause_start, c.clause_end) or participants.is_negated(text, c):
            continue
        tries = [] if c.event_type == "meeting" or c.date_text is not None else \
            [(_CALL if c.event_type == "phone_call" else _AGAIN, (c.anchor, c.anchor_end), (c.event_type,))]
        if c.event_type in _TALKS:
            # "the first time for us to meet virtually", "thank you for your call": told by one
            # who took part in the talks (on their day, if the clause dates them)
            tries.append((_FIRST_PERSON, (c.clause_start, c.clause_end), _TALKS))
        for rule, (s, e), kinds in tries:
            m = rule.find(text, s, e)
            ref = None if m is None else next((r for r in before if r["event_type"] in kinds and r["sent_start"] < ss), None)
            if ref is not None and (c.date_text is None or c.event_date == ref["event_date"]):
                return _again(ctx, ref, ss, se, rule, m)
    return None


def _earlier_talks(ctx: Context, cands: list, kept: list, before: list[dict]) -> list[dict]:
    """Talks or a call that a clause dates on its own but whose parties it names only as
    "the two leaders" ("The call follows the two leaders’ conversation on March 18"): a
    mention of those talks, with the participants of the first talks or call reported
    before (rule event.ref.earlier_talks)."""
    text = ctx.text
    ref = _talks_with_their_parties(before)
    if ref is None:
        return []
    out = []
    for c in cands:
        if c.event_type not in _TALKS or any(k.anchor == c.anchor for k in kept):
            continue
        if c.event_date is None:
            _date_of_earlier_talks(ctx, c)  # "This meeting builds on their November 2021 meeting"
        if c.event_date is None or c.date_text is None:
            continue
        rule = _earlier_talks_rule(text, c, 40)
        if rule is None:
            continue
        c.participants, c.rule = list(ref["participants"]), rule.id
        if rule is _EARLIER_TALKS:  # "their conversation": the channel of the talks it follows
            c.channel = c.channel or ref["channel"]
        out.append(c.row(text))
    return out


def _date_of_earlier_talks(ctx: Context, c) -> None:
    """The date that earlier talks' own words give them ("their November 2021 meeting", rule
    event.ref.earlier_talks), when c's clause left it to no trigger: set on c."""
    m = _EARLIER_TALKS.find(ctx.text, c.clause_start, c.clause_end)
    if m is None:
        return
    for d in D.find_dates(ctx.text, m.start(), m.end()):
        date, precision = D.resolve(d, ctx.published, ctx.ref_year)
        if date is not None and precision in ("day", "month"):
            c.event_date, c.date_precision, c.date_text, c.date_basis = date, precision, d.text, "text"
            return


def _earlier_talks_rule(text: str, c, back: int):
    """The rule by which c's clause tells earlier talks of the article's parties: as theirs
    (event.ref.earlier_talks, read from `back` characters before the trigger to the clause's
    end: "The call follows the two leaders' conversation on March 18"), else in the first person with
    nobody else (event.ref.first_person: "since we met in Rome last November", not "we met
    with the farmers"); None when it tells neither."""
    # (read to the clause's end: "This meeting builds on their November 2021 meeting in Paris"
    # holds two triggers of talks, of which the first stands for both; but not one that ends
    # before the trigger: "Their meeting followed up on the November 15 virtual meeting between
    # President A and President B" tells other talks, of the two it names)
    if any(h.end > c.anchor for h in _EARLIER_TALKS.finditer(text, max(c.clause_start, c.anchor - back), c.clause_end)):
        return _EARLIER_TALKS
    m = _FIRST_PERSON.find(text, max(c.clause_start, c.anchor - 40), c.anchor_end)
    if m is None or _WITH_SOMEONE.at(text, m.end(), c.clause_end) is not None:
        return None
    return _FIRST_PERSON


def _talks_with_their_parties(before: list[dict]) -> dict | None:
    """The article's first talks or call with both its parties: its first mention, or, when
    that names one party only (a headline "Talks with President X"), the fullest mention
    of the same talks."""
    ref = _first_talks(before)
    return _fullest(before, ref) if ref is not None and len(ref["participants"]) < 2 else ref


def _first_talks(before: list[dict]) -> dict | None:
    """The article's own talks or call: the first reported."""
    return next((r for r in before if r["event_type"] in _TALKS), None)


def _fullest(before: list[dict], ref: dict | None) -> dict | None:
    """Of the mentions of ref's event told so far (its type, a party of it), the one that
    names the most parties: a headline "Telephone conversation with President X" names one,
    the story's first sentence both (and dates it from the text)."""
    if ref is None:
        return None
    # the first talks are told at the story's start: read no further than its first mentions
    # (a long document of many talks costs no more per sentence)
    same = [r for r in before[:_FIRST_MENTIONS] if r["event_type"] == ref["event_type"]
            and any(p in ref["participants"] for p in r["participants"])] or [ref]
    return max(same, key=lambda r: (len(r["participants"]), r["date_basis"] in ("text", "dateline")))


def _done_by_the_two_sides(ctx: Context, cands: list, kept: list, before: list[dict]) -> list:
    """What was done at the talks the article reported first. An agreement that "the two
    sides" signed ("The two sides signed a memorandum of understanding after the talks") has
    their parties (rule event.ref.two_parties): kept agreements that named no other party
    take them, lost ones come back (returned). An agreement or ceremony the clause sets
    "after the talks", "before the talks", or that "the two sides" did, with no date of its
    own, is of the talks' day (rule event.ref.at_the_talks)."""
    text, back, ref = ctx.text, [], None
    for c in cands:
        if c.event_type not in _AT_TALKS_KINDS:
            continue
        two = c.event_type == "agreement" and _TWO_PARTIES.find(text, c.clause_start, c.anchor) is not None
        at = c.date_text is None and _AT_THE_TALKS.find(text, c.clause_start, c.clause_end) is not None
        if not (two or at) or participants.is_negated(text, c):
            continue
        if ref is None:
            ref = _fullest(before, _first_talks(before))
            if ref is None:
                return []
        if c not in kept:
            if not two:
                continue  # lost, and not what the two sides did: nothing brings it back
            back.append(c)
        elif two and any(p not in ref["participants"] for p in c.participants):
            two = False  # an agreement that names a party the talks did not have is another's
        if two:
            c.participants = list(ref["participants"]) + [p for p in c.participants if p not in ref["participants"]]
        if c.date_text is None:
            c.take_date(ref, with_text=False)
    return back


def _at_the_gathering(ctx: Context, kept: list) -> None:
    """An agreement or ceremony with no date of its own that its clause sets at the gathering
    or talks it names next, which have one ("adopted the Lisbon Declaration at the summit on
    Sunday"), is of their day (rule event.ref.at_gathering); so is a message sent to the
    gathering named next (event.ref.message_to_gathering). An agreement or ceremony that
    names no party has those of the gathering it was done at: the one named next, or the one
    named before it whose place a clause opens ("the China-ASEAN Summit in Jakarta, where the
    leaders adopted a joint statement", rule event.ref.where_at). (One the sentence refers
    back to: `_done_at_the_one_told_before`.)"""
    text = ctx.text
    for c in kept:
        if c.event_type not in _AT_TALKS_KINDS + ("message",):
            continue
        after = next((g for g in kept if g.event_type in ("meeting", "multilateral_meeting")
                      and c.anchor_end <= g.anchor <= c.anchor_end + 120), None)
        # a message sent to a gathering ("a congratulatory letter to the forum on Monday") is of its day
        how = _MESSAGE_TO_GATHERING if c.event_type == "message" else _AT_GATHERING
        at = after if after is not None and (c.event_type != "message" or after.event_type == "multilateral_meeting") \
            and how.at(text, c.anchor_end, after.anchor_end) is not None else None
        if at is not None and c.date_text is None and at.date_text is not None:
            c.take_date(at)
        if at is not None and c.event_type != "message":
            c.channel = c.channel or at.channel  # done there, the way it was held
        if c.event_type == "message" or c.participants:
            continue
        if at is None:
            at = next((g for g in reversed(kept) if g.event_type == "multilateral_meeting"
                       and g.anchor_end <= c.anchor and _WHERE_AT.at(text, g.anchor_end, c.anchor) is not None), None)
        if at is not None:
            c.participants = list(at.participants)
            if c.date_text is None:
                c.take_date(at)


def _done_at_the_one_told_before(ctx: Context, cands: list, kept: list, again: dict | None) -> list:
    """An agreement or ceremony that names no party, in a sentence that refers back to the
    meeting or gathering told before ("Following the meeting, the leaders adopted a joint
    statement", "During the meeting, the ministers adopted the Guidelines"): done there, by
    its parties, on its day unless the clause dates it. Returns those that were lost for
    naming nobody."""
    if again is None or again["event_type"] not in ("meeting", "multilateral_meeting"):
        return []
    back = []
    # (with the agreements of a list each kept as its own candidate)
    for c in cands + [k for k in kept if not any(k is x for x in cands)]:
        if c.event_type not in _AT_TALKS_KINDS or participants.is_negated(ctx.text, c) \
                or participants.is_wish(ctx.text, c.clause_start, c.clause_end):
            continue
        if c.date_text is not None and c.event_date != again["event_date"]:
            continue  # dated apart: "progress on the reform plans agreed in Lisbon in 2000
        if any(k is c for k in kept):
            if c.participants:
                continue
        else:
            back.append(c)
        c.participants = list(again["participants"])
        c.channel = c.channel or again["channel"]  # done there, the way it was held
        if c.date_text is None:
            c.take_date(again, with_text=False)
    return back


def _on_its_sidelines(ctx: Context, kept: list, before: list[dict]) -> None:
    """Talks or an agreement with no date of their own that their clause sets on the sidelines
    of a gathering it does not name ("On the sidelines, he met with ...", "welcomed the
    signing, on the margins of the Summit, of the Memorandum") are of the days of the last
    gathering reported before, when that has a date (rule event.ref.sidelines)."""
    for c in kept:
        if (c.event_type not in _TALKS and c.event_type != "agreement") or c.date_text is not None:
            continue
        if _SIDELINES.find(ctx.text, c.clause_start, c.clause_end) is None:
            continue
        # (read back no further than the mentions of a few sentences: a gathering told long
        # before is no longer the one the sentence means, and the work stays linear)
        g = next((g for g in before[:-_FIRST_MENTIONS - 1:-1] if g["event_type"] == "multilateral_meeting"), None)
        if g is not None and g["event_date"] is not None:
            c.take_date(g)


def _their_earlier_talks(ctx: Context, kept: list, before: list[dict]) -> None:
    """Talks or a call kept with a date of their own that the clause gives as those of the
    parties of the article's first talks ("This meeting, which followed their May 18 phone
    call"): they take those parties (rule event.ref.earlier_talks)."""
    ref = _talks_with_their_parties(before)
    if ref is None:
        return
    for c in kept:
        if c.event_type not in _TALKS or c.date_text is None or c.event_date == ref["event_date"]:
            continue
        rule = _earlier_talks_rule(ctx.text, c, 60)
        # told in the first person ("We met in Lisbon in May," Ruiz said), it names nobody else
        # (by name: a speaker's label gives no country)
        names = {p.name for p in ref["participants"]}
        if rule is None or rule is _FIRST_PERSON and any(p.name not in names for p in c.participants):
            continue
        c.participants = list(ref["participants"]) + [p for p in c.participants if p.name not in names]
        c.rule = rule.id


def _again(ctx: Context, ref: dict, ss: int, se: int, rule, m) -> dict | None:
    """Sentence text[ss:se] as one more mention of the event of row `ref`, with the people
    the sentence names."""
    text = ctx.text
    inside = [m for m in ctx.ents[bisect.bisect_left(ctx.ent_starts, ss):bisect.bisect_left(ctx.ent_starts, se)]
              if m.end <= se]
    people = [m.entity for m in inside if m.entity.kind == "person"]
    hosts = participants.hosts(text, ss, inside)
    if (rule is _SPEECH or rule is _REF and m.group("attend")) and not people and not hosts:
        return None  # "Leaders of 500 parties attended the summit", "In his speech, he ...": nobody new, no new mention
    people += hosts  # "participated in the forum co-hosted by ..."
    parts = list(ref["participants"]) + [p for i, p in enumerate(people) if p not in ref["participants"] and p not in people[:i]]
    # an organisation's officer takes part for it ("Xue Hanqin, vice president of the ICJ")
    parts += [o for o in dict.fromkeys(ctx.offices.get(p.name) for p in people) if o is not None and o not in parts]
    return {**ref, "char_start": ss, "char_end": se, "evidence": text[ss:se], "sent_start": ss, "sent_end": se,
            "date_text": None, "rule": rule.id, "participants": parts}


def _title_sentence(ann) -> int | None:
    """Where the document's first sentence starts when it is the document's title (a readout
    that opens with its headline), else None."""
    title = (ann.title or "").strip()
    if not title or not ann.sentences:
        return None
    _, ss, se = ann.sentences[0]
    return ss if ann.text[ss:se].strip() == title else None


def _headline_again(ann, found: list[dict]) -> list[dict]:
    """The story's headline as one more mention of the first event of its kind the story
    reports, when the headline tells that kind of event but names nobody in it ("Leaders
    meet over Turkish EU bid"): rule event.ref.headline. [] when the first sentence is no
    headline, makes a mention of its own, or tells no event."""
    ss = _title_sentence(ann)
    if ss is None or not found or any(m["sent_start"] == ss for m in found):
        return []
    _, _, se = ann.sentences[0]
    text = ann.text
    cands, _ = _triggers.find(text, ss, se, gatherings.find(text, ss, se))
    for c in cands:
        ref = next((m for m in found if m["event_type"] == c.event_type and m["sent_start"] > ss), None)
        if ref is not None:
            return [{**ref, "char_start": ss, "char_end": se, "evidence": text[ss:se], "sent_start": ss, "sent_end": se,
                     "date_text": None, "rule": "event.ref.headline", "participants": list(ref["participants"])}]
    return []


def _share_party(a: dict, b: dict) -> bool:
    """Whether two mentions have a party in common; a country is also its people ("Denmark-Portugal
    Summit Meeting" and "Prime Minister Lars Holm of Denmark held a summit meeting")."""
    pa, pb = a["participants"], b["participants"]
    if any(p in pb for p in pa):
        return True

    def country_of_other(ps, others) -> bool:
        codes = {q.country_code for q in others if q.country_code}
        return any(p.kind == "country" and p.country_code in codes for p in ps)

    return country_of_other(pa, pb) or country_of_other(pb, pa)


# mentions that tell the story's talks again, or earlier talks of their parties: never the
# first telling of what a headline reports
_TOLD_AGAIN_RULES = frozenset((_FIRST_PERSON.id, _EARLIER_TALKS.id))


def _dated_by_story(heads: list[dict], body: list[dict]) -> list[dict]:
    """A headline's events, each dated as the story dates it: a headline that gives no date
    of its own ("China, India hold 8th corps commander level meeting", "Readout of ... Call
    with ...") tells the event the story's first mention of its kind dates from the text
    or the dateline ("was held on Nov. 6", "spoke on the phone yesterday"), not the day the
    page was published. A headline mention whose parties the story's mention does not share,
    or that names another edition of its gathering ("16th ... Fair" and a caption's "15th ...
    Fair"), keeps its own date."""
    for h in heads:
        if h["date_text"] is not None:
            continue
        # (nor talks their parties recall in the first person: "We last saw each other in
        # Riga in November", in the remarks before today's meeting)
        ref = next((m for m in body if m["event_type"] == h["event_type"] and m["event_date"] is not None
                    and m["date_basis"] in ("text", "dateline") and m["rule"] not in _TOLD_AGAIN_RULES
                    and (not h["participants"] or not m["participants"] or _share_party(h, m))
                    and not _other_edition(h, m)
                    and _FIRST_PERSON.find(m["evidence"]) is None), None)
        if ref is not None:
            # the basis stays the headline's: it still joins the story's events as a headline does
            h["event_date"], h["date_precision"] = ref["event_date"], ref["date_precision"]
    return heads


def _other_edition(a: dict, b: dict) -> bool:
    """Whether two mentions name editions or years of a gathering that differ ("16th China
    (Shenzhen) International Cultural Industries Fair" and a caption's "15th ... Fair")."""
    if not a["event_name"] or not b["event_name"]:
        return False
    (_, ya, ea), (_, yb, eb) = name_core(name_key(a["event_name"])), name_core(name_key(b["event_name"]))
    return bool(ya and yb and ya != yb or ea and eb and ea != eb)


def _pdict(p: Entity) -> dict:
    return {"name": p.name, "kind": p.kind, "country_code": p.country_code}


def headline(ann) -> tuple[int, int] | None:
    """The span of the page's own headline when the story's body starts after it (a page
    dump: navigation, the headline, then the story): the last copy of the document's title
    right before its body. An event it tells is a mention like those of the body."""
    title = (ann.title or "").strip()
    if len(title) < 12 or ann.body_start <= 0:
        return None
    lo = max(0, ann.body_start - len(title) - 300)
    at = ann.text.rfind(title, lo, ann.body_start)
    return (at, at + len(title)) if at >= 0 else None


def _recased(ann):
    """The annotation of the document read with its lines in capitals in title case
    ("CHAIRMAN'S STATEMENT OF THE 42nd ASEAN SUMMIT" as "Chairman's Statement of the 42nd
    ASEAN Summit"), so that names, offices and gatherings are read there as elsewhere; the
    offsets are the document's. The annotation itself when it has no such line."""
    if _CAPITALS.find(ann.text, ann.body_start, ann.body_end) is None:
        return ann
    lines = ann.text[ann.body_start:ann.body_end].split("\n")
    cased = [_title_case(line) for line in lines]
    if all(a is b for a, b in zip(lines, cased)):
        return ann
    text = ann.text[:ann.body_start] + "\n".join(cased) + ann.text[ann.body_end:]
    return replace(ann, text=text, title=_title_case(ann.title) if ann.title else ann.title, _names=None, _dates=None)


_CAPITALS = load("text")["text.capitals"]
_SMALL_WORDS = frozenset("a an and as at between by for from in of on or the to with".split())


def _title_case(line: str) -> str:
    """A line in capitals of two words or more, in title case: small words in lower case but
    the first, a name the gazetteer knows in capitals kept ("ASEAN", "G20"), and words with
    a full stop inside ("H.E.") or in parentheses ("(AIPA)") as they are. Any other line,
    the same object."""
    if not _in_capitals(line) or len(line.split()) < 2:
        return line
    known = gazetteer().lookup
    words = line.split(" ")
    out = []
    for i, w in enumerate(words):
        core = w.strip("()[]\"“”‘’',;:!?-–—.")
        if not core or core in known or "." in core or w.startswith("(") and w.rstrip(",;:.").endswith(")"):
            out.append(w)
        elif i > 0 and core.lower() in _SMALL_WORDS:
            out.append(w.lower())
        else:
            out.append("-".join(_capitalised(part) for part in w.lower().split("-")))
    cased = " ".join(out)
    return cased if len(cased) == len(line) else line


def _in_capitals(line: str) -> bool:
    """Whether a line is written in capitals: eight capital letters or more, and no small
    ones but an ordinal's ("42nd")."""
    upper = lower = 0
    for c in line:
        if c.isupper():
            upper += 1
        elif c.islower():
            lower += 1
            if lower > 2:
                return False
    return upper >= 8


def _capitalised(word: str) -> str:
    """The word with its first letter in capitals, when a letter opens it ("chairman's" ->
    "Chairman's", "(aipa)" -> "(Aipa)", "42nd" stays)."""
    for i, c in enumerate(word):
        if c.isalnum():
            return word[:i] + c.upper() + word[i + 1:] if c.isalpha() else word
    return word


def mention_id(doc_id: str, m: dict, n: int) -> str:
    key = f"mention|{doc_id}|{m['char_start']}|{m['char_end']}|{m['event_type']}|{m['event_name']}|{n}"
    return hashlib.sha1(key.encode()).hexdigest()[:20]


def mentions(docs: pl.DataFrame, anns: list | None = None) -> pl.DataFrame:
    """One row per event mention, not yet clustered (event_id NULL); anns: the documents'
    annotations (transforms.documents.annotate), when already made."""
    rows = []
    read = list(bodies(docs, anns))
    # the prefilter over every sentence of the batch at once
    flat = [ann.text[s:e] for _, ann in read for _, s, e in ann.sentences]
    mask = _triggers.can_report(flat)
    at = 0
    for row, ann in read:
        can = mask[at:at + len(ann.sentences)]
        at += len(ann.sentences)
        original, ann = ann.text, _recased(ann)
        if ann.text is not original:  # the prefilter reads the lines as they are now cased
            can = _triggers.can_report([ann.text[s:e] for _, s, e in ann.sentences])
        found = find(ann.text, ann.body_start, ann.body_end, ann.published, ann.reference_year, ann, can_report=can)
        head = headline(ann)
        if head is not None:
            found = _dated_by_story(find(ann.text, head[0], head[1], ann.published, ann.reference_year), found) + found
        elif can and can[0]:  # the first sentence may tell an event (the prefilter)
            found = _headline_again(ann, found) + found
            ss = _title_sentence(ann)
            if ss is not None:
                story = [m for m in found if m["sent_start"] != ss]
                found = _dated_by_story([m for m in found if m["sent_start"] == ss], story) + story
        for n, m in enumerate(found):
            if ann.text is not original:  # the evidence as the document writes it
                m["evidence"] = original[m["char_start"]:m["char_end"]]
            m["participants"] = [_pdict(p) for p in m["participants"]]
            m["doc_id"] = row["doc_id"]
            m["mention_id"] = mention_id(row["doc_id"], m, n)
            m["event_id"] = None
            rows.append(m)
    return pl.DataFrame(rows, schema=MENTION_SCHEMA) if rows else pl.DataFrame(schema=MENTION_SCHEMA)


def extract(docs: pl.DataFrame, anns: list | None = None) -> pl.DataFrame:
    """Event mentions of docs (doc_id, text, published_date?), clustered, one row a mention,
    with the columns of event_mentions and events and a participants list."""
    m = cluster(mentions(docs, anns))
    ev, _ = events_table(m)
    return m.drop(["event_date", "date_precision", "date_basis", "event_type", "channel", "event_name"]).join(
        ev, on="event_id", how="left")
