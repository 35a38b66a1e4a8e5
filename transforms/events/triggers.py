"""Triggers: the words that report a call, meeting, letter, visit, ceremony, agreement or
delivery (the event.trigger rules of transforms/rules/events.yaml), each made a Candidate."""
from __future__ import annotations

from functools import lru_cache

import polars as pl

from transforms.events.record import Candidate
from transforms.rules import Rule, load

_CTX = load("event_context")
_CHANNEL_ONLY, _SUMMARY_BEFORE, _SUMMARY_CLAUSE = _CTX["event.not.channel_only"], _CTX["event.not.summary"], \
    _CTX["event.not.summary_clause"]
_DATE_NUMBER, _CAPTION, _INSIDE_GATHERING = _CTX["event.not.date_number"], _CTX["event.not.caption"], \
    _CTX["event.not.inside_gathering"]
_OFFICE_OF, _SUMMARY_PARTIES = _CTX["event.not.office_of"], _CTX["event.not.summary_parties"]
_CLAUSE_APART = _CTX["event.clause.apart"]
_ON_VISIT = _CTX["event.clause.on_visit"]


def _is_summary(before: str) -> bool:
    """A count right before a trigger ("79 telephone calls"), not a date ("May 5 he sent")."""
    m = _SUMMARY_BEFORE.find(before)
    if not m or _SUMMARY_PARTIES.find(before):
        return False
    if _DATE_NUMBER.find(before):
        return False
    return not _SUMMARY_CLAUSE.find(m.group())


def trigger_rules() -> list[Rule]:
    """The trigger rules of transforms/rules/events.yaml, in file order."""
    return [r for r in load("events") if r.yields.get("stage") == "trigger"]


def triggers() -> list[tuple[str, str | None, Rule]]:
    """(event type, channel, rule) of each trigger."""
    return [(r.yields["event_type"], r.yields.get("channel"), r) for r in trigger_rules()]


@lru_cache(maxsize=1)
def prefilter() -> tuple[str, ...]:
    """Whether a sentence can report an event at all: one pattern per rule of the events
    rule file (triggers, references and the heads of named gatherings) and one for the
    known events, in polars' dialect. A sentence can report an event when any matches.
    Kept apart rather than joined into one alternation: polars' regex reads each of them
    with its literal prefilter, and one union of them all ran five times slower."""
    from transforms.events.gatherings import known_prefilter
    from transforms.rules.engine import expand, for_polars
    return tuple(for_polars(r.prefilter_source(unbounded=True)) for r in load("events")) + (for_polars(expand(known_prefilter())),)


def can_report(sentences: list[str]) -> list[bool]:
    """The prefilter over a list of sentences, in one vectorised pass per pattern."""
    if not sentences:
        return []
    s = pl.Series(sentences, dtype=pl.Utf8)
    mask = None
    for pat in prefilter():
        hit = s.str.contains(pat)
        mask = hit if mask is None else mask | hit
    return mask.to_list()


def find(text: str, ss: int, se: int, found: list[Candidate]) -> tuple[list, list]:
    """Candidates of the sentence text[ss:se] made by triggers, beside those already `found`
    (named gatherings), which a trigger never overlaps; and the bare channel phrases ("by
    video") the sentence holds."""
    cands = list(found)
    taken = [(c.anchor, c.anchor_end) for c in cands]
    channel_only = []
    seg = text[ss:se]
    for rule in load("events").candidates(seg):
        if rule.yields.get("stage") != "trigger":
            continue
        etype, chan = rule.yields["event_type"], rule.yields.get("channel")
        for m in rule.finditer(text, ss, se, seg=seg):
            if any(m.start < te + 40 and ts - 60 < m.end and etype in ("ceremony", "meeting") and
                   _INSIDE_GATHERING.find(text[m.start:ts] + " ")
                   for ts, te in taken):
                continue
            if any(m.start < te and ts < m.end for ts, te in taken):
                continue
            if _CHANNEL_ONLY.at(m.group()):
                channel_only.append(m)
                continue
            if _is_summary(text[max(ss, m.start - 60):m.start]):
                continue  # "79 telephone calls": a summary, not an event
            if _OFFICE_OF.find(text[max(ss, m.start - 30):m.start]):
                continue
            # (a second trip in a clause of its own is a trip of its own: "I'll be travelling on
            # to Port Vila tomorrow, and I'll be in Suva on Thursday")
            same = next((c for c in cands if c.event_type == etype and c.name is None
                         and abs(c.anchor - m.start) < 60
                         and not (etype == "visit" and _CLAUSE_APART.find(text, min(c.anchor_end, m.start), max(c.anchor, m.start)))), None)
            if same:
                continue
            # talks told with a call are the call ("a telephone meeting"), unless their own
            # clause, well apart, tells them ("when we met in Ankara in November, and I spoke to
            # him again by phone last Thursday")
            if etype == "meeting" and any(c.event_type == "phone_call" and (m.group().startswith("meet") or not
                    _CLAUSE_APART.find(text, min(c.anchor, m.start), max(c.anchor, m.start))) for c in cands):
                continue
            if etype == "phone_call" and (same := next((c for c in cands if c.event_type == "meeting" and c.name is None), None)):
                cands.remove(same)
            cands.append(Candidate(m.start, m.end, etype, channel=chan, rule=rule.id))
            taken.append((m.start, m.end))
    return _received_on_a_visit(text, cands), channel_only


def _received_on_a_visit(text: str, cands: list[Candidate]) -> list[Candidate]:
    """A guest received on a visit the same clause names ("President Ruiz to receive Prime
    Minister of Denmark on Working Visit"; rule event.clause.on_visit) is that visit, not
    talks beside it."""
    hosts = [c for c in cands if c.rule == "event.trigger.hosted_visit"]
    if not hosts:
        return cands
    visits = [c for c in cands if c.event_type == "visit"]
    drop = [h for h in hosts if any(h.anchor < v.anchor < h.anchor_end + 120
                                    and _ON_VISIT.find(text[max(h.anchor_end, v.anchor - 40):v.anchor]) is not None
                                    and not _CLAUSE_APART.find(text, h.anchor_end, v.anchor) for v in visits)]
    return [c for c in cands if not any(c is h for h in drop)] if drop else cands
