"""Quotes: words someone said or wrote, in quotation marks, with their speaker."""
from __future__ import annotations

import bisect
import hashlib

import polars as pl

from transforms.rules import budget, load

from transforms.names import Mention, gazetteer, protagonist
from transforms.speakers import (_DESCRIPTION, _NP_AFTER_SUBJ_VERB, _NP_AFTER_VERB_SUBJ, BEFORE_VERB, Registry, _clean,
                                 attribution)
from transforms.text import bodies, paragraphs, sentence_spans

SCHEMA = {"quote_id": pl.Utf8, "doc_id": pl.Utf8, "char_start": pl.Int32, "char_end": pl.Int32,
          "text": pl.Utf8, "speaker": pl.Utf8, "speaker_text": pl.Utf8, "event_id": pl.Utf8,
          "sent_start": pl.Int32, "sent_end": pl.Int32, "rule": pl.Utf8}
_R = load("quotes")
_VERB, _CUE, _SPEECH_TITLE, _PRONOUN, _TITLE_NP = _R.pick(
    "quote.verb", "quote.cue", "quote.speech_title", "quote.pronoun", "quote.title_np")
_TITLE_BEFORE, _NAME_AFTER, _MEDIA_QUOTING, _FINITE, _TERM_AFTER = _R.pick(
    "quote.title_before", "quote.name_after", "quote.media_quoting", "quote.finite", "quote.term_after")
_REPORTED_BEFORE, _REPORTED_AFTER, _SUBJECT_VERB, _RUN_BEFORE, _RUN_AFTER = _R.pick(
    "quote.reported_before", "quote.reported_after", "quote.subject_then_verb", "quote.run_before",
    "quote.run_after")
_SAY, _SENT_START, _QUOTED, _CLOSED_BY_COMMA, _MARK_THEN_COMMA = _R.pick(
    "quote.say", "quote.sentence_start", "quote.quoted", "quote.closed_by_comma", "quote.mark_then_comma")
_ARTICLE_BEFORE, _COLON_AFTER_NAME, _TERM_VERB, _DETERMINER_BEFORE = _R.pick(
    "quote.article_before", "quote.colon_after_name", "quote.term_verb", "quote.determiner_before")
_LINK = _R["quote.link"]
_ENDS_QUESTION, _COLON_OR_COMMA_BEFORE = _R["quote.ends_question"], _R["quote.colon_or_comma_before"]
_SPEECH_NOUNS = ("speeches", "keynote", "remarks")


def _speech_word(text: str, lo: int, hi: int) -> bool:
    """A verb or noun of speech in text[lo:hi]."""
    return bool(_VERB.find(text, lo, hi) or _CUE.find(text, lo, hi) or any(w in text[lo:hi] for w in _SPEECH_NOUNS))


_MARK = load("quotes")["quote.mark"]
_OPENERS = {"“": "”", "«": "»", "„": "“", "「": "」", "‘": "’"}
_CLOSERS = {v: k for k, v in _OPENERS.items() if k != "„"}


def _straight_role(text: str, i: int, lo: int, hi: int) -> str:
    """Whether a straight double quote opens or closes, from the characters around it."""
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    if (before.isspace() or before in "([{—–-:/") and not after.isspace():
        return "open"
    if (after.isspace() or after in ".,;:!?)]}—–-") and not before.isspace():
        return "close"
    return "toggle"


def quote_spans(text: str, start: int, end: int, paras: list | None = None) -> list[tuple[int, int]]:
    """(start, end) of the words inside each outermost pair of quotation marks; quotes
    nested inside another are part of it. A quote left open runs to the end of its paragraph."""
    out = []
    paras = paragraphs(text, start, end) if paras is None else paras
    # the marks of the whole span in one pass (a mark is one character: no paragraph reads differently)
    marks = []
    if paras:
        base, found = _MARK.raw_scan(text, paras[0].start, paras[-1].end)
        marks = [sp[0][0] + base for sp in found]
    k = 0
    for para in paras:
        stack: list[tuple[int, str]] = []  # (position of the opening mark, the mark)
        k = bisect.bisect_left(marks, para.start, k)
        j = bisect.bisect_left(marks, para.end, k)
        for i in marks[k:j]:
            ch = text[i]
            if ch == '"':
                role = _straight_role(text, i, para.start, para.end)
                if role == "toggle":
                    role = "close" if stack and stack[-1][1] == '"' else "open"
                if role == "close" and stack and stack[-1][1] == '"':
                    s0, _ = stack.pop()
                    if not stack:
                        out.append((s0 + 1, i))
                elif role == "open":
                    stack.append((i, ch))
            elif ch in _OPENERS:
                if ch == "‘" and i > para.start and text[i - 1].isalnum():
                    continue
                stack.append((i, ch))
            elif ch in _CLOSERS:
                if ch == "’" and (not stack or stack[-1][1] != "‘" or (i + 1 < para.end and text[i + 1].isalpha())):
                    continue  # an apostrophe
                if stack and _OPENERS.get(stack[-1][1]) == ch:
                    s0, _ = stack.pop()
                    if not stack:
                        out.append((s0 + 1, i))
                elif stack and ch == "”":
                    # a closing mark that does not match: close the outermost quote
                    s0 = stack[0][0]
                    stack.clear()
                    out.append((s0 + 1, i))
        if stack:
            out.append((stack[0][0] + 1, para.end))
    trimmed = []
    for s0, e0 in out:
        while s0 < e0 and text[s0].isspace():
            s0 += 1
        while e0 > s0 and text[e0 - 1].isspace():
            e0 -= 1
        if e0 > s0:
            trimmed.append((s0, e0))
    return sorted(trimmed)


_SMALL_WORDS = frozenset(("of", "the", "and", "for", "a", "an", "in", "on", "to", "with", "at", "by"))


def _title_case(words: list[str]) -> bool:
    """Two words or more besides small ones, and each of those capitalised (read up to the
    first that is not)."""
    content = 0
    for w in words:
        if w.lower() in _SMALL_WORDS:
            continue
        if w[:1].isalpha() and not w[:1].isupper():
            return False
        content += 1
    return content >= 2


def in_run(text: str, s: int, e: int) -> bool:
    """A quote in a series of quotes ("A" "B" "C"...), as when a speech's points are listed."""
    before = text[max(0, s - 4):s - 1]
    after = text[e + 1:e + 4]
    return bool(_RUN_BEFORE.find(before) or _RUN_AFTER.at(after))


# verbs of saying that make the quoted words, however short, someone's ("said he was 'confident'",
# "called inversions 'unpatriotic'"); not verbs that take a term as their object ("called for",
# "praised", "emphasized")
def reported_before(text: str, s: int) -> bool:
    """A verb of saying earlier in the quote's sentence, outside other quotes."""
    lo = max(0, s - 250)
    head = text[lo:max(lo, s - 1)]
    starts = [m.end() for m in _SENT_START.scan(head)]
    if starts:
        head = head[starts[-1]:]
    head = _QUOTED.sub(" ", head)  # words inside other quotes
    if "“" in head or '"' in head:
        return False  # inside an open quote
    return bool(_SAY.find(head))


def reported_after(text: str, s: int, e: int) -> bool:
    """'"Elections matter," Kelly said.': words closed by a comma, a question or an exclamation
    mark and followed by their speaker and a speech verb (either order)."""
    if not _CLOSED_BY_COMMA.find(text[max(s, e - 2):e]) and not _MARK_THEN_COMMA.at(text[e:e + 3]):
        return False
    after = text[e + 1:e + 160]
    m = _NP_AFTER_SUBJ_VERB.at(after) or _NP_AFTER_VERB_SUBJ.match(after)
    return bool(m) and "\n" not in after[:m.end()]


def _named_term(text: str, s: int, e: int) -> bool:
    """Whether the quoted words are a term the sentence talks about, a title or a name
    ("is a new concept", "entitled '…'", "'…' Initiative", words In Title Case)."""
    q = text[s:e]
    before = text[max(0, s - 40):s - 1]
    after = text[e + 1:e + 30]
    return bool(_TERM_AFTER.at(after) or _TITLE_BEFORE.find(before) or _NAME_AFTER.at(after)
                or _title_case(q.split()) and not q.rstrip().endswith((".", "!", "?", ",")))


def is_quote(text: str, s: int, e: int) -> bool:
    q = text[s:e]
    if "](" in q and _LINK.at(text, s, e) is not None:
        return False  # a link of a page turned to text: the name of what it points to
    words = q.split()
    # words the text gives as someone's, however short or verbless
    if len(q.strip(" ,.")) >= 2 and (reported_after(text, s, e) or (
            reported_before(text, s) and not _TITLE_BEFORE.find(text[max(0, s - 40):s - 1]))):
        return True
    before = text[max(0, s - 40):s - 1]
    if len(words) < 3:
        return False
    run = in_run(text, s, e)
    ends_sentence = q.rstrip().endswith((".", "!", "?", "…"))
    if not run and _ARTICLE_BEFORE.find(before):
        return False  # a term talked about: "the "domestic cycle"", "the concept of "..."" 
    if _named_term(text, s, e):
        return False
    reported = _REPORTED_BEFORE.find(text[max(0, s - 70):max(0, s - 1)]) or _REPORTED_AFTER.at(text[e + 1:e + 40])
    if (not run and not ends_sentence and len(words) <= 12 and not reported
            and not (_FINITE.find(q) or _SUBJECT_VERB.at(q)) and not before.rstrip().endswith(":")):
        return False  # a verbless phrase: a coined term or slogan
    line_start = text.rfind("\n", 0, s) + 1
    lead = text[max(line_start, s - 120):s - 1]
    if _SPEECH_TITLE.find(lead) and not _VERB.find(lead) and not q.rstrip().endswith((".", "!", "?")):
        return False  # the title of a speech or article
    return True


class _Resolver:
    """People mentioned in a document, looked up by offset (binary search: a long document
    names thousands)."""

    def __init__(self, mentions: list[Mention], main):
        self.people = sorted((m for m in mentions if m.entity.kind == "person"), key=lambda m: m.start)
        self.starts = [m.start for m in self.people]
        self.main = main
        self.text = ""
        self._first_spoke = None

    def spoke_before(self, person, pos: int) -> bool:
        """Whether the text names person with a speech word in one of their sentences before pos."""
        if self._first_spoke is None:
            self._first_spoke = {}
            for m in self.people:
                if m.entity in self._first_spoke:
                    continue
                lo = max(0, self.text.rfind(".", max(0, m.start - 400), m.start) + 1)
                hi = self.text.find(".", m.end, m.end + 400)
                hi = min(len(self.text), m.end + 400) if hi < 0 else hi
                if _speech_word(self.text, lo, hi):
                    self._first_spoke[m.entity] = m.start
        return self._first_spoke.get(person, pos) < pos

    def last_person_before(self, pos: int, floor: int = 0):
        i = bisect.bisect_left(self.starts, pos) - 1
        return self.people[i] if i >= 0 and self.people[i].start >= floor else None

    def near(self, lo: int, hi: int, anchor: int):
        a, b = bisect.bisect_left(self.starts, lo), bisect.bisect_left(self.starts, hi)
        cands = [m for m in self.people[a:b] if m.end <= hi]
        if not cands:
            return None
        return min(cands, key=lambda m: min(abs(m.start - anchor), abs(m.end - anchor)))


def _speech_context(text: str, ss: int, res: _Resolver, sents_before: list[tuple[int, int]]):
    """The last listed person named in a sentence with a speech word, among the quote's
    sentence and the two before it."""
    for lo, hi in [(ss, ss)] + sents_before[::-1]:
        if lo == hi:
            continue
        if _speech_word(text, lo, hi):
            p = res.near(lo, hi, hi)
            if p is not None:
                return p
    return None


def _speaker(text: str, qs: int, qe: int, sent: tuple[int, int], prev_speaker, res: _Resolver,
             sents_before: list[tuple[int, int]] = (), last_speaker: str | None = None,
             sent_after: tuple[int, int] | None = None):
    """(speaker entity name, speaker_text) for a quote inside sentence sent."""
    ss, se = sent
    g = gazetteer()
    media = _MEDIA_QUOTING.find(text, ss, se)
    if media and media.group("media") in g.media and media.start() < qe + 80:
        return media.group("media"), text[media.start("media"):media.end("media")], "quote.speaker.media"
    # outside-the-quote parts of the sentence
    segs = [(ss, max(ss, qs - 1)), (min(se, qe + 1), se)]
    best = None
    for pattern in (_VERB, _CUE):
        for lo, hi in segs:
            for v in pattern.scan(text, lo, hi):
                dist = min(abs(v.start() - qs), abs(v.start() - qe))
                if best is None or dist < best[0]:
                    best = (dist, v)
        if best:
            break
    if best:
        v = best[1]
        # a named person close to the verb, before it first, then after it
        p = res.near(max(ss, v.start() - 90), v.start(), v.start()) or res.near(ss, v.start(), v.start())
        if p is None and 0 <= v.start() - qe <= 4:
            p = res.near(v.end(), min(se, v.end() + 60), v.end())
        pron = None
        for m in _PRONOUN.scan(text, max(ss, v.start() - 25), v.start()):
            pron = m
        tnp = None
        for m in _TITLE_NP.scan(text, max(ss, v.start() - 60), v.start()):
            tnp = m
        if pron and (not p or p.end < pron.start()):
            who = res.last_person_before(pron.start()) or res.main
            return (who.entity.name if hasattr(who, "entity") else who.name if who else None), pron.group(0), \
                "quote.speaker.pronoun"
        if p:
            return p.entity.name, text[p.start:p.end], "quote.speaker.near_verb"
        if tnp and res.main:
            return res.main.name, tnp.group(0), "quote.speaker.title_of_protagonist"
    # "Name: "quote"" or a person named in the sentence outside the quote
    p = res.near(ss, max(ss, qs - 1), qs)
    if p and _COLON_AFTER_NAME.at(text[p.end:qs]):
        return p.entity.name, text[p.start:p.end], "quote.speaker.name_colon"
    if prev_speaker:  # a question too: '"That's a false equivalency!" Maher replied. "How many ...?"'
        return (*prev_speaker, "quote.speaker.continued")
    if text[qs:qe].rstrip().endswith("?"):
        return None, None, "quote.speaker.none"
    # the person the text has just presented as speaking ("In his speech, X ..."; a list of
    # points from "X's speeches"): named with a speech word in this sentence or the two before
    # words quoted first and attributed in the next sentence of the paragraph:
    # '"A", "B", "C"... During the talks, X continued to convey ...'
    if sent_after is not None:
        ns, ne = sent_after
        head = text[ns:min(ne, ns + 140)]
        for m in BEFORE_VERB.scan(head):
            if head[m.end("verb"):m.end("verb") + 6].lstrip().startswith("that "):
                break  # "X has said that his firm will ...": a claim of its own, not the quote's source
            name = _clean(m.group("subj")) if m.group("subj") not in ("he", "she", "He", "She", "they", "They",
                                                                      "we", "We", "I", "it", "It") else None
            p = res.near(ns + m.start("subj"), ns + m.end("subj") + 1, ns + m.start("subj")) if name else None
            if p is not None:
                return p.entity.name, text[p.start:p.end], "quote.speaker.next_sentence"
            break
    ctx = _speech_context(text, ss, res, sents_before)
    if ctx is not None:
        return ctx.entity.name, None, "quote.speaker.context"
    # an article about one person's speeches: a quote standing alone is theirs when the text
    # has presented them as speaking before it and nobody else has spoken since
    main = res.main
    if main is not None and last_speaker in (None, main.name) and res.spoke_before(main, qs):
        return main.name, None, "quote.speaker.protagonist"
    return None, None, "quote.speaker.none"  # the text does not say who: no guess


_HONORIFIC_NAME = load("quotes")["quote.honorific_name"]


def _para_before(paras, starts: list[int], qs: int) -> tuple[int, int] | None:
    """The paragraph before the one a quote opens, when the quote opens it."""
    i = bisect.bisect_right(starts, qs) - 1
    if i <= 0 or qs - paras[i].start > 2:
        return None
    return paras[i - 1].start, paras[i - 1].end


def _is_person(name: str, g) -> bool:
    """Whether a speaker can be "he" or "she": not an organisation, outlet or country."""
    ent = g.lookup.get(name)
    return name not in g.media and (ent is None or ent.kind == "person")


def _resolve(att: tuple, recent, registry: Registry, g, res) -> tuple[str | None, str | None, str]:
    """(speaker, speaker_text, rule) for an attribution found in the text, (subject, offset,
    rule[, phrase as written]): a pronoun or a description of a person ("the Vermont senator")
    continues the speaker before it (or the last person the text named); a name resolves to its
    first full form in the document, or to its canonical form where the reference lists it; a
    phrase without a name ("a New Hampshire Republican") is the speaker as written, no name."""
    subj, pos, rule = att[:3]
    written = " ".join(att[3].split()) if len(att) > 3 else None
    if subj is None and not (written and _DESCRIPTION.at(written)):
        return None, written, rule
    if subj is None or subj == "DESC":
        if recent and recent[0]:
            return recent[0], written, rule
        return registry.last_before(pos, max(0, pos - 3000)), written, rule
    subj = " ".join(subj.split())
    if subj in ("he", "she", "He", "She"):
        if recent and recent[0] and _is_person(recent[0], g):
            return recent[0], subj, "quote.speaker.pronoun"
        return registry.last_before(pos, max(0, pos - 3000)), subj, "quote.speaker.pronoun"
    if subj in ("they", "we", "They", "We", "I", "it", "It"):
        return None, subj, rule
    canon = registry.canonical(subj)
    ent = g.lookup.get(canon) or g.people.get(canon)
    if ent is not None:
        canon = ent.name
    if _is_person(canon, g):  # "he" and "she" look back to people only
        registry.add(canon, pos)
    return canon, written or subj, rule


def _short_but_attributed(text: str, qs: int, qe: int, att) -> bool:
    """Whether a fragment that is_quote() turns down (a few words, no verb: 'mocked X for
    "having a tough night"') is still a quote: a named speaker's words, not a term the
    sentence talks about, a title or a name."""
    if not att or att[0] in (None, "DESC", "they", "They", "we", "We", "I", "it", "It"):
        return False
    if isinstance(att[1], int) and _TERM_VERB.find(text[att[1]:qs]):
        return False  # a verb that takes a term: 'praised "cloud diplomacy"'
    if len(text[qs:qe].split()) < 2:
        return False  # one word in quotes: a term ('an "online" meeting')
    if _named_term(text, qs, qe):
        return False  # a term talked about, a name or title
    if _DETERMINER_BEFORE.find(text[max(0, qs - 40):qs - 1]):
        return False  # a phrase the sentence names ('answer the "call of our times"')
    return True


def quote_id(doc_id: str, start: int, end: int) -> str:
    return hashlib.sha1(f"quote|{doc_id}|{start}|{end}".encode()).hexdigest()[:20]


def find(text: str, start: int, end: int, doc_id: str = "", when=None, sents=None, ann=None) -> list[dict]:
    """Quotes of text[start:end]; `when` is the document's date, at which offices
    ("the German chancellor") are read; ann: the document's Annotation, whose sentences,
    paragraphs and names are read instead of made again."""
    paras = ann.paragraphs if ann is not None else paragraphs(text, start, end)
    spans = list(quote_spans(text, start, end, paras))
    if not spans:
        return []  # nothing quoted: the names need not be read
    g = gazetteer()
    mentions = ann.names(when) if ann is not None else g.find(text, start, end, when=when)
    res = _Resolver(mentions, protagonist(mentions))
    sents = sentence_spans(text, start, end) if sents is None else sents
    out = []
    prev = None
    prev_sent_end = -1
    starts = [s for _, s, _ in sents]
    para_starts = [p.start for p in paras]
    registry = Registry()
    last_speaker = None
    prev_qe = None
    res.text = text
    for m in res.people:
        registry.add(m.entity.name, m.start)
    for m in _HONORIFIC_NAME.scan(text, start, end):
        if _clean(m.group(0)):
            registry.add(m.group(0), m.start())
    for qs, qe in spans:
        budget.check()
        is_q = is_quote(text, qs, qe)
        if not is_q and (len(text[qs:qe].strip(" ,.")) < 2 or "\n" in text[qs:qe]):
            continue
        # the sentence(s) the quote stands in: from the one it opens in to the one it closes in
        near = sents[max(0, bisect.bisect_right(starts, qs - 1) - 1):bisect.bisect_right(starts, qe + 4)]
        s_lo = next((s for _, s, e in near if s <= qs - 1 < e or s <= qs < e), qs)
        s_hi = next((e for _, s, e in near if s < qe + 1 <= e or s < qe <= e), qe)
        for _, s, e in near:
            if s <= qe < e:
                s_hi = max(s_hi, e)
        nxt = next(((s, e) for _, s, e in near if s > qe and s - qe <= 3), None)
        if nxt and not (_VERB.find(text, s_lo, max(s_lo, qs - 1)) or _VERB.find(text, min(s_hi, qe + 1), s_hi)):
            v = _VERB.find(text, nxt[0], min(nxt[1], nxt[0] + 80))
            if v and v.end() >= nxt[1] - 2:
                s_hi = nxt[1]  # "...” Former President X commented."
        if nxt and s_hi < nxt[1] and _ENDS_QUESTION.find(text[max(qs, qe - 3):qe + 1]) and \
                "\n" not in text[qe:nxt[0]] and not _VERB.find(text, s_lo, max(s_lo, qs - 1)) and \
                not _COLON_OR_COMMA_BEFORE.find(text[max(s_lo, qs - 5):max(s_lo, qs - 1)]):
            head = text[nxt[0]:min(nxt[1], nxt[0] + 160)]
            if _NP_AFTER_VERB_SUBJ.match(head) or _NP_AFTER_SUBJ_VERB.at(head):
                s_hi = nxt[1]  # '"Who do they think they are?" Trump said of Apple.'
        recent = prev if prev_sent_end >= s_lo - 2 else None
        if recent is None and prev and prev_qe is not None and qs - prev_qe < 250 and \
                not any(c in text[prev_qe + 1:qs - 1] for c in '"“”\n'):
            recent = prev  # '"Q1," X said, asked about it. "Q2"': nothing quoted or said by another between
        att = attribution(text, qs, qe, s_lo, s_hi, _para_before(paras, para_starts, qs))
        if not is_q and not _short_but_attributed(text, qs, qe, att):
            continue
        if att is not None:
            speaker, speaker_text, rule = _resolve(att, recent, registry, g, res)
        else:
            k = bisect.bisect_right(starts, s_lo) - 1
            before = [(s, e) for _, s, e in sents[max(0, k - 2):max(0, k)]]
            k2 = bisect.bisect_left(starts, s_hi)
            after_sent = None
            if k2 < len(sents) and sents[k2][1] - s_hi <= 3:
                after_sent = (sents[k2][1], sents[k2][2])
            speaker, speaker_text, rule = _speaker(text, qs, qe, (s_lo, s_hi), recent, res, before + [(s_lo, qs)],
                                                   last_speaker, after_sent)
        if speaker_text is not None:
            speaker_text = " ".join(speaker_text.split())
        out.append({"char_start": qs, "char_end": qe, "text": text[qs:qe], "speaker": speaker,
                    "speaker_text": speaker_text, "sent_start": s_lo, "sent_end": s_hi, "rule": rule})
        # a speaker the text describes without a name ("a Mexican official") continues too
        prev = (speaker, speaker_text) if speaker or (
            speaker_text and speaker_text not in ("they", "They", "we", "We", "I", "it", "It")) else None
        last_speaker = speaker or last_speaker
        prev_sent_end = s_hi
        prev_qe = qe
    return out


def extract(docs: pl.DataFrame, anns: list | None = None) -> pl.DataFrame:
    """Quotes of every document: docs has doc_id, text (and body_start/body_end when known);
    anns: their annotations (transforms.documents.annotate), when already made."""
    rows = []
    for row, ann in bodies(docs, anns):
        for q in find(ann.text, ann.body_start, ann.body_end, row["doc_id"], when=ann.when, sents=ann.sentences,
                      ann=ann):
            q["doc_id"] = row["doc_id"]
            q["quote_id"] = quote_id(row["doc_id"], q["char_start"], q["char_end"])
            q["event_id"] = None
            rows.append(q)
    return pl.DataFrame(rows, schema=SCHEMA) if rows else pl.DataFrame(schema=SCHEMA)
