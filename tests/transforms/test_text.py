from transforms.text import paragraphs, sentence_spans


def spans(text):
    return [text[s:e] for _, s, e in sentence_spans(text)]


def test_sentences_split_at_terminal_punctuation_with_offsets():
    text = "The ministers met in Oslo. They agreed on a plan! Was it enough? Nobody knows."
    assert spans(text) == ["The ministers met in Oslo.", "They agreed on a plan!", "Was it enough?", "Nobody knows."]


def test_abbreviations_and_initials_do_not_end_sentences():
    text = "U.S. President Joseph R. Biden Jr. spoke with Mr. Smith on Nov. 3 about trade. The call ended."
    assert spans(text) == ["U.S. President Joseph R. Biden Jr. spoke with Mr. Smith on Nov. 3 about trade.",
                           "The call ended."]
    text = "The Prime Minister met the President of Portugal, H.E. Ana Ruiz, in Lisbon. They discussed trade."
    assert spans(text) == ["The Prime Minister met the President of Portugal, H.E. Ana Ruiz, in Lisbon.",
                           "They discussed trade."]



def test_an_honorific_with_a_full_stop_does_not_end_a_sentence():
    text = "The Prime Minister spoke with the Hon. Ana Ruiz MP and the Rev. Tomas Berg. They agreed."
    assert spans(text) == ["The Prime Minister spoke with the Hon. Ana Ruiz MP and the Rev. Tomas Berg.", "They agreed."]

def test_blank_lines_make_paragraphs():
    text = "First paragraph here.\n\nSecond paragraph here."
    paras = [(p.start, p.end) for p in paragraphs(text)]
    assert [text[s:e] for s, e in paras] == ["First paragraph here.", "Second paragraph here."]


def test_hard_wrapped_lines_join_into_one_sentence():
    text = ("The foreign ministers of the two countries held talks in the capital on\n"
            "Tuesday and agreed to expand cooperation in trade, energy and culture over\n"
            "the next five years, officials said on Wednesday after the long meeting.\n"
            "\n"
            "Both sides also discussed the situation in the region and pledged to keep\n"
            "in close contact through their embassies and at international forums too.\n")
    sents = spans(text)
    assert len(sents) == 2
    assert sents[0].startswith("The foreign ministers") and sents[0].endswith("long meeting.")


def test_quoted_sentence_end():
    text = '"We will go," she said. "Now."'
    assert spans(text)[0] == '"We will go," she said.'


def test_spans_answer_overlap_like_a_scan_of_every_span():
    import random
    from transforms.text import Spans
    rnd = random.Random(7)
    spans, taken = Spans(), []
    for _ in range(400):
        s = rnd.randrange(0, 1000)
        e = s + rnd.randrange(1, 30)
        expected = not any(s < te and ts < e for ts, te in taken)
        assert spans.free(s, e) == expected
        if expected or rnd.random() < 0.3:
            spans.add(s, e)
            taken.append((s, e))


def test_a_short_text_joins_lines_where_a_sentence_runs_on_but_not_after_a_heading():
    text = ("Readout of the Call\nPrime Minister Ana Ruiz spoke with President Lars Holm of\n"
            "Denmark today.\nThey discussed trade.")
    spans = [text[s:e] for _, s, e in sentence_spans(text, 0, len(text))]
    assert "Prime Minister Ana Ruiz spoke with President Lars Holm of\nDenmark today." in spans
    assert "Readout of the Call" in spans
