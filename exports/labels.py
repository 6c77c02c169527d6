"""The Vietnamese strings only exported files print; the words they share with the pages come from charts.labels."""

from __future__ import annotations

from charts.labels import APP as APP
from charts.labels import DEMO as DEMO
from charts.labels import DEMO_LONG as DEMO_LONG
from charts.labels import PROVINCE as PROVINCE
from charts.labels import RESOLUTION as RESOLUTION
from charts.labels import horizon_label as horizon_label
from charts.labels import horizon_scope as horizon_scope
from metrics.status_labels import format_number

ALL_AGENCIES = "Tất cả cơ quan"

PACK_TITLE = "Báo cáo giao ban thực hiện Nghị quyết 57-NQ/TW"
PACK_SUBTITLE = "Đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số · Tỉnh Lai Châu"
NO_IMAGE = "Không có ảnh biểu đồ trong tệp này."
CONTINUED = "tiếp theo"

RISK_TITLE = "Chỉ tiêu không đạt, chậm tiến độ hoặc có nguy cơ"
RISK_NONE = "Không có chỉ tiêu nào không đạt, chậm tiến độ hoặc có nguy cơ."
LATE_TITLE = "Nhiệm vụ quá hạn hoặc chậm tiến độ"
DUE_TITLE = "Nhiệm vụ đến hạn đến hết {period}"
DUE_NOTE = (
    "Chưa có số liệu về tình trạng thực hiện nhiệm vụ: danh sách gồm các nhiệm vụ có thời hạn "
    "đến hết kỳ báo cáo, để các cơ quan báo cáo kết quả."
)
TASKS_NONE = "Không có nhiệm vụ nào trong danh sách này."
SOURCES_TITLE = "Nguồn số liệu và phương pháp"
METHOD_NOTE = (
    "Trạng thái tính đến kỳ báo cáo, chỉ dùng số liệu các kỳ không muộn hơn kỳ báo cáo. Chỉ tiêu chưa đến "
    "hạn được so với lộ trình từ số liệu gốc đến mức chỉ tiêu: đi được từ {on_track}% quãng đường cần đi "
    "đến kỳ báo cáo trở lên là đúng tiến độ; từ {at_risk}% đến dưới {on_track}% là có nguy cơ; dưới "
    "{at_risk}% là chậm tiến độ. Chỉ tiêu định tính, có/không do Ban Chỉ đạo đánh giá."
)


def method_note(limits: dict) -> str:
    """The method in a leader's words: thresholds as shares of the way, no symbol, no file path (issue 17)."""
    return METHOD_NOTE.format(
        on_track=format_number(100 * limits.get("on_track_rho", 0.95), 0),
        at_risk=format_number(100 * limits.get("at_risk_rho", 0.6), 0),
    )


ORIGIN_LABELS = {
    "published": "số liệu công bố (có trích nguồn)",
    "upload": "số liệu các cơ quan báo cáo qua mẫu Excel",
    "demo": "dữ liệu minh họa (giả định)",
}
