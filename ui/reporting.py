"""Cached reads of the reporting cycle for pages: the calendar, states as of a day, reminder files."""

from __future__ import annotations

import os
from datetime import date

import pandas as pd
import streamlit as st

from loaders import reminders, reporting
from loaders.reminder_mail import smtp_settings
from metrics import clock
from ui.data import _run


@st.cache_data(show_spinner=False, ttl=600)
def calendar() -> pd.DataFrame:
    return _run(reporting.calendar)


@st.cache_data(show_spinner=False, ttl=600, max_entries=16)
def classified(today: date, period: str | None = None) -> pd.DataFrame:
    return _run(reporting.classified, today, period)


@st.cache_data(show_spinner=False, ttl=600, max_entries=24)
def reminder_files(period: str, today: date, agency_id: str) -> dict[str, bytes]:
    """The letter and the template of missing rows for one agency, by file name."""

    def make(con) -> dict[str, bytes]:
        for reminder in reminders.reminders(con, period, today):
            if reminder.agency_id == agency_id:
                return reminders.reminder_files(con, reminder, reminders.is_demo(con))
        return {}

    return _run(make)


@st.cache_data(show_spinner=False, ttl=600, max_entries=64)
def summary(today: date, period: str) -> pd.DataFrame:
    """metrics.reporting.agency_summary of classified(today, period), cached: a click changes nothing here."""
    from metrics.reporting import agency_summary

    return agency_summary(classified(today, period))


def figure(today: date, period: str, demo: bool, large: bool):
    """The page's on-time chart (charts.reporting.reporting_figure) of summary(today, period), cached."""
    from ui.figures import thaw

    return thaw(_figure(today, period, demo, large))


@st.cache_data(show_spinner=False, ttl=600, max_entries=64)
def _figure(today: date, period: str, demo: bool, large: bool) -> dict:
    from charts.reporting import reporting_figure
    from charts.vn import fmt_date
    from metrics.periods import quarter_label_vi
    from ui.figures import freeze

    cal = calendar().set_index("period").loc[period]
    fig = reporting_figure(
        summary(today, period),
        title=f"Tỷ lệ báo cáo đúng hạn theo cơ quan, {quarter_label_vi(period)}",
        subtitle=f"Đơn vị: % số chỉ tiêu và nhiệm vụ phải báo cáo · hạn {fmt_date(cal['agency_deadline'])} · "
        f"tính đến {fmt_date(today)}",
        footer="Nguồn: lịch báo cáo (Nghị định 09/2019/NĐ-CP), các kế hoạch thực hiện NQ57 và số liệu đã tải "
        f"lên đến {fmt_date(today)}. Bảng theo dõi NQ57 Lai Châu.",
        demo=demo,
        large=large,
    )
    return freeze(fig)


@st.cache_data(show_spinner=False, ttl=600, max_entries=16)
def province_rate(today: date) -> pd.DataFrame:
    """metrics.reporting.province_rate over every period, cached."""
    from metrics.reporting import province_rate as rate

    return rate(classified(today), today)


def clear_derived() -> None:
    """Forget what is computed from classified(), with it (after a narrative is written)."""
    for cached in (summary, _figure, province_rate, _on_time_tile):
        cached.clear()


def mail_settings():
    """SMTP settings from .streamlit/secrets.toml [smtp] or NQ57_SMTP_* variables; None when not set."""
    try:
        secrets = dict(st.secrets.get("smtp", {}))
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        secrets = {}
    return smtp_settings(os.environ, secrets)


def on_time_metric(container=None) -> None:
    """The overview's tile: the province's on-time rate for the latest period whose deadline has passed."""
    value, help_text = _on_time_tile(clock.today())
    (container or st).metric("Tỷ lệ báo cáo đúng hạn", value, help=help_text, border=True)


@st.cache_data(show_spinner=False, ttl=600, max_entries=4)
def _on_time_tile(today: date) -> tuple[str, str]:
    """The tile's value and help text, cached: province_rate over the period cost ~25 ms a warm run."""
    from charts.vn import fmt_number
    from metrics.periods import quarter_label_vi
    from metrics.reporting import province_rate, report_period

    period = report_period(calendar(), today)
    rate = province_rate(classified(today, period), today) if period else pd.DataFrame()
    if rate.empty:
        return "–", "Chưa có kỳ báo cáo nào trong lịch."
    row = rate.iloc[0]
    return (
        f"{fmt_number(100 * row['share_on_time'], 0)}%",
        f"{quarter_label_vi(period)}: {row['n_on_time']}/{row['n_owed']} chỉ tiêu và nhiệm vụ phải báo cáo "
        "được gửi đúng hạn. Chi tiết: trang Tình hình báo cáo.",
    )
