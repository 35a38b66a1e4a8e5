"""A run resolves its new mentions against the events the warehouse holds: a new report of a
call already held joins that call, keeping its id; events no new mention touches keep their
rows; a changed report leaves the event it was in whole again."""
import json

import duckdb


def _feed(path, items):
    path.write_text("\n".join(json.dumps({"id": i, "date": d, "text": t}) for i, d, t in items) + "\n",
                    encoding="utf-8")


def _events(wh):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        rows = con.execute("""
            SELECT e.event_id, e.event_type, e.event_date, e.mention_count,
                   list(DISTINCT p.name ORDER BY p.name) AS people,
                   (SELECT list(split_part(d.source_path, '#', 2) ORDER BY d.source_path) FROM event_mentions m
                    JOIN documents d USING (doc_id) WHERE m.event_id = e.event_id) AS docs
            FROM events e LEFT JOIN event_participants p USING (event_id)
            GROUP BY ALL ORDER BY e.event_date, e.event_type""").fetchall()
        dangling = con.execute("""SELECT count(*) FROM event_mentions m ANTI JOIN events e USING (event_id)""").fetchone()[0]
        wrong_count = con.execute("""SELECT count(*) FROM events e WHERE mention_count <>
                                     (SELECT count(*) FROM event_mentions m WHERE m.event_id = e.event_id)""").fetchone()[0]
    finally:
        con.close()
    assert dangling == 0 and wrong_count == 0
    return rows


CALL_WH = ("wh-call", "2021-03-05",
           "Joe Biden held a phone call with President Emmanuel Macron of France on March 5 to discuss climate.")
OTHER = ("wh-visit", "2021-02-10",
         "On February 10, Joe Biden met with Prime Minister Justin Trudeau of Canada at the White House.")
CALL_FR = ("elysee-call", "2021-03-05",
           "Emmanuel Macron spoke by phone with US President Joe Biden on March 5 about climate.")


def test_a_new_report_of_a_held_call_joins_it(prefect_harness, tmp_path):
    from flows.pipeline import run_pipeline
    src = tmp_path / "src"
    src.mkdir()
    _feed(src / "white_house.jsonl", [CALL_WH, OTHER])
    wh = tmp_path / "w.duckdb"
    run_pipeline(source=str(src), warehouse=str(wh))
    before = {r[1]: r for r in _events(wh)}
    assert before["phone_call"][3] == 1
    _feed(src / "elysee.jsonl", [CALL_FR])  # another outlet's report of the same call, a run later
    summary = run_pipeline(source=str(src), warehouse=str(wh))
    # the run read its one new mention and the one held event it may join, not the meeting
    assert (summary["mentions_resolved"], summary["mentions_held"]) == (1, 1)
    after = {r[1]: r for r in _events(wh)}
    call = after["phone_call"]
    assert call[0] == before["phone_call"][0]  # the call keeps its id
    assert call[3] == 2 and call[5] == ["elysee-call", "wh-call"]
    assert after["meeting"] == before["meeting"]  # an event no new mention touches is as it was

    # one run over both folders gives the same events
    whole = tmp_path / "whole.duckdb"
    run_pipeline(source=str(src), warehouse=str(whole))
    assert [r[1:] for r in _events(whole)] == [r[1:] for r in _events(wh)]


def test_a_changed_report_leaves_the_event_it_was_in(prefect_harness, tmp_path):
    from flows.pipeline import run_pipeline
    src = tmp_path / "src"
    src.mkdir()
    _feed(src / "white_house.jsonl", [CALL_WH])
    _feed(src / "elysee.jsonl", [CALL_FR])
    wh = tmp_path / "w.duckdb"
    run_pipeline(source=str(src), warehouse=str(wh))
    assert [(r[1], r[3]) for r in _events(wh)] == [("phone_call", 2)]
    # the Elysee's report now tells of another call, a week later
    _feed(src / "elysee.jsonl", [("elysee-call", "2021-03-12",
                                  "Emmanuel Macron spoke by phone with US President Joe Biden on March 12 about Iran.")])
    run_pipeline(source=str(src), warehouse=str(wh))
    calls = [(str(r[2]), r[3], r[5]) for r in _events(wh)]
    assert calls == [("2021-03-05", 1, ["wh-call"]), ("2021-03-12", 1, ["elysee-call"])]


def test_a_gathering_named_without_its_edition_a_run_later_joins_it(prefect_harness, tmp_path):
    from flows.pipeline import run_pipeline
    src = tmp_path / "src"
    src.mkdir()
    _feed(src / "copenhagen.jsonl", [("dk-summit", "2021-05-04", "Prime Minister Lars Holm of Denmark attended the "
                                      "12th Nordic Leaders Summit in Oslo on May 3.")])
    wh = tmp_path / "w.duckdb"
    run_pipeline(source=str(src), warehouse=str(wh))
    held = _events(wh)
    assert [(r[1], r[3]) for r in held] == [("multilateral_meeting", 1)]
    # another capital's report names the same summit without its edition, and nobody it shares
    _feed(src / "lisbon.jsonl", [("pt-summit", "2021-05-04", "President Ana Ruiz of Portugal addressed the Nordic "
                                  "Leaders Summit in Oslo on May 3 by video.")])
    run_pipeline(source=str(src), warehouse=str(wh))
    after = _events(wh)
    assert [(r[0], r[3], r[5]) for r in after] == [(held[0][0], 2, ["dk-summit", "pt-summit"])]
    whole = tmp_path / "whole.duckdb"
    run_pipeline(source=str(src), warehouse=str(whole))
    assert [r[1:] for r in _events(whole)] == [r[1:] for r in after]
