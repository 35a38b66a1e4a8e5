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
from functools import lru_cache

from transforms.rules.engine import full_names, load, vocabulary_pattern

# the word lists are vocabularies of transforms/data/vocabularies.yaml, tried in their order
SPEECH = vocabulary_pattern("speech_verb")
_PRONOUNS = r"he|she|they|we|He|She|They|We|I|it|It"
# a participle clause that carries the words of the sentence's subject: "X hit back, saying '...'"
PARTICIPLES = vocabulary_pattern("speech_participle")
# verbs that may come before their subject ('..., said X'): verbs of saying without an object
# ("told X", "called X" name who was spoken to, or about)
INVERT = vocabulary_pattern("speech_verb_inverted")
_INV = rf"(?:{INVERT})"

# rules of transforms/rules/quotes.yaml (a name, a subject, an apposition are its macros): "X
# said", "X, a spokesman for Y, said", "he added" (the subject before the verb); "said X"
# (after it); "according to X"; a name and a colon
_RULES = load("quotes")
BEFORE_VERB, AFTER_VERB, ACCORDING = _RULES["quote.subject_verb"], _RULES["quote.verb_subject"], \
    _RULES["quote.according_to"]
_NAME_COLON = _RULES["quote.name_colon"]
NOT_NAMES = {*full_names("weekday"), *full_names("month"),
             "But", "And", "When", "While", "Then", "If", "As", "In", "On", "At", "For", "So", "Yet", "Still",
             "Now", "Later", "Earlier", "Asked", "Also", "This", "That", "These", "Those", "There", "Here", "What",
             "Why", "How", "Who", "Where", "After", "Before", "Since", "Although", "Though", "Because", "Once",
             "Meanwhile", "However", "Today", "Yesterday", "Tonight", "Thanks", "Please", "Yes", "No", "Well",
             "Oh", "Mr", "Mrs", "Ms", "Dr", "A", "An", "The", "It", "He", "She", "We", "They", "I", "You",
             "His", "Her", "Its", "Our", "Their", "My", "Your", "Asked", "Speaking", "Writing"}
_TITLE_ONLY = _RULES["quote.name.titles"]
# everything up to the last title word: "Former Greek President Pavlopoulos" -> "Pavlopoulos"
_TITLE_PREFIX = _RULES["quote.name.title_prefix"]
_OF_PLACE = _RULES["quote.name.of_place"]


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
        name = _bare_name(name)
        if len(name.split()) == 1:
            return self.full.get(name) or self.first.get(name) or name
        return name

    def last_before(self, pos: int, floor: int) -> str | None:
        i = bisect.bisect_left(self.persons, (pos, "")) - 1
        return self.persons[i][1] if i >= 0 and self.persons[i][0] >= floor else None


@lru_cache(maxsize=8192)
def _bare_name(name: str) -> str:
    """A name without the place after it, the words and titles before it and a possessive:
    "Former Greek President Pavlopoulos of Greece's" -> "Pavlopoulos"."""
    name = _cut_end(_OF_PLACE, " ".join(name.split()))
    while True:
        m = _TITLE_PREFIX.at(name)
        if m is None or m.start("next") == 0:
            break
        name = name[m.start("next"):]
    name = " ".join(_cut_start(_TITLE_ONLY, name).split()).rstrip(",")
    if name.endswith(("’s", "'s")):
        name = name[:-2]
    return name


def _cut_start(rule, s: str) -> str:
    """s without what an anchored-at-start rule matches at its start."""
    m = rule.at(s)
    return s[m.end():] if m else s


def _cut_end(rule, s: str) -> str:
    """s without what an anchored-at-end rule matches at its end."""
    m = rule.find(s)
    return s[:m.start()] if m else s


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _has_word(text: str, word: str) -> bool:
    """Whether word occurs in text between word edges (as a pattern's \\b reads them)."""
    i = text.find(word)
    while i >= 0 and word:
        j = i + len(word)
        left = i == 0 or _is_word_char(text[i - 1]) != _is_word_char(word[0])
        right = j == len(text) or _is_word_char(text[j]) != _is_word_char(word[-1])
        if left and right:
            return True
        i = text.find(word, i + 1)
    return False


def _clean(subj: str) -> str | None:
    """The subject as a name, or None when it is not one ("Tuesday", "But", "S." of "U.S.")."""
    words = subj.split()
    core = _cut_start(_TITLE_ONLY, subj).split()
    if not core or all(len(w) == 2 and "A" <= w[0] <= "Z" and w[1] == "." for w in core):
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
_WHEN = (r"(?:\s+(?:on\s+)?(?:" + "|".join(full_names("weekday")) + r"|yesterday|today|tonight|"
         r"recently|later|earlier|again|this\s+week|last\s+week|last\s+month|last\s+year)"
         r"(?:\s+(?:night|morning|afternoon|evening))?)?(?:\s+in\s+an?\s+[\w-]+(?:\s+[\w-]+)?(?=\s*,))?")
# '...," Fight for $15 organizing director Kendall Fells told Fox News'
_NP_AFTER_SUBJ_VERB = _RULES["quote.speaker.phrase_then_verb"]
# '...," said former Vermont governor Howard Dean (D), a Clinton supporter.'; the phrase ends at a
# stop word or punctuation (not the full stop of "Sen.")
_NOT_ABBR = "".join(rf"(?<!\b{a})" for a in ("Rep", "Sen", "Gov", "Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "St",
                                              "Sgt", "Capt", "Prof", "Rev", "Jr"))
_NP_AFTER_VERB_SUBJ = re.compile(rf"\s*[,.!?—–-]*\s*{_INV}{_WHEN}\s*,?\s+(?P<subj>{_NP})"
                                 rf"(?=\s*(?:[,;:!?(“”\"—–]|$)|{_NOT_ABBR}\.(?!\w)|\s+{_NP_STOP}\b)"
                                 rf"(?P<appos>\s*,\s*(?:[^,.;:“”\"\n]{{2,60}}))?")
_ROLE_NOUNS = {"Republican", "Republicans", "Democrat", "Democrats", "Independent", "Conservative", "Liberal",
               "Progressive", "Libertarian", "Evangelical", "American", "Americans", "GOP", "Democratic"}
_SELF, _RUN, _PAREN_END, _HEAD_END = _RULES.pick(
    "quote.name.self", "quote.name.run", "quote.name.parenthesis_end", "quote.name.head_end")
_TITLE_WORD, _IN_APPOSITION, _CONJUNCTION, _ABBREVIATION_END = _RULES.pick(
    "quote.name.title_word", "quote.name.in_apposition", "quote.name.conjunction", "quote.name.abbreviation_end")


def np_name(np: str, appos: str | None = None) -> str | None:
    """The name a subject phrase gives, or None for a description ("a New Hampshire
    Republican", "the New Jersey governor", "Foreign Secretary"): the run of capitalised
    words that closes the phrase's head (before 'of'/'for'), else a name in apposition
    ("Sanders's campaign manager, Jeff Weaver")."""
    np = _cut_end(_SELF, " ".join(np.split()))
    np = _cut_end(_PAREN_END, np)
    cut = _HEAD_END.find(np)
    head = np[:cut.start()] if cut else np
    best = None
    for m in _RUN.scan(head):
        if m.end() == len(head):
            best = m.group()
    if best is not None:
        best = best[:-2] if best.endswith(("’s", "'s")) else best[:-1] if best.endswith(("’", "'")) else best
        last = best.split()[-1]
        if last in _ROLE_NOUNS or last in NOT_NAMES or _TITLE_WORD.at(last):
            best = None
    if best is None and appos:
        m = _IN_APPOSITION.at(appos)
        if m:
            best = m.group("name")
    if best is None:
        return None
    for article in ("The", "A", "An"):
        if best.startswith(article) and best[len(article):len(article) + 1].isspace():
            best = best[len(article):].lstrip()
            break
    return _clean(best)


_TAIL = _RULES["quote.name.tail"]


def _np_pick(m: re.Match, appos: str | None = None) -> tuple[str | None, int, str] | None:
    """(name or None, offset, phrase as written) from a noun-phrase subject match."""
    np = " ".join(m.group("subj").split())
    np = _cut_start(_CONJUNCTION, np)
    if np.endswith(".") and not _ABBREVIATION_END.find(np):
        np = np[:-1]  # 'said Ms Cooper.': the sentence's full stop
    if np in _PRONOUNS.split("|"):
        return np, m.start("subj"), np
    words = np.split()
    if len(words) == 1 and (words[0] in NOT_NAMES or words[0][:1].islower()):
        return None
    name = np_name(np, appos)
    written = np + ((", " + appos.strip(" ,")) if appos and (name is None or name not in np) else "")
    if name is None and appos is None:
        tail = _TAIL.at(m.string, m.end("subj"))
        if tail:
            written += " " + " ".join(tail.group("tail").split())
    return name, m.start("subj"), written


# a verb of speech anywhere: what a subject-and-verb pattern needs before it is tried
_VERB_ANYWHERE = _RULES["quote.speech_verb"]
_SP = {k: _RULES[f"quote.speaker.{k}"] for k in (
    "phrase_then_verb", "verb_then_subject", "subject_then_verb", "any_verb_then_subject", "subject_then_any_verb",
    "closing_phrase_then_verb", "closing_verb_then_phrase", "inner_mark", "as_phrase_puts_it", "rest_before_quote",
    "paragraph_sentence", "verb_then_phrase_colon", "as_phrase_said")}
_CLOSED = _RULES["quote.closed_by_comma_or_dash"]
_ENDS_SENTENCE = _RULES["quote.ends_sentence"]


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
    m = _SP["verb_then_subject"].at(after)
    m2 = _NP_AFTER_VERB_SUBJ.match(after)
    if m2 and (hit := _np_pick(m2, m2.group("appos"))):
        if not (m and _pick(m) and len(m.group("subj")) > len(m2.group("subj"))):
            return hit[0], close + hit[1], "quote.speaker.verb_then_name", hit[2]
    if m and (hit := _pick(m)):
        return hit[0], close + m.start("subj"), "quote.speaker.verb_then_name"
    m = _SP["subject_then_verb"].at(after)
    m2 = _NP_AFTER_SUBJ_VERB.at(after)
    if m2 and (not m or len(m2.group("subj")) >= len(m.group("subj"))) and (hit := _np_pick(m2, m2.group("appos"))):
        return hit[0], close + hit[1], "quote.speaker.name_then_verb", hit[2]
    if m and (hit := _pick(m)):
        return hit[0], close + m.start("subj"), "quote.speaker.name_then_verb"
    if _CLOSED.find(text[max(qs, qe - 2):qe]):
        # '...?" reacted Trump.', '...," Toomey fumed': any verb in the past or present tense
        # right after words closed by a comma, a question or an exclamation
        m = _SP["any_verb_then_subject"].at(after)
        if m and m.group("verb") not in ("is", "was", "has", "as") and (hit := _pick(m)):
            return hit[0], close + m.start("subj"), "quote.speaker.verb_then_name"
        m = _SP["subject_then_any_verb"].at(after)
        if m and m.group("verb") not in ("is", "was", "has", "as") and (hit := _pick(m)):
            return hit[0], close + m.start("subj"), "quote.speaker.name_then_verb"
    tail = text[close:se]
    if "“" not in tail and '"' not in tail and not _ENDS_SENTENCE.find(text[qs:qe]):
        # the attribution closes the sentence after more words: '"..." if she lost, said X.'
        m = _SP["closing_phrase_then_verb"].find(tail)
        if m and (hit := _np_pick(m)) and hit[0]:
            return hit[0], close + hit[1], "quote.speaker.name_then_verb", hit[2]
        m = _SP["closing_verb_then_phrase"].find(tail)
        if m and (hit := _np_pick(m, m.group("appos"))) and hit[0]:
            return hit[0], close + hit[1], "quote.speaker.verb_then_name", hit[2]
    # marks mis-paired ('“A," said X. "B.”' read as one quote): an attribution inside it, after
    # a closing mark
    for mm in _SP["inner_mark"].scan(text[qs:qe]):
        at = qs + mm.end()
        inner = text[at:min(qe, at + 160)]
        m2 = _NP_AFTER_VERB_SUBJ.match(inner)
        m3 = _NP_AFTER_SUBJ_VERB.at(inner)
        for k in (m2, m3):
            if k and (hit := _np_pick(k, k.group("appos"))) and (hit[0] or hit[2]):
                return hit[0], at + hit[1], "quote.speaker.inside", hit[2]
    # before the quote: 'X said: "', 'X said that "', 'according to X, "'
    lo = max(ss, qs - 200)
    before = text[lo:max(lo, qs - 1)]
    # a name and a colon: 'Rep. Trey Gowdy (R-S.C.): "...', '- Carl Bialik: "...'
    m = _NAME_COLON.find(before) if before.rstrip().endswith(":") else None
    if m and (hit := _pick(m)):
        return hit[0], lo + m.start("subj"), "quote.speaker.name_colon"
    # 'As The Post's Ruth Marcus puts it, ...', 'as The Hill pointed out, ...'
    m = _SP["as_phrase_puts_it"].find(before)
    if m and (hit := _np_pick(m)) and hit[0]:
        return hit[0], lo + hit[1], "quote.speaker.before_quote", hit[2]
    for m in reversed(list(BEFORE_VERB.scan(before)) if _VERB_ANYWHERE.search(before) else []):
        if _SP["rest_before_quote"].at(before[m.end():]) or \
                m.end() > len(before) - 40:
            if hit := _pick(m):
                return hit[0], lo + m.start("subj"), "quote.speaker.before_quote"
        break
    for m in reversed(list(AFTER_VERB.scan(before))):
        # 'said X: "...' (inverted order) only when the subject closes the words before the quote
        if before[m.end():].strip() in ("", ",", ":") and (hit := _pick(m)):
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
            starts = [x.end() for x in _SP["paragraph_sentence"].scan(text[lo2:pe])]
            s0 = lo2 + (starts[-1] if starts else 0)
            if not starts and lo2 > ps:
                return None
            head = text[s0:pe]
            m = _SP["verb_then_phrase_colon"].at(head)
            if m and (hit := _np_pick(m)) and (hit[0] or hit[2]):
                return hit[0], s0 + hit[1], "quote.speaker.colon_paragraph", hit[2]
            m = _SP["as_phrase_said"].at(head)
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
_DAYS = "(?:" + "|".join(full_names("weekday")) + ")"
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
_DESCRIPTION = _RULES["quote.description"]
_POSSESSIVE, _ATTRIBUTION_VERB = _RULES["quote.name.possessive"], _RULES["quote.attribution_verb"]
_SENT_SUBJ = re.compile(rf"\s*[“\"]?(?:(?:But|And|So|Yet|Still|Now)\s+)?{_INTRO}(?P<subj>{_SNP}){_APPOS_WIDE}{_DASH_APPOS}"
                        rf"{_ADV2}\s+(?P<verb>{_ATTR_VERB}|{_ANY_VERB})\b")


def sentence_subject(text: str, ss: int, qs: int) -> tuple | None:
    """(name, offset, rule, phrase as written) of the subject of the sentence a quote stands in
    ("Clinton said Wednesday that the allegations are '...'", "Rubio hit back, saying '...'"):
    a description with no name gives None for the name ("Aides said", "Ryan's campaign"), and
    "DESC" when it refers to a person named before ("the Vermont senator")."""
    head = text[ss:max(ss, qs - 1)]
    m = _SENT_SUBJ.match(head)
    if not m or any(c in head[:m.end()] for c in '“”"'):
        return None  # no subject, or a quote before its verb: the attribution is elsewhere
    hit = _np_pick(m, m.group("appos"))
    if hit is None:
        return None
    name, off, np = hit
    if name and " " not in name and off == m.start("subj") and not text[ss:ss + off].strip(" “\"") and \
            _has_word(text, name.lower()):
        name = None  # a common noun capitalised at the start of the sentence ("Results ... showed")
    if np in _PRONOUNS.split("|"):
        return (np, ss + off, "quote.speaker.before_quote") if np in ("he", "she", "He", "She") else None
    if name is not None:
        return name, ss + off, "quote.speaker.before_quote", np
    if _POSSESSIVE.find(np):
        return None, ss + off, "quote.speaker.before_quote", np  # "Ryan's campaign": as written, no name
    if _DESCRIPTION.at(np):
        return "DESC", ss + off, "quote.speaker.pronoun", np  # "the Vermont senator": the person last named
    if _ATTRIBUTION_VERB.at(m.group("verb")):
        return None, ss + off, "quote.speaker.before_quote", np  # "Aides said": as written, no name
    return None  # a description with any verb: too loose to name a speaker
