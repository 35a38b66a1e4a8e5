"""Write-audit-publish: failing rows are quarantined, a failed table-level expectation publishes nothing."""
import shutil

import duckdb
import polars as pl
import pytest

from tests.conftest import SEEDS


def test_row_level_failure_goes_to_quarantine_and_table_level_failure_is_reported():
    from expectations.validate import validate
    figures = pl.DataFrame({
        "figure_id": ["a", "b", "b"], "doc_id": ["d", "d", "d"], "span_ok": [True, True, False],
        "value": [1.0, 2.0, 3.0], "unit": ["count", "furlong", "count"], "qualifier": ["exact"] * 3})
    out = validate({"figures": figures}, "run-x")
    quarantined = dict(zip(out.quarantine["row_key"], out.quarantine["expectation"]))
    assert out.clean["figures"]["figure_id"].to_list() == ["a"]
    assert "expect_column_values_to_be_in_set(unit)" in out.quarantine["expectation"].to_list()
    assert set(quarantined) == {"b"}
    assert any("expect_column_values_to_be_unique(figure_id)" in f for f in out.failures)
    assert out.results.filter(~pl.col("success")).height >= 2


@pytest.fixture()
def source(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(SEEDS, src)
    return src


def test_bad_rows_are_quarantined_not_published(prefect_harness, tmp_path, source, monkeypatch):
    from flows import pipeline
    real = pipeline.extract_batch

    def with_a_bad_figure(rows):
        out = real(rows)
        bad = out["figures"].head(1).with_columns(pl.lit("furlong").alias("unit"), pl.lit("bad-figure").alias("figure_id"))
        out["figures"] = pl.concat([out["figures"], bad])
        return out

    monkeypatch.setattr(pipeline, "extract_batch", with_a_bad_figure)
    wh = tmp_path / "w.duckdb"
    summary = pipeline.run_pipeline(source=str(source), warehouse=str(wh))
    con = duckdb.connect(str(wh), read_only=True)
    try:
        assert summary["quarantined"] == 1
        assert con.execute("SELECT count(*) FROM figures WHERE figure_id = 'bad-figure'").fetchone()[0] == 0
        row = con.execute("SELECT table_name, row_key, expectation FROM quarantine").fetchall()
        assert row == [("figures", "bad-figure", "expect_column_values_to_be_in_set(unit)")]
        assert con.execute("SELECT count(*) FROM figures").fetchone()[0] > 0
    finally:
        con.close()


def test_table_level_failure_publishes_nothing(prefect_harness, tmp_path, source, monkeypatch, capsys):
    from flows import cli, pipeline
    wh = tmp_path / "w.duckdb"
    pipeline.run_pipeline(source=str(source), warehouse=str(wh))
    con = duckdb.connect(str(wh), read_only=True)
    before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "figures", "events")}
    con.close()
    (source / "extra.txt").write_text("On May 3, Joe Biden spoke by phone with Justin Trudeau about 12 issues.\n")
    real = pipeline.extract_batch

    def duplicated_ids(rows):
        out = real(rows)
        out["figures"] = pl.concat([out["figures"], out["figures"]])
        return out

    monkeypatch.setattr(pipeline, "extract_batch", duplicated_ids)
    rc = cli.main(["run", "--source", str(source), "--warehouse", str(wh)])
    assert rc == 4
    assert "expect_column_values_to_be_unique(figure_id)" in capsys.readouterr().err
    con = duckdb.connect(str(wh), read_only=True)
    try:
        after = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "figures", "events")}
        assert after == before
        assert con.execute("SELECT status FROM runs ORDER BY started_at").fetchall()[-1][0] == "failed"
        assert con.execute("SELECT count(*) FROM validation_results WHERE NOT success").fetchone()[0] >= 1
    finally:
        con.close()
