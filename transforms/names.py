"""Names of people, countries and organisations: a gazetteer kept in data/*.csv,
titles and roles resolved by date, matched with offsets into the text."""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from transforms.reference import read
from transforms.rules import load
from transforms.rules.engine import provide, vocabulary
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
    # name | demonym | role | title | surname | courtesy ("Mr Blair", and "Tony Blair" so found) | leader
    # (of a party or movement: "Tory leader Tom Hale")
    via: str = "name"


def _split(v: str | None) -> list[str]:
    return [x.strip() for x in (v or "").split(";") if x.strip()]


class _Reference:
    """The gazetteer's data: surfaces, demonyms, countries, people and their offices."""

    def __init__(self) -> None:
        import pycountry
        from countryinfo import all_countries

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
        # the country's adjective where country_names.csv gives none ("Azerbaijani President",
        # "the Kenyan side"): countryinfo's demonym, unless another country claims the same word
        claimed: dict[str, set] = {}
        for info in all_countries():
            code, word = info.iso(3), (info.demonym() or "").strip()
            if code in self.countries and word and not _split(names.get(code, {}).get("demonyms", "")):
                claimed.setdefault(word, set()).add(code)
        for word, codes in claimed.items():
            if len(codes) == 1 and word not in self.surfaces:
                self.demonyms.setdefault(word, self.countries[next(iter(codes))])
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
                # an acronym read as a word is written so by British papers: "Nato", "Asean", "Opec"
                if len(s) >= 4 and s.isalpha() and s.isupper():
                    self.surfaces.setdefault(s.title(), ent)
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
        # capitals: where a visit goes stands for the country it visits ("arrived in Moscow")
        self.capitals = {r["city"]: self.countries[r["country_code"]] for r in read("capitals.csv")}

    def vocabularies(self) -> dict[str, list[str]]:
        """The vocabularies of transforms/rules/names.yaml that the data makes."""
        return {"surface": list(self.surfaces), "demonym": list(self.demonyms),
                "country": [s for s, e in self.surfaces.items() if e.kind == "country"],
                "capital": list(self.capitals)}


@lru_cache(maxsize=1)
def reference() -> _Reference:
    return _Reference()


provide("names", lambda: reference().vocabularies())


class Gazetteer:
    """Names found in a text, by the rules of transforms/rules/names.yaml on the data of
    `reference()`."""

    def __init__(self) -> None:
        ref = reference()
        self.surfaces, self.demonyms, self.countries = ref.surfaces, ref.demonyms, ref.countries
        self.media, self.people, self.roles = ref.media, ref.people, ref.roles
        self.lookup = {" ".join(s.split()): e for s, e in self.surfaces.items()}
        self.dem_lookup = {" ".join(s.split()): e for s, e in self.demonyms.items()}
        rules = load("names")
        self.role_of, self.role_demonym, self.eu_roles = rules["name.role_of"], rules["name.role_demonym"], rules["name.eu_role"]
        self.role_possessive = rules["name.role_possessive"]
        self.pattern, self.titled, self.appositive = rules["name.surface"], rules["name.titled"], rules["name.appositive"]
        self.of_country, self.demonym_before, self.demonym = (rules["name.of_country"], rules["name.demonym_before"],
                                                              rules["name.demonym"])
        self.list_separator, self.titled_end = rules["name.list_separator"], rules["name.titled_end"]
        self.titled_of, self.counterpart = rules["name.titled_of"], rules["name.counterpart"]
        self.org_officer, self.honorific, self.title_comma = rules["name.org_officer"], rules["name.honorific"], \
            rules["name.title_comma"]
        self.group_leader = rules["name.group_leader"]
        self.destination = rules["name.destination"]
        self.capitals = ref.capitals
        self.title_words = set(vocabulary("honorific")) | {w for t in vocabulary("title_word") for w in t.split()}
        self.institutions = set(vocabulary("institution"))

    def leaders(self, code: str, when: dt.date | None, title: str | None = None) -> list[Entity]:
        if when is None:
            return []  # no date, no office-holder: nothing reads the clock
        out = []
        for cc, ti, person, s, e, leader in self.roles:
            if cc != code or not (s <= when < e):
                continue
            if title and title not in ("leader", "head of state", "leaders", "heads of state"):
                t = " ".join(title.lower().split()).rstrip("s")
                t = {"fm": "foreign minister", "pm": "prime minister"}.get(t, t)  # "Chinese, Greek PMs"
                if t in ("premier", "prime minister"):
                    t = "premier" if code == "CHN" else "prime minister"
                if ti != t:
                    continue
            elif not leader:
                continue
            out.append(person)
        return out

    def country_of_list(self, items: str) -> list[Entity]:
        out = []
        for part in self.list_separator.split(items):
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

    def _holders(self, ents: list[Entity], title: str, when: dt.date | None) -> list[Entity]:
        """Who the office of each country is: its holder at `when` when the roles table
        knows them, else the country itself ("the presidents of Sri Lanka and Indonesia" in
        an undated text: a clearly identified party the table cannot name)."""
        out = []
        for ent in ents:
            holders = self.role_people(ent, title, when)
            out += holders or ([ent] if ent.kind == "country" else [])
        return out

    def _titled_name(self, text: str, s: int, e: int) -> str:
        """The name a title introduces at text[s:e], as read: within its paragraph, up to
        where name.titled_end says it stops ("Kaja Kallas of Estonia", "Ana Ruiz Holds
        Talks", "Ana Ruiz" above the line "Minister for Foreign Affairs"), read with the
        words right after it."""
        seg = text[s:min(len(text), e + 12)]  # (read apart: a headline's verb may open the name, "^")
        cut = self.titled_end.find(seg)
        return _one_paragraph(seg[:cut.start()] if cut is not None and cut.start() < e - s else text[s:e])

    def _inside_longer_name(self, text: str, start: int, s: int) -> bool:
        """Whether the capitalised word right before s makes what starts at s part of a
        longer name the gazetteer does not hold: "National" before "Security Council". A
        known name, a country's adjective, a body's word or a small word does not."""
        i = s - 1
        if i < start or text[i] != " ":
            return False
        j = i
        while j > start and not text[j - 1].isspace():
            j -= 1
        word = text[j:i]
        return word[:1].isupper() and word.isalpha() and word not in _NOT_NAMES and word not in self.lookup \
            and word not in self.dem_lookup and word not in self.institutions

    # ---- matching ------------------------------------------------------------
    def body_rules(self) -> list:
        """The rules `find` reads over the whole text, each in a pass of its own; those a
        batch's prefilter finds nowhere in a document are not run there (`absent`). Two are
        always read: the names of the gazetteer (name.surface) are in nearly every text,
        and a name in apposition (name.appositive) costs polars more to rule out than RE2
        to look for."""
        return [self.role_of, self.role_demonym, self.role_possessive, self.eu_roles, self.titled, self.titled_of,
                self.org_officer, self.group_leader, self.title_comma, self.counterpart, self.honorific]

    def find(self, text: str, start: int = 0, end: int | None = None,
             when: dt.date | None = None, absent: frozenset = frozenset()) -> list[Mention]:
        """Every name in text[start:end], offices read at the date `when`. (A document's
        Annotation keeps what this finds in its body: `Annotation.names`.) absent: the
        rules a batch's prefilter found nowhere in the text, not run on it."""
        return self._find(text, start, len(text) if end is None else end, when, absent)

    def _find(self, text: str, start: int, end: int, when: dt.date | None,
              absent: frozenset = frozenset()) -> list[Mention]:
        out: list[Mention] = []
        taken = Spans()
        free = taken.free
        role_of, role_demonym, role_possessive, eu_roles, titled, titled_of, org_officer, group_leader, title_comma, \
            counterpart, honorific = (r.within(absent) for r in self.body_rules())
        appositive = self.appositive

        for m in role_of.finditer(text, start, end):
            ents = self.country_of_list(m.group("list"))
            for p in self._holders(ents, m.group("title"), when):
                out.append(Mention(m.start, m.end, p, m.group(), via="role"))
            if ents:
                taken.add(m.start, m.end)
        for m in (*role_demonym.finditer(text, start, end), *role_possessive.finditer(text, start, end)):
            if not free(m.start, m.end):
                continue
            people = self._holders(self.country_of_list(m.group("list")), m.group("title"), when)
            for p in people:
                out.append(Mention(m.start, m.end, p, m.group(), via="role"))
            if people:
                taken.add(m.start, m.end)
        for m in eu_roles.finditer(text, start, end):
            if free(m.start, m.end):
                title = "president of the " + " ".join(m.group("body").split()).lower()
                for p in self.leaders("EUU", when, title):
                    out.append(Mention(m.start, m.end, p, m.group(), via="role"))
                    taken.add(m.start, m.end)
        for m in self.pattern.finditer(text, start, end):
            s, e = m.start, m.end
            if not free(s, e):
                continue
            surface = " ".join(m.group().split())
            ent = self.lookup.get(surface)
            if ent is None:
                continue
            if ent.kind == "organization" and " " in surface and self._inside_longer_name(text, start, s):
                continue  # "National Security Council" is not the (UN) Security Council
            if ent.kind == "country" and text[max(start, s - 4):s] == "New ":
                continue  # "New Mexico", "New Jersey": a place named after the country, not it
            compound = (s > 0 and text[s - 1] == "-") or (e < len(text) and text[e] == "-")
            out.append(Mention(s, e, ent, m.group(), compound=compound))
            taken.add(s, e)
        for m in titled.finditer(text, start, end):
            s, e = m.span("name")
            name = self._titled_name(text, s, e)
            words = name.split()
            if not words:
                continue  # a headline's verb after a title ("State Secretary Receives Courtesy Call")
            inst = [i for i, w in enumerate(words) if w in self.institutions]
            if inst and inst[-1] == len(words) - 1:
                continue  # "Director of the Consumer Financial Protection Bureau": a body, nobody's name
            if inst and len(words) - inst[-1] - 1 >= 2:
                # "President of the HKSAR Legislative Council Andrew Leung": the name follows the body
                name = " ".join(words[inst[-1] + 1:])
                s = text.find(words[inst[-1] + 1], s)
            elif len(words) >= 3 and words[0] in self.title_words:
                # the end of a longer title: "Minister of State Secretary Harun Wicaksono"
                name = " ".join(words[1:])
                s = text.find(words[1], s + len(words[0]))
            if not free(s, s + len(name)) or name in self.media or name.split()[0] in _NOT_NAMES:
                continue
            if self.lookup.get(name) or any(w in self.lookup for w in name.split()[:1]):
                continue
            code = None
            if m.group("of") and " ".join(m.group("of").split()) in self.lookup:
                code = self.lookup[" ".join(m.group("of").split())].country_code
            mc = self.of_country.match(text, s + len(name), s + len(name) + 60)
            if code:
                pass
            elif mc:
                code = self.lookup[" ".join(mc.group("country").split())].country_code
            else:
                md = self.demonym_before.search(text, max(start, m.start - 40), m.start)
                if md:
                    code = self.dem_lookup[" ".join(md.group("demonym").split())].country_code
            out.append(Mention(s, s + len(name), Entity(name, "person", code), text[s:s + len(name)], via="title"))
            taken.add(s, s + len(name))
        def officer(m) -> None:
            """The person an office of an organisation introduces, unless their span is
            taken or a word of the name is something else's."""
            s = m.span("name")[0]
            name = _one_paragraph(m.group("name"))
            org = (m.group("org") or "").split()
            if not free(s, s + len(name)) or self._no_person(name) or org and org[-1] in _OF_WORDS:
                return  # ("Chair of the Council on Environmental Quality": the name goes on)
            out.append(Mention(s, s + len(name), Entity(name, "person", None), text[s:s + len(name)], via="title"))
            taken.add(s, s + len(name))
        for m in titled_of.finditer(text, start, end):
            officer(m)
        for org in [m for m in out if m.entity.kind == "organization"]:
            m = org_officer.at(text, org.end, min(end, org.end + 120))  # "IOC president Thomas Bach"
            if m is not None:
                officer(m)
        for m in group_leader.finditer(text, start, end):  # "Tory leader Tom Hale"
            s, e = m.span("name")
            name = " ".join(m.group("name").split())
            if free(s, e) and not self._no_person(name):
                out.append(Mention(s, e, Entity(name, "person", None), m.group("name"), via="leader"))
                taken.add(s, e)
        for m in title_comma.finditer(text, start, end):  # "the Prime Minister of Ukraine, Denys Shmyhal"
            s, e = m.span("name")
            name = " ".join(m.group("name").split())
            if not free(s, e) or self._no_person(name) or m.group("of").split()[-1] in _PLACE_KINDS:
                continue  # "Commissioner of Lee County, Florida ...": a place, then the next place
            of = self.lookup.get(" ".join(m.group("of").split()))
            code = of.country_code if of is not None and of.kind == "country" else None
            out.append(Mention(s, e, Entity(name, "person", code), name, via="title"))
            taken.add(s, e)
        for m in counterpart.finditer(text, start, end):
            s, e = m.span("name")
            name = self._titled_name(text, s, e)
            words = name.split()
            if len(words) < 2 or not free(s, s + len(name)) or name in self.lookup or name in self.media \
                    or any(w in _NOT_NAMES or w in self.institutions for w in words):
                continue
            dem = m.group("dem")
            code = self.dem_lookup[" ".join(dem.split())].country_code if dem and " ".join(dem.split()) in self.dem_lookup else None
            out.append(Mention(s, s + len(name), Entity(name, "person", code), text[s:s + len(name)], via="title"))
            taken.add(s, s + len(name))
        for m in appositive.finditer(text, start, end):
            s, e = m.span("name")
            name = _one_paragraph(m.group("name"))
            words = name.split()
            if len(words) == 3 and words[0] in self.title_words:
                # the end of the title before the name ("Small Business Administrator Ana Ruiz, Director of")
                s = text.index(words[1], s + len(words[0]))
                name = " ".join(words[1:])
            if free(s, e) and not any(w in _NOT_NAMES or w in self.lookup or w in self.media for w in name.split()) \
                    and not self.lookup.get(name):
                code = None
                owner = self.lookup.get(" ".join((m.group("poss") or "").split()))
                if m.group("of"):
                    code = self.lookup[" ".join(m.group("of").split())].country_code
                elif owner is not None and owner.kind == "country":  # "Norway's foreign minister"
                    code = owner.country_code
                elif m.group("dem") and m.group("dem") in self.dem_lookup:
                    code = self.dem_lookup[m.group("dem")].country_code
                out.append(Mention(s, e, Entity(name, "person", code), m.group("name"), via="title"))
                taken.add(s, e)
        for m in out:  # "SAKAMAKI Hiroyuki", as Japan's foreign ministry writes him: Hiroyuki Sakamaki
            if m.entity.kind == "person" and (given_first := _given_first(m.entity.name)) != m.entity.name:
                m.entity = Entity(given_first, "person", m.entity.country_code)
        # "Mr Blair": the person the text names in full by that surname ("Tony Blair has said")
        # (a person already named by that surname is that person: "Mr. Sullivan" after "Jake Sullivan")
        known = {m.entity.name.split()[-1] for m in out if m.entity.kind == "person" and " " in m.entity.name}
        full_named: dict[str, tuple[int, int] | None] = {}
        person_starts = sorted(p.start for p in out if p.entity.kind == "person")
        for m in honorific.finditer(text, start, end):
            s, e = m.span("name")
            last = m.group("name")
            if not free(s, e) or last in self.lookup or last in _NOT_NAMES or last in self.media \
                    or last in self.title_words:
                continue  # "Mr. Prime Minister", "Mr. President": an office, addressed
            if e + 1 < end and text[e] == " " and text[e + 1].isupper() \
                    and bisect.bisect_right(person_starts, e + 40) > bisect.bisect_right(person_starts, e):
                continue  # a given name before the rest of a name found already ("H.E. Mr. Lars Tomas Holm")
            if last not in full_named and last not in known:
                full_named[last] = self._full_name(text, start, end, last)
            out.append(Mention(s, e, Entity(last, "person", None), last, via="courtesy"))
            taken.add(s, e)
        for last, span in full_named.items():
            if span and free(*span):
                out.append(Mention(span[0], span[1], Entity(text[span[0]:span[1]], "person", None), text[span[0]:span[1]],
                                   via="courtesy"))
                taken.add(*span)
        # later mentions by surname of people the text introduced with a title or by their
        # full name: "Pashinyan", "Mr. Sullivan"
        by_surname: dict[str, Entity] = {}
        for m in out:
            if m.via in ("title", "name", "courtesy", "leader") and m.entity.kind == "person" \
                    and len(m.entity.name.split()) >= 2:
                last = m.entity.name.split()[-1]
                if last[0].isupper() and last not in self.lookup and last not in _NOT_NAMES and len(last) > 2:
                    by_surname.setdefault(last, m.entity)
        for s, e in _words_found(text, start, end, by_surname):
            if free(s, e):
                out.append(Mention(s, e, by_surname[text[s:e]], text[s:e], via="surname"))
                taken.add(s, e)
        # a surname after a title ("National Security Advisor Sullivan’s Meeting") is the
        # person of that surname the text names in full
        # (or the first word of one name only: a family name written first, "Foreign Minister
        # Kim" for "Kim Dong-hyun", or a given name an office goes with, "President Samia" for
        # "Samia Suluhu Hassan")
        full, first = {}, {}
        for m in out:
            words = m.entity.name.split()
            if m.entity.kind == "person" and len(words) >= 2:
                full.setdefault(words[-1], m.entity)
                first.setdefault(words[0], set()).add(m.entity)
        for m in out:
            if m.via in ("title", "courtesy") and " " not in m.entity.name:
                if m.entity.name in full:
                    m.entity = full[m.entity.name]
                elif len(first.get(m.entity.name, ())) == 1:
                    m.entity = next(iter(first[m.entity.name]))
        self._own_holders(text, out)
        out.sort(key=lambda x: (x.start, x.end))
        return out

    @staticmethod
    def _own_holders(text: str, out: list[Mention]) -> None:
        """An office the text gives its own holder by apposition ("H.E. Mr. Ana Ruiz,
        President of the Portuguese Republic") is that person wherever the text names the
        office ("President of Portugal"), not the holder the roles table gives for the date."""
        named = {m.end: m for m in out if m.entity.kind == "person" and m.via != "role"}
        own: dict[str, Entity] = {}
        for m in out:
            if m.via != "role" or m.entity.kind != "person":
                continue
            p = named.get(m.start - 2)
            # (not an office's possessive: "X, Prime Minister of Japan’s special envoy")
            if p is None or text[p.end:m.start] != ", " or p.entity.name == m.entity.name \
                    or text[m.end:m.end + 2] in ("’s", "'s") \
                    or p.entity.country_code not in (None, m.entity.country_code):
                continue
            if {w.lower() for w in p.entity.name.split()} == {w.lower() for w in m.entity.name.split()}:
                p.entity = m.entity  # the holder, written otherwise ("Mr. KISHIDA Fumio, Prime Minister of Japan")
                continue
            own[m.entity.name] = Entity(p.entity.name, "person", m.entity.country_code)
            p.entity = own[m.entity.name]
        if own:
            for m in out:
                if m.via == "role" and m.entity.name in own:
                    m.entity = own[m.entity.name]
        # an office the roles table names no holder of, held by the one person the text names
        # with that office and country ("President of Mongolia Batbayar Ganzorig" ... "the
        # President of Mongolia")
        titled: dict = {}
        for m in out:
            if m.entity.kind == "person" and m.via == "title" and m.entity.country_code:
                before = text[max(0, m.start - 40):m.start]
                at = [(before.rfind(o) + len(o), len(o), o) for o in _HOLDER_OFFICES if o in before]
                if at:  # the office that ends nearest the name, the longest of those ("Vice President")
                    titled.setdefault((m.entity.country_code, max(at)[2]), set()).add(m.entity)
        if titled:
            for m in out:
                if m.via == "role" and m.entity.kind == "country":
                    at = [(m.surface.find(o), -len(o), o) for o in _HOLDER_OFFICES if o in m.surface]
                    office = min(at)[2] if at else None
                    people = titled.get((m.entity.country_code, office))
                    if people is not None and len(people) == 1:
                        m.entity = next(iter(people))

    def _no_person(self, name: str) -> bool:
        """Whether a name an office introduces is something else's: a known name or medium,
        or a word of it a known name, a body's word, a place's kind or a small word."""
        return name in self.lookup or name in self.media \
            or any(w in _NOT_NAMES or w in self.lookup or w in self.institutions or w in _PLACE_KINDS
                   for w in name.split())

    def _full_name(self, text: str, start: int, end: int, last: str) -> tuple[int, int] | None:
        """The first place in text[start:end] where a given name stands before the surname
        `last` ("Tony Blair", "George W Bush"): a capitalised word that is no title, honorific or
        known name, with a middle initial or none."""
        for s, e in _words_found(text, start, end, [last]):
            j = s - 1
            if j <= start or text[j] != " ":
                continue
            i = _word_start(text, start, j)
            if _starts_headline(text, i):
                continue  # a headline capitalises its first word, name or not ("End Bush 'denial'")
            given = text[i:j]
            if (len(given) == 1 or len(given) == 2 and given[1] == ".") and given[0].isupper() \
                    and i - 1 > start and text[i - 1] == " ":
                # a middle initial: "George W Bush", "John F. Kennedy"
                j = i - 1
                i = _word_start(text, start, j)
                given = text[i:j]
            if len(given) > 1 and given[0].isupper() and given[1:].isalpha() and given[1:].islower() \
                    and given not in self.title_words and given not in _NOT_NAMES and given not in self.lookup \
                    and given not in self.dem_lookup and given not in self.institutions:
                return i, e
        return None

    def demonyms_in(self, text: str, start: int, end: int) -> list[Mention]:
        return [Mention(m.start, m.end, self.dem_lookup[" ".join(m.group().split())], m.group(), via="demonym")
                for m in self.demonym.finditer(text, start, end)]


def _word_start(text: str, start: int, j: int) -> int:
    """Where the word that ends at text[j] starts (no further back than start)."""
    i = j
    while i > start and not text[i - 1].isspace():
        i -= 1
    return i


def _starts_headline(text: str, i: int) -> bool:
    """Whether text[i] starts a line that reads as a headline: short, and no full stop,
    question or quotation mark ends it."""
    if i > 0 and text[i - 1] != "\n":
        return False
    j = text.find("\n", i)
    line = text[i:j if j >= 0 else len(text)].rstrip()
    return len(line) <= 100 and not line.endswith((".", "?", "!", '"', "”", ":"))


def _one_paragraph(name: str) -> str:
    """A name as read, its whitespace made single, cut at a blank line (a headline's last
    words are no name with the first of the story)."""
    lines = name.split("\n")
    blank = next((i for i in range(1, len(lines)) if not lines[i].strip()), len(lines))
    return " ".join(" ".join(lines[:blank]).split())


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _words_found(text: str, start: int, end: int, words) -> list[tuple[int, int]]:
    """Where the words occur in text[start:end] as whole words (not after a letter, digit,
    hyphen or apostrophe, nor before a letter, digit or hyphen: "Kessler", "Kessler’s", not
    "Kesslers"), left to right without overlap, the longer word first where two start
    together. A few words a document gives, so found with str.find, no pattern compiled."""
    found = []
    for w in words:
        i = text.find(w, start, end)
        while i >= 0:
            j = i + len(w)
            before = text[i - 1] if i > 0 else ""
            after = text[j] if j < len(text) and j < end else ""
            if not (before and (_is_word(before) or before in "’'-")) and not (after and (_is_word(after) or after == "-")):
                found.append((i, -len(w)))
            i = text.find(w, i + 1, end)
    out, taken = [], start
    for i, neg in sorted(found):
        if i >= taken:
            out.append((i, i - neg))
            taken = i - neg
    return out


# the small words that go on inside an organisation's name ("Council on Environmental Quality")
_OF_WORDS = {"of", "on", "for", "and", "in", "the", "&"}
# the last word of a place whose name a comma and a larger place may follow ("Lee County, Florida")
_PLACE_KINDS = {"County", "City", "Province", "State", "District", "Region", "Prefecture", "Island", "Islands",
                "Municipality", "Town", "Village"}

# offices one person holds for a country at a time (the vocabulary holder_office)
_HOLDER_OFFICES = tuple(vocabulary("holder_office"))


def _given_first(name: str) -> str:
    """A name written family name first, in capitals ("SAKAMAKI Hiroyuki"), in the order and
    case the canonical names use ("Hiroyuki Sakamaki"); any other name as it is."""
    words = name.split()
    if len(words) == 2 and len(words[0]) >= 3 and words[0].isupper() and words[0].replace("-", "").isalpha() \
            and not words[1].isupper():
        return f"{words[1]} {words[0].title()}"
    return name


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
def gazetteer() -> Gazetteer:
    return Gazetteer()


def title_refs(text: str, start: int, end: int, mentions: list[Mention], home: str | None = None,
               when: dt.date | None = None) -> list[Mention]:
    """Offices that stand for a person the text introduced with them: "the Vice President"
    after "Vice President Ana Ruiz met ...". The person is the first one the text names
    right after that title (a report names its own side first: "President Biden met
    President Holm ... the President said" is Biden). Mentions of text[start:end], found
    from `mentions` (the names of the same text, in order). On a page its government
    publishes (home: that country's code), an office the text introduces nobody with is
    that country's holder of it at `when` ("The Prime Minister spoke to President Ruiz"
    on the Prime Minister's Office's page; rule name.home_office)."""
    title_ref, title_before, home_office = load("names").pick("name.title_ref", "name.title_before", "name.home_office")
    refs = [(" ".join(r.group("title").split()), r.start("title"), r.end()) for r in title_ref.scan(text, start, end)]
    # (title, start, end, whether the office can only be the home country's: "the President of the Republic")
    own = [] if home is None or when is None else \
        [(" ".join((r.group("title") or "President").split()), r.start(), r.end(), r.group("republic") is not None)
         for r in home_office.scan(text, start, end)]
    if not refs and not own:  # most texts name no office again: the names are not read for titles
        return []
    wanted = {t for t, _, _ in refs} | {t for t, _, _, _ in own}
    firsts: dict[str, Entity] = {}
    for m in mentions:
        if m.entity.kind != "person":
            continue
        t = title_before.find(text, max(0, m.start - 40), m.start)
        if t is not None:
            title = " ".join(t.group("title").split())
            if title in wanted:
                firsts.setdefault(title, m.entity)
    out = [Mention(s, e, firsts[t], text[s:e], via="title_ref") for t, s, e in refs if t in firsts]
    taken = {s for t, s, _ in refs if t in firsts}
    g = gazetteer() if own else None
    for t, s, e, republic in own:
        if not republic and (t in firsts or any(s <= x < e for x in taken)):
            continue  # "the President" of a text that introduced one
        holders = [p for p in g.leaders(home, when, t.lower()) if p.kind == "person"]
        if holders:
            out.append(Mention(s, e, holders[0], text[s:e], via="title_ref"))
    return sorted(out, key=lambda m: (m.start, m.end))


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
