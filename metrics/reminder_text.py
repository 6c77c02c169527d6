"""The words of a reminder (công văn đôn đốc): who, for which period, what is missing, by when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from metrics.periods import quarter_label_vi

SECRETARIAT = "Sở Khoa học và Công nghệ"


def vn_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


@dataclass(frozen=True)
class Reminder:
    agency_id: str
    agency_name: str
    period: str
    report_name: str
    cutoff_start: date
    cutoff_end: date
    agency_deadline: date
    province_deadline: date
    today: date
    items: tuple[tuple[str, str, str], ...]  # (kind label, id, name) of what is still missing

    @property
    def subject(self) -> str:
        return (
            f"V/v đôn đốc gửi số liệu thực hiện Nghị quyết 57-NQ/TW {quarter_label_vi(self.period)} "
            f"({self.report_name.lower()})"
        )

    def paragraphs(self) -> list[str]:
        late = (self.today - self.agency_deadline).days
        n_ind = sum(1 for kind, _, _ in self.items if kind == "Chỉ tiêu")
        n_task = len(self.items) - n_ind
        what = " và ".join(
            part
            for part in (f"{n_ind} chỉ tiêu" if n_ind else "", f"{n_task} nhiệm vụ" if n_task else "")
            if part
        )
        when = (
            f"Hạn gửi đã qua {late} ngày; đề nghị quý cơ quan gửi ngay"
            if late > 0
            else f"Đề nghị quý cơ quan gửi trước hết ngày {vn_date(self.agency_deadline)}"
        )
        return [
            f"Thực hiện chế độ báo cáo kết quả thực hiện Nghị quyết 57-NQ/TW, số liệu {quarter_label_vi(self.period)} "
            f"được chốt từ ngày {vn_date(self.cutoff_start)} đến ngày {vn_date(self.cutoff_end)}; các cơ quan gửi "
            f"{SECRETARIAT} chậm nhất ngày {vn_date(self.agency_deadline)} để tổng hợp báo cáo tỉnh trước ngày "
            f"{vn_date(self.province_deadline)}.",
            f"Đến ngày {vn_date(self.today)}, {SECRETARIAT} chưa nhận được số liệu của quý cơ quan đối với {what} "
            "dưới đây.",
            f"{when}, theo mẫu Excel gửi kèm (chỉ gồm các dòng còn thiếu), kèm minh chứng.",
        ]
