import datetime as dt

from transforms.dates import find_dates, resolve

PUB = dt.date(2021, 11, 20)


def one(text, published=PUB, ref=None):
    found = find_dates(text)
    assert found, text
    return resolve(found[0], published, ref)


def test_month_day_takes_the_article_year():
    assert one("talks on March 26 ended") == (dt.date(2021, 3, 26), "day")


def test_month_after_publication_month_is_last_year():
    assert one("in December the envoy came") == (dt.date(2020, 12, 1), "month")


def test_relative_years_and_months():
    assert one("in May this year") == (dt.date(2021, 5, 1), "month")
    assert one("last year") == (dt.date(2020, 1, 1), "year")
    assert one("in June of last year") == (dt.date(2020, 6, 1), "month")


def test_evening_of_and_ranges_give_the_first_day():
    assert one("on the evening of July 6") == (dt.date(2021, 7, 6), "day")
    assert one("from June 9 to 10, 2018") == (dt.date(2018, 6, 9), "day")


def test_weekday_after_a_dateline():
    assert one("on Thursday the two sides") == (dt.date(2021, 11, 18), "day")


def test_periods():
    assert one("in the first half of 2020") == (dt.date(2020, 1, 1), "month")
    assert one("in September 2015") == (dt.date(2015, 9, 1), "month")


def test_reference_year_when_no_publication_date():
    assert one("On April 3 the talks", published=None, ref=2019) == (dt.date(2019, 4, 3), "day")


def test_unknown_year_stays_none():
    assert one("On April 3 the talks", published=None, ref=None) == (None, None)


def test_deadlines_and_the_verb_may_are_not_dates():
    assert find_dates("emissions will peak by 2030") == []
    assert find_dates("the parties may agree") == []


def test_a_clause_about_the_future_takes_the_coming_month():
    found = find_dates("they agreed to meet again in February")[0]
    assert resolve(found, PUB, None, future=True) == (dt.date(2022, 2, 1), "month")
    assert resolve(found, PUB, None, future=False) == (dt.date(2021, 2, 1), "month")


def test_a_holiday_of_a_fixed_day_is_that_day():
    assert one("thank you for the phone call on New Year’s Day", published=dt.date(2023, 1, 13)) == \
        (dt.date(2023, 1, 1), "day")
    assert one("they spoke on Christmas Eve", published=dt.date(2023, 1, 13)) == (dt.date(2022, 12, 24), "day")
    assert one("met on Boxing Day 2019") == (dt.date(2019, 12, 26), "day")
    assert find_dates("a Christmas tree and a New Year message") == []


def test_a_year_that_names_a_target_or_a_baseline_is_no_date():
    assert find_dates("put forward a strong new 2030 climate target") == []
    assert find_dates("the region's 2050 Strategy for the Blue Pacific") == []
    assert find_dates("to cut emissions by half from 2005 levels") == []
    assert one("the talks of 2019 ended") == (dt.date(2019, 1, 1), "year")
