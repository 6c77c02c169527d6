"""The frame every page shares: sidebar filters kept in session state and the URL, the demo mark, the data date."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from loaders import read
from metrics.periods import current_period, is_period, period_range, quarter_label_vi
from ui import data, db, labels

# Session-state key -> URL query parameter. Filters persist across pages and links.
FILTER_KEYS = {"f_group": "nhom", "f_agency": "coquan", "f_plan": "kehoach"}
PRESENT_KEY = "present"
AS_OF_KEY, AS_OF_PARAM = "as_of", "ky"
HORIZON_KEY, HORIZON_PARAM = "horizon", "moc"
FIRST_PERIOD = "2025-Q1"  # the earliest plans were issued in 02/2025


@dataclass(frozen=True)
class Filters:
    group: str | None
    agency: str | None
    plan: str | None


def _options(sql: str) -> dict[str, str]:
    frame = db.query(sql)
    return dict(zip(frame.iloc[:, 0], frame.iloc[:, 1], strict=True))


def group_options() -> dict[str, str]:
    return _options(read.GROUP_OPTIONS_SQL)


def agency_options() -> dict[str, str]:
    return _options(read.AGENCY_OPTIONS_SQL)


def plan_options() -> dict[str, str]:
    return _options(read.PLAN_OPTIONS_SQL)


def _seed_from_url() -> None:
    """On a session's first run, take the filters from the link it was opened with."""
    if st.session_state.get("_seeded"):
        return
    params = st.query_params
    for key, param in FILTER_KEYS.items():
        if param in params and key not in st.session_state:
            st.session_state[key] = params[param]
    if params.get(PRESENT_KEY) == "1":
        st.session_state[PRESENT_KEY] = True
    if is_period(params.get(AS_OF_PARAM)):
        st.session_state["_" + AS_OF_KEY] = params[AS_OF_PARAM]
    if params.get(HORIZON_PARAM) in labels.HORIZON_LABELS:
        st.session_state["_" + HORIZON_KEY] = params[HORIZON_PARAM]
    st.session_state["_seeded"] = True


def presenting() -> bool:
    return bool(st.session_state.get(PRESENT_KEY, False))


PRESENT_TEXT_EM = 1.4  # page sentences when projected: read from the back of a meeting room


def say(text: str) -> None:
    """A sentence of the page, larger when presenting: an inline style on our own span (Markdown still
    applies inside it), never CSS aimed at Streamlit's class names, which change between releases."""
    if presenting():
        st.markdown(f"<span style='font-size:{PRESENT_TEXT_EM}em'>{text}</span>", unsafe_allow_html=True)
    else:
        st.markdown(text)


def _select(label: str, key: str, options: dict[str, str]) -> str | None:
    choices = [labels.ALL, *options]
    remembered = st.session_state.get("_" + key, st.session_state.get(key))
    st.session_state[key] = remembered if remembered in choices else labels.ALL
    value = st.sidebar.selectbox(
        label,
        choices,
        key=key,
        format_func=lambda v: v if v == labels.ALL else options.get(v, v),
        on_change=_remember,
        args=(key,),
    )
    st.session_state["_" + key] = value
    return None if value == labels.ALL else value


def sidebar_filters() -> Filters:
    """Draw the shared filters (hidden in presentation mode) and mirror them into the URL."""
    _seed_from_url()
    if presenting():
        values = {k: st.session_state.get("_" + k, st.session_state.get(k)) for k in FILTER_KEYS}
        values = {k: (None if v in (None, labels.ALL) else v) for k, v in values.items()}
    else:
        st.sidebar.markdown(f"**{labels.APP_TITLE}**")
        values = {
            "f_group": _select(labels.FILTER_GROUP, "f_group", group_options()),
            "f_agency": _select(labels.FILTER_AGENCY, "f_agency", agency_options()),
            "f_plan": _select(labels.FILTER_PLAN, "f_plan", plan_options()),
        }
    # Always drawn (also when presenting) so the mode can be left and its state is not forgotten.
    st.sidebar.toggle(
        "Chế độ trình chiếu", key=PRESENT_KEY, help="Ẩn bộ lọc, phóng to chữ để chiếu trong cuộc họp."
    )
    for key, param in FILTER_KEYS.items():
        if values[key]:
            st.query_params[param] = values[key]
        elif param in st.query_params:
            del st.query_params[param]
    if presenting():
        st.query_params[PRESENT_KEY] = "1"
    elif PRESENT_KEY in st.query_params:
        del st.query_params[PRESENT_KEY]
    return Filters(group=values["f_group"], agency=values["f_agency"], plan=values["f_plan"])


def current_filters() -> Filters:
    """The filters as the sidebar last set them (pages call this; app.py draws the sidebar)."""

    def value(key: str) -> str | None:
        v = st.session_state.get("_" + key, st.session_state.get(key))
        return None if v in (None, labels.ALL) else v

    return Filters(group=value("f_group"), agency=value("f_agency"), plan=value("f_plan"))


def filter_scope(filters: Filters) -> str:
    """The active filters in words for a chart title (loaders.export_reads.filter_names reads the same names)."""

    def name(options: dict[str, str], value: str | None) -> str | None:
        return options.get(value, value) if value else None

    return labels.filter_scope(
        name(agency_options(), filters.agency),
        name(group_options(), filters.group),
        name(plan_options(), filters.plan),
    )


def is_demo() -> bool:
    frame = db.query(read.DATASET_SQL)
    return not frame.empty and frame.iloc[0, 0] == "demo"


def header(title: str, caption: str | None = None) -> None:
    """Page title, the demo warning where it applies, and an optional caption."""
    st.title(title)
    if is_demo():
        st.warning(labels.DEMO_LONG, icon="⚠️")
    if caption and not presenting():
        st.caption(caption)


def _remember(key: str) -> None:
    """Copy a widget's value to a plain key: Streamlit forgets widget state on pages that do not draw it."""
    st.session_state["_" + key] = st.session_state[key]


def period_options() -> list[str]:
    return period_range(FIRST_PERIOD, current_period())


def default_period() -> str:
    """The latest period with data (comparable data first), else the current quarter."""
    return data.latest_period() or current_period()


def data_period_caption() -> str:
    """Why 'Số liệu đến' starts where it does: the latest period with data beside today's quarter."""
    latest = data.latest_period()
    today = quarter_label_vi(current_period())
    if latest is None:
        return f"Chưa có số liệu thực hiện; hôm nay: {today}"
    return f"Số liệu mới nhất: {quarter_label_vi(latest)}; hôm nay: {today}"


def as_of_picker(container=None) -> str:
    """'Số liệu đến Quý …': the reporting period every status is computed as of."""
    options = period_options()
    value = st.session_state.get("_" + AS_OF_KEY) or default_period()
    if value not in options:
        value = options[-1]
    st.session_state["_" + AS_OF_KEY] = value
    if presenting():  # projected in a meeting: chart titles carry the period, no controls shown
        return value
    st.session_state[AS_OF_KEY] = value
    value = (container or st).selectbox(
        "Số liệu đến",
        options,
        key=AS_OF_KEY,
        format_func=quarter_label_vi,
        on_change=_remember,
        args=(AS_OF_KEY,),
    )
    (container or st).caption(data_period_caption())
    st.session_state["_" + AS_OF_KEY] = value
    st.query_params[AS_OF_PARAM] = value
    return value


def horizon_picker(container=None, default: str = "2030") -> str:
    """Mốc: Quý IV/2025, 2030 or 2045, kept across pages and in the link."""
    remembered = st.session_state.get("_" + HORIZON_KEY) or default
    if presenting():
        return remembered
    st.session_state[HORIZON_KEY] = remembered
    value = (container or st).segmented_control(
        labels.FILTER_HORIZON,
        list(labels.HORIZON_LABELS),
        key=HORIZON_KEY,
        format_func=labels.HORIZON_LABELS.get,
        on_change=_remember,
        args=(HORIZON_KEY,),
    ) or default
    st.session_state["_" + HORIZON_KEY] = value
    st.query_params[HORIZON_PARAM] = value
    return value


def footer(plan_names) -> str:
    """The source line under every chart: the plans, and when the newest value was recorded."""
    return labels.footer_text(plan_names, data.data_date())
