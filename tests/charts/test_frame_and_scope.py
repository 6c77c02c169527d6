"""Chart words a leader reads: filters in title and file name, titles inside the figure, one label per level."""

from __future__ import annotations

import plotly.graph_objects as go

from charts.common import chart_title, export_config, frame_figure, slug
from charts.labels import chart_name, filter_scope, scoped
from exports import figures


def test_every_active_filter_is_in_the_overview_title_and_file_name(demo_con):
    agency, group = demo_con.execute(
        'SELECT a.agency_id, t."group" FROM v_target_agencies a JOIN v_targets t USING (target_id) '
        "WHERE t.horizon = '2030' ORDER BY 1 LIMIT 1"
    ).fetchone()
    whole = figures.overview_chart(demo_con, "2030", "2026-Q3")
    mine = figures.overview_chart(demo_con, "2030", "2026-Q3", agency=agency, group=group)
    assert mine is not None and whole is not None
    name = demo_con.execute(
        "SELECT agency_name FROM v_target_agencies WHERE agency_id = ?", [agency]
    ).fetchone()[0]
    assert name in chart_title(mine.figure)
    assert name not in chart_title(whole.figure)
    assert slug(agency) in slug(mine.name) and slug(agency) not in slug(whole.name)
    assert slug(group) in slug(mine.name)


def test_scope_words():
    assert filter_scope() == ""
    assert scoped("Tiến độ", "") == "Tiến độ"
    assert scoped("Tiến độ", filter_scope("Sở KH&CN", "Chuyển đổi số", None)) == (
        "Tiến độ — Sở KH&CN · nhóm Chuyển đổi số"
    )
    assert chart_name("nq57 tong quan", "2030", None, "kh1", "2026-Q3") == "nq57 tong quan 2030 kh1 2026-Q3"


def test_a_long_title_wraps_and_the_top_margin_grows_with_it():
    def framed(title: str) -> go.Figure:
        return frame_figure(go.Figure(), title, "phụ đề", "Nguồn: x.", height=400)

    short, long = framed("Ngắn"), framed("Tỷ lệ nhiệm vụ chưa hoàn thành " * 6)
    title = next(a for a in long.layout.annotations if a.name == "title")
    assert title.text.count("<br>") >= 2
    assert long.layout.margin.t > short.layout.margin.t
    assert chart_title(long).startswith("Tỷ lệ nhiệm vụ")


def test_the_modebar_with_its_english_tooltips_is_off():
    config = export_config("nq57 x")
    assert config["displayModeBar"] is False and config["locale"] == "vi"


def test_two_plans_with_one_level_share_one_label(demo_con):
    chart = figures.indicator_chart(demo_con, "PII", "2026-Q3")
    assert chart is not None
    margin = [a.text for a in chart.figure.layout.annotations if a.text and a.text.startswith("→")]
    years = [t.split(":")[0] for t in margin]
    assert len(years) == len(set(years)), margin  # 2030 and 2045 once each, whatever the plans
