"""The Vietnamese strings only exported files print; the words they share with the pages come from charts.labels."""

from __future__ import annotations

from charts.labels import APP as APP
from charts.labels import DEMO as DEMO
from charts.labels import DEMO_LONG as DEMO_LONG
from charts.labels import PROVINCE as PROVINCE
from charts.labels import RESOLUTION as RESOLUTION
from charts.labels import horizon_label as horizon_label
from charts.labels import horizon_scope as horizon_scope

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
    "Trạng thái tính đến kỳ báo cáo theo phương pháp của bảng theo dõi (docs/methodology.md), chỉ dùng "
    "số liệu các kỳ không muộn hơn kỳ báo cáo. Chỉ tiêu chưa đến hạn so với mức cần đạt trên lộ trình: "
    "ρ ≥ {on_track} đúng tiến độ; {at_risk} ≤ ρ < {on_track} có nguy cơ; ρ < {at_risk} chậm tiến độ. "
    "Chỉ tiêu định tính, có/không do Ban Chỉ đạo đánh giá."
)

ORIGIN_LABELS = {
    "published": "số liệu công bố (có trích nguồn)",
    "upload": "số liệu các cơ quan báo cáo qua mẫu Excel",
    "demo": "dữ liệu minh họa (giả định)",
}
