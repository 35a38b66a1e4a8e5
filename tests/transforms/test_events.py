import datetime as dt

import polars as pl

from transforms import events


def extract(*texts, published=dt.date(2021, 6, 30)):
    docs = pl.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": list(texts),
                         "published_date": [published] * len(texts)})
    return events.extract(docs)


def page(text, title, published=dt.date(2021, 6, 30)):
    """A document with its title, as a page or a readout gives it."""
    return pl.DataFrame({"doc_id": ["p"], "text": [text], "published_date": [published], "title": [title]})


def reports(**docs):
    """Documents by id: (text, publication date) each."""
    return pl.DataFrame({"doc_id": list(docs), "text": [t for t, _ in docs.values()],
                         "published_date": [d for _, d in docs.values()]})


def as_reported(mentions, docs, outlets=False):
    """Mentions with what resolution reads of their documents: the publication date, and
    each document's own outlet when outlets is True."""
    m = mentions.drop("event_id").join(docs.select("doc_id", pl.col("published_date").alias("doc_published")),
                                       on="doc_id", how="left", maintain_order="left")
    return m.with_columns(pl.col("doc_id").alias("doc_outlet")) if outlets else m


def parts(row):
    return {p["name"] for p in row["participants"]}


def first_of(rows, event_type):
    """The first mention of that type."""
    return rows.filter(pl.col("event_type") == event_type).row(0, named=True)


def by_doc(rows, *event_types):
    """The last mention of each document (of those types, if any are given), by document."""
    return {r["doc_id"]: r for r in rows.iter_rows(named=True) if not event_types or r["event_type"] in event_types}


def test_phone_call_with_participants_date_and_channel():
    r = extract("On March 12, Joe Biden held a phone call with Prime Minister Kiril Petkov of Bulgaria.").row(0, named=True)
    assert r["event_type"] == "phone_call" and r["channel"] == "phone"
    assert r["event_date"] == dt.date(2021, 3, 12) and r["date_precision"] == "day"
    assert {"Joe Biden", "Kiril Petkov"} <= parts(r)


def test_video_meeting_and_leader_stands_for_country():
    r = extract("On May 4, Emmanuel Macron met with Russian President Vladimir Putin via video link.").row(0, named=True)
    assert r["event_type"] == "meeting" and r["channel"] == "video"
    assert parts(r) == {"Emmanuel Macron", "Vladimir Putin"}


def test_named_summit_is_multilateral_with_org():
    r = extract("In April this year, Narendra Modi addressed the G20 Osaka Summit by video.").row(0, named=True)
    assert r["event_type"] == "multilateral_meeting"
    assert "Group of Twenty" in parts(r)


def test_summaries_are_not_events():
    assert extract("In 2021 Joe Biden had 79 telephone calls with foreign leaders.").height == 0


def test_two_events_in_one_sentence():
    df = extract("On May 3, Joe Biden spoke by phone with Justin Trudeau, and on May 5 he sent a letter to Fumio Kishida.")
    assert sorted(df["event_type"].to_list()) == ["message", "phone_call"]
    dates = dict(zip(df["event_type"], df["event_date"]))
    assert dates["phone_call"] == dt.date(2021, 5, 3) and dates["message"] == dt.date(2021, 5, 5)


def test_plural_visits_split_per_destination():
    df = extract("In May 2021, President Joe Biden will pay state visits to Kenya and Ghana.")
    assert df.height == 2 and set(df["event_type"]) == {"visit"}


def test_mentions_of_one_event_across_documents_share_an_event():
    df = extract("On June 3, Joe Biden held a video call with Justin Trudeau.",
                 "Joe Biden and Justin Trudeau discussed trade during the video call on June 3.")
    assert df["event_id"].n_unique() == 1


def test_aid_delivery_with_countries():
    r = extract("On February 7, 2021, a batch of vaccines donated by Japan arrived in Hanoi, Vietnam.").row(0, named=True)
    assert r["event_type"] == "aid_delivery"
    assert {"Japan", "Vietnam"} <= parts(r)


def test_meeting_in_a_city_is_in_person_by_the_text_and_an_unstated_one_by_its_kind():
    r = extract("On May 4, Justin Trudeau met with Andrzej Duda in Warsaw.").row(0, named=True)
    assert (r["channel"], r["channel_basis"]) == ("in_person", "text")
    r = extract("On May 4, Justin Trudeau met with Andrzej Duda.").row(0, named=True)
    assert (r["channel"], r["channel_basis"]) == ("in_person", "kind")


def test_a_channel_said_by_one_mention_is_the_events_and_unstated_kinds_stay_null():
    out = extract("On May 4, Justin Trudeau met with Andrzej Duda via video link. "
                  "During the meeting, Trudeau raised trade.")
    assert out.height == 2 and set(out["channel"]) == {"video"} and set(out["channel_basis"]) == {"text"}
    r = extract("On May 4, Canada and Poland signed an agreement on energy.").row(0, named=True)
    assert (r["channel"], r["channel_basis"]) == (None, None)


def test_talks_within_one_government_are_not_diplomacy():
    assert extract("On May 4, Joe Biden met with Kamala Harris and Antony Blinken at the White House.").height == 0
    assert extract("On May 4, Joe Biden met with Justin Trudeau at the White House.").height == 1


def test_agreement_named_by_its_parties_across_an_abbreviation():
    r = extract("On March 2, Japan and the U.K. signed the Japan-U.K. economic partnership agreement in Tokyo.").row(0, named=True)
    assert r["event_type"] == "agreement"
    assert {"Japan", "United Kingdom"} <= parts(r)


def test_a_wish_to_meet_is_not_an_event():
    assert extract("Joe Biden conveyed his desire to meet with Fumio Kishida in Japan at a future date.").height == 0


def test_an_undated_mention_does_not_join_another_articles_event():
    df = extract("On June 3, Joe Biden held a video call with Justin Trudeau.",
                 "Joe Biden and Justin Trudeau held talks by video link.", published=None)
    assert df["event_id"].n_unique() == 2


def test_adjectives_and_court_cases_are_not_gatherings():
    assert extract("On May 2, 2023, the court heard Students for Fair Admissions v. Harvard.").height == 0


def test_talks_over_the_phone_are_a_phone_call():
    df = extract("On Tuesday, Xi Jinping held talks over the phone with Emmanuel Macron.")
    assert df["event_type"].to_list() == ["phone_call"] and df["channel"].to_list() == ["phone"]


def test_legislatures_venues_and_figurative_messages_are_not_events():
    assert extract("On May 3, the Welsh Assembly voted on the budget.").height == 0
    assert extract("On May 3, fans met at the Scottish Exhibition and Conference Centre.").height == 0
    assert extract("On May 3, critics said the policy sends the wrong message to poorer countries.").height == 0


def test_messages_sent_and_letters_to_are_events():
    df = extract("On May 3, Joe Biden sent a congratulatory message to Emmanuel Macron.")
    assert df["event_type"].to_list() == ["message"]
    df = extract("On May 9, Fumio Kishida exchanged greetings with Narendra Modi.")
    assert df["event_type"].to_list() == ["message"]


def test_two_triggers_without_a_boundary_are_cut_at_the_second_not_mid_word():
    r = extract("President Alvarez spoke today with Prime Minister Mario Rossi of Italy to congratulate him on his "
                "election.", published=dt.date(2023, 5, 2)).to_dicts()
    call = next(x for x in r if x["event_type"] == "phone_call")
    assert "Mario Rossi" in parts(call) and call["event_date"] == dt.date(2023, 5, 2)
    assert all(not x["evidence"][:1].islower() or x["evidence"].startswith(("to ", "with ")) for x in r)


def test_calls_spoken_this_morning_and_visits_welcomed_to_the_residence():
    r = extract("President Alvarez spoke this morning with Prime Minister Lena Berg of Sweden.",
                published=dt.date(2023, 5, 2)).row(0, named=True)
    assert r["event_type"] == "phone_call" and "Lena Berg" in parts(r) and r["event_date"] == dt.date(2023, 5, 2)
    r = extract("President Alvarez welcomed Chancellor Lena Berg of Sweden to the White House today.",
                published=dt.date(2023, 5, 2)).row(0, named=True)
    assert r["event_type"] == "meeting" and r["channel"] == "in_person" and "Lena Berg" in parts(r)


def test_titles_of_monarchs_popes_and_taoiseach_and_names_with_particles():
    r = extract("President Alvarez spoke today with His Majesty Sultan Omar bin Khalid Al Harthy of Oman.",
                published=dt.date(2023, 5, 2)).row(0, named=True)
    assert any("Omar bin Khalid Al Harthy" in p for p in parts(r))
    r = extract("President Alvarez met with Taoiseach Sean Byrne of Ireland on Friday.",
                published=dt.date(2023, 5, 2)).row(0, named=True)
    assert "Sean Byrne" in parts(r)


def test_a_date_in_the_mention_s_own_clause_wins_over_a_nearer_one_in_the_next():
    r = extract("Joe Biden held a phone call with Prime Minister Kiril Petkov of Bulgaria on March 12, "
                "and sent a letter to the Prime Minister of Japan on March 14.").to_dicts()
    call = next(x for x in r if x["event_type"] == "phone_call")
    assert call["event_date"] == dt.date(2021, 3, 12)


def test_the_date_a_story_was_reported_is_not_the_date_of_the_event():
    r = extract("On March 14, in Valparaiso, in the south of Chile, after a long journey by sea from the port of "
                "Callao, the embassy of Peru handed over a batch of medical supplies, state media reported on March 16.",
                published=dt.date(2021, 3, 17)).to_dicts()
    assert r and r[0]["event_date"] == dt.date(2021, 3, 14)


def test_a_photo_caption_tells_its_own_day_not_the_storys():
    text = ("Photo taken on April 18, 2019 shows the presidents of Chile and Peru at a meeting in Lima. (Xinhua/Li Wei) "
            "SANTIAGO, Nov. 12 (Xinhua) -- The foreign ministers of Chile and Peru held talks on Thursday.")
    rows = extract(text, published=dt.date(2020, 11, 12)).to_dicts()
    caption = [r for r in rows if "Photo taken" in r["evidence"]]
    assert all(r["event_date"] == dt.date(2019, 4, 18) for r in caption)
    assert any(r["event_date"] == dt.date(2020, 11, 12) and "Photo taken" not in r["evidence"] for r in rows)


def test_one_call_reported_by_both_sides_a_day_apart_is_one_event():
    docs = pl.DataFrame({"doc_id": ["a", "b", "c"],
                         "text": ["President Joe Biden had a telephone conversation with President of Russia Vladimir Putin.",
                                  "Vladimir Putin had a telephone conversation with President of the United States Joe Biden.",
                                  "Vladimir Putin had a telephone conversation with President of the United States Joe Biden."],
                         "published_date": [dt.date(2021, 12, 30), dt.date(2021, 12, 31), dt.date(2022, 2, 12)]})
    rows = events.extract(docs).to_dicts()
    ids = {r["doc_id"]: r["event_id"] for r in rows if r["event_type"] == "phone_call"}
    assert ids["a"] == ids["b"] != ids["c"]


def test_the_days_of_one_named_summit_are_one_gathering_of_its_first_day():
    m = extract("Prime Minister Ana Ruiz attends the G20 Summit in Rome on July 11.",
                "Prime Minister Lars Holm speaks to the press at the close of the G20 Summit in Rome "
                "on July 12.",
                "Prime Minister Tomas Berg addressed the G20 Summit in Rome on July 19.")
    ids = dict(zip(m["doc_id"], m["event_id"]))
    dates = dict(zip(m["doc_id"], m["event_date"]))
    assert ids["d0"] == ids["d1"] != ids["d2"], m.select("doc_id", "event_id", "event_date", "evidence")
    assert dates["d0"] == dates["d1"] == dt.date(2020, 7, 11), dates


def test_later_mentions_by_surname_are_the_same_person():
    r = extract("Joe Biden met Prime Minister of Armenia Nikol Pashinyan on May 3. On May 4, Pashinyan held a phone "
                "call with President of Latvia Egils Levits.").to_dicts()
    call = next(x for x in r if x["event_type"] == "phone_call")
    assert {"Nikol Pashinyan", "Egils Levits"} <= parts(call)
    assert all(not p["name"].endswith(".") and not p["name"].startswith(("Parliament", "Council")) for x in r
               for p in x["participants"])


def _parts(text, when=dt.date(2022, 5, 3)):
    e = events.extract(pl.DataFrame({"doc_id": ["d"], "text": [text], "published_date": [when]}))
    return [(r["event_type"], [(p["name"], p["country_code"]) for p in r["participants"]]) for r in e.to_dicts()]


def test_an_office_followed_by_its_holders_name_is_that_person_not_the_listed_holder():
    got = _parts("Anna Holm had a telephone conversation with Federal Chancellor of Germany Anton Kessler.")
    (kind, people), = got
    assert kind == "phone_call" and ("Anton Kessler", "DEU") in people
    assert "Olaf Scholz" not in [n for n, _ in people]  # the office's holder of the day, from the list


def test_talks_with_a_visiting_leader_are_one_meeting_with_them():
    got = _parts("Prime Minister Anna Holm of Sweden held talks with visiting Mongolian President Batbold Tsend "
                 "in Stockholm on Monday.")
    assert got == [("meeting", [("Anna Holm", "SWE"), ("Batbold Tsend", "MNG")])]


def test_one_call_in_two_governments_readouts_is_one_event_whichever_is_read_first():
    docs = pl.DataFrame({"doc_id": ["b-first-government", "a-second-government"], "text": [
        "President Ana Ruiz spoke today with President Tomas Berg of Austria about energy.",
        "Austrian President Tomas Berg had a telephone conversation with Chilean President Ana Ruiz."],
        "published_date": [dt.date(2022, 5, 3), dt.date(2022, 5, 4)]})  # the second reported the next morning
    e = events.extract(docs)
    assert e["event_id"].n_unique() == 1 and set(e["event_date"]) == {dt.date(2022, 5, 3)}


def test_calls_between_the_same_leaders_on_different_days_stay_apart():
    docs = pl.DataFrame({"doc_id": ["a", "b"], "text": [
        "President Ana Ruiz spoke by phone with President Tomas Berg of Austria on May 3, 2022.",
        "President Ana Ruiz spoke by phone with President Tomas Berg of Austria on May 5, 2022."]})
    assert events.extract(docs)["event_id"].n_unique() == 2


def test_a_gathering_named_again_by_its_kind_is_one_more_mention_of_it():
    out = extract("Ana Ruiz attended the Baltic Energy Forum in Riga on March 3. "
                  "Also addressing the forum, Lars Holm said prices would fall. "
                  "During the meeting, ministers discussed storage.").sort("char_start")
    assert out.height == 3
    assert out["event_type"].to_list() == ["multilateral_meeting"] * 3
    assert out["event_date"].to_list() == [dt.date(2021, 3, 3)] * 3
    assert out["event_id"].n_unique() == 1  # one event, three mentions


def test_nothing_before_means_nothing_to_refer_back_to():
    assert extract("During the meeting, ministers discussed storage.").height == 0


def test_a_headline_meeting_with_someone_is_a_meeting_on_the_day_of_the_report():
    r = extract("Readout of President Ana Ruiz’s Meeting with Prime Minister Lars Holm of Denmark\n\n"
                "The two leaders discussed energy.").row(0, named=True)
    assert r["event_type"] == "meeting" and r["event_name"] is None
    assert r["event_date"] == dt.date(2021, 6, 30)
    assert {"Lars Holm"} <= parts(r)
    # dated by the document: the contract's 'published' (the mention keeps that it was the headline)
    assert r["date_basis"] == "published"


def test_meeting_members_of_a_group_is_multilateral_but_a_blocs_leaders_are_one_party():
    r = extract("On May 4, Joe Biden met virtually with G7 Leaders to discuss Ukraine.").row(0, named=True)
    assert r["event_type"] == "multilateral_meeting" and r["channel"] == "video"
    r = extract("On May 4, when meeting with EU leaders, Xi Jinping spoke of trade.").row(0, named=True)
    assert r["event_type"] == "meeting"


def test_a_named_meeting_of_two_countries_sides_is_bilateral():
    r = extract("The 8th round of China-India Corps Commander Level Meeting was held on May 6 in Chushul.").row(0, named=True)
    assert r["event_type"] == "meeting"
    assert parts(r) == {"China", "India"}


def test_one_call_dated_a_day_apart_by_two_capitals_is_one_event():
    washington = "On March 5, Joe Biden held a phone call with President Emmanuel Macron of France."
    paris = "On March 6, French President Emmanuel Macron held a phone call with U.S. President Joe Biden."
    for texts in ((washington, paris), (paris, washington)):
        out = extract(*texts)
        assert out.height == 2 and out["event_id"].n_unique() == 1
        # the later day, the time zone ahead, whichever document is stored first
        assert out["event_date"].unique().to_list() == [dt.date(2021, 3, 6)]


def test_calls_on_two_days_in_one_article_stay_two_events():
    out = extract("On March 5, Joe Biden held a phone call with President Emmanuel Macron of France. "
                  "On March 6, Joe Biden held another phone call with President Emmanuel Macron of France.")
    assert out.height == 2 and out["event_id"].n_unique() == 2


def test_an_agreement_adopted_at_a_dated_gathering_takes_its_date():
    out = extract("The leaders adopted the Plan of Action for 2021-2025 at the summit on November 10.")
    r = out.filter(pl.col("event_type") == "agreement").row(0, named=True)
    assert r["event_name"] == "Plan of Action for 2021-2025" and r["event_date"] == dt.date(2020, 11, 10)  # the last November 10


def test_a_joint_statement_signed_among_countries_is_an_agreement_and_a_name_stops_before_its_date():
    r = extract("A joint statement on vaccine cooperation was signed among 12 countries on June 23.").row(0, named=True)
    assert r["event_type"] == "agreement" and r["event_date"] == dt.date(2021, 6, 23)
    r = extract("The conference adopted the Kunming Declaration on October 12.").row(0, named=True)
    assert r["event_name"] == "Kunming Declaration" and r["event_date"] == dt.date(2020, 10, 12)  # the last October 12


def test_a_virtual_summit_is_multilateral_and_its_host_and_organisation_take_part():
    r = extract("On May 4, Narendra Modi addressed the virtual summit of the Shanghai Cooperation Organization "
                "hosted by Kazakhstan.").row(0, named=True)
    assert (r["event_type"], r["channel"]) == ("multilateral_meeting", "video")
    assert {"Narendra Modi", "Shanghai Cooperation Organisation", "Kazakhstan"} <= parts(r)
    r = extract("On May 4, Xi Jinping held a video summit with Emmanuel Macron and Angela Merkel.").row(0, named=True)
    assert (r["event_type"], r["channel"]) == ("meeting", "video")


def test_the_meeting_after_talks_on_the_margins_of_a_summit_is_the_talks():
    out = extract("On May 4, Joe Biden met with Prime Minister Fumio Kishida of Japan on the margins of the "
                  "G7 Summit in Hiroshima. During the meeting, the leaders discussed trade.").sort("char_start")
    last = out.row(out.height - 1, named=True)
    assert last["rule"] == "event.ref.gathering" and last["event_type"] == "meeting"
    assert {"Joe Biden", "Fumio Kishida"} <= parts(last)


def test_an_undated_mention_of_a_recurring_summit_joins_the_one_of_its_articles_time():
    from transforms.events.resolve import recluster
    docs = pl.DataFrame({"doc_id": ["old", "new"],
                         "text": ["The leaders discussed the upcoming East Asia Summit.",
                                  "On September 7, Kamala Harris attended the East Asia Summit in Jakarta."],
                         "published_date": [dt.date(2021, 10, 1), dt.date(2023, 9, 8)]})
    m = events.mentions(docs)
    m = m.with_columns(pl.col("doc_id").replace_strict({"old": dt.date(2021, 10, 1), "new": dt.date(2023, 9, 8)},
                                                       return_dtype=pl.Date).alias("doc_published"))
    clustered, ev, _ = recluster(m.drop("event_id"))
    assert clustered["event_id"].n_unique() == 2  # the 2021 article's summit is not that of 2023
    m = m.with_columns(pl.lit(dt.date(2023, 9, 1)).alias("doc_published"))
    clustered, ev, _ = recluster(m.drop("event_id"))
    assert clustered["event_id"].n_unique() == 1


def test_two_readouts_of_one_outlet_a_day_apart_are_two_calls():
    from transforms.events.resolve import recluster
    docs = pl.DataFrame({"doc_id": ["mon", "tue"],
                         "text": ["On March 5, Joe Biden held a phone call with President Emmanuel Macron of France.",
                                  "On March 6, Joe Biden held a phone call with President Emmanuel Macron of France."],
                         "published_date": [dt.date(2021, 3, 5), dt.date(2021, 3, 6)]})
    m = events.mentions(docs).drop("event_id")
    clustered, _, _ = recluster(m.with_columns(pl.lit("www.whitehouse.gov").alias("doc_outlet")))
    assert clustered["event_id"].n_unique() == 2
    clustered, _, _ = recluster(m.with_columns(pl.col("doc_id").alias("doc_outlet")))
    assert clustered["event_id"].n_unique() == 1  # two outlets: one call across time zones


def test_a_headline_joins_the_call_its_story_dates_the_day_before():
    out = extract("Readout of National Security Advisor Ana Ruiz’s Call with Foreign Policy Adviser Dr. Lars Holm\n\n"
                  "National Security Advisor Ana Ruiz spoke on the phone yesterday with Foreign Policy Adviser "
                  "Dr. Lars Holm of Denmark.").sort("char_start")
    assert out.height == 2 and out["event_id"].n_unique() == 1
    assert set(out["event_date"]) == {dt.date(2021, 6, 29)}  # the story's day, not the report's
    assert {"Ana Ruiz", "Lars Holm"} <= parts(out.row(1, named=True))


def test_a_headline_with_two_calls_in_its_story_joins_neither():
    out = extract("Readout of the President’s Calls\n\n"
                  "On June 27, President Ana Ruiz spoke with Prime Minister Lars Holm of Denmark. "
                  "On June 28, President Ana Ruiz spoke with Prime Minister Eva Berg of Norway.")
    assert out["event_id"].n_unique() == out.height


def test_an_office_named_again_stands_for_the_person_introduced_with_it():
    out = extract("Vice President Ana Ruiz met today with President Lars Holm of Denmark. "
                  "This was the second meeting between the Vice President and President Holm, "
                  "following the Vice President hosting him in Lisbon in May 2021.").sort("char_start")
    first = out.row(0, named=True)
    assert {"Ana Ruiz", "Lars Holm"} <= parts(first)
    assert out.height >= 2 and all("Ana Ruiz" in parts(r) for r in out.to_dicts())


def test_the_two_sides_exchanging_views_is_the_talks_reported_before_unless_it_is_dated():
    out = extract("On June 2, Foreign Minister Ana Ruiz held talks with Foreign Minister Lars Holm of Denmark. "
                  "The two sides had an in-depth exchange of views on trade.").sort("char_start")
    assert out.height == 2 and out["event_id"].n_unique() == 1
    assert out["rule"].to_list()[1] == "event.ref.two_sides"
    out = extract("On June 2, Foreign Minister Ana Ruiz held talks with Foreign Minister Lars Holm of Denmark. "
                  "On June 9 the two sides held talks on fishing.")
    assert "event.ref.two_sides" not in set(out["rule"])


def test_a_date_inside_a_name_is_not_when_the_meeting_took_place():
    r = extract("Yesterday, Director Ana Ruiz met with Lars Holm, Chair of the Civil Commission on "
                "October 7 Crimes Against Children, and Prime Minister Eva Berg of Norway.").row(0, named=True)
    assert r["event_date"] == dt.date(2021, 6, 29)


def test_an_undated_count_of_meetings_is_the_meeting_of_the_articles_day():
    out = extract("Today, President Ana Ruiz met with President Lars Holm of Denmark in Lisbon. "
                  "This is the third meeting between President Ruiz and President Holm, "
                  "following a meeting in Oslo in May 2021.").sort("char_start")
    today = out.row(0, named=True)["event_id"]
    second = out.row(1, named=True)
    assert second["event_id"] == today and second["event_date"] == dt.date(2021, 6, 30)


def test_a_forum_its_page_headlines_and_its_speakers_are_one_event():
    text = ("Home | News | World\nLegal forum held in Lisbon to mark anniversary of the charter\n"
            "LISBON, June 29 (Agency) -- A legal summit was held Tuesday here to mark the 30th anniversary "
            "of the charter, with Foreign Minister Ana Ruiz in attendance. "
            "During the forum, officials and legal experts highlighted the charter. "
            "Foreign Minister Ana Ruiz, Prime Minister Lars Holm and Director-General Eva Berg addressed the forum.")
    docs = page(text, "Legal forum held in Lisbon to mark anniversary of the charter")
    out = events.extract(docs)
    assert out.height >= 3 and out["event_id"].n_unique() == 1
    assert set(out["event_date"]) == {dt.date(2021, 6, 29)}


def test_talks_named_by_their_two_countries_and_meetings_of_a_standing_body():
    r = extract("Based on the consensus reached at a Denmark-Norway meeting on fisheries in May 2021, "
                "coast guards patrolled the strait.").row(0, named=True)
    assert r["event_type"] == "meeting" and parts(r) == {"Denmark", "Norway"}
    r = extract("Today, Deputy Adviser Ana Ruiz co-chaired the inaugural meeting of the Energy Donor Coordination "
                "Platform steering committee with Denmark and Norway.").row(0, named=True)
    assert r["event_type"] == "multilateral_meeting"


def test_a_date_in_a_since_clause_and_a_trip_one_is_unable_to_make():
    r = extract("Ana Ruiz, on her first visit to Denmark since the talks were suspended in March, "
                "met Prime Minister Lars Holm.").sort("char_start").row(0, named=True)
    assert r["event_type"] == "visit" and r["event_date"] != dt.date(2021, 3, 1)
    out = extract("President Ana Ruiz, calling from Air Force One, conveyed to Prime Minister Lars Holm "
                  "that she would be unable to travel to Denmark.")
    assert "visit" not in set(out["event_type"])


def test_a_summit_in_a_named_place_is_a_gathering_but_a_press_conference_is_not():
    out = extract("Prime Minister Ana Ruiz is at a summit in Brussels, where trade is on the agenda. "
                  "Lars Holm said at a press conference in Oslo that prices would fall.")
    assert out["event_type"].to_list() == ["multilateral_meeting"]


def test_a_meeting_of_an_organisation_is_multilateral():
    r = extract("On June 10, President Ana Ruiz spoke at the virtual meeting of the Shanghai Cooperation "
                "Organization.").row(0, named=True)
    assert r["event_type"] == "multilateral_meeting" and r["channel"] == "video"


def test_a_named_gathering_in_a_headline_is_the_one_its_story_dates():
    out = extract("Readout of Inaugural Meeting of the Energy Donor Platform Steering Committee\n\n"
                  "Yesterday, Deputy Adviser Ana Ruiz co-chaired the inaugural meeting of the Energy Donor Platform "
                  "steering committee with Denmark and Norway.").sort("char_start")
    assert out.height == 2 and out["event_id"].n_unique() == 1
    assert set(out["event_date"]) == {dt.date(2021, 6, 29)}


def test_a_title_case_headline_of_talks_is_a_meeting():
    for headline in ("Foreign Minister Ana Ruiz Holds Talks with Danish Foreign Minister Lars Holm\n\nThe talks were held in Oslo.",
                     "President Ana Ruiz Meets with Prime Minister of Denmark Lars Holm\n\nThey spoke of trade."):
        r = extract(headline).sort("char_start").row(0, named=True)
        assert r["event_type"] == "meeting" and {"Ana Ruiz", "Lars Holm"} <= parts(r)


def test_people_named_as_attending_a_forum_take_part_in_it_but_a_crowd_makes_no_mention():
    text = ("LISBON, June 29 (Agency) -- A legal summit was held Tuesday here to mark the anniversary of the charter, "
            "with Foreign Minister Ana Ruiz in attendance. "
            "During the forum, Foreign Minister Ana Ruiz highlighted the charter. "
            "Prime Minister Lars Holm and Director-General Eva Berg attended the forum in person. "
            "Leaders of more than 40 parties attended the summit.")
    out = extract(text).sort("char_start")
    assert out["event_id"].n_unique() == 1
    assert {"Lars Holm", "Eva Berg"} <= set().union(*(parts(r) for r in out.iter_rows(named=True)))
    assert not any("Leaders of more than 40" in e for e in out["evidence"])


def test_talks_told_undated_in_a_datelined_story_take_its_day_whatever_the_parties_agreed_for_later():
    text = ("LISBON, June 28 (Agency) -- Director-General Eva Berg said here on Monday that the games will go ahead. "
            "Berg, who arrived here Sunday for a four-day visit, met with Prime Minister Lars Holm "
            "and both sides agreed that the games will be held next summer. "
            "Berg's long-awaited visit is a boost for the organizers.")
    out = extract(text).sort("char_start")
    met = out.filter(pl.col("event_type") == "meeting").row(0, named=True)
    assert met["event_date"] == dt.date(2021, 6, 28)
    visits = out.filter(pl.col("event_type") == "visit")
    assert visits.height == 2 and visits["event_id"].n_unique() == 1  # the visit the story dated before


def test_an_officer_of_an_organisation_takes_part_for_it_in_every_event_of_the_article():
    out = extract("LISBON, June 29 (Agency) -- International Olympic Committee (IOC) president Thomas Bach met "
                  "Prime Minister Lars Holm on Monday. Bach also met Foreign Minister Ana Ruiz on Monday. "
                  "Xue Hanqin, vice president of the International Court of Justice, met Ana Ruiz on Tuesday.")
    rows = out.sort("char_start").rows(named=True)
    assert "International Olympic Committee" in parts(rows[1])  # named by surname only, still the IOC's
    assert "International Court of Justice" in parts(rows[2]) and "International Olympic Committee" not in parts(rows[2])


def test_a_date_written_before_another_event_is_that_events_not_the_calls():
    out = extract("Prime Minister Lars Holm spoke today with Foreign Minister Ana Ruiz by phone. "
                  "This phone call, which followed their March 14 meeting in Rome, focused on trade.")
    calls = out.filter(pl.col("event_type") == "phone_call")
    assert set(calls["event_date"]) == {dt.date(2021, 6, 30)}


def test_a_sentence_that_opens_with_the_meeting_is_one_more_mention_of_it_unless_it_dates_another():
    out = extract("Prime Minister Lars Holm met Foreign Minister Ana Ruiz in Lisbon on June 28. "
                  "The meeting also covered fisheries. "
                  "The meeting will be followed by talks in Oslo on July 14.").sort("char_start")
    assert out.height == 2 and out["event_id"].n_unique() == 1
    assert out.row(1, named=True)["rule"] == "event.ref.subject"


def test_a_leader_conferring_a_state_order_or_medal_holds_a_ceremony():
    r = extract("On June 28, President Ana Ruiz awarded Prime Minister Lars Holm the Order of Merit.").row(0, named=True)
    assert r["event_type"] == "ceremony" and parts(r) == {"Ana Ruiz", "Lars Holm"}
    assert extract("On June 28, the firefighter was awarded a medal for bravery.").height == 0


def test_a_date_after_the_event_a_meeting_follows_is_that_events():
    out = extract("Vice President Ana Ruiz met President Lars Holm in Lisbon today. This meeting built on the "
                  "Vice President’s meeting with President Holm in Oslo in November 2020.").sort("char_start")
    today, built = out.row(0, named=True), out.row(1, named=True)
    assert built["evidence"].startswith("This meeting built")
    assert built["event_id"] == today["event_id"] and built["event_date"] == dt.date(2021, 6, 30)


def test_a_person_called_mr_is_the_one_named_in_full_but_no_counterpart_alone():
    # "Mr Holm" is the Lars Holm the story names in full, and takes part in his talks...
    r = extract("Lars Holm has met Italian Prime Minister Ana Ruiz in Rome on May 3. "
                "Mr Holm said the talks went well.").row(0, named=True)
    assert {"Lars Holm", "Ana Ruiz"} <= parts(r)
    # ...but two people known only as "Mr X" make no diplomatic event of their own
    assert extract("Mr Berg said he was confident. Mr Dahl met Mr Berg to talk about the party.").height == 0


def test_a_call_told_again_without_its_counterpart_is_the_same_call():
    r = extract("President Ana Ruiz spoke by phone with Prime Minister Lars Holm of Denmark on May 3. "
                "Ruiz, calling from Air Force One, said she could not travel to Copenhagen.")
    assert r.height == 2 and r["event_id"].n_unique() == 1
    assert set(r["rule"]) == {"event.trigger.phone_call", "event.ref.call"}


def test_a_headline_that_names_nobody_is_the_story_s_event():
    r = extract("Leaders meet over trade bid\n\n"
                "President Ana Ruiz met Prime Minister Lars Holm of Denmark in Lisbon on May 3.")
    assert r.height == 2 and r["event_id"].n_unique() == 1
    assert "event.ref.headline" in set(r["rule"])


def test_a_transcript_s_first_person_mentions_are_its_talks_and_an_earlier_call_is_its_own():
    r = extract("Remarks by President Ana Ruiz and Prime Minister Lars Holm of Denmark Before Their Virtual Meeting\n\n"
                "PRESIDENT RUIZ: Mr. Prime Minister, thank you for your call. "
                "This is the first time for us to meet virtually.\n\n"
                "PRIME MINISTER HOLM: Thank you. This follows the two leaders' conversation on March 18.")
    today = r.filter(pl.col("event_date") == dt.date(2021, 6, 30))
    # the headline's meeting of two people, told again three times by those who hold it
    assert today.height == 3 and today["event_id"].n_unique() == 1 and set(today["event_type"]) == {"meeting"}
    assert all(parts(x) == {"Ana Ruiz", "Lars Holm"} for x in today.iter_rows(named=True))
    # the call of March 18 is another event of the same two leaders
    earlier = r.filter(pl.col("event_date") == dt.date(2021, 3, 18)).row(0, named=True)
    assert earlier["event_type"] == "phone_call" and parts(earlier) == {"Ana Ruiz", "Lars Holm"}


def test_what_the_two_sides_did_is_an_event_but_a_count_of_events_is_not():
    r = extract("President Ana Ruiz held talks with Prime Minister Lars Holm of Denmark in Lisbon on June 28. "
                "After the talks, the two sides signed an agreement on fisheries.")
    assert "agreement" in set(r["event_type"])
    assert extract("Ana Ruiz has held two meetings with Lars Holm of Denmark this year.").height == 0


def test_a_visit_to_a_capital_is_a_visit_to_its_country():
    r = extract("Prime Minister Lars Holm of Denmark arrived in Lisbon on June 28 for a three-day official visit.")
    assert r.height == 1 and "Portugal" in parts(r.row(0, named=True))


def test_a_trigger_its_clause_denies_is_no_event():
    r = extract("President Ana Ruiz said she could not travel to Lisbon on June 28 and has never met Lars Holm of Denmark.")
    assert r.height == 0


def test_a_headline_that_gives_no_date_is_dated_as_its_story_dates_the_event():
    text = ("Home | News | World\nDenmark, Norway hold 8th round of fisheries talks\n"
            "OSLO, June 29 (Agency) -- The 8th round of Denmark-Norway fisheries talks was held on June 27 in Bergen.")
    docs = page(text, "Denmark, Norway hold 8th round of fisheries talks")
    rows = events.mentions(docs).sort("char_start").to_dicts()
    assert len(rows) == 2 and rows[0]["evidence"].startswith("Denmark, Norway hold")
    assert rows[0]["event_date"] == rows[1]["event_date"] == dt.date(2021, 6, 27)  # not the day it was published


def test_one_round_of_a_series_of_talks_and_the_side_that_a_countrys_adjective_names():
    r = extract("We hope the Danish side will keep its promise to implement the consensus of the seventh round "
                "of commander-level talks with Norway.").row(0, named=True)
    assert r["event_type"] == "meeting" and parts(r) == {"Denmark", "Norway"}


def test_the_countries_that_co_host_a_forum_take_part_in_it():
    out = extract("NAIROBI, June 29 (Agency) -- A media cooperation summit was held on Tuesday in Nairobi. "
                  "Officials and editors participated in the one-day forum co-hosted by the embassy in Lisbon "
                  "and the Media Council of Kenya.").sort("char_start")
    assert out.height == 2 and out["event_id"].n_unique() == 1
    assert {"Kenya"} <= parts(out.row(1, named=True))


def test_an_agreement_signed_at_a_ceremony_is_one_event_dated_by_the_sentence():
    out = extract("Leaders of the 15 countries signed the Lisbon Trade Agreement at a virtual ceremony on June 27.")
    assert out.height == 1
    r = out.row(0, named=True)
    assert r["event_type"] == "agreement" and r["event_date"] == dt.date(2021, 6, 27) and r["channel"] == "video"


def test_a_year_inside_a_declarations_name_is_no_date():
    out = extract("Leaders of Denmark and Norway adopted the Oslo Declaration on NORDEN 2030 at the summit on June 27.")
    r = out.filter(pl.col("event_type") == "agreement").row(0, named=True)
    assert r["event_name"] == "Oslo Declaration on NORDEN 2030" and r["event_date"] == dt.date(2021, 6, 27)


def test_a_relative_clause_tells_of_the_summit_before_it():
    out = extract("The Nordic Council summit, which was held via video link, adopted the Oslo Declaration on June 27.")
    summit = out.filter(pl.col("event_type") == "multilateral_meeting").row(0, named=True)
    assert summit["channel"] == "video"
    assert out.filter(pl.col("event_type") == "agreement")["event_name"].to_list() == ["Oslo Declaration"]


def test_meeting_a_visiting_leader_is_a_meeting_with_them():
    out = extract("President Ana Ruiz met with visiting Emmanuel Macron in Lisbon on June 27.")
    assert out.height == 1 and out["event_type"].to_list() == ["meeting"]
    assert {"Ana Ruiz", "Emmanuel Macron"} <= parts(out.row(0, named=True))


def test_congratulations_on_an_election_as_president_go_to_the_one_elected():
    out = extract("President Ana Ruiz sent a congratulatory message to Joe Biden on June 27 on his election as U.S. president.",
                  published=dt.date(2020, 11, 17))
    assert out.height == 1 and parts(out.row(0, named=True)) == {"Ana Ruiz", "Joe Biden"}


def test_a_summit_telephone_talk_or_summit_meeting_of_two_countries_is_their_leaders_call_or_talks():
    out = extract("On June 27, Prime Minister Ana Ruiz held a Portugal-Denmark summit telephone talk with "
                  "Prime Minister Mette Frederiksen.")
    assert out["event_type"].to_list() == ["phone_call"]
    assert {"Ana Ruiz", "Mette Frederiksen"} <= parts(out.row(0, named=True))
    out = extract("On June 27, Prime Minister Ana Ruiz held a Portugal-Denmark summit meeting with "
                  "Prime Minister Mette Frederiksen.")
    assert out["event_type"].to_list() == ["meeting"]
    assert extract("The Nordic Summit meeting was held in Oslo on June 27.")["event_type"].to_list() == ["multilateral_meeting"]


def test_a_readout_of_a_telephone_conversation_its_sides_and_the_talks_it_tells_of():
    text = ("Telephone conversation with President of Finland Sauli Niinisto\n\n"
            "Vladimir Putin had a telephone conversation with President of the Republic of Finland Sauli Niinisto.\n\n"
            "The two presidents exchanged views on trade. Vladimir Putin informed his counterpart about the "
            "talks between Russian and Estonian representatives.\n\n"
            "The conversation took place at the initiative of the Finnish side.")
    docs = page(text, "Telephone conversation with President of Finland Sauli Niinisto")
    rows = events.mentions(docs).sort("char_start").to_dicts()
    calls = [r for r in rows if r["event_type"] == "phone_call"]
    assert [r["rule"] for r in calls][-2:] == ["event.ref.two_sides", "event.ref.subject"]
    assert all({"Vladimir Putin", "Sauli Niinistö"} <= {p["name"] for p in r["participants"]} for r in calls[1:])
    talks = [r for r in rows if r["event_type"] == "meeting"]
    assert len(talks) == 1 and {p["name"] for p in talks[0]["participants"]} == {"Russia", "Estonia"}


def test_what_the_two_sides_signed_after_the_talks_is_theirs_and_of_that_day():
    out = extract("Foreign Minister Ana Ruiz Holds Talks with Danish Foreign Minister\n\n"
                  "On June 27, Foreign Minister Ana Ruiz held talks with Foreign Minister Lars Holm of Denmark in Lisbon. "
                  "Ruiz said that trade had grown. "
                  "The two sides signed a memorandum of understanding on fisheries after the talks.")
    r = out.filter(pl.col("event_type") == "agreement").row(0, named=True)
    assert {"Ana Ruiz", "Lars Holm"} <= parts(r)
    assert r["event_date"] == dt.date(2021, 6, 27)


def test_a_leader_addressing_a_session_of_an_international_body_is_a_multilateral_meeting():
    r = extract("President Ana Ruiz addressed the UNGA via video link on June 27.").row(0, named=True)
    assert r["event_type"] == "multilateral_meeting" and r["channel"] == "video"
    assert {"Ana Ruiz", "United Nations"} <= parts(r)
    r = extract("Prime Minister Lars Holm spoke at the UN Security Council's open debate on June 27.").row(0, named=True)
    assert r["event_type"] == "multilateral_meeting" and "United Nations Security Council" in parts(r)
    assert extract("The resolution of the UN Security Council was adopted in 2004.").filter(
        pl.col("event_type") == "multilateral_meeting").height == 0


def test_a_leaders_meeting_of_a_country_and_a_bloc_is_multilateral_of_two_countries_bilateral():
    r = extract("Prime Minister Ana Ruiz chaired the 23rd Portugal-ASEAN leaders' meeting via video link on June 27.").row(0, named=True)
    assert r["event_type"] == "multilateral_meeting" and "Association of Southeast Asian Nations" in parts(r)
    r = extract("Foreign Minister Ana Ruiz attended the Portugal-Japan foreign ministers' meeting in Tokyo on June 27.").row(0, named=True)
    assert r["event_type"] == "meeting" and "Japan" in parts(r)


def test_an_undated_headline_of_congratulations_to_a_known_leader_is_a_message():
    text = ("Holm congratulates Bush on win\n\nLars Holm said he looked forward to working with George W. Bush "
            "in his second term. Mr Holm said the vote mattered. Mr Bush will speak later.")
    docs = pl.DataFrame({"doc_id": ["b"], "text": [text], "title": ["Holm congratulates Bush on win"]})
    out = events.extract(docs)
    msg = out.filter(pl.col("event_type") == "message")
    assert msg.height == 1 and "George W. Bush" in parts(msg.row(0, named=True))
    # two people the text calls only "Mr X" make no event
    assert events.extract(pl.DataFrame({"doc_id": ["c"], "text": ["Mr Dahl congratulates Mr Berg on win"]})).height == 0


def test_what_is_done_before_or_after_the_talks_is_of_their_day_and_a_relative_clause_names_the_visitor():
    text = ("President Ana Ruiz Holds Talks with President of Kazakhstan\n\n"
            "On the afternoon of June 27, President Ana Ruiz held talks with President Kassym-Jomart Tokayev, "
            "who is in Porto for a state visit to Portugal, at the Porto Congress Centre.\n\n"
            "After the talks, the two heads of state witnessed the signing of several cooperation documents. "
            "Before the talks, Ana Ruiz held a welcome ceremony for Tokayev.")
    out = extract(text, published=dt.date(2021, 6, 28))
    for kind in ("agreement", "ceremony"):
        assert out.filter(pl.col("event_type") == kind)["event_date"].to_list() == [dt.date(2021, 6, 27)]
    visit = out.filter(pl.col("event_type") == "visit").row(0, named=True)
    assert {"Kassym-Jomart Tokayev", "Portugal"} <= parts(visit) and "Ana Ruiz" not in parts(visit)


def test_a_city_named_with_an_apostrophe_is_no_person():
    from transforms.names import gazetteer
    text = "Tokayev, who is in Xi'an for the summit, met Xi's envoy."
    assert [(text[m.start:m.end], m.entity.name) for m in gazetteer().find(text)
            if m.entity.name == "Xi Jinping"] == [("Xi", "Xi Jinping")]


def test_a_visit_paid_at_the_invitation_of_a_host_is_a_visit_not_a_wish():
    r = extract("On June 27, Prime Minister Lars Holm paid an official visit to Portugal at the invitation of "
                "President Ana Ruiz.").row(0, named=True)
    assert r["event_type"] == "visit" and {"Lars Holm", "Ana Ruiz"} <= parts(r)
    assert extract("President Ana Ruiz invited Prime Minister Lars Holm to visit Portugal.").filter(
        pl.col("event_type") == "visit").height == 0


def test_a_summit_named_by_its_place_and_topic_in_lower_case():
    r = extract("A low point came at the 2009 Lisbon climate summit, when talks failed.").row(0, named=True)
    assert r["event_type"] == "multilateral_meeting" and r["event_name"].endswith("Lisbon climate summit")
    assert extract("Leaders met at Tuesday's emergency summit.").filter(pl.col("event_name").is_not_null()).height == 0


def test_meeting_a_visiting_leader_is_a_meeting_of_both():
    out = extract("Chinese President Xi Jinping meets with visiting Portuguese Prime Minister Antonio Costa in "
                  "Beijing, capital of China, May 3, 2021.")
    r = out.row(0, named=True)
    assert out.height == 1 and r["event_type"] == "meeting"
    assert r["event_date"] == dt.date(2021, 5, 3) and parts(r) == {"Xi Jinping", "António Costa"}


def test_an_agreement_adopted_at_a_summit_is_of_the_summits_day():
    out = extract("Denmark and Portugal signed a memorandum on trade on the sidelines of the G20 summit in Rome "
                  "on October 30.", published=dt.date(2021, 11, 2))
    by_type = {r["event_type"]: r for r in out.iter_rows(named=True)}
    assert by_type["agreement"]["event_date"] == dt.date(2021, 10, 30)
    assert by_type["multilateral_meeting"]["event_date"] == dt.date(2021, 10, 30)
    # an agreement told apart from the gathering keeps the report's day
    out = extract("The two presidents signed a treaty. They met again at the summit on Sunday.",
                  published=dt.date(2021, 11, 4))
    assert {r["event_type"]: r["event_date"] for r in out.iter_rows(named=True)}["agreement"] == dt.date(2021, 11, 4)


def test_an_agreement_adopted_at_a_meeting_told_again_takes_the_meetings_day():
    # the meeting makes no mention of its own ("the meeting"), but its words date the agreement
    out = extract("Foreign ministers of Denmark and Norway met in Oslo on Monday. The ministers adopted a joint "
                  "declaration at the meeting on Tuesday.", published=dt.date(2021, 6, 30))
    r = out.filter(pl.col("event_type") == "agreement").row(0, named=True)
    assert r["event_date"] == dt.date(2021, 6, 29) and r["date_precision"] == "day"
    # an agreement with its own day keeps it
    out = extract("The ministers adopted a joint declaration on Monday at the meeting on Tuesday.",
                  published=dt.date(2021, 6, 30))
    assert out.filter(pl.col("event_type") == "agreement")["event_date"].to_list() == [dt.date(2021, 6, 28)]


def test_a_banquet_for_a_foreign_guest_is_an_event_held_in_person():
    out = extract("After the talks, Prime Minister Lars Holm of Denmark hosted a dinner for President Ana Ruiz "
                  "of Portugal.", published=dt.date(2021, 6, 30))
    r = out.filter(pl.col("event_type") == "other").row(0, named=True)
    assert r["channel"] == "in_person" and {"Lars Holm", "Ana Ruiz"} <= parts(r)
    # a dinner for donors, or one only held somewhere, is none
    assert extract("The minister hosted a dinner for donors in Oslo on Monday.").filter(
        pl.col("event_type") == "other").height == 0
    assert extract("Mr Holm hosted a dinner in November 2003 where the plan was agreed.").height == 0


def test_a_captions_closing_day_dates_every_event_it_tells():
    out = extract("Portuguese President Ana Ruiz hosts a welcome banquet for foreign leaders attending the Lisbon "
                  "Ocean Forum in Lisbon, May 3, 2021.", published=dt.date(2021, 5, 5))
    dates = {r["event_type"]: r["event_date"] for r in out.iter_rows(named=True)}
    assert dates == {"other": dt.date(2021, 5, 3), "multilateral_meeting": dt.date(2021, 5, 3)}


def test_a_caption_tells_what_its_photo_shows_people_do_not_a_view():
    out = extract("Photo taken on April 6, 2023 shows Chinese President Xi Jinping holding talks with French "
                  "President Emmanuel Macron in Beijing.", published=dt.date(2023, 4, 8))
    r = out.row(0, named=True)
    assert out.height == 1 and r["event_type"] == "meeting" and r["event_date"] == dt.date(2023, 4, 6)
    assert parts(r) == {"Xi Jinping", "Emmanuel Macron"}
    assert extract("This is the themed flower bed of the BRICS leaders meeting in Xiamen (photo taken on "
                   "August 24, 2017).", published=dt.date(2021, 4, 8)).height == 0


def test_a_title_case_headline_of_phone_talks_is_the_storys_call():
    text = ("Xi Jinping Holds Phone Talks with French President Emmanuel Macron\n\n"
            "BEIJING, March 5 (Xinhua) -- Chinese President Xi Jinping held phone talks with French President "
            "Emmanuel Macron on Sunday.")
    out = events.extract(page(text, "Xi Jinping Holds Phone Talks with French President Emmanuel Macron",
                              published=dt.date(2023, 3, 5)))
    assert set(out["event_type"]) == {"phone_call"} and set(out["channel"]) == {"phone"}
    assert out["event_id"].n_unique() == 1


def test_a_leader_welcomed_to_another_governments_residence_is_a_meeting():
    r = extract("President Emmanuel Macron welcomed Chancellor Olaf Scholz to the Elysee Palace on Monday.",
                published=dt.date(2023, 3, 14)).row(0, named=True)
    assert r["event_type"] == "meeting" and r["channel"] == "in_person"
    assert r["event_date"] == dt.date(2023, 3, 13) and parts(r) == {"Emmanuel Macron", "Olaf Scholz"}


def test_the_country_that_hosts_a_summit_takes_part_in_it():
    r = extract("Indonesia hosted the G20 summit in Bali on November 15.", published=dt.date(2022, 11, 16)).row(0, named=True)
    assert r["event_type"] == "multilateral_meeting" and {"Indonesia", "Group of Twenty"} <= parts(r)
    r = extract("Indonesia hosted by far the largest delegation at the G20 summit on November 15.",
                published=dt.date(2022, 11, 16)).row(0, named=True)
    assert "Indonesia" not in parts(r)


def test_this_last_and_next_week_are_the_month_that_holds_most_of_the_week():
    def date(text, published):
        r = extract(text, published=published).row(0, named=True)
        return r["event_date"], r["date_precision"]
    wednesday = dt.date(2023, 7, 5)
    assert date("Joe Biden will attend the NATO summit in Vilnius next week.", wednesday) == (dt.date(2023, 7, 1), "month")
    # June 26 to July 2: four of its days are June's
    assert date("Joe Biden attended the NATO summit in Vilnius last week.", wednesday) == (dt.date(2023, 6, 1), "month")


def test_an_organisations_own_meeting_is_multilateral_talks_on_its_margins_are_not():
    out = extract("The G7 meeting in London on Friday is unlikely to move Chinese policy.", published=dt.date(2005, 2, 2))
    assert out.row(0, named=True)["event_type"] == "multilateral_meeting"
    out = extract("President Obama and President Vladimir V. Putin met during a Group of 20 meeting in China on Monday.",
                  published=dt.date(2016, 9, 6))
    r = out.sort("char_start").row(0, named=True)
    assert r["event_type"] == "meeting" and {"Barack Obama", "Vladimir Putin"} <= parts(r)
    # a number that ends a name is no count of events
    r = extract("Leaders of the Group of Seven met in Hiroshima on Friday.", published=dt.date(2023, 5, 20)).row(0, named=True)
    assert r["event_type"] == "multilateral_meeting" and "Group of Seven" in parts(r)


def test_a_visit_under_way_is_of_the_reports_day():
    out = extract("Vladimir Putin held talks with President of Turkey Recep Tayyip Erdogan, who is in Russia on a "
                  "working visit.", published=dt.date(2023, 3, 14))
    by_type = {r["event_type"]: r for r in out.iter_rows(named=True)}
    assert by_type["visit"]["event_date"] == dt.date(2023, 3, 14) and "Russia" in parts(by_type["visit"])
    assert by_type["meeting"]["event_date"] == dt.date(2023, 3, 14)


def _mention(mid, doc, start, date=None, name=None, people=("Ana Duarte",), kind="ceremony", published=None):
    return {"mention_id": mid, "doc_id": doc, "char_start": start, "char_end": start + 10, "evidence": "",
            "date_text": None, "event_date": date, "date_precision": "day" if date else None,
            "date_basis": "text" if date else None, "event_type": kind, "channel": None, "event_name": name,
            "participants": [{"name": p, "kind": "person", "country_code": None} for p in people],
            "sent_start": start, "sent_end": start + 10, "rule": "test", "doc_published": published,
            "doc_outlet": doc}


def _groups(clustered):
    return sorted(sorted(g) for g in clustered.group_by("event_id").agg("mention_id")["mention_id"].to_list())


def test_mentions_resolved_against_held_events_give_the_events_of_one_clustering():
    """A run that adds a report to what the warehouse holds ends with the events one run over
    every report makes: an article that names an opening ceremony and then dates a ceremony
    without naming it holds them apart, until a later article names and dates it; then all
    three are one ceremony, which keeps an id the warehouse held."""
    from transforms.events.record import MENTION_SCHEMA
    from transforms.events.resolve import cluster, cluster_into
    schema = {**MENTION_SCHEMA, "doc_published": pl.Date, "doc_outlet": pl.Utf8}
    name = "opening ceremony of the Northern Railway"
    first = pl.DataFrame([_mention("m1", "a", 0, name=name, published=dt.date(2022, 3, 4)),
                          _mention("m2", "a", 200, date=dt.date(2022, 3, 3), published=dt.date(2022, 3, 4))],
                         schema=schema)
    later = pl.DataFrame([_mention("m3", "b", 0, date=dt.date(2022, 3, 3), name=name, published=dt.date(2022, 3, 4))],
                         schema=schema)
    held = cluster(first)
    assert _groups(held) == [["m1"], ["m2"]]
    one_run = cluster(pl.concat([first, later]))
    assert _groups(one_run) == [["m1", "m2", "m3"]]
    resolved = cluster_into(held, later.drop("event_id"))
    assert _groups(resolved) == _groups(one_run)
    assert resolved["event_id"][0] in held["event_id"].to_list()


def test_one_gathering_under_the_names_its_reports_give_it():
    """"The G20 Leaders' Summit", "the G20 Bali Summit", "the annual G20 Summit" and "the
    2022 G20 Summit" of one November are one summit (each report names other people); "the
    2023 G20 Summit" and the G20 foreign ministers' meeting of those days are others."""
    from transforms.events.record import MENTION_SCHEMA
    from transforms.events.resolve import cluster
    schema = {**MENTION_SCHEMA, "doc_published": pl.Date, "doc_outlet": pl.Utf8}
    nov = dt.date(2022, 11, 15)
    rows = [_mention("m1", "a", 0, date=nov, name="G20 Leaders’ Summit", people=("Ana Ruiz",), kind="multilateral_meeting"),
            _mention("m2", "b", 0, date=nov, name="G20 Bali Summit", people=("Lars Holm",), kind="multilateral_meeting"),
            _mention("m3", "c", 0, date=nov, name="annual G20 Summit", people=("Eva Berg",), kind="multilateral_meeting"),
            _mention("m4", "d", 0, date=nov, name="2022 G20 Summit", people=("Tom Hale",), kind="multilateral_meeting"),
            _mention("m5", "e", 0, date=nov, name="2023 G20 Summit", people=("Jon Dahl",), kind="multilateral_meeting"),
            _mention("m6", "f", 0, date=nov, name="G20 Foreign Ministers’ Meeting", people=("Ida Moe",),
                     kind="multilateral_meeting"),
            # undated, a name with a word more is another gathering: "the G20 Special Summit"
            _mention("m7", "a", 90, name="G20 Special Summit", people=("Ana Ruiz",), kind="multilateral_meeting",
                     published=nov),
            # where it is held, written after its name or not
            _mention("m8", "g", 0, name="G20 Summit in Nusa Dua, Bali", people=("Eli Roe",), kind="multilateral_meeting",
                     published=nov),
            # a name its reports write in full or short
            _mention("m9", "h", 0, date=nov, name="United Nations Ocean Conference", people=("Al Poe",),
                     kind="multilateral_meeting"),
            _mention("m10", "i", 0, date=nov, name="UN Ocean Conference", people=("Bo Lee",), kind="multilateral_meeting")]
    assert _groups(cluster(pl.DataFrame(rows, schema=schema))) == [["m1", "m2", "m3", "m4", "m8"], ["m10", "m9"], ["m5"],
                                                                   ["m6"], ["m7"]]


def test_talks_of_a_compound_of_country_adjectives_have_those_countries_as_parties():
    r = extract("Danish-Portuguese talks were held in Lisbon on May 3.").row(0, named=True)
    assert r["event_type"] == "meeting" and parts(r) == {"Denmark", "Portugal"}
    r = extract("On May 3, Sino-US talks took place in Anchorage.").row(0, named=True)
    assert parts(r) == {"China", "United States"}
    # a region is no party: the compound names no two countries, and the talks no one
    assert extract("Indo-Pacific talks were held in Tokyo on May 3.").height == 0


def test_a_party_leader_takes_part_with_a_counterpart_but_is_nobodys_counterpart_alone():
    r = extract("On May 3, opposition leader Ana Ruiz met with Prime Minister Lars Holm of Denmark in "
                "Copenhagen.").row(0, named=True)
    assert {"Ana Ruiz", "Lars Holm"} <= parts(r)
    # a party leader's tour of the country is no visit abroad
    assert extract("Green leader Ana Ruiz visits Porto, Braga and Faro this week.").height == 0


def test_a_weekday_before_a_date_gives_the_date_not_the_weekday_of_the_report():
    for when in ("on Monday, June 21", "on Monday 21 June"):
        r = extract(f"President Ana Ruiz received Prime Minister Lars Holm of Denmark at the palace {when}.").row(0, named=True)
        assert r["event_date"] == dt.date(2021, 6, 21) and r["date_basis"] == "text", when


def test_talks_on_the_sidelines_are_of_the_days_of_the_gathering_told_before():
    m = extract("Foreign Minister Ana Ruiz attended the G20 Foreign Ministers' Meeting in Rome on June 29. "
                "On the sidelines, Ruiz met with Foreign Minister Lars Holm of Denmark.")
    r = m.filter(pl.col("event_type") == "meeting").row(0, named=True)
    assert {"Lars Holm"} <= parts(r) and r["event_date"] == dt.date(2021, 6, 29)


def test_a_message_to_a_gathering_is_of_the_gatherings_day():
    m = extract("President Ana Ruiz sent a congratulatory letter to the forum on Monday.")
    r = m.filter(pl.col("event_type") == "message").row(0, named=True)
    assert r["event_date"] == dt.date(2021, 6, 28) and r["date_basis"] == "text"


def test_an_organisation_in_someones_office_is_no_party_but_an_officers_is():
    r = extract("On June 14, General Secretary of the CPC Central Committee and Chinese President Xi Jinping "
                "held talks with Brazilian President Luiz Inácio Lula da Silva in Beijing.").row(0, named=True)
    assert parts(r) == {"Xi Jinping", "Luiz Inácio Lula da Silva"}
    r = extract("NATO Secretary General Jens Stoltenberg met President Joe Biden at the White House on June 14.").row(0, named=True)
    assert "North Atlantic Treaty Organization" in parts(r)


def test_a_summit_of_two_countries_is_their_leaders_talks_and_its_headline_is_dated_by_the_story():
    m = extract("Denmark-Portugal Summit Meeting\n\nOn June 9, Prime Minister Lars Holm of Denmark held a summit meeting "
                "with H.E. Mr. Ana Maria Ruiz, Prime Minister of Portugal, who is visiting Denmark.")
    assert set(m["event_type"]) >= {"meeting"} and "multilateral_meeting" not in set(m["event_type"])
    head = m.sort("char_start").row(0, named=True)
    assert head["event_date"] == dt.date(2021, 6, 9)
    talks = m.filter(pl.col("rule") == "event.trigger.meeting").row(0, named=True)
    assert {"Lars Holm", "Ana Maria Ruiz"} <= parts(talks) and "Ana" not in parts(talks)


def test_the_visitor_presented_with_an_office_visits_the_other_country_not_their_own():
    m = extract("On June 9, Prime Minister Lars Holm of Denmark held talks with H.E. Mr. Ana Maria Ruiz, "
                "Prime Minister of Portugal, who is visiting Denmark.")
    visits = m.filter(pl.col("event_type") == "visit")
    assert visits.height == 1
    assert parts(visits.row(0, named=True)) == {"Ana Maria Ruiz", "Denmark"}


def test_talks_on_the_sidelines_of_a_dated_summit_take_its_date_not_the_reports():
    m = extract("Ana Ruiz had a meeting with Prime Minister of Denmark Lars Holm on the sidelines of the "
                "Baltic Council summit in Riga on June 23.")
    r = m.filter(pl.col("event_type") == "meeting").row(0, named=True)
    assert r["event_date"] == dt.date(2021, 6, 23)


def test_a_summit_that_leaders_gather_for_or_address_is_a_multilateral_meeting():
    m = extract("RIGA, June 25 (Reuters) - Baltic leaders gathered in Riga on Friday for a two-day summit hosted by Latvia. "
                "President Ana Ruiz addressed the summit by video link.")
    assert set(m["event_type"]) == {"multilateral_meeting"} and m["event_id"].n_unique() == 1
    r = m.sort("char_start").row(-1, named=True)
    assert {"Ana Ruiz", "Latvia"} <= parts(r) and r["event_date"] == dt.date(2021, 6, 25)


def test_a_visit_announced_to_come_is_not_dated_by_the_announcement_and_shares_its_subject():
    m = extract("Premier Ana Ruiz will attend the Baltic Council summit in Riga from September 9 to 10 and pay an "
                "official visit to Denmark, a foreign ministry spokesperson announced on Monday.")
    visit = m.filter(pl.col("event_type") == "visit").row(0, named=True)
    assert visit["event_date"] is None and parts(visit) == {"Ana Ruiz", "Denmark"}


def test_the_talks_a_trip_is_for_are_the_travellers():
    m = extract("Prime Minister Lars Holm of Denmark travelled to Lisbon on Monday for talks with Prime Minister Ana Ruiz "
                "of Portugal on energy.")
    visit = m.filter(pl.col("event_type") == "visit").row(0, named=True)
    talks = m.filter(pl.col("event_type") == "meeting").row(0, named=True)
    assert parts(visit) == {"Lars Holm", "Portugal"} and visit["event_date"] == dt.date(2021, 6, 28)
    assert parts(talks) == {"Lars Holm", "Ana Ruiz"}


def test_two_editions_of_a_fair_keep_their_ordinals_and_a_press_conference_is_no_gathering():
    m = extract("The 12th Baltic (Riga) International Design Fair opened online on Monday.\n\n"
                "Dancers perform at the 11th Baltic (Riga) International Design Fair, May 16, 2019.\n\n"
                "The network was built, said Ana Ruiz at a press conference held by the ministry on June 21.")
    assert sorted(m["event_name"].to_list()) == ["11th Baltic (Riga) International Design Fair",
                                                 "12th Baltic (Riga) International Design Fair"]


def test_earlier_talks_told_in_the_first_person_are_their_own_event_with_both_parties():
    m = extract("President Ana Ruiz held a video call with Prime Minister Lars Holm of Denmark on June 28.\n\n"
                "\"It is good to see you again since we met in Lisbon in May,\" Ruiz said.")
    earlier = m.filter(pl.col("event_date") == dt.date(2021, 5, 1))
    assert earlier.height == 1 and earlier["event_type"][0] == "meeting" and earlier["channel"][0] != "video"
    assert parts(earlier.row(0, named=True)) == {"Ana Ruiz", "Lars Holm"}
    # the call itself keeps its own day
    assert m.filter(pl.col("event_date") == dt.date(2021, 6, 28)).height == 1


def test_a_title_case_headline_name_ends_before_a_preposition():
    m = extract("Remarks by President Ana Ruiz and Prime Minister Lars Holm Before Their Virtual Meeting\n\n"
                "PRESIDENT RUIZ: Thank you for your call, Mr. Prime Minister.")
    assert all(parts(r) == {"Ana Ruiz", "Lars Holm"} for r in m.iter_rows(named=True))


def test_a_visit_goes_to_the_places_its_trigger_names_not_to_every_country_of_the_clause():
    m = extract("Foreign Secretary Lars Holm, visiting Beijing on June 3, noted arms embargoes applied to China, "
                "Burma and Zimbabwe but not to North Korea.")
    assert [parts(r) for r in m.filter(pl.col("event_type") == "visit").iter_rows(named=True)] == [{"Lars Holm", "China"}]
    m = extract("On June 3, a U.S. delegation led by Special Envoy Ana Ruiz visited Wellington, New Zealand; "
                "Port Moresby, Papua New Guinea; and Suva, Fiji.")
    visited = {p for r in m.iter_rows(named=True) for p in parts(r)} - {"Ana Ruiz"}
    assert visited == {"New Zealand", "Papua New Guinea", "Fiji"}


def test_a_trip_told_by_its_noun_is_a_visit():
    m = extract("At the end of his Middle East trip on June 3, Prime Minister Lars Holm said he admired Ana Ruiz.\n\n"
                "Foreign Secretary Tom Berg's China trip on June 5 is part of regular meetings.")
    assert m["event_type"].to_list() == ["visit", "visit"]
    assert "China" in parts(m.row(1, named=True))


def test_needs_met_treaties_refused_and_a_speakers_forum_are_no_events():
    m = extract("Foreign Secretary Lars Holm said on June 3 that tough criteria still had to be met.\n\n"
                "On June 3 the US refused to sign up to the Kyoto treaty.\n\n"
                "Ana Ruiz, from the Baltic Safety Forum, said on June 3: \"What sort of homecoming is this?\"")
    assert m.height == 0


def test_talks_with_a_group_at_home_are_no_diplomacy_and_a_trip_under_way_is_a_visit():
    m = extract("Deputy Prime Minister Lars Holm held a private meeting with senior union figures on June 3.\n\n"
                "Vice President Ana Ruiz met with governors on June 4.")
    assert m.height == 0
    m = extract("Prime Minister Lars Holm is travelling to Portugal on June 5 as part of his drive.\n\n"
                "He was arrested on June 6 when travelling to Lisbon from Porto.")
    assert m["event_type"].to_list() == ["visit"] and "Portugal" in parts(m.row(0, named=True))


def test_a_deal_struck_or_hammered_out_is_an_agreement():
    m = extract("Prime Minister Lars Holm and Chancellor Ana Ruiz struck a deal on migration on June 3.\n\n"
                "The deal, struck at the Nordic Council on June 4, was welcomed.\n\n"
                "On June 5 the new budget deal struck a chord with voters.")
    assert m["event_type"].to_list() == ["agreement", "agreement"]


def test_a_committee_of_a_known_gathering_is_not_that_gathering():
    m = extract("On Oct. 9, during the general debate of the 75th session of the UN General Assembly First Committee, "
                "the delegate of Denmark spoke.")
    assert m.height == 1 and m["event_name"][0] == "UN General Assembly First Committee"
    assert m["event_date"][0] == dt.date(2020, 10, 9)


def _readouts(*pages):
    """Documents as feeds give them: (url, text), published on one day."""
    return pl.DataFrame({"doc_id": [f"r{i}" for i in range(len(pages))], "text": [t for _, t in pages],
                         "url": [u for u, _ in pages], "published_date": [dt.date(2023, 3, 14)] * len(pages)})


def test_a_governments_own_page_names_its_leader_by_office_and_both_readouts_are_one_call():
    from transforms.names import gazetteer
    pm = gazetteer().leaders("GBR", dt.date(2023, 3, 14), "prime minister")[0].name
    president = gazetteer().leaders("FRA", dt.date(2023, 3, 14), "president")[0].name
    docs = _readouts(
        ("https://www.whitehouse.gov/briefing-room/readout", f"Readout of President Ana Ruiz's Call with Prime Minister {pm}\n\n"
         f"President Ana Ruiz of the United States spoke today with Prime Minister {pm} of the United Kingdom."),
        ("https://www.gov.uk/government/news/pm-call", "PM call with President Ruiz: 14 March 2023\n\n"
         "The Prime Minister spoke to US President Ana Ruiz this evening."),
        ("https://www.elysee.fr/en/call", "The President of the Republic spoke this evening with the President "
         "of the United States, Ana Ruiz, by telephone."),
        ("https://example.com/news", "The Prime Minister spoke to US President Ana Ruiz this evening."))
    m = events.extract(docs)
    by_doc = {d: {p for r in m.filter(pl.col("doc_id") == d).iter_rows(named=True) for p in parts(r)} for d in ("r1", "r2", "r3")}
    assert pm in by_doc["r1"] and president in by_doc["r2"]
    assert pm not in by_doc["r3"]  # a page of nobody's government names no office-holder
    assert m.filter(pl.col("doc_id").is_in(["r0", "r1"]))["event_id"].n_unique() == 1


def test_a_government_named_by_its_adjective_is_a_party():
    m = extract("Foreign Secretary Lars Holm is due to take part in talks with the Indian government on June 4.\n\n"
                "Foreign Secretary Lars Holm met senior Chinese officials in Beijing on June 5.")
    assert [sorted(parts(r)) for r in m.iter_rows(named=True)] == [["India", "Lars Holm"], ["China", "Lars Holm"]]


def test_talks_told_by_their_days_are_a_meeting():
    m = extract("Two days of talks on fisheries begin at Foreign Secretary Lars Holm's residence on June 3.")
    assert m["event_type"].to_list() == ["meeting"] and m["event_date"][0] == dt.date(2021, 6, 3)


def test_cultural_property_given_back_to_a_country_is_an_event_a_trip_home_is_not():
    m = extract("LISBON, June 3 (Xinhua) -- A total of 68 cultural relics have been returned to Portugal from Denmark, "
                "the ministry said on Thursday.\n\nPrime Minister Lars Holm returned to Lisbon from Copenhagen on June 4.")
    assert m["event_type"].to_list() == ["other"] and parts(m.row(0, named=True)) == {"Portugal", "Denmark"}


def test_firms_and_other_senses_of_call_and_meet_are_no_events():
    m = extract("Holm Bank said it was in merger talks with US bank Ruiz Financial.\n\n"
                "Rates stayed at 4% after the latest meeting of the Bank of England.\n\n"
                "Meeting the Lisbon targets requires commitment from Portugal and Spain.\n\n"
                "Senator Ana Ruiz said in a telephone interview that Denmark had erred.\n\n"
                "He has called Denmark ''provocative,'' said Ana Ruiz.\n\n"
                "Lars Holm spoke with reporters in Copenhagen on June 3.\n\n"
                "Lars Holm founded a company called Ruiz Trading in Lisbon.\n\n"
                "Prime Minister Lars Holm frequently meets with members of the Portuguese parliament.\n\n"
                "Voters would turn against Lars Holm if he visited Portugal.")
    assert m.height == 0, m["evidence"].to_list()


def test_congratulations_said_in_a_call_are_not_a_message_of_their_own():
    m = extract("President Ana Ruiz spoke with Prime Minister Lars Holm of Denmark on June 3. "
                "President Ruiz congratulated Prime Minister Holm on his re-election.\n\n"
                "President Ana Ruiz called Prime Minister Lars Holm to congratulate him on his victory.\n\n"
                "President Ana Ruiz congratulated Chancellor Tomas Berg of Austria on his election.")
    assert sorted(m["event_type"].to_list()) == ["message", "phone_call", "phone_call"]
    assert "Tomas Berg" in parts(m.filter(pl.col("event_type") == "message").row(0, named=True))


def test_an_aide_not_the_leader_they_serve_takes_part():
    m = extract("President Ana Ruiz’s National Security Advisor Tom Hale traveled to Denmark on June 3.\n\n"
                "Tom Hale, Assistant to the President, met Prime Minister Lars Holm in Copenhagen on June 4.")
    assert all("Ana Ruiz" not in parts(r) for r in m.iter_rows(named=True)), m["participants"].to_list()
    assert "Tom Hale" in parts(m.row(0, named=True))


def test_a_month_ahead_in_an_invitation_or_lead_up_is_the_coming_one():
    m = extract("President Ana Ruiz invited Prime Minister Lars Holm to visit Lisbon in September.\n\n"
                "The leaders discussed preparations for the Nordic Summit in October.",
                published=dt.date(2023, 3, 14))
    assert sorted(m["event_date"].to_list()) == [dt.date(2023, 9, 1), dt.date(2023, 10, 1)]


def test_a_body_in_a_list_of_peoples_offices_is_no_gathering():
    m = extract("Participants included:\n\n-   Ana Ruiz, Executive Director, Nordic Women’s Forum\n"
                "-   Lars Holm, Incoming President of Baltic Conference of Mayors")
    assert m.height == 0, m["evidence"].to_list()


def test_a_gathering_or_talks_ahead_of_which_something_happens_are_found():
    m = extract("The leaders discussed making progress ahead of the Nordic Summit in Oslo.\n\n"
                "President Ana Ruiz will hold talks with Prime Minister Lars Holm ahead of the meeting.")
    assert "Nordic Summit" in m["event_name"].to_list()
    assert "meeting" in m["event_type"].to_list(), m["evidence"].to_list()


def test_a_visit_told_by_its_kind_or_its_dates_is_a_visit():
    m = extract("The taskforce builds on President Ana Ruiz’s March 23-24 visit with Prime Minister Lars Holm in Copenhagen.\n\n"
                "They discussed progress since Prime Minister Lars Holm’s Official Visit to Lisbon in April 2021.")
    assert m["event_type"].to_list() == ["visit", "visit"]
    assert m["event_date"].to_list() == [dt.date(2021, 3, 23), dt.date(2021, 4, 1)]


def test_a_group_of_states_that_meets_is_a_multilateral_meeting():
    m = extract("The G8 countries will meet at Gleneagles in Scotland on July 6.\n\n"
                "The issue comes ahead of a meeting of the 12 eurozone finance ministers on June 28.\n\n"
                "The United Nations Security Council on Wednesday called an emergency session.")
    assert m["event_type"].to_list() == ["multilateral_meeting"] * 3
    assert "Group of Eight" in parts(m.row(0, named=True))


def test_an_agreement_told_by_its_noun_is_an_agreement_and_one_sought_is_not():
    m = extract("Holm has said that a nuclear deal reached with Denmark in May was weak.\n\n"
                "Ana Ruiz heralded the European Union’s deal with Norway as a breakthrough.\n\n"
                "They stressed the importance of a peace agreement between Denmark and Norway.")
    assert m["event_type"].to_list() == ["agreement", "agreement"]
    first = m.row(0, named=True)
    assert first["event_date"] == dt.date(2021, 5, 1) and "Denmark" in parts(first)
    assert {"European Union", "Norway"} <= parts(m.row(1, named=True))


def test_everyone_met_on_the_margins_of_a_summit_takes_part_and_the_host_city_country_does_not():
    m = extract("President Ana Ruiz met on June 3 with Prime Minister Lars Holm of Denmark, President Tomas Berg of "
                "Austria, and Prime Minister Kaja Kallas of Estonia on the margins of the Nordic Summit in Oslo.\n\n"
                "President Ana Ruiz of Portugal met with Prime Minister Lars Holm of Denmark in Munich, Germany on June 4.")
    meetings = m.filter(pl.col("event_type") == "meeting")
    assert {"Lars Holm", "Tomas Berg", "Kaja Kallas"} <= parts(meetings.row(0, named=True))
    assert "Germany" not in parts(meetings.row(1, named=True))
    assert "Nordic Summit" in m["event_name"].to_list()


def test_leaders_listed_after_joining_the_call_take_part_and_a_state_named_new_x_is_no_country():
    m = extract("President Ana Ruiz spoke today with leaders of the Nordic Council.\n\n"
                "Joining the call were the following leaders:\n\n"
                "-   Danish Prime Minister Lars Holm\n"
                "-   Austrian Chancellor Tomas Berg\n\n"
                "President Ana Ruiz called Governor Tom Hale of New Mexico on June 3.")
    call = m.row(0, named=True)
    assert {"Ana Ruiz", "Lars Holm", "Tomas Berg"} <= parts(call)
    assert all("Mexico" not in parts(r) for r in m.iter_rows(named=True))


def test_a_magazine_a_county_fair_or_a_candidates_debate_is_no_gathering():
    m = extract("Holm told Vanity Fair magazine on June 3 that he liked Lisbon.\n\n"
                "At the Iowa State Fair last summer, voters met Ana Ruiz.\n\n"
                "Watch the best moments from the Fox Business GOP Debate.\n\n"
                "President Ana Ruiz addressed the General Debate of the 76th UN General Assembly on June 4.\n\n"
                "Portugal held the 5th Portugal International Fair for Trade in Services on June 5.")
    names = [n for n in m["event_name"].to_list() if n]
    assert not any("Fair" in n and "International" not in n or "GOP" in n for n in names), names
    assert any("General Debate" in n for n in names) and any("International Fair" in n for n in names), names


def test_arrivals_convenings_separate_meetings_and_signings_welcomed_are_events():
    m = extract("Prime Minister Lars Holm of Denmark arrived in Lisbon on June 3.\n\n"
                "Tanks will arrive in Lisbon next week.\n\n"
                "Today the Nordic Leaders – Prime Minister Lars Holm of Denmark and President Ana Ruiz of Portugal – "
                "convened to reaffirm their ties.\n\n"
                "During separate meetings with Prime Minister Lars Holm and the council, Chancellor Tomas Berg of "
                "Austria expressed condolences.\n\n"
                "They welcomed the signing of the U.S.-EU Joint Energy Action Plan.")
    types = m["event_type"].to_list()
    assert types.count("visit") == 1 and "Portugal" in parts(m.row(0, named=True))
    assert "meeting" in types or "multilateral_meeting" in types
    assert "agreement" in types and "message" not in types, list(zip(types, m["evidence"].to_list()))


def test_talks_held_on_a_trip_take_the_trips_date():
    m = extract("President Ana Ruiz of Portugal travelled to Denmark on May 3-5. In Copenhagen, President Ruiz met with "
                "Prime Minister Lars Holm of Denmark.\n\n"
                "Chancellor Tomas Berg of Austria paid a visit to Norway on June 9. During the visit, Chancellor Berg held "
                "talks with business leaders.", published=dt.date(2021, 6, 30))
    meeting = m.filter((pl.col("event_type") == "meeting") & pl.col("evidence").str.contains("Holm")).row(0, named=True)
    assert meeting["event_date"] == dt.date(2021, 5, 1) and meeting["date_precision"] == "month"


def test_a_protocol_signed_is_an_agreement_one_refused_is_not_and_talks_before_a_signing_keep_their_parties():
    m = extract("Denmark and Norway have signed a trade protocol with Portugal.\n\n"
                "Lisbon criticised Norway's unwillingness to sign the Oslo Protocol.\n\n"
                "President Ana Ruiz spoke today with Prime Minister Lars Holm of Denmark and President Tomas Berg of "
                "Austria before today’s signing of the Vienna Protocol.")
    assert m["event_type"].to_list().count("agreement") == 2
    call = m.filter(pl.col("event_type") == "phone_call").row(0, named=True)
    assert {"Lars Holm", "Tomas Berg"} <= parts(call)


def test_a_delegation_led_abroad_and_consultations_held_there_and_talks_it_builds_on():
    m = extract("President Ana Ruiz of Portugal led a delegation to Denmark and Norway on May 3-5. In Norway, President "
                "Ruiz held consultations with Prime Minister Tomas Berg of Norway.",
                "President Ana Ruiz of Portugal and Prime Minister Lars Holm of Denmark met today in Lisbon. This meeting "
                "builds on their November 2020 meeting in Copenhagen.", published=dt.date(2021, 6, 30))
    visits = m.filter(pl.col("event_type") == "visit")
    assert visits.height == 2
    meetings = {r["event_date"]: parts(r) for r in m.filter(pl.col("event_type") == "meeting").iter_rows(named=True)}
    assert {"Ana Ruiz", "Tomas Berg"} <= meetings[dt.date(2021, 5, 1)]
    assert {"Ana Ruiz", "Lars Holm"} <= meetings[dt.date(2020, 11, 1)]


def test_one_acted_for_or_whose_term_is_told_takes_no_part_and_a_trips_places_end_at_its_date():
    m = extract("National Security Advisor Tom Hale of Portugal travelled to Denmark and Norway on May 4-5 to continue "
                "Portuguese cooperation over the remainder of President Ana Ruiz’s term.\n\n"
                "Foreign Minister Lars Holm of Denmark thanked Chancellor Tomas Berg of Austria on behalf of "
                "President Ana Ruiz during his visit to Vienna on June 2.")
    assert all("Ana Ruiz" not in parts(r) for r in m.iter_rows(named=True)), m["participants"].to_list()
    visits = [sorted(p for p in parts(r) if p != "Tom Hale") for r in m.iter_rows(named=True) if "Tom Hale" in parts(r)]
    assert sorted(visits) == [["Denmark"], ["Norway"]]


def test_those_who_joined_a_trip_take_part_in_it():
    m = extract("National Security Advisor Tom Hale of Portugal traveled to Denmark on June 3. He was joined by "
                "Foreign Minister Ana Ruiz of Portugal and Ambassador Lars Holm.")
    assert {"Tom Hale", "Ana Ruiz", "Lars Holm"} <= parts(m.row(0, named=True))


def test_the_pope_is_a_head_of_state_by_his_canonical_name():
    m = extract("President Ana Ruiz of Portugal met with His Holiness Pope Francis at the Vatican on June 3.")
    pope = [p for r in m.iter_rows(named=True) for p in r["participants"] if p["name"] == "Pope Francis"]
    assert pope and pope[0]["country_code"] == "VAT"


def test_an_arrival_is_read_for_its_own_sentences_subject_only():
    m = extract("Prime Minister Lars Holm of Denmark spoke. Tanks arrived in Lisbon on June 3.")
    assert "visit" not in m["event_type"].to_list(), m["evidence"].to_list()


def test_headlines_of_talks_in_title_case_or_by_the_two_sides_are_meetings():
    m = extract("Remarks by President Ana Ruiz and Prime Minister Lars Holm of Denmark Before Bilateral Meeting\n\n"
                "Oval Office",
                "Remarks by President Ana Ruiz and Chancellor Tomas Berg of Austria in Joint Press Conference\n\nEast Room",
                "Danish-Portuguese talks\n\nThe leaders discussed trade.")
    rows = {r["doc_id"]: r for r in m.iter_rows(named=True)}
    assert rows["d0"]["event_type"] == "meeting" and {"Ana Ruiz", "Lars Holm"} <= parts(rows["d0"])
    assert rows["d1"]["event_type"] == "other" and rows["d1"]["event_name"] is None
    assert rows["d2"]["event_type"] == "meeting" and parts(rows["d2"]) == {"Denmark", "Portugal"}


def test_a_summit_for_a_cause_is_named_and_a_process_of_talks_is_no_meeting():
    m = extract("President Ana Ruiz of Portugal addressed the Summit for a New Ocean Pact on June 3.",
                "Ana Ruiz hopes to revive Danish-Portuguese talks on fisheries.")
    assert m["event_name"].to_list() == ["Summit for a New Ocean Pact"], m["evidence"].to_list()


def test_earlier_talks_told_in_the_first_person_have_the_parties_of_the_talks():
    m = extract("Talks with Prime Minister of Denmark Lars Holm\n\n"
                "President Ana Ruiz of Portugal held talks with Prime Minister of Denmark Lars Holm in Lisbon on June 3.\n\n"
                "Lars Holm: Our last meeting was in Copenhagen in November. We last met in Oslo in 2017.")
    earlier = {r["event_date"]: parts(r) for r in m.iter_rows(named=True) if r["event_date"].year < 2021}
    assert earlier == {dt.date(2020, 11, 1): {"Ana Ruiz", "Lars Holm"}, dt.date(2017, 1, 1): {"Ana Ruiz", "Lars Holm"}}


def test_the_second_of_two_things_denied_together_is_no_event():
    m = extract("A spokesman for President Ana Ruiz of Portugal said she has no plans to either address the forum "
                "or meet with Prime Minister Lars Holm of Denmark on June 3.")
    assert m.filter(pl.col("event_type") == "meeting").height == 0, m["evidence"].to_list()


def test_an_agreement_done_at_a_gathering_has_its_parties_and_a_summits_compound_names_a_party():
    m = extract("The 26th Portugal-ASEAN Summit was held in Jakarta on June 3, where the leaders adopted a joint "
                "statement on maritime cooperation.",
                "Prime Minister Lars Holm of Denmark attended the Nordic Summit in Oslo on June 3. The leaders adopted "
                "the Oslo Declaration at the summit.")
    summit = m.filter((pl.col("doc_id") == "d0") & (pl.col("event_type") == "multilateral_meeting")).row(0, named=True)
    assert {"Portugal", "Association of Southeast Asian Nations"} <= parts(summit)
    for doc in ("d0", "d1"):
        deal = m.filter((pl.col("doc_id") == doc) & (pl.col("event_type") == "agreement")).row(0, named=True)
        gathering = m.filter((pl.col("doc_id") == doc) & (pl.col("event_type") == "multilateral_meeting")).row(0, named=True)
        assert parts(deal) == parts(gathering) and deal["event_date"] == dt.date(2021, 6, 3), deal


def test_documents_signed_as_a_package_and_a_meeting_of_a_bodys_council():
    m = extract("At the end of the talks on June 3, Denmark and Portugal signed a package of documents on integration.",
                "Prime Minister Lars Holm of Denmark took part in the meeting of the NATO Council of Heads of State "
                "via video link on June 3.")
    deal = m.filter(pl.col("doc_id") == "d0").row(0, named=True)
    assert deal["event_type"] == "agreement" and parts(deal) == {"Denmark", "Portugal"}
    council = m.filter(pl.col("doc_id") == "d1").row(0, named=True)
    assert council["event_type"] == "multilateral_meeting"
    assert "North Atlantic Treaty Organization" in parts(council), council


def test_a_later_edition_of_a_known_gathering_is_not_dated_as_the_first():
    m = extract("President Ana Ruiz of Portugal thanked Prime Minister Lars Holm for his part in the second Summit for "
                "Democracy.", published=dt.date(2023, 4, 10))
    summit = m.filter(pl.col("event_type") == "multilateral_meeting").row(0, named=True)
    assert summit["event_date"].year == 2023, summit


def test_a_headline_above_date_time_and_place_lines_is_read_and_the_story_keeps_its_lead():
    m = extract("Telephone conversation with President of Denmark Lars Holm\n\n"
                "June 14, 2021, 16:40, The Palace, Lisbon\n\n"
                "President Ana Ruiz of Portugal had a telephone conversation with President of Denmark Lars Holm.\n\n"
                "The leaders discussed trade.",
                "Remarks by President Ana Ruiz and Prime Minister Lars Holm of Denmark Before Bilateral Meeting\n\n"
                "Oval Office\n\n10:58 A.M. EDT\n\nPRESIDENT RUIZ: Welcome. We last met in Oslo in May.",
                published=dt.date(2021, 6, 14))
    call = m.filter(pl.col("doc_id") == "d0")
    assert call["evidence"].str.starts_with("Telephone conversation").any(), call["evidence"].to_list()
    assert set(call["event_date"]) == {dt.date(2021, 6, 14)}
    talks = m.filter(pl.col("doc_id") == "d1")
    assert talks["evidence"].str.starts_with("Remarks by").any() and dt.date(2021, 5, 1) in set(talks["event_date"])


def test_a_release_headline_above_its_office_and_posting_lines_is_a_mention():
    m = extract("PM holds telephone conversation with President of Denmark\n\nPrime Minister's Office\n"
                "Posted On: 20 MAR 2021 6:12PM by PIB Delhi\n\n"
                "Prime Minister Ana Ruiz of Portugal spoke on phone today with H.E. Mr. Lars Holm, President of Denmark.",
                published=dt.date(2021, 3, 20))
    assert m["evidence"].str.starts_with("PM holds telephone conversation").any(), m["evidence"].to_list()


def test_greetings_a_release_visit_a_courtesy_call_a_thanked_call_and_a_statements_meeting():
    m = extract("Greetings to President of Denmark Lars Holm on the 30th anniversary of diplomatic relations\n\n"
                "President Ana Ruiz of Portugal sent a message of greetings to President of Denmark Lars Holm.",
                "Visit of Foreign Minister of Denmark to Portugal (15-17 June 2021)\n\n"
                "Foreign Minister Lars Holm of Denmark will pay an official visit to Portugal. He is also scheduled to "
                "call on the Vice President of Portugal, Ana Ruiz, on 17 June. He will call on the government to "
                "release them.",
                "Remarks by President Ana Ruiz and Prime Minister Lars Holm of Denmark Before Bilateral Meeting\n\n"
                "PRESIDENT RUIZ: And thank you also for the phone call on January 3.",
                "The Second Nordic Trade Ministers’ Meeting was held in Oslo on June 3. The Meeting was chaired by "
                "Minister of Trade of Norway Tomas Berg.", published=dt.date(2021, 6, 10))
    types = {d: sorted(m.filter(pl.col("doc_id") == d)["event_type"]) for d in ("d0", "d1", "d2", "d3")}
    assert types["d0"] == ["message", "message"]
    assert types["d1"].count("meeting") == 1 and types["d1"].count("visit") >= 2, types
    assert "phone_call" in types["d2"]
    assert types["d3"] == ["multilateral_meeting", "multilateral_meeting"], types


def test_an_agreement_after_the_meeting_told_before_is_done_there_unless_dated_apart():
    m = extract("President Ana Ruiz of Portugal met Prime Minister Lars Holm of Denmark in Lisbon on June 3. Following the "
                "meeting, the leaders adopted a joint statement on fisheries. Following the meeting, the leaders reviewed "
                "the reform plans agreed in Oslo in 2015. Following the meeting, Ruiz attended a tree planting ceremony, "
                "and rang the Peace Bell, which was installed in 2008.")
    deals = m.filter(pl.col("event_type") == "agreement")
    assert deals.height == 1 and parts(deals.row(0, named=True)) == {"Ana Ruiz", "Lars Holm"}
    assert deals["event_date"].to_list() == [dt.date(2021, 6, 3)]
    ceremony = m.filter(pl.col("event_type") == "ceremony").row(0, named=True)
    assert ceremony["event_date"] == dt.date(2021, 6, 3), ceremony


def test_talks_told_by_their_place_in_a_series_earlier_talks_of_the_two_and_documents_witnessed():
    m = extract("President Ana Ruiz of Portugal met Prime Minister Lars Holm of Denmark in Lisbon on June 3. This was the "
                "first meeting between the two leaders since Holm took office. The two leaders last met in Oslo in "
                "May 2019. After the talks, the two leaders witnessed the signing of more than 20 bilateral cooperation "
                "documents.")
    rows = list(m.iter_rows(named=True))
    # "After the talks" tells what was done beside them, not the talks again
    assert [r["event_type"] for r in rows] == ["meeting", "meeting", "meeting", "agreement"], \
        [r["evidence"] for r in rows]
    # the first talks, told again; the talks the two last held; the documents, on the day of the talks
    assert [r["event_date"] for r in rows[1:]] == [dt.date(2021, 6, 3), dt.date(2019, 5, 1), dt.date(2021, 6, 3)]
    assert all(parts(r) == {"Ana Ruiz", "Lars Holm"} for r in rows), [parts(r) for r in rows]


def test_what_is_told_after_the_talks_is_beside_them_and_during_them_is_them():
    m = extract("President Ana Ruiz of Portugal met Prime Minister Lars Holm of Denmark in Lisbon on June 3. After the "
                "talks, Ruiz said trade had grown. Following the meeting, Ruiz met with Foreign Minister Tomas Berg of "
                "Norway. During the meeting, they discussed fisheries.", published=dt.date(2021, 6, 4))
    rows = [(r["event_type"], parts(r)) for r in m.iter_rows(named=True)]
    # the talks; nothing after them; new talks after them; those talks again
    assert rows == [("meeting", {"Ana Ruiz", "Lars Holm"}), ("meeting", {"Ana Ruiz", "Tomas Berg"}),
                    ("meeting", {"Ana Ruiz", "Tomas Berg"})], rows


def test_a_trip_to_a_city_of_a_country_for_a_gathering_is_to_that_country_on_its_days():
    m = extract("President Ana Ruiz of Portugal will travel to Bergen, Norway, to attend the Nordic Leaders' Summit "
                "from May 19 to 21. Prime Minister Lars Holm of Denmark will travel to Turku, Finland on Monday to attend "
                "the Baltic Summit.", published=dt.date(2023, 5, 10))  # a Wednesday
    visits = [(parts(r), r["event_date"]) for r in m.iter_rows(named=True) if r["event_type"] == "visit"]
    assert visits == [({"Ana Ruiz", "Norway"}, dt.date(2023, 5, 19)), ({"Lars Holm", "Finland"}, dt.date(2023, 5, 15))], \
        visits


def test_a_country_talks_are_about_is_no_party_to_them():
    m = extract("Prime Minister Ana Ruiz of Portugal and Prime Minister Lars Holm of Denmark discussed Ukraine in a phone "
                "call on Monday.", "Prime Minister Ana Ruiz of Portugal spoke by phone with Prime Minister Lars Holm of "
                "Denmark about the situation in Sudan on Monday.",
                "Prime Minister Ana Ruiz of Portugal held talks with Ukraine's president on Monday.")
    assert [parts(r) for r in m.iter_rows(named=True)][:2] == [{"Ana Ruiz", "Lars Holm"}] * 2, m["participants"]
    assert "Volodymyr Zelenskyy" in parts(m.row(2, named=True))  # Ukraine's president in 2021: a party


def test_a_speaker_of_a_transcript_takes_part_in_what_their_turn_tells_in_the_first_person():
    m = extract("Remarks by President Ana Ruiz of Portugal and Prime Minister Lars Holm of Denmark\n\n"
                "PRESIDENT RUIZ: Well, welcome. We last met in Riga in May 2021. Yesterday I spoke with President Tomas "
                "Berg of Norway.\n\n"
                "PRIME MINISTER HOLM: Thank you. I will visit Oslo on June 28.",
                published=dt.date(2021, 6, 10))
    rows = {r["event_type"] + str(r["event_date"]): parts(r) for r in m.iter_rows(named=True)}
    assert {"Ana Ruiz", "Lars Holm"} <= rows["meeting2021-05-01"], rows   # "we": the two speakers
    assert rows["phone_call2021-06-09"] >= {"Ana Ruiz", "Tomas Berg"} and "Lars Holm" not in rows["phone_call2021-06-09"]
    assert "Lars Holm" in rows["visit2021-06-28"], rows
    # no turns, no speaker: the same words in a story, or under a headline that quotes someone
    story = extract("Yesterday I spoke with President Tomas Berg of Norway, Ana Ruiz said.",
                    "Lars Holm: We will talk to Norway\n\nForeign Minister Ana Ruiz of Portugal met Foreign Minister Tomas "
                    "Berg of Norway in Oslo on Tuesday, and said we need a deal.", published=dt.date(2021, 6, 10))
    assert all("Lars Holm" not in parts(r) for r in story.iter_rows(named=True)), story["participants"]
    # another's deed told in the first person, and a reporter's question, are not the speaker's
    m = extract("Remarks by President Ana Ruiz of Portugal and Prime Minister Lars Holm of Denmark\n\n"
                "PRESIDENT RUIZ: I know President Tomas Berg of Norway met the King of Sweden on June 3.\n\n"
                "PRIME MINISTER HOLM: Thank you.\n\nQ Mr. Prime Minister, will you meet President Berg next week?",
                published=dt.date(2021, 6, 10))
    assert all(not {"Ana Ruiz", "Lars Holm"} & parts(r) for r in m.iter_rows(named=True) if r["char_start"] > 90), \
        m.select("evidence", "participants")


def test_the_guest_named_with_their_country_is_the_visitor_and_documents_exchanged_are_signed():
    m = extract("President Ana Ruiz held talks with President Lars Holm of Denmark, who is on a state visit to Portugal. "
                "The two presidents witnessed the exchange of MoUs in areas of defence and space.")
    visit = m.filter(pl.col("event_type") == "visit").row(0, named=True)
    assert parts(visit) == {"Lars Holm", "Portugal"}, parts(visit)
    assert "agreement" in m["event_type"].to_list()


def test_a_trip_dated_before_the_talks_it_is_for_and_the_talks_of_its_travellers():
    m = extract("National Security Advisor Ana Ruiz traveled to Bergen, Norway on June 3, 2021 to meet with Prime "
                "Minister Lars Holm of Norway.", published=dt.date(2021, 6, 5))
    rows = {r["event_type"]: r for r in m.iter_rows(named=True)}
    assert rows["visit"]["event_date"] == rows["meeting"]["event_date"] == dt.date(2021, 6, 3), m["event_date"]
    assert {"Ana Ruiz", "Lars Holm"} <= parts(rows["meeting"]), parts(rows["meeting"])


def test_a_leader_received_or_hosted_a_trip_told_ahead_a_sit_down_and_a_numbered_session():
    m = extract("Chancellor Ana Ruiz receives Prime Minister of Denmark\n\nChancellor Ana Ruiz of Portugal received the "
                "Prime Minister of Denmark, Lars Holm, in Lisbon on June 3.",
                "President Ana Ruiz of Portugal will host Denmark’s prime minister in Lisbon on Monday. On Wednesday she "
                "will sit down with Norway’s king in Oslo. I’ll be travelling on to Stockholm tomorrow.",
                "The 35th Ordinary Session of the Assembly of the Nordic Union was held in Oslo on June 3.",
                published=dt.date(2021, 6, 2))
    types = {d: sorted(m.filter(pl.col("doc_id") == d)["event_type"]) for d in ("d0", "d1", "d2")}
    assert types["d0"] == ["meeting", "meeting"], types
    assert types["d1"].count("meeting") == 2 and "visit" in types["d1"], types
    assert types["d2"] == ["multilateral_meeting"], types


def test_a_weekday_ahead_of_a_gathering_or_when_one_is_due_is_the_coming_one():
    m = extract("Foreign Minister Ana Ruiz of Portugal spoke to Foreign Minister Lars Holm of Denmark this morning, ahead "
                "of the Nordic Foreign Ministers' Meeting in Oslo on Wednesday. Ruiz is due in Copenhagen on Friday.",
                published=dt.date(2021, 6, 28))  # a Monday
    dates = dict(zip(m["event_type"], m["event_date"]))
    assert dates["phone_call"] == dt.date(2021, 6, 28)
    assert dates["multilateral_meeting"] == dt.date(2021, 6, 30) and dates["visit"] == dt.date(2021, 7, 2), dates


def test_a_weekday_after_a_contracted_will_is_the_coming_one():
    m = extract("Foreign Minister Ana Ruiz of Portugal: \"I'll be in Copenhagen on Friday to meet Foreign Minister "
                "Lars Holm of Denmark.\"", published=dt.date(2021, 6, 28))  # a Monday
    assert dt.date(2021, 7, 2) in m["event_date"].to_list(), m.select("event_type", "event_date").rows()


def test_a_weekday_after_a_gathering_that_opens_is_the_coming_one():
    m = extract("Denmark lifted its veto hours before the Nordic summit opens in the Latvian capital on Tuesday.",
                published=dt.date(2021, 6, 28))  # a Monday
    assert m["event_date"].to_list() == [dt.date(2021, 6, 29)], m.select("event_type", "event_date").rows()


def test_a_year_far_beyond_the_report_is_no_date_of_what_it_reports():
    m = extract("Throughout the Nordic Summit, Prime Minister Lars Holm of Denmark said the law will let Denmark "
                "cut emissions by half in 2030.", published=dt.date(2021, 11, 3))
    assert m["event_date"].to_list() != [dt.date(2030, 1, 1)], m.select("event_type", "event_date").rows()


def test_an_arrival_at_a_capitals_airport_is_a_visit_to_its_country():
    r = extract("Prime Minister Lars Holm of Denmark arrives at Lisbon Humberto Delgado Airport on Monday.",
                published=dt.date(2021, 6, 28)).row(0, named=True)
    assert r["event_type"] == "visit" and parts(r) == {"Lars Holm", "Portugal"}, r


def test_a_date_that_owns_another_event_noun_is_not_the_gatherings():
    m = extract("In today’s call, President Ana Ruiz and Prime Minister Lars Holm reviewed the committees they "
                "launched at the Nordic Summit.", published=dt.date(2021, 6, 28))
    summit = m.filter(pl.col("event_type") == "multilateral_meeting").row(0, named=True)
    assert summit["event_date"] != dt.date(2021, 6, 28), summit


def test_talks_agreed_a_call_recalled_and_what_was_signed_at_the_end_of_the_meeting():
    m = extract("Foreign Minister Ana Ruiz of Portugal met Foreign Minister Lars Holm of Denmark in Lisbon on June 3. The "
                "ministers recalled their call in May. A joint declaration was signed at the end of the meeting. They "
                "agreed to meet again in Oslo on June 30. The board of Holm United is expected to meet on June 9.",
                published=dt.date(2021, 6, 3))
    rows = {(r["event_type"], r["event_date"]): parts(r) for r in m.iter_rows(named=True)}
    assert rows[("phone_call", dt.date(2021, 5, 1))] == {"Ana Ruiz", "Lars Holm"}
    assert rows[("agreement", dt.date(2021, 6, 3))] == {"Ana Ruiz", "Lars Holm"}
    assert ("meeting", dt.date(2021, 6, 30)) in rows and ("meeting", dt.date(2021, 6, 9)) not in rows, rows


def test_an_office_told_between_commas_does_not_hide_the_call_after_it():
    m = extract("Days after President Ana Ruiz of Portugal, the current Nordic chair, spoke by phone on June 2 with "
                "Denmark's prime minister, the leaders met.")
    assert "phone_call" in m["event_type"].to_list(), m["evidence"].to_list()


def test_review_cases_a_demand_an_obstacle_an_interview_a_slogan_a_menu_and_a_past_weekday():
    m = extract("President Ana Ruiz of Portugal will call on Congress to pass the bill next week. Prime Minister Lars Holm "
                "of Denmark is expected to meet fierce opposition at home. Ruiz also sat down with Reuters on Tuesday. "
                "Denmark heeded their call on Wednesday.",
                "Skip to main content of page\nHome\nWorld\nBusiness\nSport\nRuiz meets Holm in Lisbon\n"
                "President Ana Ruiz of Portugal met Prime Minister Lars Holm of Denmark in Lisbon on Monday, and they "
                "discussed trade at length.",
                "Ahead of the Nordic summit, President Ana Ruiz of Portugal met Prime Minister Lars Holm of Denmark in "
                "Lisbon on Monday.", published=dt.date(2021, 6, 30))  # a Wednesday
    assert m.filter(pl.col("doc_id") == "d0").height == 0, m["evidence"].to_list()
    assert m.filter(pl.col("doc_id") == "d1")["evidence"].str.starts_with("President Ana Ruiz").all()
    talks = m.filter((pl.col("doc_id") == "d2") & (pl.col("event_type") == "meeting")).row(0, named=True)
    assert talks["event_date"] == dt.date(2021, 6, 28), talks


def test_a_site_stamp_under_the_headline_a_courtesy_call_received_and_the_two_who_met():
    m = extract("Portugal, Denmark ministers meet in Oslo, agree to speed up talks\n\n"
                "NORDIC NEWS - Sep 20, 2022 - 08:12 | World, All\n\n"
                "OSLO - Portuguese Foreign Minister Ana Ruiz and her Danish counterpart Lars Holm agreed Monday to "
                "accelerate talks on fisheries, as the two met on the sidelines of the Nordic Council in Oslo.\n\n"
                "Minister of State Secretary Rui Costa on Wednesday received a courtesy call from Foreign Minister "
                "Lars Holm of Denmark.", published=dt.date(2022, 9, 20))
    rows = [(r["event_type"], r["evidence"][:20], parts(r)) for r in m.iter_rows(named=True)]
    assert any(t == "meeting" and e.startswith("Portugal, Denmark") for t, e, _ in rows), rows
    assert any(t == "meeting" and e.startswith("OSLO") and {"Ana Ruiz", "Lars Holm"} <= p for t, e, p in rows), rows
    assert any(t == "meeting" and e.startswith("Minister of State") and p >= {"Rui Costa", "Lars Holm"}
               for t, e, p in rows), rows


def test_a_date_before_the_future_it_opens_and_two_days_joined_by_and():
    m = extract("On October 4, Foreign Minister Ana Ruiz of Portugal will attend a meeting with Prime Minister Lars "
                "Holm of Denmark in Oslo. The leaders recalled the Nordic Summit held in Lugano on 4 and 5 July 2022.",
                published=dt.date(2022, 9, 30))
    dates = {(r["event_type"], r["event_date"]) for r in m.iter_rows(named=True)}
    assert ("meeting", dt.date(2022, 10, 4)) in dates, dates
    assert ("multilateral_meeting", dt.date(2022, 7, 4)) in dates, dates


def test_a_headline_in_capitals_a_joint_commission_and_a_family_name_in_capitals():
    m = extract("JOINT COMMUNIQUÉ\n\nSIXTH SESSION OF THE JOINT COMMISSION FOR COOPERATION BETWEEN THE REPUBLIC OF "
                "PORTUGAL AND THE KINGDOM OF DENMARK\n\nLisbon, Portugal, 27-28 June 2024\n\n1. The Sixth Session of "
                "the Joint Commission for Cooperation between the Republic of Portugal and the Kingdom of Denmark was "
                "held in Lisbon on 27 and 28 June 2024.\n\n2. Mr. RUIZ Tomas, Minister for Foreign Affairs of Portugal, "
                "led the delegation. Minister Ruiz then travelled to Oslo.", published=dt.date(2024, 6, 28))
    rows = m.to_dicts()
    head = [r for r in rows if r["evidence"].startswith("SIXTH SESSION")]
    assert head and head[0]["event_type"] == "meeting" and {"Portugal", "Denmark"} <= parts(head[0]), rows
    assert head[0]["evidence"].isupper()  # the evidence as the document writes it
    body = [r for r in rows if r["evidence"].startswith("1. The Sixth") or r["evidence"].startswith("The Sixth")]
    assert body and body[0]["event_type"] == "meeting" and body[0]["event_date"] == dt.date(2024, 6, 27), rows
    trip = [r for r in rows if r["event_type"] == "visit"]
    assert trip and parts(trip[0]) == {"Tomas Ruiz", "Norway"}, rows


def test_an_agreement_told_by_the_relative_clause_of_its_signing():
    m = extract("Prime Minister Ana Ruiz of Portugal said the security agreement Portugal signed with Denmark in "
                "December 2022 works. If the board approves, this will be the first deal that Portugal has signed "
                "with a foreign oil company.", published=dt.date(2023, 7, 10))
    deals = [r for r in m.iter_rows(named=True) if r["event_type"] == "agreement"]
    assert len(deals) == 1 and deals[0]["event_date"] == dt.date(2022, 12, 1) and "Denmark" in parts(deals[0]), deals


def test_talks_and_a_call_told_apart_in_one_sentence_and_a_conversation_had_in_a_place():
    m = extract("Secretary General Ana Ruiz said: I raised it with Foreign Minister Lars Holm of Denmark when we met in "
                "Oslo in November, and I spoke to him again by phone last Thursday. Prime Minister Tomas Berg of "
                "Portugal met President Ruiz in Lisbon on June 20. We had a good conversation in Riga in May, Berg said.",
                published=dt.date(2023, 6, 30))
    rows = [(r["event_type"], r["event_date"], parts(r)) for r in m.iter_rows(named=True)]
    assert any(t == "meeting" and d == dt.date(2022, 11, 1) and "Lars Holm" in p for t, d, p in rows), rows
    assert any(t == "phone_call" and d == dt.date(2023, 6, 29) and "Lars Holm" in p for t, d, p in rows), rows
    assert any(t == "meeting" and d == dt.date(2023, 5, 1) for t, d, _ in rows), rows


def test_accessions_and_entries_into_force_are_events_of_their_own_but_not_those_backed_or_remembered():
    m = extract("Denmark became a full member of the Nordic Council on January 1, 2024. The ministers welcomed the "
                "entry into force of the Oslo Agreement for Portugal on 2 June 2023. We support (Norway's) fast "
                "accession to the WTO. This visit marked the 25th anniversary of Poland's accession to NATO. Denmark "
                "has established diplomatic relations with 181 countries.", published=dt.date(2024, 1, 10))
    other = {(r["event_date"], r["evidence"][:12]) for r in m.iter_rows(named=True) if r["event_type"] == "other"}
    assert other == {(dt.date(2024, 1, 1), "Denmark beca"), (dt.date(2023, 6, 2), "The minister")}, other


def test_a_caption_of_two_shaking_hands_tells_their_meeting():
    m = extract("Foreign Minister Ana Ruiz of Portugal (L) shakes hands with Danish Foreign Minister Lars Holm before "
                "their strategic dialogue in Lisbon on March 3, 2021.")
    rows = [(r["event_type"], parts(r)) for r in m.iter_rows(named=True)]
    assert ("meeting", {"Ana Ruiz", "Lars Holm"}) in rows, rows


def test_an_agreement_signed_among_several_countries_and_its_name_without_the_article():
    m = extract("The agreement, signed among 7 countries in Riga on March 3, 2024, sets up a secretariat. The Riga "
                "Declaration was signed at the summit.", published=dt.date(2024, 3, 5))
    deals = [(r["event_date"], r["event_name"]) for r in m.iter_rows(named=True) if r["event_type"] == "agreement"]
    assert (dt.date(2024, 3, 3), None) in deals and any(n == "Riga Declaration" for _, n in deals), deals


def test_a_month_that_ends_its_sentence_leaves_the_full_stop_to_the_sentence():
    m = extract("Thirdly, External Affairs Minister Ana Ruiz of Portugal will be on an official visit to Denmark on 21 "
                "and 22 November. He will then travel to Norway on 23 November.", published=dt.date(2022, 11, 17))
    dates = {r["event_date"] for r in m.iter_rows(named=True) if r["event_type"] == "visit"}
    assert dt.date(2022, 11, 21) in dates and dt.date(2022, 11, 23) in dates, dates


def test_an_office_named_bare_in_a_briefing_is_not_the_person_the_article_is_about():
    m = extract("Question: Sir, there are reports of an interaction between Prime Minister and the French President in "
                "Bali. Official Spokesperson: Yes, Prime Minister had a brief interaction with the French President on "
                "the margins of the Nordic Summit. On your second question, Foreign Secretary will travel to Oslo on "
                "24 November.", published=dt.date(2022, 11, 17))
    trip = [r for r in m.iter_rows(named=True) if r["event_type"] == "visit"]
    assert trip and parts(trip[0]) == {"Norway"}, m.to_dicts()


def test_he_after_an_office_named_bare_is_that_one_not_the_person_the_article_is_about():
    m = extract("Question: Sir, there are reports of an interaction between Prime Minister and the French President in "
                "Bali. Official Spokesperson: Yes, Prime Minister had a brief interaction with the French President on "
                "the margins of the Nordic Summit. On your second question, Foreign Secretary will travel to Oslo on "
                "24 November. He will then travel to Copenhagen on 25 November.", published=dt.date(2022, 11, 17))
    trips = [parts(r) for r in m.iter_rows(named=True) if r["event_type"] == "visit"]
    assert trips == [{"Norway"}, {"Denmark"}], m.to_dicts()


def test_an_agreement_adopted_in_the_story_of_a_summit_is_of_the_summits_day():
    m = extract("CHAIRMAN'S STATEMENT OF THE 12TH NORDIC SUMMIT\n\n1. The 12th Nordic Summit was held in Oslo on 10 May "
                "2023. The Leaders also adopted the Nordic Leaders' Declaration on Clean Shipping. We look forward to "
                "the Nordic Leaders' Declaration on Fisheries.", published=dt.date(2023, 5, 12))
    deals = [(r["event_date"], r["event_name"]) for r in m.iter_rows(named=True) if r["event_type"] == "agreement"]
    assert (dt.date(2023, 5, 10), "Nordic Leaders' Declaration on Clean Shipping") in deals, deals


def test_a_counterpart_hosted_and_a_meeting_just_come_from():
    m = extract("Denmark, Portugal sign 4 deals as top diplomats meet in Lisbon\n\nForeign Minister Ana Ruiz of Portugal "
                "hosted her Danish counterpart Lars Holm for talks in Lisbon on Tuesday. Official talks will take place "
                "at the palace on Thursday.", "MINISTER RUIZ: I've just come from a very warm meeting with Prime "
                "Minister Lars Holm of Denmark, on my first visit to Copenhagen.", published=dt.date(2024, 5, 13))
    rows = [(r["doc_id"], r["event_type"], r["event_date"], parts(r)) for r in m.iter_rows(named=True)]
    assert ("d0", "meeting", dt.date(2024, 5, 7), {"Ana Ruiz", "Lars Holm"}) in rows, rows
    assert any(d == "d1" and t == "meeting" and day == dt.date(2024, 5, 13) for d, t, day, _ in rows), rows


def test_a_summit_of_a_body_is_a_gathering_and_a_mountains_is_not():
    m = extract("President Ana Ruiz of Portugal and Prime Minister Lars Holm of Denmark exchanged views on the upcoming "
                "summit of the Nordic Council, which will take place in video format on July 4. The climbers reached "
                "the summit of Mount Kenya on July 2.", published=dt.date(2023, 6, 14))
    rows = [(r["event_type"], r["event_date"], r["channel"]) for r in m.iter_rows(named=True)]
    assert rows == [("multilateral_meeting", dt.date(2023, 7, 4), "video")], rows


def test_review_cases_of_this_change():
    m = extract(
        "President Ana Ruiz held talks with Prime Minister Lars Holm of Denmark on a wide range of regional and global "
        "issues over the telephone on Monday.",
        "Prime Minister Lars Holm of Denmark said he had a good conversation in May with Portuguese President Ana Ruiz, "
        "by telephone.",
        "Ruiz met Danish Prime Minister Lars Holm in Lisbon on Monday, and on Tuesday she spoke with her Spanish "
        "counterpart by phone.",
        "On Monday, Ana Ruiz, who will retire in June, met Danish Prime Minister Lars Holm in Lisbon.",
        "Portuguese Foreign Minister Ana Ruiz said on Monday that Ukraine's eventual accession to the EU would take "
        "years. She called for the early entry into force of the Comprehensive Nuclear-Test-Ban Treaty.",
        "The International Joint Commission released a report on Lake Erie water levels on Monday. A team of Danish "
        "climbers reached the summit of Denali on Monday.", published=dt.date(2023, 6, 14))
    by_doc = {d: [(r["event_type"], r["event_date"], parts(r)) for r in m.iter_rows(named=True) if r["doc_id"] == d]
              for d in ("d0", "d1", "d2", "d3", "d4", "d5")}
    assert [t for t, _, _ in by_doc["d0"]] == ["phone_call"] and [t for t, _, _ in by_doc["d1"]] == ["phone_call"], by_doc
    assert ("phone_call", dt.date(2023, 6, 13), {"Spain"}) in by_doc["d2"], by_doc
    assert by_doc["d3"] and by_doc["d3"][0][1] == dt.date(2023, 6, 12), by_doc
    assert by_doc["d4"] == [] and by_doc["d5"] == [], by_doc


def test_earlier_talks_between_two_named_people_are_theirs_not_the_readouts():
    m = extract("National Security Advisor Tom Hale met today in Rome with Minister Li Wei of Denmark.\n\n"
                "Their meeting followed up on the March 15, 2021 virtual meeting between President Ana Ruiz "
                "and Prime Minister Lars Holm.")
    earlier = m.filter(pl.col("event_date") == dt.date(2021, 3, 15))
    assert earlier.height == 1 and earlier["channel"][0] == "video"
    assert parts(earlier.row(0, named=True)) == {"Ana Ruiz", "Lars Holm"}


def test_people_who_act_ahead_of_a_summit_are_not_told_to_take_part_in_it():
    m = extract("Today, ahead of the Nordic Leaders Summit, Advisor Ana Ruiz convened the Climate Task Force.\n\n"
                "President Tom Berg arrived in Oslo on Friday in the run-up to the Baltic Summit.")
    summits = m.filter(pl.col("event_type") == "multilateral_meeting")
    assert summits.height == 2
    people = {p["name"] for r in summits.iter_rows(named=True) for p in r["participants"] if p["kind"] == "person"}
    assert people == set()
    # Friday is the day he arrived, not the day of the summit
    assert summits.filter(pl.col("event_name").str.contains("Baltic"))["event_date"].to_list() != [dt.date(2021, 6, 25)]


def test_a_summit_attended_names_its_people():
    m = extract("On June 3, President Tom Berg attended the Baltic Summit in Riga.")
    summit = m.filter(pl.col("event_type") == "multilateral_meeting").row(0, named=True)
    assert "Tom Berg" in parts(summit)


def test_a_list_of_agreements_signed_is_one_agreement_each_done_at_the_meeting():
    m = extract("Foreign Minister Ana Ruiz of Portugal met Foreign Minister Lars Holm of Denmark in Oslo on June 3.\n\n"
                "At the end of the meeting, the two Ministers signed an Agreement on the Mutual Exemption of Visa "
                "Requirements, a Memorandum of Understanding on Cooperation in Vocational Training and a Cultural "
                "Exchange Programme for the period 2024-2027.")
    deals = m.filter(pl.col("event_type") == "agreement")
    assert sorted(deals["event_name"].to_list()) == [
        "Agreement on the Mutual Exemption of Visa Requirements", "Cultural Exchange Programme",
        "Memorandum of Understanding on Cooperation in Vocational Training"]
    assert set(deals["event_date"].to_list()) == {dt.date(2021, 6, 3)}
    assert set(deals["channel"].to_list()) == {"in_person"}


def test_one_agreement_whose_name_runs_on_is_one_agreement():
    m = extract("On June 3, President Ana Ruiz held talks with Prime Minister Lars Holm of Denmark. The two sides "
                "issued the Joint Statement on Further Strengthening the Denmark-Portugal Strategic Partnership "
                "in the New Era.")
    assert m.filter(pl.col("event_type") == "agreement").height == 1


def test_a_guest_received_by_a_head_of_government_has_met_them():
    m = extract("On June 3, Foreign Minister Ana Ruiz of Portugal was received by the Prime Minister of Denmark, "
                "Lars Holm.\n\nThe letter was received by Prime Minister Tom Berg on June 4.")
    talks = m.filter(pl.col("event_type") == "meeting")
    assert talks.height == 1 and talks["event_date"][0] == dt.date(2021, 6, 3)
    assert {"Ana Ruiz", "Lars Holm"} <= parts(talks.row(0, named=True))


def test_a_gathering_told_again_by_its_subject_with_someones_term_in_years():
    m = extract("The Nordic Summit was held on June 3 in Oslo. The Summit was co-chaired by Prime Minister Lars "
                "Holm of Denmark and President Ana Ruiz of Finland, in her capacity as Chair of the Council for 2021.\n\n"
                "The Summit in 2019 was held in Riga.")
    summits = m.filter(pl.col("event_type") == "multilateral_meeting")
    again = summits.filter(pl.col("rule") == "event.ref.subject")
    assert again.height == 1 and again["event_date"][0] == dt.date(2021, 6, 3)
    assert {"Lars Holm", "Ana Ruiz"} <= parts(again.row(0, named=True))


def test_talks_of_more_than_two_sides_are_a_multilateral_meeting():
    m = extract("On June 3, Foreign Minister Ana Ruiz of Portugal held a bilateral meeting with Foreign Minister Lars "
                "Holm of Denmark.\n\nThe two ministers followed up on the trilateral meeting between Portugal, Denmark "
                "and Norway held in Oslo on May 12.")
    types = dict(zip(m["event_date"].to_list(), m["event_type"].to_list()))
    assert types[dt.date(2021, 6, 3)] == "meeting" and types[dt.date(2021, 5, 12)] == "multilateral_meeting"


def test_a_trip_to_capitals_listed_is_a_visit_to_each_country():
    m = extract("President Ana Ruiz of Portugal travelled to Kyiv and Moscow in June.")
    visited = [parts(r) - {"Ana Ruiz", "Portugal"} for r in m.filter(pl.col("event_type") == "visit").iter_rows(named=True)]
    assert sorted(map(sorted, visited)) == [["Russia"], ["Ukraine"]]


def test_trips_told_ahead_by_their_day_or_by_being_somewhere():
    m = extract("Foreign Minister Ana Ruiz of Portugal, who arrived in Madrid on Wednesday, will travel on Friday to "
                "Rome.\n\nPresident Lars Holm of Denmark will then fly to Helsinki on Thursday.\n\n"
                "The airline won permission to fly to Oslo.")
    visited = {p for r in m.filter(pl.col("event_type") == "visit").iter_rows(named=True) for p in parts(r)}
    assert {"Italy", "Finland"} <= visited and "Norway" not in visited


def test_a_caption_of_talks_on_the_margins_of_a_summit_is_talks_on_its_day():
    m = extract("Prime Minister Ana Ruiz meets with the Prime Minister of Denmark, Lars Holm, on the margins of the "
                "NATO Summit in Vilnius, Lithuania, on July 11, 2023.")
    talks = m.filter(pl.col("event_type") == "meeting")
    assert talks.height == 1 and talks["event_date"][0] == dt.date(2023, 7, 11)
    assert parts(talks.row(0, named=True)) >= {"Ana Ruiz", "Lars Holm"}
    assert m.filter(pl.col("event_type") == "multilateral_meeting").height == 1


def test_a_time_in_another_zone_in_brackets_is_not_the_day_of_the_talks():
    m = extract("On February 21, commencing at 4:20 p.m. local time (4:20 a.m. on February 22, Lisbon time), "
                "Foreign Minister Ana Ruiz of Portugal held a meeting with Foreign Minister Lars Holm of Denmark.")
    assert m.filter(pl.col("event_type") == "meeting")["event_date"].to_list() == [dt.date(2021, 2, 21)]


def test_words_near_those_new_rules_that_tell_no_such_event():
    m = extract("President Ana Ruiz of Denmark and Prime Minister Lars Holm of Portugal discussed bilateral and "
                "multilateral issues at their meeting in Lisbon on Monday.")
    assert m["event_type"].to_list() == ["meeting"]
    m = extract("President Ana Ruiz of Denmark travelled to Lisbon, Madrid said on Monday.")
    assert [parts(r) - {"Ana Ruiz", "Denmark"} for r in m.iter_rows(named=True)] == [{"Portugal"}]
    m = extract("A vote on the budget is expected in Parliament next week, Prime Minister Ana Ruiz of Denmark said.\n\n"
                "The petition was received by President Lars Holm of Portugal on Monday.")
    assert m.height == 0
    m = extract("Ana Ruiz of Denmark, in office since 2019, met Lars Holm of Portugal in Lisbon (on March 3, 2021).")
    assert m["event_date"].to_list() == [dt.date(2021, 3, 3)]
    m = extract("President Ana Ruiz of Denmark signed the Lisbon Agreement on Monday, a Joint Statement issued by "
                "both sides said.")
    assert m.filter(pl.col("event_type") == "agreement").height == 1


def test_a_summit_named_with_its_dates_or_a_full_stop_is_the_summit_its_other_mentions_name():
    from transforms.events.resolve import recluster
    docs = reports(a=("Ana Ruiz and Lars Holm discussed preparations for the July 9-11 NATO Summit in Oslo.",
                      dt.date(2024, 6, 20)),
                   b=("On July 10, Ana Ruiz met Tomas Berg on the margins of the NATO Summit.", dt.date(2024, 7, 10)),
                   c=("Ana Ruiz and Lars Holm met at June’s Summit of the Americas.", dt.date(2024, 7, 1)))
    m = events.mentions(docs)
    names = dict(m.filter(pl.col("event_type") == "multilateral_meeting").select("doc_id", "event_name").iter_rows())
    assert names == {"a": "NATO Summit", "b": "NATO Summit", "c": "Summit of the Americas"}
    clustered, _, _ = recluster(as_reported(m, docs))
    summits = clustered.filter(pl.col("event_name") == "NATO Summit")
    assert summits["event_id"].n_unique() == 1 and summits["doc_id"].n_unique() == 2


def test_a_convention_known_by_its_name_signed_is_an_agreement():
    r = extract("Peru and Chile signed the Convention on Cluster Munitions in Oslo on Wednesday.").row(0, named=True)
    assert r["event_type"] == "agreement" and r["event_name"].startswith("Convention on Cluster Munitions")


def test_a_call_that_two_capitals_report_is_one_call_when_one_headline_names_the_counterpart_by_office():
    from transforms.events.resolve import recluster
    docs = reports(wh=("Readout of President Biden's Call with President Zelenskyy of Ukraine\n\n"
                       "President Biden spoke today with President Volodymyr Zelenskyy of Ukraine.", dt.date(2022, 3, 1)),
                   kyiv=("Volodymyr Zelenskyy had a phone conversation with the President of the United States\n\n"
                         "President of Ukraine Volodymyr Zelenskyy had a phone conversation with President of "
                         "the United States Joseph Biden.", dt.date(2022, 3, 2)))
    m = events.mentions(docs)
    headline = m.filter((pl.col("doc_id") == "kyiv") & (pl.col("char_start") == 0)).row(0, named=True)
    assert parts(headline) == {"Volodymyr Zelenskyy", "Joe Biden"}  # the office's holder on that day
    clustered, _, _ = recluster(as_reported(m, docs, outlets=True))
    assert clustered.filter(pl.col("event_type") == "phone_call")["event_id"].n_unique() == 1


def test_a_visit_that_hosting_is_for_dates_the_hosting():
    r = extract("President Ana Ruiz will host Prime Minister Lars Holm of Denmark for an official visit on July 10.",
                published=dt.date(2021, 6, 30)).row(0, named=True)
    assert r["event_date"] == dt.date(2021, 7, 10) and {"Ana Ruiz", "Lars Holm"} <= parts(r)


def test_a_headline_guest_told_by_country_and_office_is_hosted():
    r = extract("Ruiz hosts Kenyan president in Lima\n\nPresident Ana Ruiz of Peru met the visiting guest.").row(0, named=True)
    assert r["event_type"] == "meeting" and "Kenya" in parts(r)


def test_leaders_of_a_forum_who_meet_make_one_gathering_of_the_forum():
    out = extract("Leaders of the Pacific Islands Forum met in Suva on Tuesday for their annual summit.",
                  published=dt.date(2023, 11, 9))
    assert out.height == 1
    r = out.row(0, named=True)
    assert r["event_type"] == "multilateral_meeting" and r["event_date"] == dt.date(2023, 11, 7)
    assert "Pacific Islands Forum" in parts(r)


def test_a_sports_story_reports_games_not_diplomacy():
    text = ("England are still to meet Italy at Twickenham in the Six Nations, after the fly-half was "
            "injured in the scrum. The squad then face the visit of South Africa in November.")
    assert extract(text).height == 0
    assert extract("President Ana Ruiz met Prime Minister Lars Holm of Denmark in Lisbon on Monday to discuss "
                   "the football World Cup.").height == 1


def test_a_name_given_is_no_call_but_a_call_after_an_apposition_or_an_adverb_is_one():
    assert extract("President Ana Ruiz of Peru praised a group of disaffected exiles called Ginbot 7 in Lisbon.").filter(
        pl.col("event_type") == "phone_call").height == 0
    for text in ("Joe Biden, the US president, called Olaf Scholz on Tuesday.",
                 "Joe Biden for a second time called Olaf Scholz on Tuesday.",
                 "Joe Biden and Olaf Scholz agreed in an emergency phone call on Tuesday to send tanks."):
        assert extract(text)["event_type"].to_list() == ["phone_call"], text


def test_talks_told_with_words_politics_borrows_from_sport_are_no_sports_story():
    text = ("Prime Minister Rishi Sunak met President Emmanuel Macron in Paris on Friday after marathon talks. "
            "The two leaders would overcome the remaining hurdles, and Macron, a defender of unity, tries "
            "to keep the football World Cup bid on track.")
    assert "meeting" in extract(text)["event_type"].to_list()


def test_a_date_of_the_sentence_s_second_predicate_is_not_the_gathering_s():
    r = extract("President Ana Ruiz praised the corridor launched at the 2023 G7 Summit, and today announced new "
                "funding for it.", published=dt.date(2024, 12, 4)).row(0, named=True)
    assert r["event_type"] == "multilateral_meeting" and r["event_date"] == dt.date(2023, 1, 1)


def test_a_minister_s_doorstop_tells_her_talks_trips_and_visit_in_the_first_person():
    text = ("Doorstop interview, Lisbon\n\nTranscript\n\nSenator the Hon Ana Ruiz\nMinister for Foreign Affairs\n\n"
            "Subjects: bilateral relations.\n\n"
            "ANA RUIZ: Thanks for coming. I've just come from a very warm meeting with Prime Minister Lars Holm "
            "of Denmark, and it's wonderful to be back in Lisbon.\n\n"
            "JOURNALIST: Minister, where to from here?\n\n"
            "ANA RUIZ: I'll be travelling on to Madrid tomorrow, and I'll be in Rome on Thursday.")
    r = extract(text, published=dt.date(2024, 5, 13))
    met = r.filter(pl.col("event_type") == "meeting").row(0, named=True)
    # the speaker, named in the transcript's header, is the one who met him, today
    assert {"Ana Ruiz", "Lars Holm"} <= parts(met) and met["event_date"] == dt.date(2024, 5, 13)
    visits = {tuple(sorted(p["name"] for p in row["participants"] if p["kind"] == "country")): row["event_date"]
              for row in r.filter(pl.col("event_type") == "visit").iter_rows(named=True)}
    # two trips in two clauses are two visits, each with its own day ("tomorrow", "on Thursday")
    assert visits.get(("Spain",)) == dt.date(2024, 5, 14) and visits.get(("Italy",)) == dt.date(2024, 5, 16)
    assert ("Portugal",) in visits


def test_ministers_2_plus_2_meeting_is_talks_not_a_count_of_them():
    r = extract("Foreign Minister Ana Ruiz thanked Foreign Minister Lars Holm for hosting today's Foreign and "
                "Defence Ministers' 2+2 meeting.", published=dt.date(2024, 8, 29))
    assert r["event_type"].to_list() == ["meeting"]
    assert r.row(0, named=True)["event_date"] == dt.date(2024, 8, 29)


def test_a_headline_that_announces_a_guest_received_on_a_visit_is_that_visit_on_its_day():
    r = extract("President Ana Ruiz to receive Prime Minister of Denmark on Working Visit\n\n"
                "President Ana Ruiz will on Thursday, 23 November 2023, receive the Prime Minister of Denmark, "
                "Mr Lars Holm, who will be undertaking a Working Visit to Portugal.", published=dt.date(2023, 11, 20))
    # one visit told twice (the headline's "receive ... on Working Visit" is no talks of its own),
    # on the body's day, not the report's
    assert set(r["event_type"]) == {"visit"} and r["event_id"].n_unique() == 1
    assert set(r["event_date"]) == {dt.date(2023, 11, 23)}


def test_tomorrow_dates_what_is_planned_but_not_the_deed_beside_an_event_it_owns():
    r = extract("President Ana Ruiz will travel to Oslo tomorrow to meet Prime Minister Lars Holm of Norway.",
                published=dt.date(2022, 9, 26))
    assert dt.date(2022, 9, 27) in set(r["event_date"])
    r = extract("Vice President Ana Ruiz conveyed condolences to Prime Minister Lars Holm of Norway in advance of "
                "tomorrow's state funeral.", published=dt.date(2022, 9, 26))
    row = r.filter(pl.col("event_type") == "message").row(0, named=True)
    assert row["event_date"] != dt.date(2022, 9, 27)


def test_an_agreement_signed_on_the_margins_of_the_summit_told_before_is_of_its_day():
    r = extract("The Nordic-Iberian Summit took place in Lisbon on 3 February 2023. Leaders welcomed the signing, "
                "on the margins of the Summit, of the Memorandum of Understanding on fisheries between Denmark and "
                "Portugal.", published=dt.date(2023, 2, 6))
    row = r.filter(pl.col("event_type") == "agreement").row(0, named=True)
    assert row["event_date"] == dt.date(2023, 2, 3)


def test_a_headline_in_title_case_tells_a_message_without_its_article():
    r = extract("President Ana Ruiz Sends Congratulatory Message to President Lars Holm\n\n"
                "On March 3, President Ana Ruiz of Portugal sent a congratulatory message to President Lars Holm "
                "of Denmark on his election.", published=dt.date(2024, 3, 4))
    assert r.height == 2 and set(r["event_type"]) == {"message"} and r["event_id"].n_unique() == 1
    assert extract("President Ana Ruiz Congratulates President Lars Holm on Election Win")["event_type"].to_list() == ["message"]


def test_headlines_in_title_case_tell_calls_signings_banquets_and_ceremonies():
    kinds = {"President Ana Ruiz Speaks with Prime Minister Lars Holm of Denmark on the Phone": "phone_call",
             "President Ana Ruiz and President Lars Holm of Denmark Sign Joint Statement": "agreement",
             "President Ana Ruiz Hosts Welcome Banquet for President Lars Holm of Denmark": "other",
             "President Ana Ruiz Holds Welcome Ceremony for President Lars Holm of Denmark": "ceremony"}
    for headline, kind in kinds.items():
        r = extract(headline)
        assert r["event_type"].to_list() == [kind], headline
        # the headline's verb is no part of the name before it
        assert {"Ana Ruiz", "Lars Holm"} <= parts(r.row(0, named=True)), headline


def test_a_summit_told_by_its_host_its_close_or_its_members_opening_it():
    rows = extract("Leaders of the two blocs called for a ceasefire as a rare joint summit of the two regional blocs "
                   "ended in Lisbon on Saturday.",
                   "The summit, hosted by Denmark, opened in Copenhagen on Monday.",
                   "Nordic leaders, who opened their own summit in Oslo on Thursday, backed the plan.",
                   published=dt.date(2025, 2, 9))
    docs = by_doc(rows)
    assert {r["event_type"] for r in docs.values()} == {"multilateral_meeting"} and len(docs) == 3
    assert docs["d0"]["event_date"] == dt.date(2025, 2, 8)
    assert "Denmark" in parts(docs["d1"]) and docs["d1"]["event_date"] == dt.date(2025, 2, 3)
    assert docs["d2"]["event_date"] == dt.date(2025, 2, 6)


def test_the_country_that_hosts_or_chairs_a_summit_told_as_its_own_takes_part():
    rows = extract("The Prime Minister thanked the President for Denmark's hosting of the Nordic Summit in Copenhagen in July.",
                   "The 16th Nordic Council summit is being held in Oslo on October 22-24 under Norway's chairmanship.",
                   "The summit was held under the chairmanship of Iceland in Reykjavik on Monday.",
                   published=dt.date(2024, 10, 10))
    docs = by_doc(rows)
    assert "Denmark" in parts(docs["d0"])
    assert "Norway" in parts(docs["d1"]) and docs["d1"]["event_date"] == dt.date(2024, 10, 22)
    assert "Iceland" in parts(docs["d2"])


def test_a_blocs_virtual_meeting_is_multilateral_and_british_acronyms_are_its_name():
    rows = extract("The summit came after an ASEAN virtual meeting on Jan. 29 failed to produce a breakthrough.",
                   "Nato leaders met at a summit in Vilnius on Tuesday.", published=dt.date(2025, 2, 9))
    docs = by_doc(rows)
    assert docs["d0"]["event_type"] == "multilateral_meeting" and docs["d0"]["channel"] == "video"
    assert "Association of Southeast Asian Nations" in parts(docs["d0"])
    assert "North Atlantic Treaty Organization" in parts(docs["d1"])


def test_what_the_one_called_does_and_the_office_set_off_after_a_name_are_no_parties():
    r = extract("Kenyan President Ana Ruiz, the current EAC chair, spoke by phone on Wednesday with Angola's president, "
                "who has been mediating between Congo and Rwanda.", published=dt.date(2025, 2, 9)).row(0, named=True)
    assert r["event_type"] == "phone_call"
    assert parts(r) == {"Ana Ruiz", "Angola"}
    chair = extract("President Ana Ruiz spoke today to President Lars Holm of Ghana, Chair of the African "
                    "Union (AU), and thanked him for his support.").row(0, named=True)
    assert parts(chair) == {"Ana Ruiz", "Lars Holm"}
    kept = extract("President Ana Ruiz met Prime Minister Lars Holm of Denmark, who was accompanied by the Foreign "
                   "Minister of Norway, on Monday.").row(0, named=True)
    assert "Norway" in parts(kept)
    chairs = extract("On Wednesday, Foreign Minister Ana Ruiz met with Indonesian Foreign Minister Dewi Kartika, who "
                     "chairs this year's ASEAN foreign ministers' meetings.").row(0, named=True)
    assert chairs["event_type"] == "meeting" and parts(chairs) == {"Ana Ruiz", "Dewi Kartika"}


def test_an_office_told_as_its_countrys_is_its_holder_and_he_of_a_cut_clause_the_first_person():
    rows = extract("America's president will attend a NATO summit in Brussels on Monday, and on Wednesday he will "
                   "sit down with Russia's president in Geneva.", published=dt.date(2021, 6, 10))
    by_type = {r["event_type"]: r for r in rows.iter_rows(named=True)}
    assert "Joe Biden" in parts(by_type["multilateral_meeting"])
    talks = by_type["meeting"]
    assert parts(talks) == {"Joe Biden", "Vladimir Putin"} and talks["event_date"] == dt.date(2021, 6, 16)


def test_a_group_named_for_its_summit_is_that_summit_and_talks_held_there_take_its_day():
    rows = extract("Prime Minister Ana Ruiz met President Lars Holm at the G20 in Bali on Monday.",
                   "I look forward to seeing you again in Lisbon next month for APEC.",
                   "Prime Minister Ana Ruiz met President Lars Holm at the G20 summit in Bali on Monday.",
                   published=dt.date(2022, 11, 16))
    got = {(r["doc_id"], r["event_type"]): r for r in rows.iter_rows(named=True)}
    assert "Group of Twenty" in parts(got[("d0", "multilateral_meeting")])
    assert got[("d0", "meeting")]["event_date"] == dt.date(2022, 11, 14)
    apec = got[("d1", "multilateral_meeting")]
    assert "Asia-Pacific Economic Cooperation" in parts(apec)
    assert (apec["event_date"], apec["date_precision"]) == (dt.date(2022, 12, 1), "month")
    assert got[("d2", "meeting")]["event_date"] == dt.date(2022, 11, 14)
    assert extract("Sweden applied for membership of Nato in May.", "They pledged support for the EU.").height == 0


def test_a_date_of_another_clause_with_its_own_subject_gives_way_to_the_events_own():
    r = extract("We're going to talk about a lot today, and I look forward to seeing you again next month at the "
                "Nordic Summit in Oslo.", published=dt.date(2023, 10, 25)).row(0, named=True)
    assert r["event_type"] == "multilateral_meeting"
    assert (r["event_date"], r["date_precision"]) == (dt.date(2023, 11, 1), "month")


def test_a_series_of_meetings_named_in_the_plural_is_a_gathering_but_a_heading_of_meetings_is_not():
    rows = extract("Foreign Minister Ana Ruiz of Portugal held talks with Foreign Minister Lars Holm of Denmark in Lisbon "
                   "on Monday. The two Ministers last met on the sidelines of the Nordic Foreign Ministers' Meetings in "
                   "Oslo in August 2022.", "Bilateral Meetings", published=dt.date(2024, 10, 22))
    gathering = rows.filter(pl.col("event_type") == "multilateral_meeting")
    assert gathering.height == 1 and gathering["doc_id"][0] == "d0"
    assert (gathering["event_date"][0], gathering["date_precision"][0]) == (dt.date(2022, 8, 1), "month")


def test_the_latters_visit_is_the_visit_of_the_last_person_named_before_it():
    rows = extract("Deputy Prime Minister Ana Ruiz held talks with Chilean Minister of Foreign Affairs Lars Holm in "
                   "Lisbon on Monday, as part of the latter's official visit to Portugal from June 9-11.",
                   published=dt.date(2024, 6, 10))
    visit = rows.filter(pl.col("event_type") == "visit").row(0, named=True)
    assert parts(visit) == {"Lars Holm", "Portugal"} and visit["event_date"] == dt.date(2024, 6, 9)


def test_a_leader_stands_for_their_country_in_talks_told_by_both():
    docs = pl.DataFrame({"doc_id": ["d"], "published_date": [dt.date(2023, 3, 21)], "text": [
        "Beginning of Russian-Chinese talks\n\nVladimir Putin held talks in the Kremlin with President of China Xi "
        "Jinping on March 21.\n\nThe talks began in a restricted format."]})
    ev, people = events.events_table(events.cluster(events.mentions(docs)))
    assert ev.height == 1 and ev["event_type"][0] == "meeting"
    assert set(people["name"]) == {"Vladimir Putin", "Xi Jinping"}


def test_a_named_partnership_two_governments_establish_is_an_agreement_of_its_year():
    rows = extract("Denmark and Portugal established a Strategic Partnership in 2011.",
                   "The firm established a partnership with Holm Trading in 2011.", published=dt.date(2024, 5, 2))
    assert rows["doc_id"].to_list() == ["d0"]
    r = rows.row(0, named=True)
    assert r["event_type"] == "agreement" and (r["event_date"], r["date_precision"]) == (dt.date(2011, 1, 1), "year")
    assert parts(r) == {"Denmark", "Portugal"}


def test_the_next_day_is_the_day_after_the_last_day_given_before():
    rows = extract("Prime Minister Ana Ruiz met Prime Minister Lars Holm of Denmark in Oslo on June 3. A day later, "
                   "Ruiz met Prime Minister Jonas Berg of Norway in Bergen.", published=dt.date(2024, 6, 10))
    dates = {frozenset(parts(r)): r["event_date"] for r in rows.iter_rows(named=True)}
    assert dates[frozenset({"Ana Ruiz", "Jonas Berg"})] == dt.date(2024, 6, 4)
    assert dates[frozenset({"Ana Ruiz", "Lars Holm"})] == dt.date(2024, 6, 3)


def test_talks_that_set_a_signing_are_held_by_those_who_signed_on_its_day():
    rows = extract("Denmark and Chile on Tuesday signed four agreements on transport, energy and culture during a "
                   "meeting of their foreign ministers in Santiago.",
                   "Denmark and Chile on Tuesday signed four agreements ahead of a meeting of their foreign ministers "
                   "in Santiago.", published=dt.date(2024, 5, 16))
    talks = rows.filter(pl.col("event_type") == "meeting")
    assert talks["doc_id"].to_list() == ["d0"]
    r = talks.row(0, named=True)
    assert parts(r) == {"Denmark", "Chile"} and r["event_date"] == dt.date(2024, 5, 14)


def test_a_welcome_ceremony_prior_to_the_talks_is_of_their_day():
    rows = extract("On the afternoon of June 7, 2024, President Ana Ruiz held talks with Prime Minister of Denmark Lars "
                   "Holm in Lisbon.\n\nPrior to the talks, Ana Ruiz held a welcome ceremony for Lars Holm at the palace.",
                   published=dt.date(2024, 6, 9))
    ceremony = first_of(rows, "ceremony")
    assert ceremony["event_date"] == dt.date(2024, 6, 7)


def test_the_two_ministers_as_a_communique_capitalises_them_signed_what_the_talks_parties_signed():
    rows = extract("The Fifth Session of the Joint Commission between Portugal and Denmark was held in Lisbon on 27 June "
                   "2024.\n\nAt the end of the session, the two Ministers signed an Agreement on Visa Exemption.",
                   published=dt.date(2024, 6, 28))
    signing = first_of(rows, "agreement")
    assert parts(signing) == {"Portugal", "Denmark"} and signing["event_date"] == dt.date(2024, 6, 27)


def test_a_visit_told_as_the_setting_of_dated_talks_is_under_way_that_day():
    rows = extract("I've just come from a very warm meeting with Prime Minister Lars Holm of Denmark, on my first "
                   "visit to Copenhagen since he took office.",
                   "I've just come from a very warm meeting with Prime Minister Lars Holm of Denmark, and I invited "
                   "him to pay an official visit to Lisbon.", published=dt.date(2024, 5, 13))
    visits = rows.filter(pl.col("event_type") == "visit")
    first = visits.filter(pl.col("doc_id") == "d0").row(0, named=True)
    assert first["event_date"] == dt.date(2024, 5, 13)
    assert all(r["event_date"] != dt.date(2024, 5, 13) for r in visits.filter(pl.col("doc_id") == "d1").iter_rows(named=True))


def test_a_caption_s_closing_day_dates_its_deed_over_the_dateline_but_not_the_forum_attended():
    rows = extract("LISBON, May 4, 2021 (Agency) -- Danish Prime Minister Lars Holm arrives at Lisbon Airport to attend "
                   "the 12th Atlantic Forum for Cooperation, in Lisbon, capital of Portugal, May 3, 2021. (Agency/Ana Ruiz)"
                   "\n\nLISBON, May 5, 2021 (Agency) -- Portuguese President Ana Ruiz delivers a keynote speech at the "
                   "opening ceremony of the 12th Atlantic Forum for Cooperation in Lisbon, capital of Portugal, May 5, "
                   "2021. (Agency/Lars Holm)", published=dt.date(2021, 5, 5))
    visit = first_of(rows, "visit")
    assert visit["event_date"] == dt.date(2021, 5, 3)
    forum = rows.filter(pl.col("event_type") == "multilateral_meeting")
    assert dt.date(2021, 5, 3) not in forum["event_date"].to_list()


def test_talks_held_at_a_gathering_are_in_person_and_the_one_met_named_after_it_is_theirs():
    rows = extract("President Ana Ruiz spoke today on the margins of the Nordic Summit with President Lars Holm of "
                   "Denmark.",
                   "President Ana Ruiz spoke today with Prime Minister Lars Holm of Denmark at the G7 to discuss trade.",
                   "President Ana Ruiz spoke today with Prime Minister Lars Holm of Denmark about the G7 summit.",
                   published=dt.date(2021, 6, 14))
    talks = by_doc(rows, "meeting", "phone_call")
    assert talks["d0"]["event_type"] == "meeting" and {"Ana Ruiz", "Lars Holm"} <= parts(talks["d0"])
    summit = rows.filter((pl.col("doc_id") == "d0") & (pl.col("event_type") == "multilateral_meeting")).row(0, named=True)
    assert "Lars Holm" not in parts(summit)
    assert (talks["d1"]["event_type"], talks["d1"]["channel"]) == ("meeting", "in_person")
    assert (talks["d2"]["event_type"], talks["d2"]["channel"]) == ("phone_call", "phone")


def test_a_trilateral_summit_is_of_the_states_listed_after_it_not_of_who_welcomed_it():
    rows = extract("President Ana Ruiz welcomed the recent trilateral summit in Oslo between Denmark, Norway, and Sweden.",
                   "We attach great importance to the trilateral summit of Denmark, Norway and Sweden, which we agreed "
                   "to hold next year.",
                   "The leaders of Denmark, Norway and Sweden held their first trilateral summit at the palace on Monday.",
                   published=dt.date(2024, 7, 10))
    summits = by_doc(rows, "multilateral_meeting")
    assert set(summits) == {"d0", "d1", "d2"}
    assert parts(summits["d0"]) == {"Denmark", "Norway", "Sweden"} and summits["d0"]["event_date"] is None
    assert parts(summits["d1"]) == {"Denmark", "Norway", "Sweden"}
    assert summits["d2"]["event_date"] == dt.date(2024, 7, 8)


def test_a_round_of_talks_held_is_talks():
    rows = extract("Denmark and Norway last held a round of so-called exploratory talks in Oslo in March 2021.",
                   "Holm Bank held a round of merger talks with Ruiz Bank in March 2021.", published=dt.date(2024, 7, 10))
    assert rows.filter(pl.col("event_type") == "meeting")["doc_id"].to_list() == ["d0"]


def test_a_meeting_of_a_council_of_heads_of_state_is_multilateral():
    rows = extract("The next meeting of the Council of Heads of State of the SCO will be held in Astana in July 2025.",
                   published=dt.date(2024, 7, 4))
    assert rows["event_type"].to_list() == ["multilateral_meeting"]


def test_a_summit_told_by_the_country_that_hosts_it_is_not_the_protagonists():
    rows = extract("Chair's Summary: 3rd Nordic Ocean Summit\n\nDenmark hosted the 3rd Nordic Ocean Summit on 17 August "
                   "2024 in virtual format.\n\nPrime Minister Lars Holm chaired the opening session. Prime Minister Lars "
                   "Holm delivered the closing address.", published=dt.date(2024, 8, 17))
    hosted = [r for r in rows.iter_rows(named=True) if r["evidence"].startswith("Denmark hosted")]
    assert hosted and parts(hosted[0]) == {"Denmark"}


def test_the_spokesman_who_reports_a_call_is_no_party_and_a_headline_verb_opens_no_name():
    rows = extract("Minister of State Receives Phone Call from Danish Foreign Minister\n\nSpokesman for the Presidency, "
                   "Ambassador Tomas Berg, stated that President Ana Ruiz received today a phone call from President "
                   "Lars Holm of Denmark.", published=dt.date(2025, 1, 14))
    names = set().union(*(parts(r) for r in rows.iter_rows(named=True)))
    assert "Tomas Berg" not in names and "Phone Call" not in names
    assert {"Ana Ruiz", "Lars Holm"} <= names


def test_a_headline_is_not_dated_by_a_caption_of_another_edition_of_its_gathering():
    text = ("Home | News | Culture\n16th Lisbon International Book Fair kicks off online\n"
            "Visitors browse at the 15th Lisbon International Book Fair, May 16, 2019. (Agency/Ana Ruiz) "
            "The 16th Lisbon International Book Fair kicked off online on Nov. 16.")
    docs = page(text, "16th Lisbon International Book Fair kicks off online", published=dt.date(2020, 11, 19))
    rows = events.mentions(docs).sort("char_start").to_dicts()
    assert rows[0]["evidence"].startswith("16th Lisbon") and rows[0]["event_date"] == dt.date(2020, 11, 16)
