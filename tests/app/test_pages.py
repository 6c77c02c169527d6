"""Every page renders without an exception, for every horizon, and responds to the shared filters."""

from __future__ import annotations

import duckdb
import pytest

PAGES = [
    "pages/overview.py",
    "pages/agencies.py",
    "pages/indicator.py",
    "pages/targets.py",
    "pages/plans.py",
    "pages/tasks.py",
    "pages/upload.py",
    "pages/export_files.py",
    "pages/reporting.py",
]
HORIZONS = ["2025-Q4", "2030", "2045"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("horizon", HORIZONS)
def test_every_page_renders_for_every_horizon(app, page, horizon):
    at = app(moc=horizon).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title, "every page has a title"
    assert any("minh họa" in w.value for w in at.warning), "demo data must be marked on every page"


def _counts(db, as_of):
    con = duckdb.connect(str(db))
    try:
        rows = con.execute(
            "SELECT s.status, count(*) FROM target_status(?) s JOIN v_targets t USING (target_id) "
            "WHERE t.horizon = '2030' GROUP BY 1",
            [as_of],
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


def test_overview_tiles_equal_the_status_view(app, demo_db):
    con = duckdb.connect(str(demo_db))
    latest = con.execute("SELECT max_by(period, period_index(period)) FROM v_actuals").fetchall()[0][0]
    view = dict(
        con.execute(
            "SELECT s.status, count(*) FROM v_target_status s JOIN v_targets t USING (target_id) "
            "WHERE t.horizon = '2030' GROUP BY 1"
        ).fetchall()
    )
    n_2030 = con.execute("SELECT count(*) FROM v_targets WHERE horizon = '2030'").fetchone()[0]
    con.close()
    at = app(moc="2030").run()
    assert not at.exception
    tiles = {m.label: int(m.value) for m in at.metric if not m.value.endswith("%")}  # counts, not rates
    assert at.selectbox(key="as_of").value == latest
    assert tiles["Đạt"] == view.get("met", 0) + view.get("met_early", 0)
    assert tiles["Đúng tiến độ"] == view.get("on_track", 0)
    assert tiles["Có nguy cơ"] == view.get("at_risk", 0)
    assert tiles["Chậm / không đạt"] == view.get("off_track", 0) + view.get("not_met", 0)
    assert tiles["Chưa có số liệu"] == sum(
        view.get(s, 0) for s in ("no_data", "insufficient_data", "not_reported")
    )
    assert tiles["Đánh giá thủ công"] == view.get("manual", 0)
    assert sum(tiles.values()) == sum(view.values()) == n_2030 > 0


def test_changing_the_period_changes_the_overview(app, demo_db):
    at = app(moc="2030").run()
    at.selectbox(key="as_of").set_value("2025-Q2").run()
    assert not at.exception
    tiles = {m.label: int(m.value) for m in at.metric if not m.value.endswith("%")}  # counts, not rates
    expected = _counts(demo_db, "2025-Q2")
    assert tiles["Đúng tiến độ"] == expected.get("on_track", 0)
    assert tiles["Chưa có số liệu"] == sum(
        expected.get(s, 0) for s in ("no_data", "insufficient_data", "not_reported")
    )


def test_agency_filter_narrows_every_page(app):
    at = app(moc="2030").run()
    before = sum(int(m.value) for m in at.metric if not m.value.endswith("%"))
    at.sidebar.selectbox(key="f_agency").set_value("so_noivu").run()
    after = sum(int(m.value) for m in at.metric if not m.value.endswith("%"))
    assert not at.exception
    assert 0 < after < before
    at.switch_page("pages/targets.py").run()
    table = at.dataframe[0].value
    # tu11-21 names no lead: it is Sở Nội vụ's through KH 6896, and says so.
    assert set(table["Cơ quan chủ trì (hiện nay)"]) == {"Sở Nội vụ", "Sở Nội vụ (suy ra từ KH 6896)"}


def test_filters_come_from_the_link(app):
    at = app(moc="2025-Q4", nhom="ha_tang_so").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="f_group").value == "ha_tang_so"
    assert (
        sum(int(m.value) for m in at.metric if not m.value.endswith("%")) == 7
    )  # 4 (11-KH/TU) + 3 (6896) targets of Hạ tầng số


def test_plan_page_shows_the_original_wording(app):
    at = app().run()
    at.switch_page("pages/plans.py").run()
    at.selectbox(key="plans_plan").set_value("tu11").run()
    assert not at.exception
    targets = at.dataframe[0].value
    assert len(targets) == 21
    assert targets["Nguyên văn"].str.contains("Phan d4u phu séng").any()
    assert targets["Nguyên văn (phục hồi dấu)"].str.contains("Phấn đấu phủ sóng").any()


@pytest.mark.parametrize("indicator", ["KTS_GRDP", "PII", "BAN_LOM_SONG", "KHCN_TIEM_LUC"])
def test_indicator_page_shows_every_target_of_the_indicator(app, demo_db, indicator):
    con = duckdb.connect(str(demo_db))
    expected = con.execute("SELECT count(*) FROM v_targets WHERE indicator_id = ?", [indicator]).fetchall()[
        0
    ][0]
    con.close()
    at = app(chitieu=indicator).run()
    at.switch_page("pages/indicator.py").run()
    assert not at.exception
    assert at.selectbox(key="indicator").value == indicator
    wording = at.dataframe[0].value
    assert len(wording) == expected
    statuses = [m.value for m in at.markdown if " — KH " in m.value and "mốc" in m.value]
    assert len(statuses) == expected


def test_indicator_page_says_where_plans_disagree(app):
    at = app(chitieu="BAN_LOM_SONG").run()
    at.switch_page("pages/indicator.py").run()
    text = " ".join(w.value for w in at.warning)
    assert "mức khác nhau" in text and "33/33" in text and "09/33" in text


def test_agency_page_rolls_old_names_up(app):
    at = app().run()
    at.switch_page("pages/agencies.py").run()
    assert not at.exception
    labels = list(at.selectbox(key="agency_detail").options)  # one agency's detail at a time
    khcn = next(label for label in labels if label.startswith("Sở Khoa học và Công nghệ"))
    assert "chỉ tiêu" in khcn
    assert not any(label.startswith("Sở Thông tin và Truyền thông") for label in labels)
    at.selectbox(key="agency_detail").set_value("so_khcn").run()
    captions = " ".join(c.value for c in at.caption)
    assert "Trước đây:" in captions and "Sở Thông tin và Truyền thông" in captions


def test_presentation_mode_hides_the_controls(app):
    at = app(present="1", moc="2030").run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "as_of"]
    assert not [s for s in at.sidebar.selectbox if s.key == "f_group"]
    assert len([m for m in at.metric if m.label != "Tỷ lệ báo cáo đúng hạn"]) == 6
    at.sidebar.toggle(key="present").set_value(False).run()
    assert [s for s in at.selectbox if s.key == "as_of"]


def test_the_period_picker_says_which_period_has_the_latest_data(app, demo_db):
    from metrics.periods import current_period, quarter_label_vi

    con = duckdb.connect(str(demo_db))
    latest = con.execute(
        "SELECT max_by(period, period_index(period)) FILTER (WHERE comparable) FROM v_actuals"
    ).fetchall()[0][0]
    con.close()
    at = app(moc="2030").run()
    assert at.selectbox(key="as_of").value == latest
    expected = f"Số liệu mới nhất: {quarter_label_vi(latest)}; hôm nay: {quarter_label_vi(current_period())}"
    assert expected in [c.value for c in at.caption]
    at.switch_page("pages/tasks.py").run()
    assert any(f"quá hạn tính theo kỳ {quarter_label_vi(latest)}" in c.value for c in at.caption)


def test_plans_page_marks_inferred_leads_and_the_missing_task_appendix(app):
    """11-KH/TU names no lead per target and its task appendix is not in the source: the page says both."""
    at = app(kehoach="tu11").run()
    at.switch_page("pages/plans.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="plans_plan").value == "tu11"
    table = at.dataframe[0].value
    as_written = table["Cơ quan chủ trì (như kế hoạch ghi)"]
    assert as_written.isna().all() or (as_written.fillna("") == "").all()
    leads = table["Cơ quan chủ trì (hiện nay)"]
    assert (
        leads.str.endswith(")").all() and leads.str.contains("(suy ra từ KH 6896)", regex=False).sum() >= 15
    )
    assert any("không có phụ lục" in w.value for w in at.warning)
    assert [t.label for t in at.tabs][1] == "Nhiệm vụ (chưa có phụ lục)"


def test_pages_show_words_not_raw_values(app):
    """No seed file hash on Kế hoạch, no command line on Xuất báo cáo, no None in a table (issue 17)."""
    import re

    at = app(kehoach="tu11", chitieu="BAN_LOM_SONG").run()
    at.switch_page("pages/plans.py").run()
    text = " ".join(m.value for m in at.markdown)
    assert "Cơ quan ban hành" in text and not re.search(r"[0-9a-f]{16}\.txt", text)
    at.switch_page("pages/indicator.py").run()
    assert not at.exception
    for frame in at.dataframe:
        assert not frame.value.isna().to_numpy().any()
        assert "None" not in {str(v) for v in frame.value.to_numpy().ravel()}
    wording = at.dataframe[0].value
    assert wording["Nguyên văn (phục hồi dấu)"].str.contains("Phấn đấu phủ sóng").any()
    assert not [m.value for m in at.markdown if "mốc Năm" in m.value]
    at.switch_page("pages/export_files.py").run()
    assert not [m.value for m in at.markdown if "python -m" in m.value]


def test_presentation_mode_on_the_indicator_page_shows_no_controls_and_larger_text(app):
    at = app(present="1", chitieu="KTS_GRDP").run()
    at.switch_page("pages/indicator.py").run()
    assert not at.exception, at.exception
    assert not [s for s in at.selectbox if s.key == "indicator"]
    assert not [t for t in at.toggle if t.key == "indicator_2045"]
    assert any("KTS_GRDP" in h.value for h in at.subheader)
    sentences = [m.value for m in at.markdown if " — KH " in m.value]
    assert sentences and all("font-size:1.4em" in s for s in sentences)
    at.sidebar.toggle(key="present").set_value(False).run()
    assert at.selectbox(key="indicator").value == "KTS_GRDP"
    assert not any("font-size" in m.value for m in at.markdown)
