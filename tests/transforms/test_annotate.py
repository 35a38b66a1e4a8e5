"""The annotation pass: dateline, anchor date, event date basis, bodies of page dumps."""
import datetime as dt

import polars as pl

from transforms import events
from transforms.annotate import annotate_row
from transforms.documents import prepare


def ann(text, **row):
    return annotate_row({"doc_id": "d", "text": text, **row})


def one_event(text, **cols):
    docs = pl.DataFrame({"doc_id": ["d"], "text": [text], **{k: [v] for k, v in cols.items()}})
    rows = events.extract(docs).to_dicts()
    assert rows, "no event found"
    return rows[0]


def test_dateline_is_the_anchor_not_the_page_date():
    text = "PARIS, Nov. 17 (AFP) -- President Emmanuel Macron held talks with Olaf Scholz on Tuesday in Paris."
    a = ann(text, published_date=dt.date(2021, 11, 18), date_source="manifest")
    assert a.dateline.place == "PARIS" and a.dateline.agency == "AFP" and a.dateline.date == dt.date(2021, 11, 17)
    assert a.anchor == dt.date(2021, 11, 17)
    r = one_event(text, published_date=dt.date(2021, 11, 18))
    assert r["event_date"] == dt.date(2021, 11, 16) and r["date_basis"] == "text"  # the Tuesday before the 17th


def test_dateline_without_year_takes_the_year_before_a_january_page():
    a = ann("MOSCOW, Dec. 31 (Reuters) - The ministers spoke by phone.", published_date=dt.date(2022, 1, 1))
    assert a.dateline.date == dt.date(2021, 12, 31)


def test_dateline_with_a_full_stop_after_the_agency_as_efe_writes_it():
    a = ann("Lisbon, Feb 20 (EFE).- Portugal's Foreign Minister met his Danish counterpart.",
            published_date=dt.date(2025, 2, 21))
    assert a.dateline.place == "Lisbon" and a.dateline.agency == "EFE" and a.dateline.date == dt.date(2025, 2, 20)


def test_dateline_mid_line_on_a_flattened_page_needs_capitals():
    a = ann("Home News World 10:00, May 3, 2021 ROME, May 3 (ANSA) -- Ministers met in the capital today.")
    assert a.dateline is not None and a.dateline.place == "ROME"
    assert ann("He said Rome, May 3 was a good day - for everyone who came to the talks.").dateline is None


def test_undated_call_in_the_lead_takes_the_publication_date():
    r = one_event("President Alvarez had a telephone conversation with Prime Minister of Portugal Antonio Costa.",
                  published_date=dt.date(2021, 4, 2))
    assert r["event_type"] == "phone_call"
    assert r["event_date"] == dt.date(2021, 4, 2) and r["date_basis"] == "published"


def test_undated_call_in_a_datelined_item_takes_the_dateline_day():
    text = ("LISBON, April 1 (Lusa) -- Portugal and Spain agreed to reopen the border. "
            "Later, Prime Minister of Portugal Antonio Costa had a telephone conversation with President of France "
            "Emmanuel Macron.")
    r = one_event(text, published_date=dt.date(2021, 4, 2))
    assert r["event_date"] == dt.date(2021, 4, 1) and r["date_basis"] == "dateline"


def test_no_date_for_what_lies_ahead_or_further_back():
    for text in ("President Alvarez will hold a telephone conversation with Prime Minister of Portugal Antonio Costa.",
                 "President Alvarez had previously met Prime Minister of Portugal Antonio Costa in Lisbon."):
        docs = pl.DataFrame({"doc_id": ["d"], "text": [text], "published_date": [dt.date(2021, 4, 2)]})
        for r in events.extract(docs).to_dicts():
            assert r["date_basis"] != "published", text


def test_without_any_date_offices_are_not_resolved_by_the_clock():
    a = ann("The German chancellor said the talks went well.")
    assert a.anchor is None and a.when is None


def test_flattened_page_keeps_the_story_between_title_and_end_markers():
    title = "Ministers agree to expand rail links between the two ports"
    page = (f"{title} - Example News Home World Business Sports English >> {title} ( Example Agency ) "
            "09:15, March 4, 2021 The transport ministers of the two countries agreed on Thursday to expand rail "
            "links between the ports, officials said. Trains will run 40 times a week. "
            "(Web editor: A. Writer) Related reading Factory output rises 5 percent Most Read 1 Stocks rally "
            "2 Team wins 10 games in a row We Recommend 2,000-yr-old barn restored")
    row = prepare(pl.DataFrame({"doc_id": ["d"], "text": [page], "title": [title]})).row(0, named=True)
    body = page[row["body_start"]:row["body_end"]]
    assert body.startswith("The transport ministers") and body.endswith("40 times a week.")


def test_page_without_a_known_title_starts_after_its_timestamp():
    nav = "Home World Business Sports Culture Travel Science Photos Video " * 60
    page = (nav + "09:15, March 4, 2021 The ministers met in Lisbon on Thursday and agreed to expand rail links. "
            "Related reading Factory output rises 5 percent")
    row = prepare(pl.DataFrame({"doc_id": ["d"], "text": [page]})).row(0, named=True)
    assert page[row["body_start"]:row["body_end"]] == ("The ministers met in Lisbon on Thursday and agreed to expand "
                                                       "rail links.")


def test_gallery_numbers_end_the_story():
    text = "Dancers perform at a festival in Lima, Peru, May 3, 2021. (Photo/Agency) 【1】 【2】 【3】 Most Read 1 Other story"
    row = prepare(pl.DataFrame({"doc_id": ["d"], "text": [text]})).row(0, named=True)
    assert text[row["body_start"]:row["body_end"]].endswith("(Photo/Agency)")


def test_a_page_story_starts_at_its_lead_caption_and_ends_at_enditem():
    page = ("Home World 09:15, November 12, 2020 Workers sort parcels in Zhuji, Nov. 12, 2020. (Xinhua/Sadat) "
            "ZHUJI, China, Nov. 12 (Xinhua) -- The two ministers met in Zhuji on Thursday and signed a trade deal. "
            "Enditem Enable Widget Cannot connect (For the latest news, follow us) Related reading Other story")
    row = prepare(pl.DataFrame({"doc_id": ["d"], "text": [page]})).row(0, named=True)
    body = page[row["body_start"]:row["body_end"]]
    # the caption that closes with its credit before the dateline tells what the photo shows
    assert body.startswith("Workers sort parcels") and body.endswith("signed a trade deal.")
    bare = page.replace("Workers sort parcels in Zhuji, Nov. 12, 2020. (Xinhua/Sadat) ", "By Li Wei ")
    row = prepare(pl.DataFrame({"doc_id": ["d"], "text": [bare]})).row(0, named=True)
    assert bare[row["body_start"]:row["body_end"]].startswith("ZHUJI, China, Nov. 12")  # a byline is no story
