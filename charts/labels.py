"""The words pages and exported files share: app name, horizons, comparators, the demo mark, the source line.

One place, so a page and the file made from it read the same; no Streamlit here (ui/labels.py and
exports/labels.py import from this module and add only what is their own).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from charts.vn import COMPARATOR_SYMBOLS as COMPARATOR_SYMBOLS  # how a comparator reads: with the formats
from charts.vn import fmt_date
from metrics.periods import is_period, quarter_label_vi

APP_TITLE = "NQ57 Lai Châu"
APP = "Bảng theo dõi NQ57 Lai Châu"
RESOLUTION = "Nghị quyết 57-NQ/TW"
PROVINCE = "Tỉnh Lai Châu"

DEMO = "Dữ liệu minh họa"
# One wording for the page banner and the files: it must read right on a page and on paper alike.
DEMO_LONG = "Dữ liệu minh họa: số liệu thực hiện là giả định để tập huấn, không phải số liệu thật."
DEMO_WATERMARK = DEMO.upper()  # across every chart

HORIZONS = ("2025-Q4", "2030", "2045")


def horizon_label(horizon: str) -> str:
    """'2025-Q4' -> 'Quý IV/2025', '2030' -> 'Năm 2030'."""
    return quarter_label_vi(horizon) if is_period(horizon) else f"Năm {horizon}"


HORIZON_LABELS = {h: horizon_label(h) for h in HORIZONS}


def horizon_scope(horizon: str | None) -> str:
    """'mọi mốc' for every horizon, else 'mốc 2030' or 'mốc Quý IV/2025' (never 'mốc Năm 2030')."""
    if horizon is None:
        return "mọi mốc"
    return f"mốc {quarter_label_vi(horizon) if is_period(horizon) else horizon}"


def footer_text(plan_names: Iterable[str], updated: date | datetime | None) -> str:
    """The source line under every target chart: the plans, and when the newest value was recorded."""
    when = f"số liệu cập nhật {fmt_date(updated)}" if updated is not None else "chưa có số liệu thực hiện"
    plans = ", ".join(sorted(plan_names))
    return f"Nguồn: {plans}; {when}. {APP}."


def period_line(as_of: str) -> str:
    """'Số liệu đến Quý III/2026': how every chart subtitle and table heading opens."""
    return f"Số liệu đến {quarter_label_vi(as_of)}"


OVERVIEW_ROW_NOTE = (
    "mỗi dòng: phần đã đạt so với mức chỉ tiêu của dòng đó (vạch đen), số ghi theo đơn vị của chỉ tiêu"
)
AGENCY_CHART_TITLE = "Tỷ lệ chỉ tiêu đạt hoặc đúng tiến độ theo cơ quan chủ trì"
AGENCY_CHART_NOTE = "số chỉ tiêu theo trạng thái; tỷ lệ tính trên chỉ tiêu đã đánh giá được"
MANUAL_CHART_NOTE = (
    "Chỉ tiêu định tính hoặc có/không: Ban Chỉ đạo đánh giá thủ công (Đạt / Chưa đạt / Đang thực hiện), "
    "không vẽ biểu đồ. Các lần đánh giá nằm trong lịch sử số liệu bên dưới."
)


def no_values_note(as_of: str) -> str:
    """Under an indicator chart with no value yet: say what the chart does show."""
    return (
        f"Chưa có số liệu thực hiện đến {quarter_label_vi(as_of)}: biểu đồ chỉ vẽ các mức chỉ tiêu của "
        "kế hoạch."
    )


def lead_label(lead, inferred_from) -> str:
    """The lead as a person reads it: marked where the plan names none and the catalog inferred it,
    so "(suy ra từ KH 6896)" is never mistaken for the plan's own words."""
    text = lead if isinstance(lead, str) else ""
    if isinstance(inferred_from, str) and inferred_from:
        return f"{text} (suy ra từ {inferred_from})".strip()
    return text


def lead_labels(rows) -> list[str]:
    """lead_label for every row of a frame of v_targets."""
    return [lead_label(a, b) for a, b in zip(rows["lead_agency"], rows["lead_inferred_from"], strict=True)]


def filter_scope(agency: str | None = None, group: str | None = None, plan: str | None = None) -> str:
    """The active filters as a chart title says them: 'Sở Khoa học và Công nghệ · nhóm Chuyển đổi số'."""
    parts = [agency, f"nhóm {group}" if group else None, plan]
    return " · ".join(p for p in parts if p)


def scoped(title: str, scope: str) -> str:
    """A title that says it is filtered: a chart of one agency must not read as province-wide."""
    return f"{title} — {scope}" if scope else title


def chart_name(base: str, *parts: str | None) -> str:
    """What an image file is called before slug(): what, then each active filter, then when."""
    return " ".join(p for p in (base, *parts) if p)
