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


def test_the_first_day_of_a_range_written_day_first_is_a_date():
    text = ("The summit will be held in Lima on 18 and 19 November, the forum from 13 to 15 June\n"
            "and the talks on 10-11 May 2023. (Release ID: 2015832) She met him at No 10.")
    assert figs(text) == []
    assert figs("Write to 10 Downing Street or to 1600 Pennsylvania Avenue.") == []
    assert figs("Should it go? No 58%. Yes 33%.") == [("58%", 58.0, "percent", "exact"), ("33%", 33.0, "percent", "exact")]


def test_a_minus_sign_or_word_makes_a_figure_negative():
    got = figs("Temperatures fell to -15 degrees; it was minus 3 degrees Celsius and growth was -0.5% while her "
               "rating is minus nine points.")
    assert [g[1] for g in got] == [-15.0, -3.0, -0.5, -9.0], got
    # a dash between figures, a range and a margin of error are no signs
    got = figs("The score was 10-15; pipes of 75 -300mm; a margin of plus or minus 3.4 percentage points.")
    assert all(g[1] > 0 for g in got), got


def test_one_and_adjectival_number_words_are_not_figures():
    assert figs("one of the two-way trade links") == []


def test_a_subject_stops_where_the_next_figure_begins():
    got = find("Two markets and two resources were named.")
    assert [(f["text"], f["subject"]) for f in got] == [("Two markets", "markets"), ("two resources", "resources")]


def test_every_unit_of_the_reference_data_is_allowed_by_the_figures_suite():
    import csv
    import json
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    allowed = next(e["kwargs"]["value_set"] for e in json.loads((root / "expectations/suites/figures.json").read_text())
                   ["expectations"] if e["kwargs"].get("column") == "unit")
    data = root / "transforms/data"
    units = {r["unit"] for r in csv.DictReader(open(data / "units.csv", encoding="utf-8"))}
    units |= {r["code"] for r in csv.DictReader(open(data / "currencies.csv", encoding="utf-8"))}
    assert units - set(allowed) == set()


def test_world_currencies_scales_and_signs():
    got = figs("Sales hit £581m and 5.2bn euros; HK$3.7 billion, A$12 million, RM50, Rs 300 crore and "
               "₹2 lakh were raised, up 1.38pc.")
    assert ("£581m", 581e6, "GBP", "exact") in got
    assert ("5.2bn euros", 5.2e9, "EUR", "exact") in got
    assert ("HK$3.7 billion", 3.7e9, "HKD", "exact") in got
    assert ("A$12 million", 12e6, "AUD", "exact") in got
    assert ("RM50", 50, "MYR", "exact") in got
    assert ("Rs 300 crore", 3e9, "INR", "exact") in got
    assert ("₹2 lakh", 2e5, "INR", "exact") in got
    assert ("1.38pc", 1.38, "percent", "exact") in got


def test_iso_codes_before_after_and_with_scale_prefix():
    got = figs("They paid USD 200, 75 USD million and 30 MEUR, not 10 $ or 15 €.")
    assert [(v, u) for _, v, u, _ in got] == [(200, "USD"), (75e6, "USD"), (30e6, "EUR"), (10, "USD"), (15, "EUR")]


def test_number_words_of_any_size():
    got = figs("twenty-five people, three hundred soldiers, three thousand two hundred tents, "
               "one and a half million doses and a quarter million masks")
    assert [v for _, v, _, _ in got] == [25, 300, 3200, 1.5e6, 2.5e5]


def test_money_written_with_cents():
    assert figs("It cost 15 dollars and 50.")[0][1:3] == (15.5, "USD")
    assert figs("It cost thirteen dollars and forty-five cents")[0][1:3] == (13.45, "USD")
    assert [f[1] for f in figs("Sales hit £581m and 5.2bn euros.")] == [581e6, 5.2e9]  # "and 5" is not cents here


def test_a_range_is_one_figure_with_its_low_and_high():
    got = find("The road runs from 252 to 287 miles, walls stood eight to 10 feet tall, and growth was "
               "between 3 and 5 percent, while prices rose 5% and 7%.")
    assert [(f["text"], f["value"], f["unit"], f["range_low"], f["range_high"]) for f in got] == [
        ("252 to 287 miles", 252, "mile", 252, 287), ("eight to 10 feet", 8, "foot", 8, 10),
        ("3 and 5 percent", 3, "percent", 3, 5), ("5%", 5, "percent", None, None), ("7%", 7, "percent", None, None)]


def test_money_converted_in_the_text_is_two_figures():
    got = figs("a fine of £100 million ($130 million) was paid")
    assert [(v, u) for _, v, u, _ in got] == [(1e8, "GBP"), (1.3e8, "USD")]


def test_codes_phone_numbers_and_model_names_are_not_figures():
    assert figs("Call 1111-2222-3333 or see form 24703L202; the 486 is old.") == []
    assert figs("Talks 000123 and agent 007 opened.") == []


def test_names_slogans_eras_ages_and_rate_notes_are_not_figures():
    assert figs("The 14th Five-Year Plan was adopted as the Two Sessions opened.") == []
    assert figs("He backed “one country, two systems” again.") == []
    assert figs("Relics of the period (770 B.C.-476 B.C.) were found; in the year of 1131 it fell.") == []
    assert figs("Esper, 56, said the COP26 talks and 5G links matter (1 euro = 1.19 U.S. dollars).") == []


def test_a_change_from_one_figure_to_another_is_not_a_range():
    got = find("Exports rose from 35.69 billion yuan to nearly 250 billion yuan.")
    assert [(f["value"], f["range_low"]) for f in got] == [(35.69e9, None), (250e9, None)]
    assert [f["value"] for f in find("Prices fell by 79 to 4,775 points.")] == [79, 4775]


def test_a_subject_stops_at_its_verb():
    got = find("Ten people died and 300 trains passed through the city.")
    assert [f["subject"] for f in got] == ["people", "trains"]


def test_a_clock_time_by_its_zone_is_no_figure():
    assert [f[1] for f in figs("Trading closes at 1300 GMT, when 40 traders leave.")] == [40.0]
