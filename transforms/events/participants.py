"""Participants and dates: the clause of each Candidate, who takes part, when, and by
which channel; and whether the mention is kept at all."""
from __future__ import annotations

import bisect
from dataclasses import replace

from transforms import dates as D
from transforms.events.gatherings import agreement_list, event_name_unnamed
from transforms.events.record import Candidate, Context
from transforms.names import Entity, Mention, gazetteer
from transforms.rules import load
from transforms.rules.engine import vocabulary

_PROTAGONIST_TYPES = {"meeting", "phone_call", "message", "multilateral_meeting", "visit", "ceremony"}
_CTX = load("event_context")
_NEGATED = _CTX["event.not.negated"]
_CHANNEL_VIDEO, _CHANNEL_PERSON, _VIDEO_WORD = _CTX["event.channel.video"], _CTX["event.channel.in_person"], \
    _CTX["event.channel.video_word"]
_PLACE, _MET_BEFORE = _CTX["event.place"], _CTX["event.met_before_place"]
_DONE, _EARLIER, _WISH, _FUTURE = _CTX["event.clause.done"], _CTX["event.clause.earlier"], _CTX["event.clause.wish"], \
    _CTX["event.clause.future"]
_TOLD = _CTX["event.clause.told"]
_REPORTED_ON, _QUOTED, _CLAUSE_BREAK = _CTX["event.clause.reported_on"], _CTX["event.clause.quoted"], \
    _CTX["event.clause.break"]
_MULTILATERAL_HEAD, _AT_GATHERING = _CTX["event.name.multilateral_head"], _CTX["event.clause.at_gathering"]
_IN_NAME_BEFORE, _IN_NAME_AFTER, _YEAR_IN_NAME = _CTX["event.date.in_name_before"], _CTX["event.date.in_name_after"], \
    _CTX["event.date.year_in_name"]
_HOME_GROUP = _CTX["event.clause.home_group"]
_SPEAKER_SAID = _CTX["event.clause.speaker_said"]
_PRONOUNS = frozenset(("he", "she", "they", "we", "I", "He", "She", "They", "We", "his", "her", "their", "our"))
_LIST_BREAK, _LIST_GO_ON, _PLACE_AFTER = _CTX.pick("event.clause.list_break", "event.clause.list_goes_on",
                                                   "event.clause.place_after")
_RELATIVE_OF_OTHER = _CTX["event.date.relative_of_other"]
_SINCE, _CONTENT, _DATE_OF_NOUN = _CTX["event.date.since_clause"], _CTX["event.clause.content"], _CTX["event.date.of_noun"]
_AFTER_EARLIER = _CTX["event.date.after_earlier"]
_CAPTION_TAIL = _CTX["event.date.caption_tail"]
_PAIR_BEFORE = _CTX["event.ref.pair_before"]
_PARTIES_BEFORE, _OF_BODY, _BODY_HOLDS, _OF_THE = _CTX["event.ref.parties_before"], _CTX["event.clause.of_body"], \
    _CTX["event.clause.body_holds"], _CTX["event.clause.of_the"]
_MARGINS, _CLAUSE_END = _CTX["event.clause.margins"], _CTX["event.clause.list_end"]
_FOR_PURPOSE, _NEXT_PREDICATE = _CTX["event.clause.for_purpose"], _CTX["event.date.next_predicate"]
_TRIP_FOR_GATHERING = _CTX["event.clause.trip_for_gathering"]
_NOT_PLACES = frozenset(vocabulary("weekday")) | frozenset(vocabulary("month"))
_SELF_WORDS, _TRIP_GOES_ON = _CTX["event.clause.first_person"], _CTX["event.clause.trip_goes_on"]
_HOST_BEFORE, _HOST_AFTER = _CTX["event.ref.host"], _CTX["event.ref.host_after"]
_IN_PLACE, _BETWEEN, _IN_CITY = _CTX["event.clause.in_place"], _CTX["event.clause.between"], _CTX["event.clause.in_city"]
_RELATIVE, _WHO, _WHO_OFFICE = _CTX["event.clause.relative"], _CTX["event.clause.who"], _CTX["event.clause.who_office"]
_LATTER = _CTX["event.ref.latter"]
_POSSESSIVE_DEED, _TOPIC_BEFORE = _CTX["event.clause.possessive_deed"], _CTX["event.clause.topic_before"]
_RELATIVE_AFTER = _CTX["event.clause.relative_after"]
_FIRM_OF, _OFFICE_OF = _CTX["event.clause.firm_of"], _CTX["event.clause.office_of"]
_DATE_AHEAD, _OF_GROUP_MEMBERS = _CTX["event.clause.date_ahead"], _CTX["event.clause.of_group_members"]
_APOSTROPHES = ("’", "'")
_ON_BEHALF, _PERSON_POSSESSION, _LIST_DATE = _CTX["event.clause.on_behalf"], _CTX["event.clause.person_possession"], \
    _CTX["event.clause.list_date"]
_GATHERING_COMPLEMENT, _PRONOUN_BEFORE = _CTX["event.clause.gathering_complement"], _CTX["event.clause.pronoun_before"]
_TIME_OF_GATHERING, _MANY_SIDED = _CTX["event.clause.time_of_gathering"], _CTX["event.clause.many_sided"]
_MEETING_OF = _CTX["event.office.meeting_of"]
_OFFICE_AFTER_ORG, _OFFICE_OF_ORG, _ORG_IN_TITLE = _CTX["event.office.after_org"], _CTX["event.office.of_org"], \
    _CTX["event.office.org_in_title"]
_ORG_CHAIR, _APPOSITION_BEFORE, _CHAIR_OF_BEFORE = _CTX["event.office.org_chair_apposition"], \
    _CTX["event.office.apposition_before"], _CTX["event.office.chair_of_before"]
_HEADLINE_END, _GROUP_AFTER, _GROUP_BEFORE = _CTX["event.clause.headline_end"], _CTX["event.ref.group_after"], \
    _CTX["event.ref.group_before"]
_PRONOUN, _TITLE_NP, _COUNTERPART = _CTX["event.ref.pronoun"], _CTX["event.ref.title"], _CTX["event.ref.counterpart"]
_SUBJECT_PRONOUN = _CTX["event.clause.subject_pronoun"]
_APART_SUBJECT = _CTX["event.clause.apart_subject"]
_SETTING_OF_DEED = _CTX["event.clause.setting_of_deed"]
_VISIT_AS_SETTING = _CTX["event.clause.visit_as_setting"]
_DATELINE = load("pages")["page.dateline"]
_TO_ATTEND = _CTX["event.clause.to_attend"]
_WITH_AFTER_GATHERING, _SETTING_NEXT = _CTX["event.clause.with_after_gathering"], _CTX["event.clause.setting_next"]
_AT_NAMED_GATHERING = _CTX["event.clause.at_named_gathering"]
_STATES_OF = _CTX["event.clause.states_of"]
_OBJECT_PRONOUN, _BARE_OFFICE = _CTX["event.ref.object_pronoun"], _CTX["event.clause.bare_office"]
_JUST_DONE, _HEADLINE_AHEAD = _CTX["event.clause.just_done"], _CTX["event.clause.headline_ahead"]
# An undated activity reported as done takes the dateline's day anywhere in a datelined
# item (the item tells that day's news), the publication date only in the lead.
_LEAD_SENTENCES = 2
# A date more years than this after the report is a horizon the text looks to (a target's
# year), not the date of an activity it reports: summits are set a year or two ahead.
_HORIZON_YEARS = 3


def _met_in_place(span: str) -> bool:
    """"met ... in Brasilia", "was held in Qingdao": a verb of meeting, then within 80
    characters of the same sentence a place after "in" or "at" (not a month)."""
    return any(_MET_BEFORE.find(span, max(0, p.start() - 100), p.start()) for p in _PLACE.scan(span))


def _clause_bounds(text: str, s: int, e: int, anchors: list[int], countries: dict | None = None
                   ) -> list[tuple[int, int]]:
    """One span per anchor: the sentence cut between neighbouring anchors at the comma or
    semicolon nearest halfway, else the conjunction nearest halfway ("the third meeting
    between Ruiz and Holm, following a meeting in Oslo" is cut at the comma); with none
    between them, the earlier clause runs up to the next anchor (never a cut inside a word).
    A comma before the country of a place (`countries`: where country names start and end)
    cuts after that country: "will travel to Bergen, Norway to attend the Nordic Summit"
    travels to Norway."""
    countries = countries or {}
    if len(anchors) == 1:
        return [(s, e)]
    cuts = [s]
    for a, b in zip(anchors, anchors[1:]):
        mid = (a + b) // 2
        best = None
        best_rank = None
        for m in _CLAUSE_BREAK.scan(text, a, b):
            pos = m.end()
            after_country = _place_country_end(text, m.start(), pos, countries)
            if after_country is not None:
                if after_country >= b:
                    continue
                pos = after_country
            # a comma that opens a relative clause ("the summit, which was held via video
            # link, adopted ...") leaves that clause to the earlier anchor
            rank = (text[m.start()] not in ",;", _RELATIVE.at(text, pos, min(b, pos + 12)) is not None, abs(pos - mid))
            if best_rank is None or rank < best_rank:
                best, best_rank = pos, rank
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


def _place_country_end(text: str, comma: int, pos: int, countries: dict) -> int | None:
    """Where the country ends that the comma at `comma` sets after the place it is of
    ("Bergen, Norway"): a capitalised word before it, not a day or a month ("on Monday,
    Germany"), a country name right after it (`countries`: where country names start and
    end); None for any other comma."""
    if text[comma] != "," or not text[comma - 1:comma].isalpha() or not countries:
        return None
    i = pos
    while i < len(text) and text[i] == " ":
        i += 1
    j = comma
    while j > 0 and not text[j - 1].isspace():
        j -= 1
    if i in countries and text[j:j + 1].isupper() and text[j:comma] not in _NOT_PLACES:
        return countries[i]
    return None


def _gathering_settings(text: str, cands: list[Candidate], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """spans with the cut before a gathering, a signing or a ceremony that sets the talks
    before it moved to where its setting starts (event.clause.gathering_complement): "met
    with Prime Minister A of X, President B of Y, and President C of Z on the margins of the
    NATO Summit" is talks with A, B and C, not with A and B; so is "spoke with A and B
    before today's signing of ..."."""
    spans = list(spans)
    for i in range(1, len(cands)):
        c, prev = cands[i], cands[i - 1]
        if c.event_type not in ("multilateral_meeting", "agreement", "ceremony") or prev.event_type not in ("meeting", "phone_call"):
            continue
        (ps, pe), (cs, ce) = spans[i - 1], spans[i]
        m = _GATHERING_COMPLEMENT.find(text, max(prev.anchor_end, c.anchor - 60), c.anchor)
        if m is None or not pe <= m.start() < c.anchor or m.start() <= prev.anchor_end:
            continue
        cut = m.start()
        while cut > ps and text[cut - 1] in " \n":
            cut -= 1
        spans[i - 1], spans[i] = (ps, cut), (m.start(), ce)
    return spans


def _states_listed_after(text: str, r: Candidate, inside: list[Mention]) -> list[Entity]:
    """The countries listed right after a summit, with the words between them that say it is
    theirs ("the trilateral summit of Russia, Mongolia and China", "the recent trilateral
    summit in Baghdad between Iraq, Jordan, and Egypt"; rule event.clause.states_of, or a
    trigger that ends with "of"); [] unless two or more are listed."""
    if text[r.anchor:r.anchor_end].rstrip().lower().endswith(" of"):
        at = r.anchor_end
    else:
        m = _STATES_OF.at(text, r.anchor_end, min(len(text), r.anchor_end + 40))
        if m is None:
            return []
        at = m.end()
    out = []
    for m in inside:
        if m.start < at or m.entity.kind != "country":
            continue
        if text[at:m.start].strip(" ,").removesuffix("the").strip() not in ("", "and"):
            break
        out.append(m.entity)
        at = m.end
    return out if len(out) >= 2 else []


def _within(ents: list[Mention], starts: list[int] | None, s: int, e: int) -> list[Mention]:
    """The mentions of ents (in order of start; starts their offsets) that lie in [s, e)."""
    if starts is None:
        return [m for m in ents if s <= m.start and m.end <= e]
    lo, hi = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
    return [m for m in ents[lo:hi] if m.end <= e]


def _with_nobody_before(span: str, s: int, inside: list[Mention]) -> bool:
    """Whether talks are "with" someone, or with a counterpart, and no person the clause
    names comes before: "During talks with Putin" is the article's protagonist's, "Sullivan
    met separately with Stoltenberg" is not (rule event.ref.counterpart)."""
    m = _COUNTERPART.find(span)
    return m is not None and not any(p.entity.kind == "person" and p.end <= s + m.start() for p in inside)


def hosts(text: str, s: int, inside: list[Mention]) -> list[Entity]:
    """The countries that host or chair a gathering, of the mentions `inside` a clause
    starting at s: "hosted by Indonesia", "co-hosted by the embassy in Kenya and the Media
    Council of Kenya", "Indonesia hosted the G20 summit" (rules event.ref.host and host_after)."""
    return [m.entity for m in inside if m.entity.kind == "country" and m.via in ("name", "role")
            and (_HOST_BEFORE.find(text, max(s, m.start - 100), m.start)
                 or _HOST_AFTER.at(text, m.end, m.end + 40) is not None)]


def _pair_before(text: str, r: Candidate, inside: list[Mention]) -> list[Mention]:
    """The parts of a compound of countries right before talks that name no country as
    such (rule event.ref.pair_before: "Danish-Portuguese talks", "Sino-US talks"), as
    mentions of those countries; none unless every part is a country."""
    m = _PAIR_BEFORE.find(text, max(r.sent_start, r.anchor - 80), r.anchor)
    if m is None:
        return []
    g, forms = gazetteer(), vocabulary("country_combining_form")
    out, countries, at = [], set(), m.start("pair")
    for part in m.group("pair").replace("–", "-").split("-"):
        ent = g.lookup.get(part) or g.dem_lookup.get(part) or g.lookup.get(forms.get(part, ""))
        if ent is None or ent.kind != "country":
            return []
        countries.add(ent.name)
        if not any(x.start == at for x in inside):
            out.append(Mention(at, at + len(part), ent, part, compound=True))
        at += len(part) + 1
    return out if len(countries) >= 2 else []


def _in_title(text: str, m: Mention) -> bool:
    """Whether an organisation's mention is the head of one of its bodies' names, after "of"
    ("of the CPC Central Committee"), or names a chair set off after a name ("Ruiz, the
    current EAC chair,", "Ruiz of Portugal, Chair of the Nordic Council,"): part of someone's
    office."""
    before = text[max(0, m.start - 8):m.start]
    if _ORG_CHAIR.at(text, m.end, m.end + 40) is not None \
            and _APPOSITION_BEFORE.find(text, max(0, m.start - 20), m.start) is not None:
        return True  # "Ruiz, the current EAC chair, spoke ...": an office, set off after a name
    if _CHAIR_OF_BEFORE.find(text, max(0, m.start - 80), m.start) is not None:
        return True  # "Ruiz of Portugal, Chair of the Nordic Council, ..." 
    return (before.endswith(" of the ") or before.endswith(" of ")) \
        and _ORG_IN_TITLE.at(text, m.end, m.end + 40) is not None \
        and _MEETING_OF.find(text, max(0, m.start - 30), m.start) is None


def _participants(text: str, s: int, e: int, r: Candidate, ents: list[Mention], main: Entity | None,
                  name_span: tuple[int, int] | None, starts: list[int] | None = None,
                  lead: int | None = None) -> list[Entity]:
    g = gazetteer()
    # "China-U.S." names the parties of an agreement or of talks ("a China-ROK meeting on
    # fisheries"), but only the theme of a summit; an organisation that opens the name of one
    # of its bodies in someone's office ("Member of the Political Bureau of the CPC Central
    # Committee") is no party
    inside = [m for m in _within(ents, starts, s, e)
              if not (m.entity.kind == "organization" and _in_title(text, m))]
    inside = [m for m in inside
              if not m.compound or r.event_type == "agreement" or r.event_type == "meeting" and r.name
              or r.event_type == "meeting" and m.end <= r.anchor and _PARTIES_BEFORE.at(text, m.end, r.anchor)
              # "the 8th round of China-India fisheries talks": the trigger names its parties
              or r.event_type == "meeting" and r.anchor <= m.start and m.end <= r.anchor_end]
    if r.event_type == "meeting":
        inside = sorted(inside + _pair_before(text, r, inside), key=lambda m: m.start)
    if r.event_type in ("meeting", "phone_call"):
        # "the recent phone call between President Biden and Crown Prince X", "the talks
        # between Russian and Ukrainian representatives": those two, not the people the
        # clause names before it
        cut = r.anchor_end if _BETWEEN.at(text, r.anchor_end, e) else text.find(" between ", r.anchor, r.anchor_end)
        if cut >= 0 and any(m.start >= cut for m in inside):
            inside = [m for m in inside if m.start >= cut]
            main = None  # the two it names are the parties: nobody else is
    said = _SPEAKER_SAID.find(text, s, r.anchor)
    if said is not None and (said.group("subj") or "the") not in _PRONOUNS:
        # "Mr Hale went on to signal that the executive would play its part in the run-up to
        # the G8 summit": one who speaks of an event told by someone else's clause is no party
        inside = [m for m in inside if not (m.entity.kind == "person" and m.end <= said.start())]
        main = None
    # a country that only says where a firm is from ("merger talks with US bank Wells Fargo")
    inside = [m for m in inside if not (m.entity.kind == "country" and _FIRM_OF.at(text, m.end, e))]
    # one whose aide or envoy acts ("President Ruiz’s National Security Advisor Tom Hale traveled"),
    # for whom another acts ("on behalf of President Ruiz"), or whose term or order is told
    # after the trigger ("over the remainder of President Ruiz’s term")
    # (both possessives start with an apostrophe: read only where one follows the name)
    inside = [m for m in inside if not (m.entity.kind == "person" and (
        text[m.end:m.end + 1] in _APOSTROPHES and (_OFFICE_OF.at(text, m.end, e) or m.start > r.anchor_end
                                                    and _PERSON_POSSESSION.at(text, m.end, e))
        or "behalf" in text[max(s, m.start - 40):m.start] and _ON_BEHALF.find(text, max(s, m.start - 40), m.start)))]
    people = [m.entity for m in inside if m.entity.kind == "person"]
    orgs = [m.entity for m in inside if m.entity.kind == "organization"]
    countries = [m.entity for m in inside if m.entity.kind == "country" and m.via in ("name", "role")]
    out: list[Entity] = []
    if r.event_type == "multilateral_meeting":
        if _time_of_gathering(text, s, r) is not None:
            people, main = [], None  # "ahead of the summit, X convened ...": X's deed is another
        listed = [] if name_span else _states_listed_after(text, r, inside)
        if listed:  # the states it is of take part, not whoever tells of it before
            people = [m.entity for m in inside if m.entity.kind == "person" and m.start > r.anchor]
            main = None
        out += people + listed
        if name_span:
            # and a country its name pairs with a body ("the 26th China-ASEAN Summit")
            out += [m.entity for m in _within(ents, starts, *name_span) if m.entity.kind == "organization"
                    or m.entity.kind == "country" and m.compound]
            # the body it is held with: "the second U.S. summit with the Pacific Islands Forum"
            out += [m.entity for m in inside if m.entity.kind == "organization" and m.start >= name_span[1]
                    and text[name_span[1]:m.start].split() in (["with"], ["with", "the"])]
        else:  # an unnamed summit: the organisations its clause names ("the virtual summit of the SCO")
            out += orgs
        out += hosts(text, s, inside)
        if r.known:
            for p in r.known.participants:
                ent = g.lookup.get(p) or g.people.get(p)
                if ent:
                    out.append(ent)
    else:
        # no party: where two people met ("met ... with Prime Minister Holm in Luxembourg"),
        # what they talked about, and a country's deed told after the trigger ("against
        # Russia's unprovoked attack")
        met_in = r.event_type in ("meeting", "phone_call") and len(people) >= 2
        # "in Munich, Germany": the place, when everyone met has their own country ("President
        # Akufo-Addo ... in Accra, Ghana" may be of Ghana)
        met_in_city = met_in and all(p.country_code for p in people)
        countries = [m.entity for m in inside if m.entity.kind == "country" and m.via in ("name", "role")
                     and not (met_in and _IN_PLACE.find(text, max(s, m.start - 8), m.start))
                     and not (met_in_city and _IN_CITY.find(text, max(s, m.start - 50), m.start))
                     and not (m.start > r.anchor_end and m.via == "name" and _POSSESSIVE_DEED.at(text, m.end, e))
                     # what talks are about: "discussed Ukraine in a phone call"
                     and not (met_in and m.via == "name" and _TOPIC_BEFORE.find(text, max(s, m.start - 60), m.start))]
        if r.event_type in ("meeting", "phone_call") and (countries or orgs):
            # "with Angola's president, who has been mediating between Congo and Rwanda", "who
            # chairs this year's ASEAN meetings": what the one spoken with does, not who took part
            # (rule event.clause.relative_after)
            rel = _RELATIVE_AFTER.find(text, r.anchor_end, e)
            if rel is not None:
                cut = rel.start()
                late = {m.entity for m in inside if m.entity.kind in ("country", "organization") and m.via == "name"
                        and m.start > cut} - {m.entity for m in inside if m.start < cut}
                countries = [c for c in countries if c not in late]
                orgs = [o for o in orgs if o not in late]
        if r.event_type == "visit":
            # the places a visit goes to are those its trigger names, not the countries told
            # after them ("visiting Beijing, noted embargoes applied to Burma and Zimbabwe")
            cities = [(*m.span("city"), g.capitals[" ".join(m.group("city").split())])
                      for m in g.destination.finditer(text, s, e)]
            places = sorted([(m.start, m.end, m.entity) for m in inside if m.entity.kind == "country"] + cities,
                            key=lambda p: p[0])
            stop = _object_end(text, r, places)
            if stop is not None:
                # the visitor's own country, told before ("the UK chancellor"), is none of them
                # either; a country the visitor is in is ("was in India visiting the Golden Temple")
                named = {p[2] for p in places if r.anchor_end <= p[0] < stop
                         or p[0] < r.anchor and _IN_PLACE.find(text, max(s, p[0] - 8), p[0])}
                countries = [c for c in countries if c in named]
                cities = [p for p in cities if r.anchor_end <= p[0] < stop]
        out += people + orgs + countries
        if r.event_type == "visit":  # the country visited, also when the text names its capital
            out += [c for _, _, c in cities if c not in out]
            # "talks with Foreign Minister Holm, as part of the latter's official visit to
            # Portugal": the latter (the former) of the people named before is the visitor
            latter = _LATTER.find(text, max(r.sent_start, r.anchor - 50), r.anchor)
            named = [m.entity for m in _within(ents, starts, r.sent_start, latter.start())
                     if m.entity.kind == "person"] if latter is not None else []
            if named:
                out = [named[-1] if latter.group("which") == "latter" else named[0]] + [p for p in out if p.kind != "person"]
                main = None
            # "X, who is in Xi'an for ... a state visit to China": X is the visitor; so is
            # "X, Prime Minister of Portugal, who is visiting Denmark", whose office's country is
            # their own, not the one visited
            who = _WHO.find(text, r.sent_start, r.anchor)
            if who is not None and not any(p.kind == "person" for p in out):
                visitor, office = None, None
                for m in _within(ents, starts, r.sent_start, who.start()):
                    if m.entity.kind != "person":
                        continue
                    if m.end == who.start():
                        visitor, office = m.entity, None
                    elif _WHO_OFFICE.at(text, m.end, who.start()) is not None:
                        visitor, office = m.entity, (m.end, who.start())
                if visitor is not None:
                    if office is not None:
                        own = {x.entity for x in _within(ents, starts, *office) if x.entity.kind == "country"}
                        out = [p for p in out if p not in own]
                    out.insert(0, visitor)
                    main = None
    if main is None and r.sent_start < s and r.event_type in _PROTAGONIST_TYPES:
        # "America's president will attend a summit on Monday, and on Wednesday he will sit down
        # with ...": a pronoun that opens a clause cut from its sentence is the sentence's subject,
        # a person named before its first trigger (`lead`; rule event.clause.subject_pronoun)
        he = _SUBJECT_PRONOUN.find(text, s, r.anchor)
        if he is not None and not any(m.entity.kind == "person" and m.end <= he.start() for m in inside):
            main = next((m.entity for m in _within(ents, starts, r.sent_start, min(s, lead if lead is not None else s))
                         if m.entity.kind == "person"), None)
    if main and r.event_type in _PROTAGONIST_TYPES and main not in out \
            and _BARE_OFFICE.find(text, s, r.anchor) is None:  # ("Prime Minister attended": someone else)
        span = text[s:e]
        named_people = [p for p in people if p != main]
        pron = _PRONOUN.find(span)
        if pron is not None and any(m.entity.kind == "person" and m.end <= s + pron.start() for m in inside):
            pron = None  # "Mr Chirac denied any snub - he is going to a memorial service": he is Chirac
        if pron is not None and s + pron.start() == r.sent_start \
                and _BARE_OFFICE.find(text, max(0, r.sent_start - 200), r.sent_start) is not None:
            return _unique(out, g)  # "Foreign Secretary will travel to Dhaka. He will co-chair ...": he is that one
        if (pron or _TITLE_NP.find(span) or not named_people
                or r.event_type in ("meeting", "phone_call") and _with_nobody_before(span, s, inside)):
            # (nor a gathering told by the country that hosts it, with nobody named: "India
            # hosted the 3rd Voice of the Global South Summit")
            hosted = r.event_type == "multilateral_meeting" and not named_people and not pron \
                and any(p.kind == "country" for p in hosts(text, s, inside))
            if (r.event_type != "ceremony" or named_people or pron or not countries) and not hosted:
                out.insert(0, main)
    return _unique(out, g)


def _unique(out: list, g) -> list:
    """The participants once each, media aside; a leader stands for their country (the
    protagonist's own country goes with them)."""
    person_codes = {p.country_code for p in out if p.kind == "person"}
    out = [p for p in out if not (p.kind == "country" and p.country_code in person_codes)]
    seen, uniq = set(), []
    for p in out:
        if p.name not in seen and p.name not in g.media:
            seen.add(p.name)
            uniq.append(p)
    return uniq


def _object_end(text: str, r: Candidate, places: list[tuple]) -> int | None:
    """Where the places a visit's trigger names end ("visit an orphanage in Tanzania and a
    union in Mozambique", "visit Thailand, Indonesia and Sri Lanka", "a tour of Africa"):
    the first place after the trigger, with no comma between, opens them (a capitalised
    name right after it, known or not: "tour of Africa"); the next ones follow it with no
    comma, or after a comma or semicolon with only "and", "or", "as well as" or a city; None
    when no place follows the trigger in its own clause."""
    after = [p for p in places if p[0] >= r.anchor_end]
    named = _PLACE_AFTER.at(text, r.anchor_end, r.sent_end)
    if named is not None and not any(p[0] < named.end("place") for p in after):
        after.insert(0, (*named.span("place"), None))  # a region, or a place no list holds
    if not after or _LIST_BREAK.find(text, r.anchor_end, after[0][0]) is not None:
        return None
    end = after[0][1]
    for ps, pe, _ in after[1:]:
        if ps < end:
            continue
        if _LIST_BREAK.find(text, end, ps) is not None and _LIST_GO_ON.at(text, end, ps) is None \
                or _LIST_DATE.find(text, end, ps) is not None:
            break
        end = pe
    return end


def offices(text: str, ents: list[Mention]) -> dict[str, Entity]:
    """The organisation each person of the text is introduced as an officer of, by name:
    "IOC president Thomas Bach", "WHO Director-General Tedros", "Secretary-General of the
    United Nations António Guterres", "Xue Hanqin, vice president of the International
    Court of Justice". The first introduction counts; a bare name later is the same officer."""
    out: dict[str, Entity] = {}
    for i, m in enumerate(ents):
        if m.entity.kind != "organization":
            continue
        after = next((p for p in ents[i + 1:i + 3] if p.entity.kind == "person" and p.start - m.end <= 40), None)
        if after is not None and _OFFICE_AFTER_ORG.find(text, m.end, after.start):
            out.setdefault(after.entity.name, m.entity)
            continue
        of = _OFFICE_OF_ORG.find(text, max(0, m.start - 40), m.start)
        if of is None:
            continue
        if after is not None and after.start - m.end <= 10 and all(ch in " ()" or ch.isupper()
                                                                   for ch in text[m.end:after.start]):
            out.setdefault(after.entity.name, m.entity)  # "... of the United Nations António Guterres"
            continue
        before = next((p for p in reversed(ents[max(0, i - 2):i]) if p.entity.kind == "person"), None)
        if before is not None and text[before.end:of.start()].strip() in (",", ", the", ", a"):
            out.setdefault(before.entity.name, m.entity)  # "Xue Hanqin, vice president of the ICJ"
    return out


def _domestic(event_type: str, parts: list[Entity]) -> bool:
    """Talks among people of one and the same country (a president and a cabinet member)
    are not diplomacy."""
    if event_type not in ("meeting", "phone_call", "message") or len(parts) < 2:
        return False
    if any(p.kind != "person" for p in parts):
        return False
    codes = {p.country_code for p in parts}
    return None not in codes and len(codes) == 1


def _with_home_group(text: str, c: Candidate, parts: list[Entity], ce: int) -> bool:
    """Talks of one party with a group of its own country's people, told by a plain noun
    ("held a private meeting with senior union figures", "met with governors"): not
    diplomacy (event.clause.home_group, read right after the trigger)."""
    return c.event_type in ("meeting", "phone_call") and not c.name and len(parts) <= 1 \
        and _HOME_GROUP.at(text, c.anchor_end, ce) is not None


def is_negated(text: str, c: Candidate) -> bool:
    """Whether the clause denies the trigger ("she could not travel to Copenhagen",
    "has not spoken with"): event.not.negated, read just before it."""
    return _NEGATED.find(text[max(c.clause_start, c.anchor - 100):c.anchor]) is not None


def is_wish(text: str, s: int, e: int) -> bool:
    """Whether clause text[s:e] tells a wish or an invitation (event.clause.wish), not an
    activity set at a point in time."""
    return _WISH.search(text, s, e) is not None


def _channel(text: str, s: int, e: int, r: Candidate) -> str | None:
    span = text[s:e]
    if r.event_type == "phone_call":
        return "video" if _VIDEO_WORD.find(span) else "phone"
    if _CHANNEL_VIDEO.find(span):
        return "video"
    if r.event_type == "message":
        return "written"
    if _CHANNEL_PERSON.find(span):
        return "in_person"
    if r.event_type == "visit":
        return "in_person"
    if r.event_type in ("meeting", "multilateral_meeting") and _met_in_place(span):
        return "in_person"  # "met ... in Brasilia", "was held in Qingdao"
    if r.known and r.known.channel:
        return r.known.channel
    if r.channel == "in_person":
        return "in_person"  # the trigger itself says so: "welcomed ... to the White House"
    return None


def _speaks_of_future(clause: str) -> bool:
    """Whether the words before a date look ahead ("will meet", "agreed to meet at ... in"),
    words in quotes aside."""
    return bool(_FUTURE.find(_QUOTED.sub(" ", clause)))


def _previous_day(text: str, floor: int, pos: int, published, ref_year):
    """(date, 'day') of the last day-precise date written before pos: what "the same day" means,
    and the day before "the next day"."""
    for d in reversed(D.find_dates(text, max(floor, pos - 1500), pos)):
        if d.kind not in ("sameday", "nextday") and d.precision == "day":
            ed, pr = D.resolve(d, published, ref_year)
            if ed:
                return ed, pr
    return None


def _of_another_noun(text: str, d, c: Candidate) -> bool:
    """The date is that of an event noun other than the candidate's own trigger: right after
    it ("This phone call, which followed their March 14 meeting"), or before it in words that
    say the clause follows that event ("This meeting follows the summit held in April 2024")."""
    m = _DATE_OF_NOUN.at(text, d.end, d.end + 40)
    if m is None:  # "follows the trilateral summit hosted in Washington in April 2024"
        m = _AFTER_EARLIER.find(text, max(c.sent_start, d.start - 120), d.start)
    if m is None:  # "rang the Peace Bell, which was installed in 2008"
        return d.start > c.anchor_end and _RELATIVE_OF_OTHER.find(text, max(c.anchor_end, d.start - 90), d.start) is not None
    return not (c.anchor <= m.start("noun") < c.anchor_end or m.start("noun") <= c.anchor < m.end("noun"))


def _words_said(text: str, c: Candidate) -> int | None:
    """Where the words said or agreed at the event begin in its sentence, after its trigger
    ("met Holm and both sides agreed that ...", "told reporters at a joint press conference
    with Mori that ..."); None when the sentence reports none."""
    said = _CONTENT.find(text, c.anchor_end, c.sent_end)
    if said is not None:
        return said.start()
    if _TOLD.find(text, c.sent_start, c.anchor) is not None:
        i = text.find(" that ", c.anchor_end, c.sent_end)
        return i if i >= 0 else None
    return None


def _reported_done(text: str, cs: int, ce: int, anchor: int, ss: int | None = None) -> bool:
    """Whether the clause text[cs:ce] reports the activity at `anchor` as done, recently: a
    past or present-perfect verb, nothing about the future, and nothing that places it
    further back ("last year", "had met", "previously"). What the parties said or agreed
    after the trigger ("met Holm and both sides agreed that the games will be held") is
    not read: its tense is that of the words reported. A clause joined by "and" to the one
    before it in its sentence (which starts at ss) shares that one's future ("will attend
    the summit and pay a visit to Vietnam")."""
    if ss is not None and text[max(ss, cs - 5):cs].strip() == "and" and _FUTURE.find(text, ss, cs):
        return False
    said = _CONTENT.find(text, anchor, ce)
    clause = text[cs:said.start() if said is not None else ce]
    return bool(_DONE.find(clause)) and not _FUTURE.find(clause) and not _EARLIER.find(clause) \
        and not _WISH.find(clause)




def _is_headline(ctx: Context, c: Candidate, cs: int, ce: int) -> bool:
    """The document's first line, when it reads as a headline (no closing stop) that does not
    look ahead ("Biden’s Call with Prime Minister Holm", not "Holm to visit Lisbon")."""
    if c.sent_no != 0 or "\n" in ctx.text[c.sent_start:c.sent_end].strip():
        return False
    return not _HEADLINE_END.find(ctx.text[c.sent_start:c.sent_end]) and not _FUTURE.find(ctx.text, cs, ce) \
        and not _WISH.find(ctx.text, cs, ce) and not _HEADLINE_AHEAD.find(ctx.text, c.sent_start, c.sent_end)


def _with_group(ctx: Context, c: Candidate, cs: int, ce: int) -> bool:
    """The clause names an organisation as a group of its members' people ("met virtually
    with G7 Leaders", "meeting his EU counterparts", "EU leaders are holding talks",
    "Leaders of the Group of Seven met"), not in a relative clause after the one met with
    ("who chairs this year's ASEAN foreign ministers' meetings", event.clause.relative_after)."""
    rel = _RELATIVE_AFTER.find(ctx.text, c.anchor_end, ce)
    for m in _within(ctx.ents, ctx.ent_starts, cs, rel.start() if rel is not None else ce):
        if m.entity.kind != "organization":
            continue
        g = _GROUP_AFTER.at(ctx.text, m.end, min(ce, m.end + 30))
        if g and g.group("own"):  # "at a G20 meeting": the meeting is the organisation's, if it is the trigger
            if m.end <= c.anchor < g.end():
                return True
        elif g and (not g.group("leaders") or m.end <= c.anchor and " with " not in ctx.text[m.end:c.anchor]):
            return True
        if m.end <= c.anchor and _GROUP_BEFORE.find(ctx.text, max(cs, m.start - 40), m.start) is not None \
                and " with " not in ctx.text[m.end:c.anchor]:
            return True  # "Leaders of the Group of Seven met in Hiroshima"
    return False


def _of_body(ctx: Context, c: Candidate) -> bool:
    """Talks held by an organisation of several parties ("the virtual meeting of the
    Shanghai Cooperation Organization") or a standing body ("the inaugural meeting of the
    Ukraine Donor Coordination Platform steering committee"), not of two countries' own."""
    text = ctx.text
    of = _OF_THE.at(text, c.anchor_end, min(c.sent_end, c.anchor_end + 12))
    if of is not None and any(x.start == of.end() and x.entity.kind == "organization"
                              for x in _within(ctx.ents, ctx.ent_starts, of.end(), min(c.sent_end, of.end() + 80))):
        return True  # "the virtual meeting of the Shanghai Cooperation Organization"
    if _OF_GROUP_MEMBERS.at(text, c.anchor_end, min(c.sent_end, c.anchor_end + 80)) is not None:
        return True  # "a meeting of the 12 Eurozone finance ministers"
    m = _OF_BODY.at(text, c.anchor_end, min(c.sent_end, c.anchor_end + 120)) or \
        _BODY_HOLDS.find(text, max(c.sent_start, c.anchor - 80), c.anchor)
    if m is None:
        return False
    pair = {x.entity.name for x in _within(ctx.ents, ctx.ent_starts, m.start(), m.end())
            if x.compound and x.entity.kind == "country"}
    return len(pair) < 2


def told_in_turn(ctx: Context, c: Candidate) -> tuple | None:
    """(speaker, spoken to) of the transcript turn that tells c in the first person, by the
    words of its clause: who takes part for "I", "we", "our" (the speaker) and for "you",
    "your" (the one spoken to), and for "we" where the clause names nobody else (both); None
    outside a speaker's turn or without such words (event.clause.first_person): words read
    before the trigger with nobody named between, or right after it."""
    if not ctx.turns:
        return None
    i = bisect.bisect_right(ctx.turns, c.anchor, key=lambda t: t[0]) - 1
    if i < 0 or ctx.turns[i][1] is None:
        return None
    _, speaker, to = ctx.turns[i]
    me = you = we = False
    for m in _SELF_WORDS.scan(ctx.text, c.clause_start, min(c.clause_end, c.anchor_end + 30)):
        if m.start() < c.anchor and any(x.entity.kind == "person" for x in _within(ctx.ents, ctx.ent_starts, m.end(), c.anchor)):
            continue  # another's deed: "I know President A met President B"
        if m.group("me"):
            me = True
            we = we or m.group("me").lower() in ("we", "us")
        else:
            you = True
    # "we" is the two speakers where the clause names nobody else ("We last met in
    # Riga"), the speaker's side where it does ("the memorandum we signed with Denmark")
    you = you or we and all(p in (speaker, to) or p.kind == "country" and p.country_code in
                            (speaker.country_code, to and to.country_code) for p in c.participants)
    if not me and not (you and to is not None):
        return None
    return (speaker if me else None), (to if you else None)


def _told_by_another(ctx: Context, c: Candidate, main: Entity | None, cs: int, ce: int) -> bool:
    """Whether a transcript's speaker tells c in the first person, with someone else than
    the one the text is most about: with a person the clause names ("I've just come from a
    meeting with Prime Minister Tosika", in the turn of the minister who met him), or with
    the one spoken to, told as before ("when we first met, in Canberra"). ("Thank you for
    your call", told of the other alone, and "the first time for us to meet virtually" are
    the talks the transcript is of, told again.)"""
    if not ctx.turns:
        return False
    who = told_in_turn(ctx, c)
    if who is None or who[0] is None:
        return False
    speaker, to = who
    return to is not None and to != main and _EARLIER.find(ctx.text, cs, ce) is not None or speaker != main and any(
        x.entity.kind == "person" for x in _within(ctx.ents, ctx.ent_starts, cs, ce))


def _between_two(ctx: Context, c: Candidate) -> bool:
    """A named meeting of two countries' sides ("the 8th round of China-India Corps Commander
    Level Meeting", "the China-U.S. High-Level Dialogue"): talks between two parties, not a
    multilateral gathering. Forums and conferences stay multilateral; a summit of two
    countries ("the Japan-Philippines Summit Meeting", "the India-Australia Annual Summit")
    is their leaders' talks."""
    head = _MULTILATERAL_HEAD.find(c.name or "")
    if head is not None and head.group().lower() != "summit":
        return False
    pair = {m.entity.name for m in _within(ctx.ents, ctx.ent_starts, c.anchor, c.anchor_end)
            if m.compound and m.entity.kind == "country"}
    return len(pair) == 2


def _parted(text: str, d, c: Candidate) -> int:
    """1 when a comma or semicolon stands between a date expression and a mention's anchor."""
    lo, hi = (d.end, c.anchor) if d.end <= c.anchor else (c.anchor_end, d.start)
    between = text[lo:hi]
    return 1 if "," in between or ";" in between else 0


def _gap(d, c: Candidate) -> int:
    return max(0, c.anchor - d.end, d.start - c.anchor_end)


def _in_since_clause(text: str, ss: int, d, c: Candidate) -> bool:
    """Whether date d sits in a "since" clause that c's trigger is not part of: "his first
    visit since the games were postponed in March" (the start of a period), but not "since
    we met in Rome last November" (the date of that meeting)."""
    m = _SINCE.find(text, max(ss, d.start - 70), d.start)
    return m is not None and not (m.start() < c.anchor < d.start)


def _looks_ahead(text: str, d, c: Candidate, cs: int, published) -> bool:
    """Whether the words around date d make it the coming one (event.clause.future before it
    in its clause or between it and the trigger, event.clause.date_ahead in its sentence). Read only where it can change the
    date (D.resolve moves no other): a weekday, or a day or month without its year that is
    not the anchor's own month."""
    if d.year is not None or d.rel_year is not None:
        return False
    if d.kind != "weekday" and not (d.kind in ("day", "day_first", "month", "holiday") and published is not None
                                    and d.month is not None and d.month != published.month):
        return False
    # (or right before the trigger, after a date that opens the clause: "On October 4, I will
    # attend"; not in a clause between them: "On Monday, Ana Ruiz, who will retire in June, met")
    return _speaks_of_future(text[max(cs, d.start - 80):d.start]) \
        or d.end <= c.anchor <= d.end + 80 and _speaks_of_future(text[max(d.end, c.anchor - 25):c.anchor].rsplit(",", 1)[-1]) \
        or _DATE_AHEAD.find(text, max(c.sent_start, d.start - 160), d.start) is not None


def _time_of_gathering(text: str, floor: int, c: Candidate):
    """The words right before a gathering that make it the time of another deed ("ahead of
    the G20 Summit"; event.clause.time_of_gathering), read from floor on; None for any other
    kind of event."""
    if c.event_type != "multilateral_meeting":
        return None
    return _TIME_OF_GATHERING.find(text, max(floor, c.anchor - 60), c.anchor)


def _time_between(text: str, e: int, paren: int) -> bool:
    """Whether text[e:paren] is nothing, or a time of day ("at 4:20 p.m. local time")."""
    gap = text[e:paren] if 0 <= paren - e <= 40 else None
    return gap is not None and (not gap.strip(" ,") or any(w in gap for w in ("a.m.", "p.m.", "local time", "GMT", "UTC")))


def _in_brackets(text: str, floor: int, pos: int) -> bool:
    """Whether pos stands inside round brackets opened after floor."""
    return text.rfind("(", floor, pos) > text.rfind(")", floor, pos)


def _date(ctx: Context, c: Candidate, cands: list[Candidate], dexprs: list, cs: int, ce: int) -> None:
    """The date of c from the date expressions of its sentence: those of its own clause,
    else those nearer its anchor than another's; the report's date ("CCTV reported on
    Nov. 16") is not the event's; a known event's own date wins over a vaguer one."""
    text, ss, published, ref_year = ctx.text, c.sent_start, ctx.published, ctx.ref_year
    # a date outside every clause goes to the nearest mention it is not parted from by a
    # comma: "hosting him at the Observatory in May 2023, a bilateral meeting ..." is May's
    mine = [d for d in dexprs if cs <= d.start < ce] or \
        [d for d in dexprs if min(range(len(cands)), key=lambda i: (_parted(text, d, cands[i]), _gap(d, cands[i])))
         == cands.index(c)]
    # the day of a report is the day of what it reports done, when the text gives no other;
    # never that of what it announces to come ("will pay a visit to ..., the ministry announced
    # on Monday")
    # a date in another clause of the sentence, set apart from the trigger's by ", and I" or ";"
    # ("We're going to talk about a lot today, and I look forward to seeing you next month
    # for the summit"), gives way to one in the trigger's own (rule event.clause.apart_subject)
    near = [d for d in mine if not _APART_SUBJECT.find(text, min(d.end, c.anchor), max(d.start, c.anchor_end))]
    mine = near or mine
    own = [d for d in mine if not _REPORTED_ON.find(text[max(ss, d.start - 30):d.start])]
    mine = own or ([] if _FUTURE.find(text, ss, c.anchor) else mine)
    said = _words_said(text, c)
    if said is not None:  # the dates of what was said there are not the event's
        mine = [d for d in mine if d.start < said]
    mine = [d for d in mine if not (_IN_NAME_AFTER.at(text, d.end, d.end + 4)
                                    and (_IN_NAME_BEFORE.find(text, max(ss, d.start - 40), d.start)
                                         or d.kind == "bareyear" and _YEAR_IN_NAME.find(text, max(ss, d.start - 40), d.start)))
            and not _in_since_clause(text, ss, d, c)
            and not _of_another_noun(text, d, c)
            # ("at the 2023 G7 Summit, and today announced ...": today is the announcement's)
            and not (d.start >= c.anchor_end and _NEXT_PREDICATE.find(text, max(c.anchor_end, d.start - 20), d.start))]
    ahead = _time_of_gathering(text, ss, c)
    if ahead is not None:  # "arrived on Friday ahead of the G20 Summit": Friday is the arrival's
        mine = [d for d in mine if d.end > ahead.start()]
    # a date in brackets after another is the same moment in another time zone ("On February 21,
    # at 4:20 p.m. local time (4:20 a.m. on February 22, Japan time)"): the one outside counts
    # (a bracket opened right after a date outside brackets, a time between them at most)
    outside = [d for d in mine if not _in_brackets(text, cs, d.start)]
    if outside and len(outside) < len(mine):
        ends = [d.end for d in outside]
        mine = [d for d in mine if d in outside or not any(
            _time_between(text, e, text.rfind("(", cs, d.start)) for e in ends)]
    if c.name:
        mine = [d for d in mine if not (c.anchor <= d.start < c.anchor_end)] or \
            [d for d in mine if d.kind != "bareyear"] or mine
    chosen, event_date, precision = None, None, None

    for d in sorted(mine, key=lambda d: (D.PRECISION_RANK.get(d.precision, 3), _parted(text, d, c), _gap(d, c))):
        if d.text.lower().startswith("since"):
            continue  # the start of a period, not the date of an event
        if d.kind == "bareyear" and any(x.kind != "bareyear" for x in mine):
            continue
        previous = _previous_day(text, ctx.start, d.start, published, ref_year) if d.kind in ("sameday", "nextday") else None
        ed, pr = D.resolve(d, published, ref_year, previous, future=_looks_ahead(text, d, c, cs, published))
        if ed and published is not None and ed.year > published.year + _HORIZON_YEARS:
            continue  # a horizon, not when it happens: "to cut emissions ... in 2030", told in 2021
        if ed:
            chosen, event_date, precision = d, ed, pr
            break
    if chosen is None and c.name and c.anchor_end:
        for d in [d for d in dexprs if c.anchor <= d.start < c.anchor_end]:
            ed, pr = D.resolve(d, published, ref_year)
            if ed:
                chosen, event_date, precision = d, ed, pr
    basis = "text" if event_date else None
    if c.known and c.known.date:
        if event_date is None or (event_date.year == c.known.date.year and
                                  (precision != "day" or event_date.month == c.known.date.month)):
            event_date, precision, basis = c.known.date, "day", "text"
    if event_date is None and published is not None and not c.name \
            and (c.sent_no - ctx.meta_lines < _LEAD_SENTENCES or ctx.basis == "dateline" or _JUST_DONE.find(text, cs, c.anchor)) \
            and _reported_done(text, cs, ce, c.anchor, c.sent_start):
        event_date, precision, basis = published, "day", ctx.basis  # undated, reported as done
    elif event_date is None and published is not None and _is_headline(ctx, c, cs, ce):
        # the headline of the day's report ("Readout of Inaugural Meeting of the ... Committee")
        event_date, precision, basis = published, "day", "headline"
    c.date_text = chosen.text if chosen else None
    c.event_date, c.date_precision, c.date_basis = event_date, precision, basis


def _purpose_date(text: str, c: Candidate, out: list[Candidate]) -> None:
    """A visit or talks that names nobody of its own, told as what the deed before it in the
    sentence is for ("will host Ana Ruiz for an official visit on May 3"; rule
    event.clause.for_purpose): that deed's clause runs on over it, and takes its date when it
    has none."""
    kept = out[-1] if out else None
    if kept is None or kept.sent_start != c.sent_start or kept.anchor >= c.anchor \
            or _FOR_PURPOSE.find(text, max(kept.anchor, c.anchor - 60), c.anchor) is None:
        return
    if kept.event_date is None and c.event_date is not None and c.date_basis == "text":
        kept.take_date(c)
    kept.clause_end = max(kept.clause_end, c.clause_end)


def complete(ctx: Context, cands: list[Candidate], dexprs: list, channel_only: list) -> list[Candidate]:
    """Clause, date, participants, channel and name of each candidate of one sentence
    (sorted by anchor); those that name no counterpart, date or name, talks inside one
    country, and wishes are dropped. A visit to several countries, or a message to several
    people, becomes one candidate each."""
    text = ctx.text
    # an arrival at home, of a thing, or somewhere no country is named for ("arrived in
    # Phoenix", "tanks will arrive in Ukraine") is no visit, nor a clause of its own
    cands = [c for c in cands if c.rule != "event.trigger.arrival" or _arrives_abroad(ctx, c)]
    if not cands:
        return []
    ss, se = cands[0].sent_start, cands[0].sent_end
    countries = {x.start: x.end for x in _within(ctx.ents, ctx.ent_starts, ss, se) if x.entity.kind == "country"} \
        if len(cands) > 1 else {}
    spans = _clause_bounds(text, ss, se, [c.anchor for c in cands], countries)
    spans = _gathering_settings(text, cands, spans)
    if len(cands) >= 3:  # a list of gatherings: each item is its name
        spans = [(c.anchor - (4 if text[max(ss, c.anchor - 4):c.anchor] == "the " else 0), c.anchor_end)
                 if c.name and not c.known or c.name and c.anchor_end - c.anchor > 8 else sp
                 for c, sp in zip(cands, spans)]
    out = []
    main = ctx.main
    for c, (cs, ce) in zip(cands, spans):
        c.clause_start, c.clause_end = cs, ce
        _date(ctx, c, cands, dexprs, cs, ce)
        if c.event_type == "multilateral_meeting" and c.name and _between_two(ctx, c):
            c.event_type = "meeting"
    _caption_day(ctx, cands, dexprs)
    _on_the_margins(text, cands)
    _trip_for_gathering(text, cands, ctx.published)
    lead: dict[int, int] = {}  # each sentence's first trigger, where its subject has been named
    for c in cands:
        lead[c.sent_start] = min(c.anchor, lead.get(c.sent_start, c.anchor))
    for c, (cs, ce) in zip(cands, spans):
        if is_negated(text, c):
            continue
        name_span = (c.anchor, c.anchor_end) if c.name else None
        parts = _participants(text, cs, ce, c, ctx.ents, main, name_span, ctx.ent_starts, lead[c.sent_start])
        if out and out[-1].sent_start == c.sent_start and not any(p.kind == "person" and p != main for p in parts) \
                and _OBJECT_PRONOUN.at(text, c.anchor_end, min(ce, c.anchor_end + 12)) is not None:
            # "when we met in Ankara, and I spoke to him again by phone": the one met before
            parts += [p for p in out[-1].participants if p.kind == "person" and p not in parts]
        if c.event_type == "meeting" and all(p == main for p in parts) \
                and (deed := _setting_of_deed(text, c, out)) is not None:
            # (the article's protagonist, whom a clause naming nobody falls back on, stays)
            parts = list(deed.participants) + [p for p in parts if p not in deed.participants]
            if c.date_text is None and deed.event_date is not None:
                c.take_date(deed)
        if c.event_type == "visit" and c.event_date is None:
            _visit_under_way(text, c, out)
        name = c.name or event_name_unnamed(text, c, cs, ce)
        # a mention needs a name, a date finer than a year, or a counterpart; a gathering may
        # have its place instead ("Mr Blair is at a summit in Brussels")
        # people the text calls only "Mr X" take part, but are nobody's counterpart on their own
        known = [p for p in parts if p.name not in ctx.courtesy_only]
        # (two people, one of them a known foreign leader: "Blair congratulates Bush on win" in
        # a story that names George Bush, whoever it is most about)
        people = {p.name: p for p in parts if p.kind == "person"}
        # ("tomorrow" alone makes no mention: it sets the home leader's day, "will travel to
        # Mississippi tomorrow")
        dated = c.event_date and c.date_precision in ("day", "month") and (c.date_text or "").lower() != "tomorrow"
        valid = name or dated or any(p != main for p in known) \
            or len(people) >= 2 and any(p.country_code for p in known if p.kind == "person") \
            or c.event_type == "multilateral_meeting" and _PLACE.find(text, c.anchor, min(ce, c.anchor_end + 30)) \
            or _told_by_another(ctx, c, main, cs, ce)
        if not valid or _domestic(c.event_type, parts) or _with_home_group(text, c, parts, ce):
            continue
        if c.event_type == "meeting" and not c.name and (_with_group(ctx, c, cs, ce) or _of_body(ctx, c)
                                                         or _MANY_SIDED.find(text, max(cs, c.anchor - 40), c.anchor)):
            c.event_type = "multilateral_meeting"
        if not known and c.event_type in ("meeting", "phone_call", "message", "visit") and not name \
                and told_in_turn(ctx, c) is None:
            _purpose_date(text, c, out)
            continue  # talks of nobody the text names, or only of people it calls "Mr X" ("Mr Dahl met Mr Berg")
        # an organisation's officer takes part for it: "IOC president Bach met Suga"
        parts += [o for o in dict.fromkeys(ctx.offices.get(p.name) for p in parts if p.kind == "person")
                  if o is not None and o not in parts]
        if c.event_date is None and not c.name and is_wish(text, cs, ce):
            continue  # a wish or an invitation, not an activity set at a point in time
        chan = _channel(text, cs, ce, c)
        if chan is None and channel_only and len(cands) == 1:
            chan = "video"
        c.channel, c.event_name = chan, name
        # plural visits and messages: one mention per destination or recipient; a list of
        # agreements signed: one per agreement
        split_on = None
        if c.event_type == "agreement" and not c.name:
            listed = agreement_list(text, c, cs, ce)
            if listed:
                c.event_name, c.participants = listed[0], parts
                out += [c] + [replace(c, event_name=n, participants=list(parts)) for n in listed[1:]]
                continue
        if c.event_type == "visit":
            split_on = [p for p in parts if p.kind == "country" and p != main and p.country_code != (main.country_code if main else None)]
        elif c.event_type == "message":
            people = [p for p in parts if p.kind == "person"]
            sender = main if main is not None else (people[0] if people else None)
            split_on = [p for p in people if p != sender]
        if split_on and len(split_on) > 1:
            keep = [p for p in parts if p not in split_on]
            out += [replace(c, participants=keep + [p]) for p in split_on]
        else:
            c.participants = parts
            out.append(c)
    _held_at_the_gathering(ctx, out)
    _adopted_at(text, out, cands)
    _shared_subject(ctx, out)
    return out


def _held_at_the_gathering(ctx: Context, out: list[Candidate]) -> None:
    """Talks held at the gathering told right after them in the sentence: "spoke with Prime
    Minister Holm at the G7", "on the sidelines of the NATO Summit" (rule
    event.clause.setting_next, or a gathering named in their clause:
    event.clause.at_named_gathering) are talks in person, not a call; and the one met named after
    the gathering ("met today on the margins of the NATO Summit with President Holm"; rule
    event.clause.with_after_gathering) takes part in the talks, not in the gathering."""
    text = ctx.text
    for i, c in enumerate(out):
        if c.event_type not in ("meeting", "phone_call"):
            continue
        g = out[i + 1] if i + 1 < len(out) else None
        if g is not None and (g.sent_start != c.sent_start or g.event_type != "multilateral_meeting" or not g.name
                              or g.anchor - c.anchor_end > 160 or any(ch in text[c.anchor_end:g.anchor] for ch in ";:")
                              or _SETTING_NEXT.find(text, max(c.anchor, g.anchor - 40), g.anchor) is None):
            g = None
        trigger = text[c.anchor:c.anchor_end].lower()
        if c.event_type == "phone_call" and trigger.startswith(("spoke", "talked")) and "phone" not in trigger \
                and (g is not None or _AT_NAMED_GATHERING.find(text, c.anchor_end, min(c.clause_end, c.anchor_end + 160))):
            c.event_type, c.channel = "meeting", "in_person"
        with_ = _WITH_AFTER_GATHERING.at(text, g.anchor_end, g.clause_end) if g is not None else None
        if c.event_type != "meeting" or with_ is None:
            continue
        moved = [m.entity for m in _within(ctx.ents, ctx.ent_starts, with_.end(), g.clause_end)
                 if m.entity.kind in ("person", "country")]
        if moved:
            c.participants = list(c.participants) + [p for p in moved if p not in c.participants]
            g.participants = [p for p in g.participants if p not in moved]
            c.clause_end = max(c.clause_end, g.clause_end)


def _told_before(c: Candidate, out: list[Candidate]) -> Candidate | None:
    """The mention kept last before c in c's sentence (out: the sentence's kept mentions so
    far, in order), if any."""
    return next((d for d in reversed(out) if d.sent_start == c.sent_start and d.anchor_end <= c.anchor), None)


def _setting_of_deed(text: str, c: Candidate, out: list[Candidate]) -> Candidate | None:
    """The agreement of c's sentence, told right before c, whose setting talks c are
    ("signed four agreements on transport during a meeting of their foreign ministers";
    rule event.clause.setting_of_deed): those who signed held them. None when there is none."""
    deed = _told_before(c, out)
    if deed is None or deed.event_type != "agreement" or not deed.participants or c.anchor - deed.anchor_end > 100:
        return None
    between = text[deed.anchor_end:c.anchor]
    if ";" in between or _SETTING_OF_DEED.find(text, deed.anchor_end, c.anchor) is None:
        return None
    return deed


def _visit_under_way(text: str, c: Candidate, out: list[Candidate]) -> None:
    """A visit its sentence does not date, told as the setting of dated talks or a call told
    before it in the sentence ("I've just come from a meeting with Prime Minister Holm, on
    my first visit to Oslo"; rule event.clause.visit_as_setting), takes the talks' day: the
    visit is under way then."""
    talks = _told_before(c, out)
    if talks is None or talks.event_type not in ("meeting", "phone_call") or talks.event_date is None \
            or ";" in text[talks.anchor_end:c.anchor]:
        return
    if _VISIT_AS_SETTING.find(text, max(talks.anchor_end, c.anchor - 40), c.anchor) is not None:
        c.take_date(talks, with_text=False)


def _caption_day(ctx: Context, cands: list[Candidate], dexprs: list) -> None:
    """A photo caption's closing place and day ("... attending the forum in Lisbon, May 3,
    2021."; rule event.date.caption_tail) date each event of the caption its own words left
    undated, not only the one nearest it, and each one the dateline that opens the caption
    dated (rule page.dateline: "LISBON, May 4, 2021 (Agency) -- ..." is the report's day)."""
    if len(cands) < 2:
        return
    ss, se = cands[0].sent_start, cands[0].sent_end
    tail = _CAPTION_TAIL.find(ctx.text, ss, se)
    if tail is None:
        return
    day = next((d for d in dexprs if d.start >= tail.start()), None)
    if day is None:
        return
    date, precision = D.resolve(day, ctx.published, ctx.ref_year)
    if date is None or precision != "day":
        return
    # a caption that opens with its story's dateline ("BEIJING, Oct. 17, 2023 (Xinhua) -- ... arrives
    # at the airport ..., Oct. 16, 2023."): the dateline's day is the report's, the tail's the photo's
    line = _DATELINE.at(ctx.text, ss, tail.start())
    line_day = next((d.text for d in dexprs if line is not None and line.start() <= d.start < line.end()), None)
    for c in cands:
        if c.event_type == "multilateral_meeting" and c.date_text == day.text \
                and _TO_ATTEND.find(ctx.text, max(ss, c.anchor - 40), c.anchor) is not None:
            # (a gathering the caption's people have come to attend: its days are its own)
            c.event_date = c.date_precision = c.date_text = c.date_basis = None
        elif (c.date_text is None or line_day is not None and c.date_text == line_day) and not (c.known and c.known.date):
            c.event_date, c.date_precision, c.date_text, c.date_basis = date, precision, day.text, "text"


def _arrives_abroad(ctx: Context, c: Candidate) -> bool:
    """Whether an arrival is a visit: one named right before it in its sentence ("Premier Li
    Qiang arrived", or "he" for the article's protagonist), whose country is known and not
    the country of the place right after it ("arrived in Berlin": Germany). Read before the
    clauses are cut: the sentence bounds the look back."""
    text = ctx.text
    g = gazetteer()
    after = [m.entity for m in _within(ctx.ents, ctx.ent_starts, c.anchor_end, min(c.sent_end, c.anchor_end + 40))
             if m.entity.kind == "country"][:1]
    city = g.destination.at(text, c.anchor, min(c.sent_end, c.anchor_end + 40)) if not after else None
    if city is not None:
        after = [g.capitals[" ".join(city.group("city").split())]]
    who = None
    near = [m for m in _within(ctx.ents, ctx.ent_starts, max(c.sent_start, c.anchor - 40), c.anchor)
            if m.entity.kind == "person" and m.entity.name not in ctx.courtesy_only]
    if near and not any(ch in ",;" for ch in text[near[-1].end:c.anchor]):
        who = near[-1].entity
    elif _PRONOUN_BEFORE.find(text, max(c.sent_start, c.anchor - 15), c.anchor) and ctx.main is not None \
            and ctx.main.name not in ctx.courtesy_only:
        who = ctx.main
    if who is None or not who.country_code:
        return False
    return any(p.country_code != who.country_code for p in after)


def _shared_subject(ctx: Context, cands: list[Candidate]) -> None:
    """A clause joined by "and" to the one before it, that starts with its verb and names no
    person, has that one's subject: the people named before its trigger ("Premier Li Qiang
    will attend the summit and pay an official visit to Vietnam"); so have the talks a trip
    is for ("Ana Ruiz travelled to Lisbon on Thursday for talks with Lars Holm", "... to
    meet with Lars Holm")."""
    text = ctx.text
    for prev, c in zip(cands, cands[1:]):
        cs = c.clause_start
        joined = text[max(c.sent_start, cs - 5):cs].strip()
        if prev.sent_start != c.sent_start or not text[cs:cs + 1].islower():
            continue
        if joined == "and":
            if any(p.kind == "person" for p in c.participants):
                continue
        elif not (joined == "for" and prev.event_type == "visit" and c.event_type in ("meeting", "phone_call")
                  or prev.event_type == "visit" and c.event_type == "meeting" and _to_meet(text, prev, c)):
            continue
        subject = [m.entity for m in _within(ctx.ents, ctx.ent_starts, prev.clause_start, prev.anchor)
                   if m.entity.kind == "person" and m.entity in prev.participants]
        c.participants = list(dict.fromkeys(subject)) + [p for p in c.participants if p not in subject]


def _adopted_at(text: str, kept: list[Candidate], cands: list[Candidate]) -> None:
    """An agreement adopted or signed at a gathering the same sentence dates ("The leaders
    adopted the Plan of Action at the summit on November 10") takes its date, when its own
    words give it none: undated, or dated only as the report's day. The gathering may be
    one the sentence names again without a mention of its own ("adopted a joint
    declaration at the meeting on Tuesday"): its words date the agreement all the same.
    Talks held at a gathering ("met Holm at the Nordic Summit in Oslo on Monday") take its
    date as well, when the sentence gives them none of their own."""
    kept_ids = {id(k) for k in kept}  # (the same candidates, not equal ones: a dataclass compares fields)
    for c in kept:
        if c.event_type not in ("agreement", "meeting") or c.date_text is not None:
            continue
        # so do talks held at a gathering whose clause holds the sentence's date ("Ruiz met Holm
        # at the Nordic Summit in Oslo on Monday"), named within the clause that tells them
        kinds = ("multilateral_meeting",) if c.event_type == "meeting" else ("multilateral_meeting", "meeting")
        for g in cands:
            if g is c or g.event_type not in kinds or g.event_date is None \
                    or c.anchor_end > g.anchor or not _AT_GATHERING.find(text, c.anchor_end, g.anchor_end) \
                    or c.event_type == "meeting" and (g.anchor - c.anchor_end > 100 or ";" in text[c.anchor_end:g.anchor]):
                continue
            # a gathering's date from its own words, or a kept one's for an undated agreement
            if g.date_text is not None or (c.event_date is None and id(g) in kept_ids):
                c.take_date(g)
                break


def _trip_for_gathering(text: str, cands: list[Candidate], published) -> None:
    """A trip the text dates only by the gathering it is for ("will travel to Bergen,
    Norway, to attend the Nordic Summit from May 19 to 21"; "will travel to Turku, Finland,
    on Monday to attend the Baltic Leaders Meeting", event.clause.trip_for_gathering)
    takes the gathering's date: the one told between them, or the gathering's own. So does
    a trip dated only before the talks it is for ("to meet with")."""
    for c, g in zip(cands, cands[1:]):
        if c.event_type != "visit" or g.event_type not in ("multilateral_meeting", "meeting") \
                or c.date_text is not None or g.date_text is None or g.event_date is None:
            continue
        between = text[c.anchor_end:g.anchor]
        if g.event_type == "meeting":
            # talks the trip is for, dated between the two: "traveled to Oslo, Norway on
            # June 3, 2023 to meet with Prime Minister Holm" (a date of the talks' own clause,
            # after them, is theirs alone)
            if not (_to_meet(text, c, g) and g.date_text in between):
                continue
        # one clause: no break but a place's country or the day of the trip set off by commas
        # ("Bergen, Norway, to attend"; not "Oslo, a trip planned since she went to Riga for
        # the Baltic summit"); a trip to come is not dated by a gathering gone
        parts = between.split(",")
        if ";" in between or " and " in between or any(not _TRIP_GOES_ON.at(p.lstrip() + " ") for p in parts[1:]):
            continue
        if published is not None and g.event_date < published and _speaks_of_future(text[c.clause_start:c.anchor]):
            continue
        if g.event_type == "meeting" or _TRIP_FOR_GATHERING.find(text, max(c.anchor_end, g.anchor - 60), g.anchor):
            c.take_date(g)


def _to_meet(text: str, trip: Candidate, talks: Candidate) -> bool:
    """Whether talks are what a trip told before them in its sentence is for: "traveled to
    Oslo on June 3 to meet with Prime Minister Holm"."""
    between = text[trip.anchor_end:talks.anchor].rstrip()
    return between.endswith("to") and not between[-3:-2].isalnum() and text[talks.anchor:talks.anchor + 4].lower() == "meet" \
        and ";" not in between and " and " not in between


def _on_the_margins(text: str, cands: list[Candidate]) -> None:
    """Talks held on the margins of the gathering named right after them are held in its
    days: the undated one of the two takes the other's date ("a bilateral meeting on the
    margins of the East Asia Summit in Jakarta in September 2023"; "met today with X on the
    margins of the APEC Leaders' Meeting"). A date the report gives (its publication, its
    dateline) is no date of the text's: the gathering's own date wins over it."""
    for c, g in zip(cands, cands[1:]):
        if c.event_type != "meeting" or g.event_type != "multilateral_meeting":
            continue
        c_text, g_text = c.date_text is not None, g.date_text is not None
        if c_text and g_text or c.event_date is None and g.event_date is None:
            continue
        # (the one met may be set off by commas: "meets with the Prime Minister of Estonia,
        # Mart Kallaste, on the margins of the NATO Summit")
        m = _MARGINS.find(text, c.anchor_end, g.anchor)
        between = text[c.anchor_end:m.start()] if m is not None else ""
        if m is not None and not _CLAUSE_END.find(text, m.end(), g.anchor) \
                and not any(w in between for w in (";", ":", " and ", " while ", " but ", " as ")):
            if g.event_date is not None and not c_text and (g_text or c.event_date is None):
                c.take_date(g)
            elif c.event_date is not None and (g.event_date is None or c_text and not g_text) \
                    and c.date_precision in ("day", "month"):
                # the gathering may last several days: the month of the talks is its own
                g.event_date, g.date_precision, g.date_basis = c.event_date.replace(day=1), "month", c.date_basis
