"""Every UI string shown on more than one page; the words pages share with exported files come from charts.labels."""

from charts.labels import APP_TITLE as APP_TITLE
from charts.labels import COMPARATOR_SYMBOLS as COMPARATOR_SYMBOLS
from charts.labels import DEMO_LONG as DEMO_LONG
from charts.labels import HORIZON_LABELS as HORIZON_LABELS
from charts.labels import MANUAL_CHART_NOTE as MANUAL_CHART_NOTE
from charts.labels import chart_name as chart_name
from charts.labels import filter_scope as filter_scope
from charts.labels import footer_text as footer_text
from charts.labels import horizon_scope as horizon_scope
from charts.labels import lead_label as lead_label
from charts.labels import lead_labels as lead_labels
from charts.labels import no_values_note as no_values_note

APP_SUBTITLE = (
    "Theo dõi thực hiện Nghị quyết 57-NQ/TW về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
)

SECTION_OVERVIEW = "Theo dõi tiến độ"
SECTION_PLANS = "Kế hoạch và nhiệm vụ"
SECTION_ADMIN = "Thường trực Ban Chỉ đạo"

DIRECTION_LABELS = {
    "higher": "càng cao càng tốt",
    "lower": "càng thấp càng tốt",
    "yes_no": "có/không",
    "qualitative": "định tính",
}

TASKS_MISSING_TAB = "Nhiệm vụ (chưa có phụ lục)"

FILTER_GROUP = "Nhóm chỉ tiêu"
FILTER_AGENCY = "Cơ quan chủ trì"
FILTER_PLAN = "Kế hoạch"
FILTER_HORIZON = "Mốc"
ALL = "Tất cả"

COL = {
    "target_id": "Mã",
    "indicator_id": "Mã chỉ tiêu",
    "indicator_name": "Chỉ tiêu",
    "indicator_short_name": "Chỉ tiêu",
    "unit": "Đơn vị",
    "group_name": "Nhóm",
    "plan_name": "Kế hoạch",
    "horizon_label": "Mốc",
    "target_label": "Mức chỉ tiêu",
    "target_text": "Nguyên văn",
    "wording_restored": "Nguyên văn (phục hồi dấu)",
    "lead_agency": "Cơ quan chủ trì (hiện nay)",
    "lead_agency_as_written": "Cơ quan chủ trì (như kế hoạch ghi)",
    "lead_label": "Cơ quan chủ trì (hiện nay)",
    "lead_basis": "Căn cứ xác định cơ quan chủ trì",
    "source_ref": "Trích dẫn",
    "note": "Ghi chú",
    "correction_note": "Ghi chú hiệu chỉnh",
    "title": "Nhiệm vụ",
    "section": "Mục",
    "row_no": "STT",
    "deadline_text": "Thời hạn (như kế hoạch ghi)",
    "due_date": "Hạn (suy ra)",
    "expected_output": "Kết quả dự kiến",
    "coordinating_agencies": "Cơ quan phối hợp",
}
