"""Cross-document resolution: mentions of one real-world event, in one document or
several, clustered into one event; the events table; quotes and figures linked to the
mention whose clause holds them."""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import sys
from dataclasses import dataclass, field

import polars as pl

from transforms.events.gatherings import name_core, name_ends, name_key
from transforms.events.record import MENTION_SCHEMA


# A headline dated only by its report tells of an event of the days before it: it joins
# the event its article dates within that week ("China, India hold 8th corps commander
# level meeting", published Nov. 8, of talks held Nov. 6).
_HEADLINE_DAYS = 7


def _one_name(a: str, b: str, inside: bool = True) -> bool:
    """Whether two name keys may name one gathering: the same, or the same core (name_core)
    written with or without "the", "annual", a year, an edition, "Leaders", the place after
    it, or words written short ("53rd pacific islands forum leaders meeting" and "pacific
    islands forum leaders meeting"; "g20 leaders summit" and "g20 summit"), or one core
    inside the other with the same first and last word ("g20 bali summit" and "g20 summit";
    only where `inside`: both are dated, and the dates agree, as "the U.S.-ASEAN Special
    Summit" is not the annual one); not two years or two editions that differ (the 52nd and
    the 53rd)."""
    if a == b:
        return True
    (wa, ya, ea), (wb, yb, eb) = name_core(a), name_core(b)
    if ya and yb and ya != yb or ea and eb and ea != eb:
        return False
    if wa == wb:
        return True
    return inside and min(len(wa), len(wb)) >= 2 and wa[0] == wb[0] and wa[-1] == wb[-1] \
        and (set(wa) <= set(wb) or set(wb) <= set(wa))


def _year_of(keys) -> str | None:
    return next((y for k in keys if (y := name_core(k)[1])), None)


def _in_year(per, year: str | None) -> bool:
    """Whether a period falls in the year a name writes ("the 2023 NATO Summit"), if it writes one."""
    return year is None or per is None or per[0].year == per[1].year == int(year)


def _period(d: dt.date | None, p: str | None, basis: str | None = None) -> tuple[dt.date, dt.date] | None:
    """The days a date of that precision may mean. A date taken from the report (its dateline
    or publication), not the text, may also mean the day before: a call reported the next
    morning is the same call."""
    if d is None or p is None:
        return None
    if p == "day":
        per = d, d
    elif p == "month":
        per = d, (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    else:
        per = dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
    if basis in ("published", "dateline"):
        per = per[0] - dt.timedelta(days=1), per[1]
    elif basis == "headline":
        per = per[0] - dt.timedelta(days=_HEADLINE_DAYS), per[1]
    return per


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
    outlets: set = field(default_factory=set)
    basis: str | None = None  # where its date comes from: the text, or a report's dateline or publication
    keys: set = field(default_factory=set)  # the name keys it is filed under (its mentions' names)

    @property
    def period(self):
        return _period(self.date, self.precision, self.basis)


_ACROSS_TIME_ZONES = ("phone_call", "meeting")


def _a_day_apart_elsewhere(ev: _Event, r: dict, per) -> bool:
    """A call or talks that another outlet dates one day apart, each to the day: two
    capitals' reports of one call across time zones (an evening call in Washington is
    the next morning in Beijing). One outlet keeps one clock: within one document, or
    two readouts of one government, two days are two events (unknown outlets are taken
    for different ones)."""
    outlet = r.get("doc_outlet")
    return (per is not None and ev.period is not None and r["event_type"] in _ACROSS_TIME_ZONES
            and ev.precision == "day" and r["date_precision"] == "day" and r["doc_id"] not in ev.docs
            and (outlet is None or outlet not in ev.outlets) and abs((r["event_date"] - ev.date).days) == 1)


# an undated mention of a named gathering is taken for the one of its article's time: the
# East Asia Summit of a November 2021 report is not that of November 2022 (a yearly
# gathering is reported within months of it, before or after)
_UNDATED_REACH = dt.timedelta(days=180)
# a summit, assembly or conference lasts a few days: one named so, dated to days this far
# apart, is one gathering ("attends the Nordic Summit in Oslo" on its first day, "at the
# close of the Nordic Summit" on its second)
_GATHERING_DAYS = 3


def _days_of_one_gathering(ev: _Event, r, names: frozenset) -> bool:
    """Whether mention r, of the gathering named as ev is, falls within its days and shares
    a party with it (the NATO summit's, not the ASEAN one's "Foreign Ministers' Meeting")."""
    return (r["event_type"] == "multilateral_meeting" and ev.precision == "day" and r["date_precision"] == "day"
            and abs((r["event_date"] - ev.date).days) <= _GATHERING_DAYS and bool(names & ev.people))


def _same_time(ev: _Event, r: dict) -> bool:
    published = r.get("doc_published")
    return ev.date is None or published is None or r["doc_id"] in ev.docs or abs(ev.date - published) <= _UNDATED_REACH


_BY_REPORT = ("headline", "published", "dateline")


def _file(index: dict, key: tuple, ev: _Event) -> None:
    """File ev under key once, in the order events are filed (a list: most keys hold one
    event, and a run's final resolution files every mention of the warehouse)."""
    filed = index.get(key)
    if filed is None:
        index[key] = [ev]
    elif not any(x is ev for x in filed):
        filed.append(ev)


def _told_by_headline(pool, names: frozenset, per) -> _Event | None:
    """The event a headline (or a mention that only its report dates and that names nobody)
    tells, among those of its type its own article dates within its reach: the only one,
    else the only one that shares a person or country with it ("Readout of Sullivan's Call
    with Mufamadi" is the call the story dates the day before, whoever each of them names;
    "Legal forum held in Hong Kong" is the summit the story dates)."""
    cands = [ev for ev in pool if _compatible(ev.period, per)]
    if len(cands) > 1:
        cands = [ev for ev in cands if names & ev.people]
    return cands[0] if len(cands) == 1 else None


_DAY = dt.timedelta(days=1)


def _months(first: dt.date, last: dt.date) -> range:
    """The months from first to last, as year * 12 + month - 1."""
    return range(first.year * 12 + first.month - 1, last.year * 12 + last.month)


_RANK = {"day": 0, "month": 1, "year": 2, None: 3}
_BASIS_RANK = {"text": 0, "dateline": 1, "published": 2, "headline": 3}


class _Rec:
    """What clustering reads of one mention, read as a dict is (`r["doc_id"]`, `r.get(...)`),
    in a fraction of a dict's memory: a run's final resolution holds every mention of the
    warehouse. Strings that repeat across mentions (kinds, precisions, documents, outlets)
    are held once."""

    COLUMNS = ("mention_id", "doc_id", "char_start", "event_date", "date_precision", "date_basis", "event_type",
               "event_name", "doc_published", "doc_outlet")
    __slots__ = COLUMNS + ("names", "_i")
    _SHARED = frozenset(("doc_id", "date_precision", "date_basis", "event_type", "doc_outlet"))

    def __init__(self, keep: list[str], row: tuple, i: int) -> None:
        for k, v in zip(keep, row):
            setattr(self, k, sys.intern(v) if k in self._SHARED and v is not None else v)
        self.names = tuple(sys.intern(n) for n in row[-1] if n is not None) if row[-1] else ()
        self._i = i

    def __getitem__(self, key: str):
        return getattr(self, key)

    def get(self, key: str, default=None):
        return getattr(self, key, default)


def _records(m: pl.DataFrame, offset: int = 0) -> list[_Rec]:
    """What clustering reads of each mention: participants as their names only."""
    keep = [c for c in _Rec.COLUMNS if c in m.columns]
    return [_Rec(keep, row, offset + i) for i, row in enumerate(
        m.select(*keep, pl.col("participants").list.eval(pl.element().struct.field("name")).alias("names")).iter_rows())]


def _order_key(r: _Rec) -> tuple:
    """The order mentions are clustered in: a mention dated by its report (a lead; a headline
    after all others) comes after those its article dates itself, which it may turn out to
    tell; one that names fewer than two parties ("PM call with President Biden") after those
    that name two, so that it joins the event they make rather than making its own first."""
    return (r.get("date_basis") == "headline", r["event_name"] is None, _RANK[r["date_precision"]],
            r.get("date_basis") in _BY_REPORT, len(r["names"] or ()) < 2, r["doc_id"], r["char_start"], r["mention_id"])


class _Clustering:
    """Events made one mention at a time, each mention compared only with the events it can
    be: filed by name, by participant and month, by document."""

    def __init__(self) -> None:
        self.events: list[_Event] = []
        self.by_name: dict[tuple, list[_Event]] = {}
        # (type, participant, month) -> dated events whose days fall in that month: a
        # mention is compared only with events of its own weeks, not with every call a leader
        # ever made (an event is filed again under its months when a finer date narrows it)
        self.by_part: dict[tuple, list[_Event]] = {}
        self.by_part_doc: dict[tuple, list[_Event]] = {}  # (type, participant, doc) -> events
        self.by_doc: dict[tuple, list[_Event]] = {}  # (type, doc) -> dated events its article reports
        self.undated: dict[tuple, _Event] = {}  # (type, name, people, doc) -> the undated event they report
        # (type, first and last word of a name's core) -> named events: "the 53rd Pacific
        # Islands Forum Leaders Meeting" is found by "the Pacific Islands Forum Leaders
        # Meeting" of its days, "the G20 Bali Summit" by "the G20 Leaders' Summit"
        self.by_base: dict[tuple, list[_Event]] = {}

    def _target(self, r, names: frozenset, per, key) -> _Event | None:
        """The event r reports among those made so far, if any."""
        target = None
        if key:
            # events of that name, then of the same name as other mentions write it ("the 53rd
            # Pacific Islands Forum Leaders Meeting", "the G20 Leaders' Summit" for "the G20
            # Bali Summit", a year agreeing with their dates); an undated mention of a recurring
            # gathering ("the East Asia Summit") joins only the one its own article dates, not
            # another year's; a dated one joins a dated event before an undated one
            year = name_core(key)[1]
            pool = self.by_name.get((r["event_type"], key), []) + [
                ev for ev in self.by_base.get((r["event_type"], name_ends(key)), [])
                if key not in ev.keys and any(_one_name(key, k, per is not None and ev.period is not None)
                                              for k in ev.keys)
                and _in_year(ev.period, year) and _in_year(per, _year_of(ev.keys))]
            fits = [ev for ev in pool if (_compatible(ev.period, per) or _days_of_one_gathering(ev, r, names))
                    and (per is not None or _same_time(ev, r))]
            target = next((ev for ev in fits if per is None or ev.period is not None), fits[0] if fits else None)
        if target is None and (r.get("date_basis") == "headline" or r.get("date_basis") in _BY_REPORT and not names):
            target = _told_by_headline(self.by_doc.get((r["event_type"], r["doc_id"]), ()), names, per)
        if target is None:
            cands = []
            # only events that share a participant can match: look them up by participant
            # (an undated mention joins only an event its own article reports)
            if per is None:
                pool = {id(ev): ev for n in names for ev in self.by_part_doc.get((r["event_type"], n, r["doc_id"]), ())
                        if ev.period is not None}
            else:
                pool = {id(ev): ev for n in names for mo in _months(per[0] - _DAY, per[1] + _DAY)
                        for ev in self.by_part.get((r["event_type"], n, mo), ())}
            for ev in sorted(pool.values(), key=lambda ev: ev.order):
                if key and ev.keys and not any(_one_name(key, k, per is not None and ev.period is not None)
                                               for k in ev.keys):
                    continue
                if not _compatible(ev.period, per) and not _a_day_apart_elsewhere(ev, r, per):
                    continue
                if per is None and ev.period is None:
                    continue
                if per is None and r["doc_id"] not in ev.docs:
                    continue  # an undated mention joins only an event its own article reports
                if not names or not ev.people:
                    continue
                if names <= ev.people or ev.people <= names:
                    # one shared party is enough within one article on the same day: "Zhang,
                    # Chen and Xue addressed the forum" is the forum it dated before; and for a
                    # mention the article leaves undated, or dates only by its report: "Bach, on
                    # his first visit to Japan" is the visit it dated before
                    if len(names & ev.people) >= 2 or (per is not None and ev.period == per and
                                                       (names == ev.people or r["doc_id"] in ev.docs)) \
                            or (r["doc_id"] in ev.docs and (per is None or r.get("date_basis") in _BY_REPORT)):
                        cands.append(ev)
            # among several candidates: those the same document reports, then (undated) those of its own day,
            # then the same people, then the same period
            # (an undated one: "This is the fifth meeting between them" is the meeting of the
            # article's own day, not an earlier one it lists, whoever each of them names)
            own_day = lambda ev: per is None and ev.date is not None and ev.date == r.get("doc_published")
            for narrow in (lambda ev: r["doc_id"] in ev.docs,
                           own_day,
                           lambda ev: ev.people == names,
                           lambda ev: ev.period == per):
                if len(cands) > 1:
                    cands = [ev for ev in cands if narrow(ev)] or cands
            if len(cands) == 1:
                target = cands[0]
        if target is None and names and per is not None and r["date_precision"] == "day":
            # the article's own event of that day, told first without its parties ("A media
            # summit was held on Tuesday"), then with them ("... the forum co-hosted by Kenya")
            bare = [ev for ev in self.by_doc.get((r["event_type"], r["doc_id"]), ())
                    if not ev.people and ev.period == per and (not key or not ev.name_key or ev.name_key == key)]
            if len(bare) == 1:
                target = bare[0]
        if target is None and per is None:
            target = self.undated.get((r["event_type"], key, names, r["doc_id"]))  # the same undated activity told again
        return target

    def _file_name(self, kind: str, key: str, ev: _Event) -> None:
        ev.keys.add(key)
        self.by_name.setdefault((kind, key), []).append(ev)
        bases = self.by_base.setdefault((kind, name_ends(key)), [])
        if not any(x is ev for x in bases):
            bases.append(ev)

    def place(self, r) -> _Event:
        """Put mention r into the event it reports (made now when none is), and file that event
        where later mentions look for it."""
        names = frozenset(r["names"] or ())
        per = _period(r["event_date"], r["date_precision"], r.get("date_basis"))
        key = name_key(r["event_name"]) if r["event_name"] else None
        target = self._target(r, names, per, key)
        if target is None:
            target = _Event(r["event_type"], key, r["event_date"], r["date_precision"], set(names),
                            order=len(self.events), basis=r.get("date_basis"))
            self.events.append(target)
            if key:
                self._file_name(r["event_type"], key, target)
            if per is None:
                self.undated[(r["event_type"], key, names, r["doc_id"])] = target
        else:
            target.people |= names
            rank, target_rank = _RANK[r["date_precision"]], _RANK[target.precision]
            if rank < target_rank or (rank == target_rank and r["event_date"] is not None and
                                      r.get("date_basis") == "text" and target.basis != "text"):
                # the finer date, or the text's own date over a report's
                target.date, target.precision, target.basis = r["event_date"], r["date_precision"], r.get("date_basis")
            if key and not target.name_key:
                target.name_key = key
            if key and key not in target.keys:
                # (a later mention of it by this name finds it too: "the Ninth Summit of the
                # Americas", undated, is the one "the Summit of the Americas" dated)
                self._file_name(r["event_type"], key, target)
        for n in names:
            if target.period is not None:
                for mo in _months(*target.period):
                    _file(self.by_part, (r["event_type"], n, mo), target)
            _file(self.by_part_doc, (r["event_type"], n, r["doc_id"]), target)
        if target.period is not None:
            _file(self.by_doc, (r["event_type"], r["doc_id"]), target)
        target.members.append(r["_i"])
        target.docs.add(r["doc_id"])
        target.outlets.add(r.get("doc_outlet"))
        return target


def _event_id(recs, ev: _Event) -> str:
    first = min((recs[i] for i in ev.members), key=lambda r: (r["doc_id"], r["char_start"], r["mention_id"]))
    return hashlib.sha1(f"event|{first['mention_id']}".encode()).hexdigest()[:20]


def _event_ids(recs: list[_Rec], held_ids: list[str]) -> list[str]:
    """The event_id of each record, clustered in the order clustering reads them. The first
    len(held_ids) records are members of held events (held_ids: their ids): each held id
    goes to the event holding most of its members (ties: the earlier event); any other
    event is named by its first mention."""
    work = _Clustering()
    for r in sorted(recs, key=_order_key):
        work.place(r)
    votes = []
    for ev in work.events:
        count: dict[str, int] = {}
        for i in ev.members:
            if i < len(held_ids):
                count[held_ids[i]] = count.get(held_ids[i], 0) + 1
        votes += [(-k, ev.order, eid, ev) for eid, k in count.items()]
    named: dict[int, str] = {}
    taken: set[str] = set()
    for _, _, eid, ev in sorted(votes, key=lambda v: v[:3]):
        if id(ev) not in named and eid not in taken:
            named[id(ev)] = eid
            taken.add(eid)
    ids = [None] * len(recs)
    for ev in work.events:
        eid = named.get(id(ev))
        if eid is None:
            eid = _event_id(recs, ev)
            if eid in taken:  # a held event split: its first mention's id stays with the part that kept it
                eid = hashlib.sha1(f"event|{eid}|split".encode()).hexdigest()[:20]
            taken.add(eid)
        for i in ev.members:
            ids[i] = eid
    return ids


def cluster(m: pl.DataFrame) -> pl.DataFrame:
    """Give every mention the event_id of the real-world event it reports: same type,
    compatible dates, and the same name or participant sets that hold one another."""
    if m.height == 0:
        return m
    # one small record a mention (a run's first resolution holds every mention it made)
    return m.with_columns(pl.Series("event_id", _event_ids(_records(m), []), pl.Utf8))


def cluster_into(held: pl.DataFrame, new: pl.DataFrame) -> pl.DataFrame:
    """New mentions (no event_id) resolved against events the warehouse holds: `held` is
    every member of each event they may join, with its event_id. Held and new mentions are
    clustered together, in the order clustering reads them, so that a new mention that comes
    first in that order (a dated one, a named one) is placed before the held ones, as one
    run over all of them would place it; each event made keeps the id of the held event most
    of its held members come from. Returns held and new mentions with their event_id."""
    if held.height == 0:
        return cluster(new.with_columns(pl.lit(None, pl.Utf8).alias("event_id")))
    ids = _event_ids(_records(held) + _records(new, offset=held.height), held["event_id"].to_list())
    both = pl.concat([held.drop("event_id"), new.drop("event_id", strict=False)], how="diagonal_relaxed")
    return both.with_columns(pl.Series("event_id", ids, pl.Utf8))


# Talks, summits and visits are held face to face unless a mention says otherwise (by
# video, by phone): an event of these kinds that no mention gives a channel is
# in_person, with channel_basis "kind" (GUIDE.md: the channel may come from "the event's
# nature"). Calls, letters, agreements, ceremonies and deliveries get no such default.
IN_PERSON_BY_KIND = ("meeting", "multilateral_meeting", "visit")


def _agreed_date(best: dict, equals: list[dict]) -> dict:
    """Among mentions that date an event equally well but to different days (two capitals'
    reports of one call, a day apart): the day most of them give; on a tie, the later day
    of the text's own dates (the time zone ahead, where an evening call in Washington
    already falls), the earlier of a report's (a report comes the day after). Never the
    order in which the documents happen to be stored. Of the days of one summit or
    conference equally told, its first."""
    days = [r["event_date"] for r in equals if r["event_date"] is not None]
    if len(set(days)) < 2:
        return best
    sign = 1 if best.get("date_basis") == "text" else -1
    if best["event_type"] == "multilateral_meeting" and (max(days) - min(days)).days <= _GATHERING_DAYS:
        sign = -1  # the days of one gathering: on a tie, its first
    day = max(set(days), key=lambda d: (days.count(d), sign * d.toordinal()))
    return next(r for r in equals if r["event_date"] == day)


# events.date_basis names where a date came from as the contract does: a mention dated by the
# report its headline tells of (mention_basis 'headline') is dated by the document's date
_CONTRACT_BASIS = {"text": "text", "dateline": "dateline", "published": "published", "headline": "published"}


_LED_KINDS = ("meeting", "phone_call", "message")


def events_table(m: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(events, event_participants) from clustered mentions."""
    rows, parts = [], []
    for eid, grp in m.group_by("event_id", maintain_order=True):
        g = grp.sort(["date_precision", "doc_id", "char_start"], nulls_last=True).to_dicts()
        rank = lambda r: (_RANK[r["date_precision"]], _BASIS_RANK.get(r.get("date_basis"), 3))
        best = min(g, key=rank)
        best = _agreed_date(best, [r for r in g if rank(r) == rank(best)])
        chans = [r["channel"] for r in g if r["channel"]]
        pref = [c for c in ("video", "phone", "written", "in_person") if c in chans]
        # the most often stated channel, the more specific on ties
        channel = max(pref, key=lambda c: (chans.count(c), -pref.index(c))) if pref else None
        channel_basis = "text" if channel else None
        if channel is None and best["event_type"] in IN_PERSON_BY_KIND:
            channel, channel_basis = "in_person", "kind"
        name = next((r["event_name"] for r in g if r["event_name"]), None)
        rows.append({"event_id": eid[0] if isinstance(eid, tuple) else eid, "event_date": best["event_date"],
                     "date_precision": best["date_precision"] if best["event_date"] else None,
                     "date_basis": _CONTRACT_BASIS.get(best.get("date_basis")) if best["event_date"] else None,
                     "event_type": best["event_type"], "channel": channel, "channel_basis": channel_basis,
                     "event_name": name,
                     "mention_count": len(g)})
        seen = set()
        # talks, calls and messages: a leader stands for their country in the event as in each
        # mention ("Russian-Mongolian talks" and "Putin held talks with Gantulga" are Putin's)
        led = {p["country_code"] for r in g for p in r["participants"] or [] if p["kind"] == "person"} \
            if best["event_type"] in _LED_KINDS else set()
        for r in g:
            for p in r["participants"] or []:
                if p["name"] not in seen and not (p["kind"] == "country" and p["country_code"] in led):
                    seen.add(p["name"])
                    parts.append({"event_id": rows[-1]["event_id"], **p})
    ev = pl.DataFrame(rows, schema={"event_id": pl.Utf8, "event_date": pl.Date, "date_precision": pl.Utf8,
                                    "date_basis": pl.Utf8,
                                    "event_type": pl.Utf8, "channel": pl.Utf8, "channel_basis": pl.Utf8,
                                    "event_name": pl.Utf8,
                                    "mention_count": pl.Int32})
    ps = pl.DataFrame(parts, schema={"event_id": pl.Utf8, "name": pl.Utf8, "kind": pl.Utf8, "country_code": pl.Utf8})
    return ev, ps


def recluster(m: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """(mentions with event_id, events, event_participants) for a set of unclustered mentions."""
    if m.height == 0:
        empty_ev, empty_p = events_table(pl.DataFrame(schema=MENTION_SCHEMA))
        return m.with_columns(pl.lit(None, pl.Utf8).alias("event_id")), empty_ev, empty_p
    c = cluster(m.with_columns(pl.lit(None, pl.Utf8).alias("event_id")))
    ev, ps = events_table(c)
    return c, ev, ps


def resolve(new: pl.DataFrame, held: pl.DataFrame, stale: list[str]
            ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[str]]:
    """New mentions resolved against the events the warehouse holds (`held`: every member of
    each event they may join; `stale`: events to make again or drop, whose members left are
    among the new). Held and new are clustered again together (cluster_into), so every held
    event is made again. Returns (mention_id and event_id of every held and new mention, the
    events they are in, their participants, the ids of the events these replace)."""
    cols = [c for c in [*MENTION_SCHEMA, "doc_published", "doc_outlet"] if c != "event_id" and c in new.columns]
    both = cluster_into(held.select(*cols, "event_id"), new.select(cols))
    ev, ps = events_table(both if both.height else pl.DataFrame(schema=MENTION_SCHEMA))
    # every event made again is replaced, even one whose row validation keeps out
    replaced = {*stale, *held["event_id"].to_list(), *both["event_id"].drop_nulls().to_list()}
    return both.select("mention_id", "event_id"), ev, ps, sorted(replaced)


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
