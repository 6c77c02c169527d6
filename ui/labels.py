"""Every UI string shown on more than one page, so wording stays the same everywhere."""

APP_TITLE = "NQ57 Lai Châu"
APP_SUBTITLE = (
    "Theo dõi thực hiện Nghị quyết 57-NQ/TW về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
)
DEMO_BANNER = (
    "Dữ liệu minh họa: các số liệu thực hiện trên trang này là giả định để tập huấn, không phải số liệu thật."
)
DEMO_MARK = "Dữ liệu minh họa"

SECTION_OVERVIEW = "Theo dõi tiến độ"
SECTION_PLANS = "Kế hoạch và nhiệm vụ"
SECTION_ADMIN = "Thường trực Ban Chỉ đạo"

HORIZON_LABELS = {"2025-Q4": "Quý IV/2025", "2030": "Năm 2030", "2045": "Năm 2045"}
DIRECTION_LABELS = {
    "higher": "càng cao càng tốt",
    "lower": "càng thấp càng tốt",
    "yes_no": "có/không",
    "qualitative": "định tính",
}
COMPARATOR_SYMBOLS = {
    ">=": "≥",
    ">": ">",
    "<=": "≤",
    "<": "<",
    "=": "=",
    "between": "trong khoảng",
    "text": "",
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
