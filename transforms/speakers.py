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

from transforms.rules.engine import load, vocabulary_pattern

# the word lists are vocabularies of transforms/data/vocabularies.yaml, tried in their order
SPEECH = vocabulary_pattern("speech_verb")
_TITLE = rf"{vocabulary_pattern('honorific')}\.?|{vocabulary_pattern('title_word')}"
_PARTICLE = vocabulary_pattern("name_particle")
_TOKEN = r"(?:[A-Z][a-z’'\-]*[a-z][\w’'\-]*|[A-Z]\.|[A-Z]{2,}(?![a-z])|Mc[A-Z][a-z]+|O’[A-Z][a-z]+|O'[A-Z][a-z]+)"
_SUFFIX = r"(?:,?\s+(?:Jr\.|Sr\.|II|III|IV))?"
NAME = rf"{_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_TOKEN}){{0,4}}{_SUFFIX}"
_PRONOUNS = r"he|she|they|we|He|She|They|We|I|it|It"
_SUBJ = rf"(?P<subj>(?:(?:(?:the|The|former|Former|then)\s+)?(?:{_TITLE})\s+)*{NAME}(?:\s+of\s+(?:the\s+)?{_TOKEN}(?:\s+{_TOKEN})?)?|{_PRONOUNS})"
_APPOS = r"(?:\s*,\s*(?P<appos>[^,“”\"\n]{2,90}?),)?"
_ADV = r"(?:\s+(?:also|later|then|once|previously|recently|simply|again|further|earlier|repeatedly|flatly|has|had|have|would|will|had\s+once))?"
# a participle clause that carries the words of the sentence's subject: "X hit back, saying '...'"
PARTICIPLES = vocabulary_pattern("speech_participle")
# verbs that may come before their subject ('..., said X'): verbs of saying without an object
# ("told X", "called X" name who was spoken to, or about)
INVERT = vocabulary_pattern("speech_verb_inverted")
_INV = rf"(?:{INVERT})"
_VERB = rf"(?P<verb>\b(?:{SPEECH})\b)"

# rules of transforms/rules/quotes.yaml: "X said", "X, a spokesman for Y, said", "he added" (the
# subject before the verb); "said X" (after it); "according to X"; a name and a colon
_RULES = load("quotes")
BEFORE_VERB, AFTER_VERB, ACCORDING = _RULES["quote.subject_verb"], _RULES["quote.verb_subject"], \
    _RULES["quote.according_to"]
_NAME_COLON = _RULES["quote.name_colon"]
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
    first: dict[str, str] = field(default_factory=dict)  # first word -> full name ("Zhao" of "Zhao Jiawei")
    persons: list[tuple[int, str]] = field(default_factory=list)  # (offset, canonical) of named people, in order

    def add(self, name: str, pos: int) -> str:
        canon = self.canonical(name)
        if len(canon.split()) >= 2:
            self.full.setdefault(canon.split()[-1], canon)
            self.first.setdefault(canon.split()[0], canon)  # names that put the family name first
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
            return self.full.get(name) or self.first.get(name) or name
        return name

    def last_before(self, pos: int, floor: int) -> str | None:
        i = bisect.bisect_left(self.persons, (pos, "")) - 1
        return self.persons[i][1] if i >= 0 and self.persons[i][0] >= floor else None


def _clean(subj: str) -> str | None:
    """The subject as a name, or None when it is not one ("Tuesday", "But", "S." of "U.S.")."""
    words = subj.split()
    core = _TITLE_ONLY.sub("", subj).split()
    if not core or all(re.fullmatch(r"[A-Z]\.", w) for w in core):
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


# A subject as a noun phrase, for the slots right next to a quote, where a speech verb makes
# any phrase the speaker: "Snyder spokesman Dave Murray", "a New Hampshire Republican",
# "the Post's senior politics editor Steven Ginsberg", "state Sen. Jason Holsman (D)".
_NPW = r"(?:[A-Za-z$0-9][\w’'.&$-]*|\([A-Z][\w.,\s-]{0,12}\)|and(?=\s+[A-Z]))"
_NP_STOP = (r"(?:said|says|told|tells|who|which|that|in|on|at|during|after|before|about|when|while|as|to|from|with|"
            r"and|but|or|is|was|has|had|have|are|were|will|would|also|then|later|earlier|recently|last|this|"
            r"speaking|referring|adding|noting|pointing|according|because|if|than|since|by|meanwhile|however|too)")
_NP = rf"(?:(?!{_NP_STOP}\b){_NPW}\s+){{0,8}}?(?!{_NP_STOP}\b){_NPW}"
_WHEN = (r"(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|tonight|"
         r"recently|later|earlier|again|this\s+week|last\s+week|last\s+month|last\s+year)"
         r"(?:\s+(?:night|morning|afternoon|evening))?)?(?:\s+in\s+an?\s+[\w-]+(?:\s+[\w-]+)?(?=\s*,))?")
# '...," Fight for $15 organizing director Kendall Fells told Fox News'
_NP_AFTER_SUBJ_VERB = re.compile(rf"\s*[,.!?—–-]*\s*(?P<subj>{_NP}){_APPOS}{_ADV}\s+{_VERB}")
# '...," said former Vermont governor Howard Dean (D), a Clinton supporter.'; the phrase ends at a
# stop word or punctuation (not the full stop of "Sen.")
_NOT_ABBR = "".join(rf"(?<!\b{a})" for a in ("Rep", "Sen", "Gov", "Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "St",
                                              "Sgt", "Capt", "Prof", "Rev", "Jr"))
_NP_AFTER_VERB_SUBJ = re.compile(rf"\s*[,.!?—–-]*\s*{_INV}{_WHEN}\s*,?\s+(?P<subj>{_NP})"
                                 rf"(?=\s*(?:[,;:!?(“”\"—–]|$)|{_NOT_ABBR}\.(?!\w)|\s+{_NP_STOP}\b)"
                                 rf"(?P<appos>\s*,\s*(?:[^,.;:“”\"\n]{{2,60}}))?")
_ROLE_NOUNS = {"Republican", "Republicans", "Democrat", "Democrats", "Independent", "Conservative", "Liberal",
               "Progressive", "Libertarian", "Evangelical", "American", "Americans", "GOP", "Democratic"}
_SELF = re.compile(r"\s+(?:himself|herself|themselves)$")
_RUN = re.compile(rf"(?:(?:{_TITLE})\s+)*{NAME}")


def np_name(np: str, appos: str | None = None) -> str | None:
    """The name a subject phrase gives, or None for a description ("a New Hampshire
    Republican", "the New Jersey governor", "Foreign Secretary"): the run of capitalised
    words that closes the phrase's head (before 'of'/'for'), else a name in apposition
    ("Sanders's campaign manager, Jeff Weaver")."""
    np = _SELF.sub("", " ".join(np.split()))
    np = re.sub(r"\s*\([^)]*\)\s*$", "", np)
    head = re.split(r"\s+(?:of|for|at|with|from)\s+", np, maxsplit=1)[0]
    best = None
    for m in _RUN.finditer(head):
        if m.end() == len(head):
            best = m.group(0)
    if best is not None:
        best = re.sub(r"[’']s?$", "", best)
        last = best.split()[-1]
        if last in _ROLE_NOUNS or last in NOT_NAMES or re.fullmatch(rf"(?:[A-Z][a-z]+-)?(?:{_TITLE})", last):
            best = None
    if best is None and appos:
        m = re.match(rf"\s*,?\s*((?:(?:{_TITLE})\s+)*{NAME})\s*(?:,|$)", appos)
        if m:
            best = m.group(1)
    if best is None:
        return None
    return _clean(re.sub(r"^(?:The|A|An)\s+", "", best))


_TAIL = re.compile(r"\s+((?:to|of|for|in|at|from|with|by|on|close\s+to|familiar\s+with|known\s+as|involved\s+in|who|whose)\s+"
                   r"[^,.;:!?()\n]{1,80})")


def _np_pick(m: re.Match, appos: str | None = None) -> tuple[str | None, int, str] | None:
    """(name or None, offset, phrase as written) from a noun-phrase subject match."""
    np = " ".join(m.group("subj").split())
    np = re.sub(r"^(?:and|but|so|yet|while|then)\s+", "", np, flags=re.I)
    if np.endswith(".") and not re.search(r"(?:\b[A-Z]|Jr|Sr|Inc|Co|Corp|Ltd)\.$", np):
        np = np[:-1]  # 'said Ms Cooper.': the sentence's full stop
    if np in _PRONOUNS.split("|"):
        return np, m.start("subj"), np
    words = np.split()
    if len(words) == 1 and (words[0] in NOT_NAMES or words[0][:1].islower()):
        return None
    name = np_name(np, appos)
    written = np + ((", " + appos.strip(" ,")) if appos and (name is None or name not in np) else "")
    if name is None and appos is None:
        tail = _TAIL.match(m.string, m.end("subj"))
        if tail:
            written += " " + " ".join(tail.group(1).split())
    return name, m.start("subj"), written


# a verb of speech anywhere: what a subject-and-verb pattern needs before it is tried
_VERB_ANYWHERE = re.compile(_VERB)


def attribution(text: str, qs: int, qe: int, ss: int, se: int,
                prev_para: tuple[int, int] | None) -> tuple[str, int, str] | None:
    """(subject as written, offset, rule) of the speech verb that attributes the quote text[qs:qe]
    inside sentence [ss, se): after the quote first ("...," said X / X said), then before it
    (X said: "..."), then, for a quote that opens its paragraph, the end of the paragraph
    before it ("X wrote:")."""
    close = qe
    while close < se and text[close] in " ”\"’'":
        close += 1  # past the closing marks
    after = text[close:min(se, close + 160)]
    # right after the quote: ', said X' or ', X said'; the subject a name or any phrase
    m = re.match(rf"\s*[,.!?—–-]*\s*{_INV}{_WHEN}\s*,?\s+{_SUBJ}", after)
    m2 = _NP_AFTER_VERB_SUBJ.match(after)
    if m2 and (hit := _np_pick(m2, m2.group("appos"))):
        if not (m and _pick(m) and len(m.group("subj")) > len(m2.group("subj"))):
            return hit[0], close + hit[1], "quote.speaker.verb_then_name", hit[2]
    if m and (hit := _pick(m)):
        return hit[0], close + m.start("subj"), "quote.speaker.verb_then_name"
    m = re.match(rf"\s*[,.!?—–-]*\s*{_SUBJ}{_APPOS}{_ADV}\s+{_VERB}", after)
    m2 = _NP_AFTER_SUBJ_VERB.match(after)
    if m2 and (not m or len(m2.group("subj")) >= len(m.group("subj"))) and (hit := _np_pick(m2, m2.group("appos"))):
        return hit[0], close + hit[1], "quote.speaker.name_then_verb", hit[2]
    if m and (hit := _pick(m)):
        return hit[0], close + m.start("subj"), "quote.speaker.name_then_verb"
    if re.search(r"[,?!—–-]\s*$", text[max(qs, qe - 2):qe]):
        # '...?" reacted Trump.', '...," Toomey fumed': any verb in the past or present tense
        # right after words closed by a comma, a question or an exclamation
        m = re.match(rf"\s*(?P<verb>[a-z]+(?:ed|s))\s+{_SUBJ}\s*[.,]", after)
        if m and m.group("verb") not in ("is", "was", "has", "as") and (hit := _pick(m)):
            return hit[0], close + m.start("subj"), "quote.speaker.verb_then_name"
        m = re.match(rf"\s*{_SUBJ}{_ADV}\s+(?P<verb>[a-z]+(?:ed|s))\b", after)
        if m and m.group("verb") not in ("is", "was", "has", "as") and (hit := _pick(m)):
            return hit[0], close + m.start("subj"), "quote.speaker.name_then_verb"
    tail = text[close:se]
    if not re.search(r"[“\"]", tail) and not re.search(r"[.!?…]\W*$", text[qs:qe]):
        # the attribution closes the sentence after more words: '"..." if she lost, said X.'
        m = re.search(rf",\s+(?P<subj>{_NP}){_APPOS}{_ADV}\s+{_VERB}(?:\s+[^,.;“”\"]{{0,50}})?[.!?]?\s*$", tail)
        if m and (hit := _np_pick(m)) and hit[0]:
            return hit[0], close + hit[1], "quote.speaker.name_then_verb", hit[2]
        m = re.search(rf",\s+{_INV}\s+(?P<subj>{_NP})(?P<appos>\s*,\s*[^,.;“”\"]{{2,80}})?[.!?]?\s*$", tail)
        if m and (hit := _np_pick(m, m.group("appos"))) and hit[0]:
            return hit[0], close + hit[1], "quote.speaker.verb_then_name", hit[2]
    # marks mis-paired ('“A," said X. "B.”' read as one quote): an attribution inside it, after
    # a closing mark
    for mm in re.finditer(r"[,?!—–-]\s*[\"”]\s+", text[qs:qe]):
        at = qs + mm.end()
        inner = text[at:min(qe, at + 160)]
        m2 = _NP_AFTER_VERB_SUBJ.match(inner)
        m3 = _NP_AFTER_SUBJ_VERB.match(inner)
        for k in (m2, m3):
            if k and (hit := _np_pick(k, k.groupdict().get("appos"))) and (hit[0] or hit[2]):
                return hit[0], at + hit[1], "quote.speaker.inside", hit[2]
    # before the quote: 'X said: "', 'X said that "', 'according to X, "'
    lo = max(ss, qs - 200)
    before = text[lo:max(lo, qs - 1)]
    # a name and a colon: 'Rep. Trey Gowdy (R-S.C.): "...', '- Carl Bialik: "...'
    m = _NAME_COLON.find(before) if before.rstrip().endswith(":") else None
    if m and (hit := _pick(m)):
        return hit[0], lo + m.start("subj"), "quote.speaker.name_colon"
    # 'As The Post's Ruth Marcus puts it, ...', 'as The Hill pointed out, ...'
    m = re.search(rf"\b[Aa]s\s+(?P<subj>{_NP})\s+(?:put\s+it|puts\s+it|{SPEECH})\b[^“”\"]*$", before)
    if m and (hit := _np_pick(m)) and hit[0]:
        return hit[0], lo + hit[1], "quote.speaker.before_quote", hit[2]
    for m in reversed(list(BEFORE_VERB.scan(before)) if _VERB_ANYWHERE.search(before) else []):
        if re.match(r"\s*(?:that\s+|of\s+\w+\s+|in\s+a\s+statement\s*|on\s+\w+\s*)?[,:]?\s*$", before[m.end():]) or \
                m.end() > len(before) - 40:
            if hit := _pick(m):
                return hit[0], lo + m.start("subj"), "quote.speaker.before_quote"
        break
    for m in reversed(list(AFTER_VERB.scan(before))):
        # 'said X: "...' (inverted order) only when the subject closes the words before the quote
        if re.match(r"\s*[,:]?\s*$", before[m.end():]) and (hit := _pick(m)):
            return hit[0], lo + m.start("subj"), "quote.speaker.before_quote"
        break
    for m in reversed(list(ACCORDING.scan(before + " " + after))):
        if hit := _pick(m):
            return hit[0], (lo + m.start("subj")) if m.start() < len(before) else close + m.start("subj") - len(before) - 1, \
                "quote.speaker.according_to"
        break
    # the subject of the sentence, when its verb reports speech: 'Clinton said Wednesday that
    # the allegations are "..."', 'Trump launched an attack on Obama, calling him "..."'
    if qs - ss > 3 and (hit := sentence_subject(text, ss, qs)):
        return hit
    if prev_para is not None:
        ps, pe = prev_para
        tail = text[max(ps, pe - 200):pe]
        if tail.rstrip().endswith(":"):
            for m in reversed(list(BEFORE_VERB.scan(tail))):
                if hit := _pick(m):
                    return hit[0], max(ps, pe - 200) + m.start("subj"), "quote.speaker.colon_paragraph"
                break
            lo2 = max(ps, pe - 300)
            starts = [x.end() for x in re.finditer(r"[.!?][\"”’]?\s+(?=[A-Z\"“])", text[lo2:pe])]
            s0 = lo2 + (starts[-1] if starts else 0)
            if not starts and lo2 > ps:
                return None
            head = text[s0:pe]
            m = re.match(rf"(?:{INVERT}|Stated|Said|Added|Continued|Wrote)\s+(?P<subj>{_NP})\s*:\s*$", head, re.I)
            if m and (hit := _np_pick(m)) and (hit[0] or hit[2]):
                return hit[0], s0 + hit[1], "quote.speaker.colon_paragraph", hit[2]
            m = re.match(rf"\s*[Aa]s\s+(?P<subj>{_NP})\s+(?:{SPEECH})\b", head)
            if m and (hit := _np_pick(m)) and (hit[0] or hit[2]):
                return hit[0], s0 + hit[1], "quote.speaker.colon_paragraph", hit[2]
            if hit := sentence_subject(text, s0, pe + 1):
                if hit[0] != "DESC":
                    return hit
    return None


_INTRO = r"(?:(?:[A-Z][\w’'-]*\s+[^,“”\"\n]{0,80}?|[A-Z][a-z]+ly),\s+(?:[a-z][^,“”\"\n]{0,80}?,\s+)?)??"
_APPOS_WIDE = r"(?:\s*,\s*(?P<appos>[^“”\"\n]{2,160}?),)?"
_DASH_APPOS = r"(?:\s*[—–]\s*[^—–“”\"\n]{2,100}?\s*[—–])?"
_ATTR_VERB = rf"(?:{SPEECH}|described|describes|calls|called|labeled|labelled|dubbed)"
# any verb of the sentence's subject: past tense, present tense, progressive, common irregular pasts
_ANY_VERB = (r"[a-z]{2,}ed|[a-z]{3,}[^s\W]s|(?:is|are|was|were)\s+[a-z]{3,}ing|took|made|gave|spoke|came|went|got|put|"
             r"thought|felt|saw|heard|kept|left|sent|found|brought|began|ran|stood|held|met|struck|won|lost|led|paid|"
             r"drew|threw|fought|caught|sought|became|hit|let")
_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_ADV2 = (rf"(?:\s+(?:[a-z]+ly|also|then|later|again|once|recently|previously|earlier|has|had|have|would|will|did|"
         rf"does|not|never|himself|herself|(?:on\s+)?{_DAYS}|(?:late|early|last|this|that|the\s+next)\s+"
         rf"(?:{_DAYS}|week|month|year|night|weekend)(?:\s+(?:night|morning|afternoon|evening))?))*")
_SNPW = r"(?:(?![a-z]+ly\b)[A-Za-z][\w’'.&-]*|\([A-Z][\w.,\s-]{0,12}\))"
_NOT_SUBJ_START = (r"(?:In|At|On|During|After|Before|For|With|From|By|As|When|While|Since|Although|Though|If|"
                   r"Because|Despite|Amid|Under|Over|Through|Following|According|Asked|Speaking|Writing|But|And|So|"
                   r"Yet|Still|Now|Then|Also|However|Meanwhile|Instead|Even|Only|There|It|This|That|These|Those|"
                   rf"What|Why|How|Who|Where|Here|Yes|No|{PARTICIPLES})\b")
# the sentence's subject: a name or a phrase ("Another delegate on the Cruz slate, Jim Poolman,",
# "retired neurosurgeon Ben Carson", "Jason Sims — a teacher from Mount Pleasant —")
_SNP = (rf"(?=[A-Z]|(?:the|a|an|his|her|their|he|she)\b|[a-z][\w-]*(?:\s+[a-z][\w-]*){{0,3}}\s+[A-Z])"
        rf"(?!{_NOT_SUBJ_START})(?:(?:(?!{_NP_STOP}\b){_SNPW}|(?:of|for|at|on|in|from|with))\s+){{0,8}}?"
        rf"(?!{_NP_STOP}\b){_SNPW}")
# heads of descriptions that refer to a person named before ("the Vermont senator")
_PERSON_ROLE = (r"(?:senator|governor|president|candidate|congressman|congresswoman|lawmaker|nominee|secretary|"
                r"minister|chairman|chairwoman|spokesman|spokeswoman|leader|mayor|businessman|businesswoman|mogul|"
                r"billionaire|frontrunner|front-runner|contender|hopeful|rival|challenger|incumbent|speaker|official|"
                r"politician|democrat|republican|chancellor|premier|king|queen|prince|general|judge|justice|ambassador|"
                r"diplomat|envoy|director|chief|executive|founder|actor|actress|singer|star|host|anchor|author|"
                r"professor|economist|analyst|strategist|adviser|advisor|aide|activist|veteran|lawyer|attorney|man|woman|"
                r"manager|commissioner|researcher|scholar|expert|engineer|doctor|scientist)")
_DESCRIPTION = re.compile(rf"^(?:[Tt]he)\s+(?:[A-Z][\w.-]*\s+){{0,3}}(?:{_PERSON_ROLE}|(?:[A-Z][a-z]+-)?(?:{_TITLE}))$")
_SENT_SUBJ = re.compile(rf"\s*[“\"]?(?:(?:But|And|So|Yet|Still|Now)\s+)?{_INTRO}(?P<subj>{_SNP}){_APPOS_WIDE}{_DASH_APPOS}"
                        rf"{_ADV2}\s+(?P<verb>{_ATTR_VERB}|{_ANY_VERB})\b")


def sentence_subject(text: str, ss: int, qs: int) -> tuple | None:
    """(name, offset, rule, phrase as written) of the subject of the sentence a quote stands in
    ("Clinton said Wednesday that the allegations are '...'", "Rubio hit back, saying '...'"):
    a description with no name gives None for the name ("Aides said", "Ryan's campaign"), and
    "DESC" when it refers to a person named before ("the Vermont senator")."""
    head = text[ss:max(ss, qs - 1)]
    m = _SENT_SUBJ.match(head)
    if not m or re.search(r"[“”\"]", head[:m.end()]):
        return None  # no subject, or a quote before its verb: the attribution is elsewhere
    hit = _np_pick(m, m.group("appos"))
    if hit is None:
        return None
    name, off, np = hit
    if name and " " not in name and off == m.start("subj") and not text[ss:ss + off].strip(" “\"") and \
            re.search(rf"\b{re.escape(name.lower())}\b", text):
        name = None  # a common noun capitalised at the start of the sentence ("Results ... showed")
    if np in _PRONOUNS.split("|"):
        return (np, ss + off, "quote.speaker.before_quote") if np in ("he", "she", "He", "She") else None
    if name is not None:
        return name, ss + off, "quote.speaker.before_quote", np
    if re.search(r"[A-Z][\w.-]*[’']s?\s", np):
        return None, ss + off, "quote.speaker.before_quote", np  # "Ryan's campaign": as written, no name
    if _DESCRIPTION.match(np):
        return "DESC", ss + off, "quote.speaker.pronoun", np  # "the Vermont senator": the person last named
    if re.fullmatch(_ATTR_VERB, m.group("verb")):
        return None, ss + off, "quote.speaker.before_quote", np  # "Aides said": as written, no name
    return None  # a description with any verb: too loose to name a speaker
