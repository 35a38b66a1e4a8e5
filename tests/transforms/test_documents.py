import datetime as dt

import polars as pl

from transforms.documents import body_span, prepare


def prep(text, **cols):
    return prepare(pl.DataFrame({"doc_id": ["d"], "text": [text], **{k: [v] for k, v in cols.items()}})).row(0, named=True)


def test_front_matter_date_and_title():
    row = prep("---\ntitle: Talks in Rome\ndate: '2022-07-28'\n---\nThe ministers met in Rome on Tuesday and agreed on a plan.")
    assert row["published_date"] == dt.date(2022, 7, 28)
    assert row["date_source"] == "dateline"
    assert row["title"] == "Talks in Rome"


def test_xinhua_dateline_takes_the_page_year():
    text = "Home | World | 2021-11-13\n\nBEIJING, Nov. 12 (Xinhua) -- Chinese and French officials met in the capital on Friday for talks."
    assert prep(text)["published_date"] == dt.date(2021, 11, 12)


def test_time_dateline():
    assert prep("08:15, November 13, 2020 | Source\n\nThe two leaders held talks by phone for an hour.")["published_date"] == dt.date(2020, 11, 13)


def test_date_line_prefix():
    assert prep("date 2022-01-03 A long year of talks between the two countries began.")["published_date"] == dt.date(2022, 1, 3)


def test_undated_text_uses_years_it_is_about_but_keeps_date_null():
    row = prep("In 2019 the two sides met twice. By 2019 trade had grown. In 2015 they first met.")
    assert row["published_date"] is None and row["date_source"] == "text" and row["reference_year"] == 2019


def test_no_date_at_all():
    row = prep("The two sides met again and agreed to keep talking.")
    assert row["published_date"] is None and row["date_source"] == "none"


def test_manifest_date_wins():
    row = prep("date 2022-01-03 The ministers met.", published_date=dt.date(2020, 1, 1), date_source="manifest")
    assert row["published_date"] == dt.date(2020, 1, 1) and row["date_source"] == "manifest"


def test_body_skips_menus_and_stops_at_footer():
    text = ("Home\nWorld\nChina\nBusiness\nSports\n\n"
            "Leaders meet in Paris\n\n"
            "The presidents of the two countries met in Paris on Monday to discuss trade and climate.\n\n"
            "They agreed to meet again next year in Beijing for another round of talks on energy.\n\n"
            "Most Read\nStocks rally as markets rebound\nFootball club wins the cup final again\n")
    s, e = body_span(text)
    body = text[s:e]
    assert body.startswith("Leaders meet in Paris")
    assert body.endswith("talks on energy.")


def test_web_page_dump_keeps_only_the_story():
    text = ("Home | China | World | Business | Culture | Sports | Photos | Video\n"
            "Chinese, Brazilian leaders pledge to deepen ties as trade hits record high in first half\n"
            "Source: Xinhua| 2023-04-15 08:15:30|Editor: huaxia\n\n"
            "BEIJING, April 14 (Xinhua) -- Chinese President Xi Jinping held talks with Brazilian President "
            "Luiz Inacio Lula da Silva in Beijing on Friday.\n\n"
            "The two leaders agreed to expand trade and investment.\n\n"
            "[Editor: Li Jia]\n"
            "Most Read\n"
            "Football team wins the national cup final after a long and dramatic penalty shootout\n")
    row = prep(text)
    body = text[row["body_start"]:row["body_end"]]
    assert body.startswith("BEIJING, April 14") and body.endswith("trade and investment.")
    assert row["published_date"] == dt.date(2023, 4, 14)


def test_hard_wrapped_body_starts_at_its_first_line():
    text = ("On Wednesday, President Donald J. Trump held his first foreign leader\n"
            "call with Crown Prince Mohammed bin Salman of the Kingdom of Saudi\n"
            "Arabia. The two leaders discussed efforts to bring stability to the\n"
            "Middle East, bolster regional security, and combat terrorism in the\n"
            "region over the coming years, officials said after the long call.\n")
    s, e = body_span(text)
    assert s == 0 and text[s:e].endswith("long call.")


def test_a_year_written_once_and_bare_is_not_the_undated_articles_year():
    # a past event's year and a plan's period do not place the article in time
    row = prep("The rebate was won in 1984. Leaders meet in June to agree the budget for 2007-2013.")
    assert row["published_date"] is None and row["reference_year"] is None
    # a year with its month does
    assert prep("The talks of 3 March 2005 ended. A summit follows in June.")["reference_year"] == 2005


def test_a_batch_reads_each_document_as_it_is_read_alone():
    """Reading a batch first tells which page and name rules match nowhere in each document
    and skips them there; every document still gets the body, dates and names it gets when
    read on its own, whichever rules its neighbours hold."""
    from transforms.annotate import annotate_row
    from transforms.documents import annotate
    texts = [
        "Home | World | 2021-11-13\n\nBEIJING, Nov. 12 (Xinhua) -- Chinese and French officials met in the capital "
        "on Friday for talks.\n\nMost Read\nA story\nAnother story",
        "08:15, November 13, 2020 | Source\n\nThe two leaders held talks by phone for an hour. Mr Ruiz, the "
        "Foreign Minister of Chile, said the talks went well.",
        "A plain text with no date at all, in which the ministers of 2019 met twice in 2019.",
    ]
    frame = pl.DataFrame({"doc_id": ["a", "b", "c"], "text": texts})
    batch = annotate(frame)
    assert [a.absent for a in batch][2] >= {"page.timestamp", "page.footer", "name.honorific"}
    for a, row in zip(batch, frame.iter_rows(named=True)):
        alone = annotate_row(row)
        assert alone.absent == frozenset()
        assert (a.body_start, a.body_end, a.published, a.reference_year, a.dateline) == \
               (alone.body_start, alone.body_end, alone.published, alone.reference_year, alone.dateline)
        assert [(m.start, m.end, m.entity.name) for m in a.names(a.when)] == \
               [(m.start, m.end, m.entity.name) for m in alone.names(alone.when)]
    assert batch[0].published == dt.date(2021, 11, 12) and batch[2].reference_year == 2019
    assert any(m.entity.name == "Ruiz" or "Ruiz" in m.entity.name for m in batch[1].names(batch[1].when))


def test_a_short_wrapped_readout_starts_at_the_line_its_first_sentence_runs_on_from():
    # three lines are too few to tell the width they were wrapped at; a line that ends with "of"
    # or "in" goes on into the next one
    text = (" \nPrime Minister Ana Ruiz spoke with President Lars Holm of\nDenmark today. They discussed "
            "trade and fisheries in\nresponse to the rise in energy prices across the region.\n\n###\n")
    s, e = body_span(text)
    assert text[s:e].startswith("Prime Minister Ana Ruiz spoke") and text[s:e].endswith("region.")
