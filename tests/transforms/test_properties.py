"""Any text goes through the transforms without an exception, with offsets inside it."""
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms import documents, events, figures, quotes

WORDS = st.sampled_from(["Xi Jinping", "met", "on March 3,", "2021", "\"", "“", "”", "said", "Biden", "phone call",
                         "summit", "G20", "US$3 billion", "more than", "12.7%", "\n", "\n\n", "visit", "letter",
                         "He", "the", ".", "!", "?", "é", "—", "\r\n", "---", "date: 2022-01-01", "‘", "’"])
TEXTS = st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=60).map(" ".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_gives_offsets_inside_it(text):
    docs = documents.prepare(pl.DataFrame({"doc_id": ["d"], "text": [text]}))
    bs, be = docs["body_start"][0], docs["body_end"][0]
    assert 0 <= bs <= be <= len(text)
    for frame, col in ((figures.extract(docs), "text"), (quotes.extract(docs), "text"),
                       (events.extract(docs), "evidence")):
        for s, e, t in frame.select("char_start", "char_end", col).iter_rows():
            assert 0 <= s <= e <= len(text)
            assert text[s:e] == t
