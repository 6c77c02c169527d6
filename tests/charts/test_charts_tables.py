"""The status-table rows and the indicator chart's inputs built in charts/, on real frames of the demo data."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from charts import labels as words
from charts.indicator import indicator_view, values_until
from charts.tables import BRIEF_COLUMNS, brief_status_rows, status_rows, wording_rows
from charts.vn import fmt_value, unit_decimals
from loaders import read
from metrics.status_labels import status_order

PERIOD = "2026-Q3"


def test_values_until_keeps_every_column_of_an_empty_frame():
    empty = pd.DataFrame({"indicator_id": [], "period": [], "value": []}, dtype=object)
    out = values_until(empty, PERIOD)
    assert list(out.columns) == ["indicator_id", "period", "value"]
    assert out.empty


def test_values_until_drops_later_periods():
    frame = pd.DataFrame({"period": ["2025-Q4", "2026-Q3", "2026-Q4"], "value": [1.0, 2.0, 3.0]})
    assert values_until(frame, PERIOD)["value"].tolist() == [1.0, 2.0]


def test_every_indicator_of_the_catalog_as_built_has_a_view(catalog_db):
    con = duckdb.connect(str(catalog_db), read_only=True)
    try:
        status, actuals = read.target_status(con, PERIOD), read.actuals(con)
    finally:
        con.close()
    empty = 0
    for indicator_id in status["indicator_id"].unique():
        mine = actuals[actuals["indicator_id"] == indicator_id]
        view = indicator_view(status, indicator_id, mine, actuals, PERIOD)
        assert view is not None and len(view.targets) == (status["indicator_id"] == indicator_id).sum()
        assert view.has_values == mine["value"].notna().any()
        if not view.has_values:
            empty += 1
            assert view.path == [] and view.projection is None
    assert empty >= 40  # the catalog carries only the four published figures
    assert indicator_view(status, "NO_SUCH_INDICATOR", actuals, actuals, PERIOD) is None


def test_page_rows_and_slide_rows_read_each_target_the_same(demo_con):
    rows = read.target_status(demo_con, PERIOD, "2030")
    page = status_rows(rows)
    body, statuses = brief_status_rows(rows, with_agency=True)
    assert len(body) == len(page) == len(rows) == len(statuses)
    assert all(len(line) == len(BRIEF_COLUMNS) + 1 for line in body)
    page_pairs = sorted(zip(page["Chỉ tiêu"], page["Mức chỉ tiêu"], strict=True))
    slide_pairs = sorted((line[0], line[2]) for line in body)
    assert page_pairs == slide_pairs
    for line in body:
        assert line[1].endswith(f"· {words.horizon_label('2030')}")
    # worst first on the slide: statuses never get better down the table
    order = [status_order(s) for s in statuses]
    assert order == sorted(order)


def test_the_horizon_words_are_one_rule():
    assert words.HORIZON_LABELS == {"2025-Q4": "Quý IV/2025", "2030": "Năm 2030", "2045": "Năm 2045"}
    assert words.horizon_scope(None) == "mọi mốc"
    assert words.horizon_scope("2045") == "mốc 2045"
    assert words.horizon_scope("2025-Q4") == "mốc Quý IV/2025"


def _status(db) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return read.target_status(con, PERIOD)
    finally:
        con.close()


def test_page_tables_never_show_none(catalog_db, demo_file):
    """Empty cells read "" in the wording and status tables, never "None" or "nan" (issue 17)."""
    for db in (catalog_db, demo_file):
        rows = _status(db)
        for table in (wording_rows(rows), status_rows(rows)):
            cells = {str(v) for v in table.to_numpy().ravel()}
            assert not cells & {"None", "nan", "NaN", "<NA>"}, table.columns
    assert (wording_rows(rows)["Cơ quan chủ trì (như kế hoạch ghi)"] == "").any()  # the case that showed None


def test_ocr_wording_has_its_restored_wording_beside_it(catalog_db):
    rows = _status(catalog_db)
    ocr = rows[rows["wording_restored"].notna()]
    assert not ocr.empty
    table = wording_rows(ocr).reset_index(drop=True)
    columns = list(table.columns)
    assert columns.index("Nguyên văn (phục hồi dấu)") == columns.index("Nguyên văn") + 1
    assert table["Nguyên văn (phục hồi dấu)"].tolist() == ocr["wording_restored"].tolist()
    plain = rows[rows["wording_restored"].isna()]
    assert "Nguyên văn (phục hồi dấu)" not in wording_rows(plain).columns


def test_one_number_format_per_unit():
    assert unit_decimals([16.0, 35.2, 3.0, None], ["người", "người", "bản", "người"]) == {
        "người": 1,
        "bản": 0,
    }
    frame = pd.DataFrame({"v": [16.0, 35.2]})
    digits = unit_decimals(frame["v"], ["người", "người"])["người"]
    assert [fmt_value(v, "người", digits) for v in frame["v"]] == ["16,0 người", "35,2 người"]


def test_status_table_formats_each_unit_one_way(demo_file):
    rows = _status(demo_file)
    table = status_rows(rows)
    for unit, group in rows.groupby("unit"):
        if unit.startswith("%") or unit in ("thứ hạng", "có/không"):
            continue
        shown = [t for t in table.loc[group.index, "Thực hiện"] if t != "–"]
        places = {len(t.split(" ")[0].partition(",")[2]) for t in shown}
        assert len(places) <= 1, (unit, shown)


def test_presentation_charts_have_clearly_larger_text(demo_file):
    """The large flag (presentation mode) enlarges every chart's text by a third or more (issue 17)."""
    from charts.overview import overview_figure

    rows = read.target_status(duckdb.connect(str(demo_file), read_only=True), PERIOD, "2030")

    def sizes(fig):
        texts = [a.font.size for a in fig.layout.annotations if a.font.size]
        ticks = [t.textfont.size for t in fig.data if getattr(t, "textfont", None) and t.textfont.size]
        return fig.layout.font.size, max(texts), max(ticks)

    small = sizes(overview_figure(rows, "2030", PERIOD, "Nguồn", large=False))
    large = sizes(overview_figure(rows, "2030", PERIOD, "Nguồn", large=True))
    assert all(b >= 1.35 * a for a, b in zip(small, large, strict=True)), (small, large)


def test_overview_rows_show_a_small_gap_as_plainly_as_a_large_one():
    """2,2 against ≥ 3 was a hair on a 0–100 axis; as a share of the way to the target it is a gap (#17)."""
    from charts.progress import TARGET_AT, prepare_rows

    base = dict(
        target_value_high=None,
        also_rising=False,
        value_as_written=None,
        status="off_track",
        manual_result=None,
        plan_name="KH",
        group_order=1,
        required_value=None,
    )
    frame = pd.DataFrame(
        [
            {
                **base,
                "indicator_short_name": "A",
                "unit": "% GRDP",
                "direction": "higher",
                "comparator": ">=",
                "actual_value": 2.2,
                "target_value": 3.0,
            },
            {
                **base,
                "indicator_short_name": "B",
                "unit": "%",
                "direction": "higher",
                "comparator": ">=",
                "actual_value": 62.0,
                "target_value": 80.0,
            },
            {
                **base,
                "indicator_short_name": "C",
                "unit": "thứ hạng",
                "direction": "lower",
                "comparator": "<=",
                "actual_value": 60.0,
                "target_value": 57.0,
            },
            {
                **base,
                "indicator_short_name": "D",
                "unit": "%",
                "direction": "higher",
                "comparator": "between",
                "actual_value": 8.1,
                "target_value": 9.0,
                "target_value_high": 10.0,
            },
        ]
    )
    rows = prepare_rows(frame).set_index("indicator_short_name")
    assert rows["pos_target_value"].tolist() == pytest.approx([TARGET_AT] * 4)
    gaps = rows["pos_target_value"] - rows["pos_actual_value"]
    assert gaps["A"] == pytest.approx(TARGET_AT * (1 - 2.2 / 3))
    assert gaps.min() >= 0.07 and gaps["A"] > gaps["B"]  # the smaller value's gap is not the one hidden
    assert gaps["C"] == pytest.approx(TARGET_AT * (1 - 3 / 6))  # 63−60 of the 63−57 way down to rank 57
    assert rows.loc["D", "pos_target_value_high"] == pytest.approx(TARGET_AT * 10 / 9)
    assert "2,2% GRDP" in rows.loc["A", "row_text"]  # the value still reads in its unit
