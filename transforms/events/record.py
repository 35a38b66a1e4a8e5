"""The two records the event stages share: the document being read (`Context`) and one
event mention as it passes from stage to stage (`Candidate`).

    triggers, gatherings  ->  Candidate(anchor, event_type, rule, name, known)
    participants          ->  + clause, date, channel, participants
    resolve               ->  rows of event_mentions, clustered into events
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from transforms.events.gatherings import KnownEvent
    from transforms.names import Entity, Mention


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


@dataclass
class Context:
    """What every stage may read of one document."""
    text: str
    start: int
    end: int
    published: dt.date | None  # the anchor relative dates are read against
    basis: str | None  # where `published` comes from: "dateline" or "published"
    ref_year: int | None
    ents: list[Mention]
    ent_starts: list[int]
    main: Entity | None  # the article's protagonist
    offices: dict = field(default_factory=dict)  # person's name -> the organisation they are introduced as an officer of
    # people the text names only with a courtesy title ("Mr Blair") and the full name it gives
    # them: found, but not known to be anyone's counterpart (a party colleague as often as an envoy)
    courtesy_only: frozenset = frozenset()
    # date, time or place lines between the headline and the story ("June 14, 2023, 16:40",
    # "Oval Office"): the story's lead sentences are counted after them
    meta_lines: int = 0
    # the turns of a transcript: (where each starts, its speaker, the one spoken to)
    turns: list = field(default_factory=list)


@dataclass
class Candidate:
    """One event mention. A trigger or a gathering's name makes it; the participants-and-
    dates stage fills the rest; `row()` is what event_mentions stores."""
    anchor: int  # the trigger or name that made the mention
    anchor_end: int
    event_type: str
    channel: str | None = None
    name: str | None = None
    known: KnownEvent | None = None
    rule: str = "event.trigger"
    sent_no: int = 0
    sent_start: int = 0
    sent_end: int = 0
    clause_start: int = 0
    clause_end: int = 0
    date_text: str | None = None
    event_date: dt.date | None = None
    date_precision: str | None = None
    date_basis: str | None = None
    event_name: str | None = None
    participants: list[Entity] = field(default_factory=list)

    def take_date(self, src, with_text: bool = True) -> None:
        """The date of another mention, a Candidate or a row (what it was done at or during),
        with the words that date it unless with_text is False."""
        get = src.get if isinstance(src, dict) else lambda k: getattr(src, k)
        self.event_date, self.date_precision, self.date_basis = get("event_date"), get("date_precision"), get("date_basis")
        if with_text:
            self.date_text = get("date_text")

    def row(self, text: str) -> dict:
        return dict(char_start=self.clause_start, char_end=self.clause_end,
                    evidence=text[self.clause_start:self.clause_end], date_text=self.date_text,
                    event_date=self.event_date, date_precision=self.date_precision if self.event_date else None,
                    date_basis=self.date_basis, event_type=self.event_type, channel=self.channel,
                    event_name=self.event_name, sent_start=self.sent_start, sent_end=self.sent_end,
                    rule=self.rule, participants=list(self.participants))
