from transforms.figures import find


def figs(text):
    return [(f["text"], f["value"], f["unit"], f["qualifier"]) for f in find(text)]


def test_scale_words_currencies_and_qualifiers():
    got = figs("The bank lent more than US$2.5 billion and about 300 million euros.")
    assert ("more than US$2.5 billion", 2.5e9, "USD", "more_than") in got
    assert ("about 300 million euros", 3e8, "EUR", "approximate") in got


def test_currency_words_to_iso_codes():
    got = figs("a grant of 1.2 billion yuan (180 million U.S. dollars) was made")
    assert [(v, u) for _, v, u, _ in got] == [(1.2e9, "CNY"), (1.8e8, "USD")]


def test_percent_forms():
    got = figs("growth of 4.5% and a rise of 12 percent, or 3 pct")
    assert [(v, u) for _, v, u, _ in got] == [(4.5, "percent"), (12, "percent"), (3, "percent")]


def test_number_words_and_nearly_a_hundred():
    got = figs("She signed seven agreements after nearly a hundred meetings.")
    assert ("seven agreements", 7, "count", "exact") in got
    assert ("nearly a hundred meetings", 100, "count", "approximate") in got


def test_hyphenated_units_and_durations():
    got = figs("a 420-km pipeline to be built over the next four years")
    assert ("420-km", 420, "km", "exact") in got
    assert ("the next four years", 4, "year", "exact") in got


def test_counts_keep_their_noun_and_subject():
    f = find("They shipped 12,000 tonnes of grain and 40 ambulances.")
    assert (f[0]["value"], f[0]["unit"]) == (12000, "tonne")
    assert f[1]["text"] == "40 ambulances" and f[1]["subject"] == "ambulances"


def test_never_years_dates_ordinals_names_or_list_numbers():
    text = ("1. In 2019 the G20 met on March 5 for the 73rd time under the 2030 Agenda;\n"
            "the COVID-19 talks under Article 5 began at 10:30 on June 9 to 10, 2018.")
    assert figs(text) == []


def test_one_and_adjectival_number_words_are_not_figures():
    assert figs("one of the two-way trade links") == []


def test_a_subject_stops_where_the_next_figure_begins():
    got = find("Two markets and two resources were named.")
    assert [(f["text"], f["subject"]) for f in got] == [("Two markets", "markets"), ("two resources", "resources")]
