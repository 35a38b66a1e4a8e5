"""Every rule of every rule file (transforms/rules/*.yaml) compiles, has examples, matches
each of them as it says and none of its counter-examples."""
import pytest

from transforms.rules import engine as E

RULES = sorted(E.all_rules().items())


def test_there_are_rule_files_and_rules():
    assert "dates" in E.rule_files()
    assert len(RULES) >= 10


@pytest.mark.parametrize("rule_id", [rid for rid, _ in RULES])
def test_each_rule_keeps_to_its_examples(rule_id):
    _, rule = E.all_rules()[rule_id]
    assert E.check_examples(rule) == []


def test_a_rule_without_an_example_or_with_a_wrong_one_is_reported():
    rule = E.Rule(id="t.x", pattern=r"\bcall(?P<tail>s)?\b", counter_examples=["a recall"])
    assert E.check_examples(rule) == ["no example"]
    rule = E.Rule(id="t.x", pattern=r"\bcall(?P<tail>s)?\b",
                  examples=[{"text": "two calls", "match": "call"}, {"text": "a call", "groups": {"tail": "s"}}],
                  counter_examples=["he calls"])
    problems = E.check_examples(rule)
    assert len(problems) == 3
    assert "matched 'calls', not 'call'" in problems[0]
    assert "group tail" in problems[1] and "counter-example 'he calls'" in problems[2]


def test_a_pattern_that_would_backtrack_is_refused():
    with pytest.raises(E.RuleError):
        E.Rule(id="t.x", pattern=r"(a+)\1")  # a back-reference: not RE2
    with pytest.raises(E.RuleError):
        E.Rule(id="t.x", pattern=r"x(?=y)")  # a look-ahead: write a guard instead


def test_guards_stand_for_look_arounds_and_read_no_further_than_the_span():
    rule = E.Rule(id="t.y", pattern=r"(?:19|20)\d\d", not_preceded_by=r"\$", window=1,
                  not_followed_by=r"\s*(?:Agenda|km)\b")
    text = "$2020, the 2030 Agenda, and 2021 km of road, and 2022."
    assert [h.group() for h in rule.finditer(text)] == ["2022"]
    # a guard after the match reads within the span asked about, as Python's endpos does
    assert [h.group() for h in rule.finditer(text, 0, text.index(" km"))] == ["2021"]


def test_spaces_and_word_edges_as_in_python():
    rule = E.Rule(id="t.z", pattern=r"\b(?:Mar|March)\s+\d+\b")
    assert rule.search("on March\u00a03 they") is not None  # a no-break space is a space
    assert rule.search("María 3") is None  # "Mar" of "María" is no word


def test_vocabularies_expand_once_and_longest_first():
    month = E.vocabulary("month")
    assert month["Sept"] == 9 and month["May"] == 5
    rule = E.Rule(id="t.m", pattern=r"\b(?P<m>{month})\b")
    assert rule.search("in September").group("m") == "September"


def test_alternatives_are_read_as_python_reads_an_alternation():
    # where the first alternative that matches fails its guard, a later one is tried at
    # the same place before the scan moves on
    rule = E.Rule(id="t.a", patterns=[{"pattern": r"(?P<n>\d+)(?P<u>km)", "not_followed_by": r"/h"},
                                      {"pattern": r"(?P<n>\d+)"}])
    assert [(m.group(), m.group("u")) for m in rule.scan("50km/h and 3km")] == [("50", None), ("3km", "km")]
    # resume: end: no match starts inside one its guards refused ("3.1.4" is no number)
    rule = E.Rule(id="t.b", pattern=r"\d+(?:\.\d+)?", not_preceded_by=r"[\d.]", window=1,
                  not_followed_by=r"\.\d", resume="end")
    assert [m.group() for m in rule.scan("version 3.1.4, or 2.5")] == ["2.5"]


def test_anchored_rules_read_where_the_extractor_points():
    after = E.Rule(id="t.after", pattern=r"\s*(?:st|nd|rd|th)\b", anchor="start")
    assert after.at("the 73rd time", 6) is not None and after.at("the 73 rd", 5) is None
    assert after.search("73rd") is None  # an example is read from its start
    before = E.Rule(id="t.before", pattern=r"Article\s*", anchor="end")
    assert before.find("under Article 5", 0, 14) is not None
    assert before.find("under Article 5 of", 0, 16) is None


def test_a_reader_tells_every_rule_that_matches_a_window_in_one_pass():
    rules = [E.Rule(id="t.pct", pattern=r"\s*%", anchor="start"),
             E.Rule(id="t.ord", pattern=r"(?:st|nd|rd|th)\b", anchor="start"),
             E.Rule(id="t.unit", pattern=r"\s*km", anchor="start", not_followed_by=r"/h")]
    read = E.Reader(rules)
    assert read("% of all") == {"t.pct"}
    assert read("th of May") == {"t.ord"}
    assert read(" km/h") == {"t.unit"}  # guards unread: it may match, `at` then decides
    assert read(" people") == set()


def test_a_phrase_rule_refuses_a_stop_word_or_too_many_words_anywhere_in_it():
    # as a look-ahead before each word of a phrase would: no word of it may be a stop word
    rule = E.Rule(id="t.np", pattern=r",\s+(?P<np>(?:[A-Za-z]+\s+)*?[A-Za-z]+)\s+said",
                  reject_words={"np": r"(?:who|in)\b"}, max_words={"np": 3})
    assert [m.group("np") for m in rule.scan("yes, the mayor said")] == ["the mayor"]
    assert list(rule.scan("yes, the mayor who spoke said")) == []
    assert list(rule.scan("yes, the tall old mayor said")) == []  # four words
    assert list(rule.scan("yes, the inner circle said")) != []  # "inner" is no "in"


def test_split_and_sub_read_the_text_as_python_does():
    rule = E.Rule(id="t.sep", pattern=r"\s*,\s*|\s+and\s+")
    assert rule.split("Germany, France and Italy") == ["Germany", "France", "Italy"]
    assert E.Rule(id="t.q", pattern=r'"[^"]*"').sub(" ", 'he said "we will" then') == "he said   then"


def test_a_raw_scan_gives_the_spans_of_a_scan_and_refuses_a_rule_with_guards():
    rule = E.Rule(id="t.stop", pattern=r"(?P<p>[.!?])(?P<sp>\s+)[A-Z]")
    for text in ("It rained. Then it stopped! Yes.", "Zürich voted. Genève too. Ça va? Oui."):
        for start in (0, 3):
            base, found = rule.raw_scan(text, start)
            assert [(sp[1][0] + base, sp[2][1] + base) for sp in found] == \
                   [(m.start("p"), m.end("sp")) for m in rule.scan(text, start)]
    with pytest.raises(E.RuleError):
        E.Rule(id="t.g", pattern=r"\.", not_followed_by=r"\d").raw_scan("a. b")


def test_each_rules_prefilter_lets_its_examples_through():
    """A rule's prefilter (its own pattern, or the simpler one it gives) is what the vectorised
    pass reads before the rule: a text the rule matches must pass it."""
    import polars as pl
    from transforms.rules.engine import RULES, for_polars, load
    missed = []
    for path in sorted(RULES.glob("*.yaml")):
        for rule in load(path.stem):
            texts = [e["text"] if isinstance(e, dict) else e for e in rule.examples]
            if not texts:
                continue
            hit = pl.Series(texts, dtype=pl.Utf8).str.contains(for_polars(rule.prefilter_source()))
            missed += [f"{rule.id}: {t!r}" for t, h in zip(texts, hit.to_list()) if not h]
    assert missed == []


def test_a_rule_is_absent_from_a_text_only_when_no_part_of_it_can_match():
    """The batch prefilter (`engine.absent`) lets a document skip a rule only when no part
    of the document, read alone or from any position, can match it: each example of each
    rule, set as a line between two others, leaves its rule present, anchors and word edges
    included; a text that holds none of it leaves the rule absent."""
    texts, owners = [], []
    for rule_id, (_, rule) in RULES:
        for ex in rule.examples:
            text = ex["text"] if isinstance(ex, dict) else ex
            texts.append("Some words come first.\n" + text + "\nThen another line.")
            owners.append(rule_id)
    rules = [rule for _, (_, rule) in RULES]
    absent = E.absent(rules, texts)
    assert [(o, t) for o, t, a in zip(owners, texts, absent) if o in a] == []
    pages = E.load("pages")
    plain = E.absent([pages["page.timestamp"], pages["page.footer"]], ["A plain sentence with no date.", None])
    assert plain == [frozenset({"page.timestamp", "page.footer"})] * 2
    assert pages["page.footer"].within(plain[0]).match("Most read") is None
    assert pages["page.footer"].within(frozenset()).match("Most read") is not None


def test_anchors_and_word_edges_leave_the_batch_pattern_and_nothing_else_does():
    assert E._drop_assertions(r"^(?:\bMost\s+read)$") == r"(?:Most\s+read)"
    assert E._drop_assertions(r"[^$\b]\$\^x\B") == r"[^$\b]\$\^x"


def test_a_key_written_twice_in_a_rule_is_refused_not_dropped():
    import yaml
    twice = "rules:\n  - id: x.y\n    pattern: 'a'\n    not_preceded_by: 'b'\n    not_preceded_by: 'c'\n"
    with pytest.raises(E.RuleError, match="not_preceded_by"):
        yaml.load(twice, Loader=E._StrictLoader)
