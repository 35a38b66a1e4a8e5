"""Who said a quote, as the text gives it: the subject of the speech verb next to it.

The source is found where the text shows it, for people no list holds: "X said",
"said X, a teacher", "X, a spokesman for Y, said", "according to X", "X wrote:" before
a quoted paragraph, "he added" (the previous speaker), organisations and media ("The
Post wrote"). Later mentions by surname or honorific ("Lastra", "Mr. Lastra") resolve to
the full name the document gave first. Where the text does not say who spoke, there is no
speaker.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

SPEECH = (r"said|says|say|stated|states|noted|notes|stressed|stresses|emphasized|emphasised|emphasizes|"
          r"announced|announces|added|adds|told|tells|wrote|writes|write|declared|declares|urged|urges|"
          r"reiterated|warned|warns|remarked|commented|explained|explains|asked|asks|replied|replies|insisted|"
          r"insists|observed|recalled|recalls|vowed|pledged|continued|continues|answered|acknowledged|argued|argues|"
          r"tweeted|posted|joked|quipped|responded|shouted|chanted|testified|countered|conceded|predicted|"
          r"complained|claimed|claims|charged|contended|boasted|admitted|admits|concluded|cautioned|mused|"
          r"recounted|suggested|suggests|described|describes|put\s+it|pointed\s+out|points\s+out|went\s+on|"
          r"said\s+in\s+a\s+statement|told\s+reporters|wrote\s+in|according\s+to")
_TITLE = (r"(?:Mr|Mrs|Ms|Miss|Dr|Sen|Rep|Gov|Gen|Lt|Col|Capt|Prof|Rev|Sgt|Adm|Amb|Atty|Hon|Pres|Sens|Reps)\.?|"
          r"President|Vice\s+President|President-elect|Senator|Sen|Governor|Secretary(?:\s+of\s+State)?|Minister|"
          r"Prime\s+Minister|Foreign\s+Minister|Chancellor|Mayor|Speaker|Chairman|Chairwoman|Chair|Director|Judge|"
          r"Justice|Ambassador|Commissioner|Chief|Coach|General|Admiral|Pope|King|Queen|Prince|Princess|Sheikh|"
          r"Premier|Congressman|Congresswoman|Representative|Attorney\s+General|Leader|Majority\s+Leader|"
          r"Minority\s+Leader|Spokesman|Spokeswoman|Spokesperson|Rabbi|Father|Sister|Bishop|Cardinal")
_PARTICLE = r"(?:de|da|del|della|di|van|von|der|den|bin|ibn|al|el|la|le|du|dos|das|St\.)"
_TOKEN = r"(?:[A-Z][a-z’'\-]*[a-z][\w’'\-]*|[A-Z]\.|[A-Z]{2,}(?![a-z])|Mc[A-Z][a-z]+|O’[A-Z][a-z]+|O'[A-Z][a-z]+)"
_SUFFIX = r"(?:,?\s+(?:Jr\.|Sr\.|II|III|IV))?"
NAME = rf"{_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_TOKEN}){{0,4}}{_SUFFIX}"
_PRONOUNS = r"he|she|they|we|He|She|They|We|I|it|It"
_SUBJ = rf"(?P<subj>(?:(?:(?:the|The|former|Former|then)\s+)?(?:{_TITLE})\s+)*{NAME}(?:\s+of\s+(?:the\s+)?{_TOKEN}(?:\s+{_TOKEN})?)?|{_PRONOUNS})"
_APPOS = r"(?:\s*,\s*(?:[^,“”\"\n]{2,90}?),)?"
_ADV = r"(?:\s+(?:also|later|then|once|previously|recently|simply|again|further|earlier|repeatedly|flatly|has|had|have|would|will|had\s+once))?"
_VERB = rf"(?P<verb>\b(?:{SPEECH})\b)"

# "X said", "X, a spokesman for Y, said", "he added": the subject before the verb
BEFORE_VERB = re.compile(rf"{_SUBJ}{_APPOS}{_ADV}\s+{_VERB}")
# "said X", "said Christina Lastra, a teacher": the subject after the verb
AFTER_VERB = re.compile(rf"{_VERB}\s+{_SUBJ}")
ACCORDING = re.compile(rf"\baccording\s+to\s+{_SUBJ}")
NOT_NAMES = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
             "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
             "But", "And", "When", "While", "Then", "If", "As", "In", "On", "At", "For", "So", "Yet", "Still",
             "Now", "Later", "Earlier", "Asked", "Also", "This", "That", "These", "Those", "There", "Here", "What",
             "Why", "How", "Who", "Where", "After", "Before", "Since", "Although", "Though", "Because", "Once",
             "Meanwhile", "However", "Today", "Yesterday", "Tonight", "Thanks", "Please", "Yes", "No", "Well",
             "Oh", "Mr", "Mrs", "Ms", "Dr", "A", "An", "The", "It", "He", "She", "We", "They", "I", "You",
             "His", "Her", "Its", "Our", "Their", "My", "Your", "Asked", "Speaking", "Writing"}
_TITLE_ONLY = re.compile(rf"^(?:(?:the|The|former|Former|then)\s+)?(?:(?:{_TITLE})\s+)+")
# everything up to the last title word: "Former Greek President Pavlopoulos" -> "Pavlopoulos"
_TITLE_PREFIX = re.compile(rf"^(?:[A-Z][\w’'.-]*\s+){{0,4}}?(?:{_TITLE})\s+(?=[A-Z])")
_OF_PLACE = re.compile(r"\s+of\s+(?:the\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)?$")


@dataclass
class Registry:
    """Names a document gives, so that later mentions resolve to the first full form:
    "Christina Lastra" then "Lastra", "Ms. Lastra"."""
    full: dict[str, str] = field(default_factory=dict)  # surname -> full name
    persons: list[tuple[int, str]] = field(default_factory=list)  # (offset, canonical) of named people, in order

    def add(self, name: str, pos: int) -> str:
        canon = self.canonical(name)
        if len(canon.split()) >= 2:
            self.full.setdefault(canon.split()[-1], canon)
        i = bisect.bisect_left(self.persons, (pos, ""))
        self.persons.insert(i, (pos, canon))
        return canon

    def canonical(self, name: str) -> str:
        name = _OF_PLACE.sub("", " ".join(name.split()))
        while True:
            stripped = _TITLE_PREFIX.sub("", name, count=1)
            if stripped == name:
                break
            name = stripped
        name = " ".join(_TITLE_ONLY.sub("", name).split()).rstrip(",")
        name = re.sub(r"[’']s$", "", name)
        if len(name.split()) == 1:
            return self.full.get(name, name)
        return name

    def last_before(self, pos: int, floor: int) -> str | None:
        i = bisect.bisect_left(self.persons, (pos, "")) - 1
        return self.persons[i][1] if i >= 0 and self.persons[i][0] >= floor else None


def _clean(subj: str) -> str | None:
    """The subject as a name, or None when it is not one ("Tuesday", "But")."""
    words = subj.split()
    core = _TITLE_ONLY.sub("", subj).split()
    if not core:
        return None
    if core[0] in NOT_NAMES or all(w in NOT_NAMES for w in core):
        return None
    if len(words) == 1 and words[0] in NOT_NAMES:
        return None
    return subj


def _pick(m: re.Match | None) -> tuple[str, int] | None:
    if m is None:
        return None
    subj = m.group("subj")
    if subj in _PRONOUNS.split("|"):
        return subj, m.start("subj")
    cleaned = _clean(subj)
    return (cleaned, m.start("subj")) if cleaned else None


def attribution(text: str, qs: int, qe: int, ss: int, se: int,
                prev_para: tuple[int, int] | None) -> tuple[str, int, str] | None:
    """(subject as written, offset, rule) of the speech verb that attributes the quote text[qs:qe]
    inside sentence [ss, se): after the quote first ("...," said X / X said), then before it
    (X said: "..."), then, for a quote that opens its paragraph, the end of the paragraph
    before it ("X wrote:")."""
    close = min(se, qe + 1)
    after = text[close:min(se, close + 160)]
    # right after the quote: ', said X' or ', X said'
    m = re.match(rf"\s*[,.!?—–-]*\s*(?:{_VERB.replace('(?P<verb>', '(?:')})\s+{_SUBJ}", after)
    if m and (hit := _pick(m)):
        return hit[0], close + m.start("subj"), "quote.speaker.verb_then_name"
    m = re.match(rf"\s*[,.!?—–-]*\s*{_SUBJ}{_APPOS}{_ADV}\s+{_VERB}", after)
    if m and (hit := _pick(m)):
        return hit[0], close + m.start("subj"), "quote.speaker.name_then_verb"
    # before the quote: 'X said: "', 'X said that "', 'according to X, "'
    lo = max(ss, qs - 200)
    before = text[lo:max(lo, qs - 1)]
    for m in reversed(list(BEFORE_VERB.finditer(before))):
        if re.match(r"\s*(?:that\s+|of\s+\w+\s+|in\s+a\s+statement\s*|on\s+\w+\s*)?[,:]?\s*$", before[m.end():]) or \
                m.end() > len(before) - 40:
            if hit := _pick(m):
                return hit[0], lo + m.start("subj"), "quote.speaker.before_quote"
        break
    for m in reversed(list(AFTER_VERB.finditer(before))):
        # 'said X: "...' (inverted order) only when the subject closes the words before the quote
        if re.match(r"\s*[,:]?\s*$", before[m.end():]) and (hit := _pick(m)):
            return hit[0], lo + m.start("subj"), "quote.speaker.before_quote"
        break
    for m in reversed(list(ACCORDING.finditer(before + " " + after))):
        if hit := _pick(m):
            return hit[0], (lo + m.start("subj")) if m.start() < len(before) else close + m.start("subj") - len(before) - 1, \
                "quote.speaker.according_to"
        break
    if prev_para is not None:
        ps, pe = prev_para
        tail = text[max(ps, pe - 200):pe]
        if tail.rstrip().endswith(":"):
            for m in reversed(list(BEFORE_VERB.finditer(tail))):
                if hit := _pick(m):
                    return hit[0], max(ps, pe - 200) + m.start("subj"), "quote.speaker.colon_paragraph"
                break
    return None
