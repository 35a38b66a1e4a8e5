"""Names of people, countries and organisations: a gazetteer kept in data/*.csv,
titles and roles resolved by date, matched with offsets into the text."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from transforms.reference import read, trie_regex
from transforms.text import Spans


@dataclass(frozen=True)
class Entity:
    name: str
    kind: str  # person | country | organization
    country_code: str | None


@dataclass
class Mention:
    start: int
    end: int
    entity: Entity
    surface: str
    compound: bool = False  # part of a hyphenated compound ("China-Africa")
    via: str = "name"  # name | demonym | role | title


def _split(v: str | None) -> list[str]:
    return [x.strip() for x in (v or "").split(";") if x.strip()]


class Gazetteer:
    def __init__(self) -> None:
        import pycountry

        self._cache: dict = {}
        self.surfaces: dict[str, Entity] = {}
        self.demonyms: dict[str, Entity] = {}
        self.countries: dict[str, Entity] = {}
        self.media: set[str] = {r["name"] for r in read("media.csv")}
        names = {r["code"]: r for r in read("country_names.csv")}
        for c in pycountry.countries:
            row = names.get(c.alpha_3)
            canonical = row["name"] if row else getattr(c, "common_name", None) or c.name
            ent = Entity(canonical, "country", c.alpha_3)
            self.countries[c.alpha_3] = ent
            for s in {canonical, c.name, getattr(c, "common_name", None) or c.name,
                      getattr(c, "official_name", None) or c.name}:
                if "," not in s:
                    self.surfaces.setdefault(s, ent)
            if row:
                for s in _split(row["aliases"]):
                    self.surfaces[s] = ent
                for s in _split(row["demonyms"]):
                    self.demonyms[s] = ent
        for code, row in names.items():  # places with a code of their own outside ISO 3166 (Kosovo, XKX)
            if code not in self.countries:
                ent = Entity(row["name"], "country", code)
                self.countries[code] = ent
                for s in [row["name"]] + _split(row["aliases"]):
                    self.surfaces.setdefault(s, ent)
                for s in _split(row["demonyms"]):
                    self.demonyms[s] = ent
        for r in read("organizations.csv"):
            ent = Entity(r["name"], "organization", r["country_code"] or None)
            for s in [r["name"]] + _split(r["variants"]):
                self.surfaces[s] = ent
        self.people: dict[str, Entity] = {}
        for r in read("people.csv"):
            ent = Entity(r["name"], "person", r["country_code"] or None)
            self.people[r["name"]] = ent
            for s in [r["name"]] + _split(r["variants"]):
                self.surfaces[s] = ent
        self.roles = []
        for r in read("roles.csv"):
            self.roles.append((r["country_code"], r["title"], self.people[r["name"]],
                               dt.date.fromisoformat(r["start"]),
                               dt.date.fromisoformat(r["end"]) if r["end"] else dt.date(9999, 1, 1),
                               r["leader"] == "1"))
        for m in self.media:
            self.surfaces.pop(m, None)
        self.pattern = re.compile(r"(?<![\w’'])(?:" + trie_regex(self.surfaces) + r")(?![\w])")
        self.lookup = {" ".join(s.split()): e for s, e in self.surfaces.items()}
        self.demonym_alt = trie_regex(self.demonyms)
        self.country_alt = trie_regex(s for s, e in self.surfaces.items() if e.kind == "country")
        self.dem_lookup = {" ".join(s.split()): e for s, e in self.demonyms.items()}
        self._build_role_patterns()

    # ---- roles -------------------------------------------------------------
    def _build_role_patterns(self) -> None:
        d, c = self.demonym_alt, self.country_alt
        t = r"(?:[Pp]resident|[Pp]rime\s+[Mm]inister|[Cc]hancellor|[Ll]eader|[Pp]remier|[Hh]ead\s+of\s+[Ss]tate)"
        ts = r"(?:[Pp]residents|[Pp]rime\s+[Mm]inisters|[Cc]hancellors|[Ll]eaders|[Hh]eads\s+of\s+[Ss]tate)"
        # "French and German leaders", "the Russian president"
        self.role_demonym = re.compile(
            rf"(?<![\w])(?<!,)(?<!,\s)(?P<list>(?:{d})(?:\s*,\s*(?:{d}))*+(?:\s+and\s+(?:{d}))?)\s+(?P<title>{ts}|{t})(?![\w])(?!\s+[A-Z][a-z])")
        # "leaders of Germany and the European Union", "presidents of Vietnam and Uzbekistan"
        self.role_of = re.compile(
            rf"(?<![\w])(?P<title>{ts}|{t})\s+of\s+(?P<list>(?:the\s+)?(?:{c}|European\s+Union|EU)(?:\s*,\s*(?:the\s+)?(?:{c}|European\s+Union|EU))*+(?:\s+and\s+(?:the\s+)?(?:{c}|European\s+Union|EU))?)(?![\w])"
            r"(?!\s+[A-Z][a-z])")  # "Chancellor of Germany Anton Kessler" names the holder: no lookup
        self.eu_roles = re.compile(
            r"[Pp]resident\s+of\s+the\s+(?P<body>European\s+Council|European\s+Commission)(?!\s+[A-Z])")
        self.titled = re.compile(
            r"(?<![\w])(?P<title>His\s+Holiness\s+Pope|His\s+Majesty|Her\s+Majesty|Taoiseach|Pope|Amir|President-[Ee]lect|"
            r"President|Prime\s+Minister|Chancellor|King|Queen|Emir|Crown\s+Prince|Premier|"
            r"Secretary-General|Secretary\s+General|Director-General|Director\s+General|Foreign\s+Minister|"
            r"Minister|Vice\s+President|Sultan|Sheikh|Governor|Ambassador|Secretary|Senator)\s+"
            rf"(?:of\s+(?:the\s+)?(?P<of>{c}|[A-Z]{{2,6}}|[A-Z][a-z]+(?:\s+(?:{_INSTITUTION}))?)\s+)?"
            rf"(?!(?:{_INSTITUTION})\b)"
            r"(?P<name>(?:(?:[A-Z]\.|[A-Z][\w’'-]*)\s+(?:(?:bin|bint|ibn|al|Al|el|El|da|de|der|von|van)\s+)*){0,4}"
            r"[A-Z][\w’'-]*[a-z][\w’'-]*)")
        # "Peter Thomson, President of the 71st ..."
        # "Tomas Berg, the Austrian foreign minister", "Ana Ruiz, prime minister of Portugal"
        self.appositive = re.compile(
            r"(?<![\w])(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2}),\s+(?:the\s+|a\s+|an\s+)?(?:former\s+|then\s+)?"
            r"(?:(?P<dem>[A-Z][a-z]+)\s+)?(?:[a-z]+\s+){0,2}"
            r"(?:President|Prime\s+Minister|Chancellor|Secretary-General|Director-General|"
            r"Minister|Ambassador|Chairman|Chairwoman|Chair|Professor|professor|president|minister|ambassador|"
            r"director|spokesperson|spokesman|spokeswoman|chief|head|leader|envoy|diplomat|secretary|premier)\b"
            rf"(?:\s+of\s+(?:the\s+)?(?P<of>{c}))?")

    def leaders(self, code: str, when: dt.date | None, title: str | None = None) -> list[Entity]:
        if when is None:
            return []  # no date, no office-holder: nothing reads the clock
        out = []
        for cc, ti, person, s, e, leader in self.roles:
            if cc != code or not (s <= when < e):
                continue
            if title and title not in ("leader", "head of state", "leaders", "heads of state"):
                t = title.lower().rstrip("s")
                if t == "premier":
                    t = "premier" if code == "CHN" else "prime minister"
                if ti != t:
                    continue
            elif not leader:
                continue
            out.append(person)
        return out

    def country_of_list(self, items: str) -> list[Entity]:
        out = []
        for part in re.split(r"\s*,\s*|\s+and\s+", items):
            part = " ".join(part.split())
            if part.startswith("the "):
                part = part[4:]
            ent = self.lookup.get(part) or self.dem_lookup.get(part)
            if part in ("European Union", "EU"):
                ent = self.lookup["European Union"]
            if ent:
                out.append(ent)
        return out

    def role_people(self, ent: Entity, title: str, when: dt.date | None) -> list[Entity]:
        if ent.name == "European Union":
            return self.leaders("EUU", when) + [ent]
        return self.leaders(ent.country_code, when, title) if ent.kind == "country" else []

    # ---- matching ------------------------------------------------------------
    def find(self, text: str, start: int = 0, end: int | None = None,
             when: dt.date | None = None) -> list[Mention]:
        """Every name in text[start:end]; results are kept for the last few thousand texts,
        since events and quotes both ask for the same document."""
        end = len(text) if end is None else end
        key = (text, start, end, when)
        hit = self._cache.get(key)
        if hit is None:
            if len(self._cache) > 4096:
                self._cache.clear()
            hit = self._cache[key] = self._find(text, start, end, when)
        return list(hit)

    def _find(self, text: str, start: int, end: int, when: dt.date | None) -> list[Mention]:
        out: list[Mention] = []
        taken = Spans()
        free = taken.free

        for m in self.role_of.finditer(text, start, end):
            ents = self.country_of_list(m.group("list"))
            for ent in ents:
                for p in self.role_people(ent, m.group("title"), when):
                    out.append(Mention(m.start(), m.end(), p, m.group(0), via="role"))
            if ents:
                taken.add(m.start(), m.end())
        for m in self.role_demonym.finditer(text, start, end):
            if not free(m.start(), m.end()):
                continue
            ents = self.country_of_list(m.group("list"))
            people = [p for ent in ents for p in self.role_people(ent, m.group("title"), when)]
            for p in people:
                out.append(Mention(m.start(), m.end(), p, m.group(0), via="role"))
            if people:
                taken.add(m.start(), m.end())
        for m in self.eu_roles.finditer(text, start, end):
            if free(m.start(), m.end()):
                title = "president of the " + " ".join(m.group("body").split()).lower()
                for p in self.leaders("EUU", when, title):
                    out.append(Mention(m.start(), m.end(), p, m.group(0), via="role"))
                    taken.add(m.start(), m.end())
        for m in self.pattern.finditer(text, start, end):
            s, e = m.start(), m.end()
            if not free(s, e):
                continue
            surface = " ".join(m.group(0).split())
            ent = self.lookup.get(surface)
            if ent is None:
                continue
            compound = (s > 0 and text[s - 1] == "-") or (e < len(text) and text[e] == "-")
            out.append(Mention(s, e, ent, m.group(0), compound=compound))
            taken.add(s, e)
        for m in self.titled.finditer(text, start, end):
            s, e = m.start("name"), m.end("name")
            name = " ".join(m.group("name").split())
            name = re.split(r"\s+(?:of|said|says|and|in|on|at|for|to|with|the|The)\b", name)[0]
            if not free(s, s + len(name)) or name in self.media or name.split()[0] in _NOT_NAMES:
                continue
            if self.lookup.get(name) or any(w in self.lookup for w in name.split()[:1]):
                continue
            code = None
            if m.group("of") and " ".join(m.group("of").split()) in self.lookup:
                code = self.lookup[" ".join(m.group("of").split())].country_code
            after = text[s + len(name):s + len(name) + 60]
            mc = re.match(r"\s+of\s+(?:the\s+)?(" + self.country_alt + ")", after)
            if code:
                pass
            elif mc:
                code = self.lookup[" ".join(mc.group(1).split())].country_code
            else:
                before = text[max(start, m.start() - 40):m.start()]
                md = re.search(r"(" + self.demonym_alt + r")\s+$", before)
                if md:
                    code = self.dem_lookup[" ".join(md.group(1).split())].country_code
            out.append(Mention(s, s + len(name), Entity(name, "person", code), text[s:s + len(name)], via="title"))
            taken.add(s, s + len(name))
        for m in self.appositive.finditer(text, start, end):
            s, e = m.span("name")
            name = " ".join(m.group("name").split())
            if free(s, e) and not any(w in _NOT_NAMES or w in self.lookup for w in name.split()) and not self.lookup.get(name):
                code = None
                if m.group("of"):
                    code = self.lookup[" ".join(m.group("of").split())].country_code
                elif m.group("dem") and m.group("dem") in self.dem_lookup:
                    code = self.dem_lookup[m.group("dem")].country_code
                out.append(Mention(s, e, Entity(name, "person", code), m.group("name"), via="title"))
                taken.add(s, e)
        # later mentions by surname of people the text introduced with a title: "Pashinyan"
        by_surname: dict[str, Entity] = {}
        for m in out:
            if m.via == "title" and m.entity.kind == "person" and len(m.entity.name.split()) >= 2:
                last = m.entity.name.split()[-1]
                if last[0].isupper() and last not in self.lookup and last not in _NOT_NAMES and len(last) > 2:
                    by_surname.setdefault(last, m.entity)
        if by_surname:
            pat = re.compile(r"(?<![\w’'-])(?:" + "|".join(map(re.escape, sorted(by_surname, key=len, reverse=True))) +
                             r")(?![\w-])")
            for m in pat.finditer(text, start, end):
                if free(m.start(), m.end()):
                    out.append(Mention(m.start(), m.end(), by_surname[m.group(0)], m.group(0), via="surname"))
                    taken.add(m.start(), m.end())
        out.sort(key=lambda x: (x.start, x.end))
        return out

    def demonyms_in(self, text: str, start: int, end: int) -> list[Mention]:
        pat = _demonym_pattern(self.demonym_alt)
        return [Mention(m.start(), m.end(), self.dem_lookup[" ".join(m.group(0).split())], m.group(0), via="demonym")
                for m in pat.finditer(text, start, end)]


_INSTITUTION = (r"Parliament|Council|Commission|Assembly|Republic|Union|Federation|Kingdom|States|Bank|Court|"
                r"Committee|Government|Senate|Congress|Cabinet|Party|Organization|Organisation|Agency|Ministry|"
                r"Office|Board|Fund|Forum|Community|Emirates|Islands|Confederation|Principality|Sultanate")
_NOT_NAMES = {"The", "This", "That", "These", "Those", "In", "On", "At", "And", "But", "For", "Of", "With",
              "To", "From", "By", "As", "General", "Assembly", "Council", "Office", "House", "Summit",
              "Forum", "Meeting", "Conference", "Commission", "Committee", "Day", "Year", "Party", "Thought",
              "Asia", "Africa", "Europe", "America", "Pacific", "Atlantic", "Middle", "East", "West", "North",
              "South", "Central", "Annual", "Epidemic", "Special", "Session", "Dialogue", "Expo", "Fair",
              "Cooperation", "Organization", "Union", "Nations", "Group", "Agreement", "Treaty", "Initiative",
              "Ministry", "Department", "Embassy", "University", "Institute", "News", "Agency", "Times",
              "Daily", "Post", "Journal", "Press", "Media", "Network", "Television", "Radio", "Center",
              "Centre", "Hall", "Palace", "Square", "Street", "Park", "Airport", "Railway", "Road", "Bank"}


@lru_cache(maxsize=1)
def _demonym_pattern(alt: str) -> re.Pattern:
    return re.compile(r"(?<![\w])(?:" + alt + r")(?![\w])")


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()


def protagonist(mentions: list[Mention]) -> Entity | None:
    """The person an article is about: the most often named person."""
    counts: dict[Entity, int] = {}
    for m in mentions:
        if m.entity.kind == "person":
            counts[m.entity] = counts.get(m.entity, 0) + 1
    if not counts:
        return None
    best = max(counts.items(), key=lambda kv: kv[1])
    return best[0] if best[1] >= 2 else None
