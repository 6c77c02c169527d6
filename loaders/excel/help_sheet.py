"""The template's sheet “Hướng dẫn”: how to fill it in, with examples of what is typed and how it is read."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font

from loaders.excel.contract import MAX_UPLOAD_MB, SHEET_ACTIONS, SHEET_META, SHEET_TASKS, TEMPLATE_VERSION
from metrics.periods import quarter_label_vi

TASK_HELP_LINES: tuple[str, ...] = (
    "Trang «Nhiệm vụ»: mỗi dòng là một nhiệm vụ tại Phụ lục II của các kế hoạch. Chỉ điền bốn cột nền vàng: "
    "«Trạng thái», «Ngày hoàn thành», «Minh chứng», «Ghi chú».",
    "«Trạng thái»: chọn Chưa triển khai / Đang thực hiện / Hoàn thành / Hoàn thành chậm / Chậm tiến độ / "
    "Dừng/không thực hiện. Để trống cả dòng nếu kỳ này không cập nhật nhiệm vụ đó: trạng thái cũ giữ nguyên.",
    "Hoàn thành, Hoàn thành chậm: bắt buộc ghi «Ngày hoàn thành» (ngày/tháng/năm, ví dụ 15/11/2025; không sau "
    "cuối kỳ báo cáo, không sau hôm nay) và «Minh chứng» (số, ngày văn bản hoặc đường dẫn). Trạng thái khác "
    "không ghi ngày hoàn thành.",
    "Nhiệm vụ «Thường xuyên», «Hàng năm» được đánh giá theo từng kỳ: cập nhật mỗi kỳ. Nhiệm vụ «Sau khi có "
    "hướng dẫn…» chờ cơ quan cấp trên nên không bị tính quá hạn.",
    "Một tệp có thể chỉ có số liệu, chỉ có nhiệm vụ, hoặc cả hai; hệ thống kiểm tra cả hai trang, có một lỗi "
    "thì không ghi gì.",
)
ACTION_HELP_LINES: tuple[str, ...] = (
    "Trang «Giải pháp khắc phục»: mỗi dòng là một giải pháp khắc phục đã đề ra cho chỉ tiêu có nguy cơ, chậm "
    "tiến độ hoặc không đạt, do cơ quan ghi ở cột «Cơ quan thực hiện» thực hiện. Chỉ điền ba cột nền vàng: "
    "«Trạng thái», «Ngày hoàn thành», «Ghi chú».",
    "«Trạng thái»: chọn như với nhiệm vụ (Chưa triển khai / Đang thực hiện / Hoàn thành / Hoàn thành chậm / "
    "Chậm tiến độ / Dừng/không thực hiện). Hoàn thành, Hoàn thành chậm: bắt buộc ghi «Ngày hoàn thành» như "
    "với nhiệm vụ. Để trống cả dòng nếu kỳ này không cập nhật: trạng thái cũ giữ nguyên.",
    "Giải pháp quá «Hạn hoàn thành» mà chưa hoàn thành được tính là quá hạn, hoàn thành sau hạn là hoàn thành "
    "chậm, theo đúng quy tắc của nhiệm vụ.",
)
HELP_LINES: tuple[str, ...] = (
    "1. Chỉ điền ba cột nền vàng trên trang «Số liệu»: «Giá trị thực hiện», «Ghi chú», «Nguồn/minh chứng». "
    "Các cột khác đã khóa; không thêm, xóa, đổi tên cột hay trang tính, không đổi mã chỉ tiêu.",
    "2. Mỗi dòng là một chỉ tiêu của kỳ báo cáo ghi ở cột «Kỳ báo cáo». Mỗi chỉ tiêu chỉ xuất hiện một lần.",
    "3. Số thập phân viết bằng dấu phẩy hoặc dấu chấm đều được: 37,6 hoặc 37.6. Số có phần nghìn: 1.234,5 "
    "(chấm ngăn cách hàng nghìn, phẩy thập phân) hoặc 1234,5. Tránh viết 1.234 hay 1,234 (không rõ nghĩa).",
    "4. Chỉ tiêu đơn vị %: ghi 80 hoặc 80% đều được hiểu là 80%. Ô định dạng phần trăm hiển thị 80% "
    "(Excel lưu 0,8) cũng được hiểu là 80%. Giá trị phải từ 0 đến 100.",
    "5. Giá trị phải nằm trong khoảng hợp lý của chỉ tiêu (ví dụ số bản lõm sóng từ 0 đến 33; thứ hạng PII "
    "từ 1 đến 63); không nhập số âm với chỉ tiêu không thể âm. Ô giá trị có gợi ý khoảng cho phép.",
    "6. Chỉ tiêu định tính hoặc có/không: chọn trong danh sách Đạt / Chưa đạt / Đang thực hiện.",
    "7. Để trống ô «Giá trị thực hiện» nếu kỳ này chưa có số liệu: dòng đó không được ghi, số liệu cũ giữ nguyên.",
    "8. Được dùng công thức trong ô giá trị; hệ thống đọc kết quả Excel đã tính và lưu trong tệp, vì vậy hãy "
    "mở và lưu tệp bằng Excel trước khi gửi.",
    "9. «Ghi chú»: cách tính, phạm vi, lý do chênh lệch. «Nguồn/minh chứng»: số, ngày văn bản, đường dẫn nq57.vn.",
    "10. Lưu tệp dạng .xlsx (không dùng .xls, .xlsm có macro hay .csv); dung lượng tối đa {max_mb} MB.",
    "11. Khi tải lên, hệ thống kiểm tra toàn bộ tệp. Có lỗi thì không ghi gì và liệt kê mọi lỗi kèm trang, "
    "dòng, cột. Không lỗi thì hiện bản xem trước: giá trị mới, giá trị thay đổi (cũ → mới), không đổi; "
    "chỉ ghi khi Văn phòng thường trực bấm xác nhận. Mọi lần ghi đều lưu lịch sử và có thể hoàn tác.",
)
HELP_EXAMPLES: tuple[tuple[str, str], ...] = (
    ("37,6", "37,6"),
    ("37.6", "37,6"),
    ("1.234,5", "1.234,5"),
    ("80%", "80 (chỉ tiêu đơn vị %)"),
    ("0,8 trong ô định dạng % (hiển thị 80%)", "80 (chỉ tiêu đơn vị %)"),
    ("=A1*100 (công thức đã tính ra 37,6)", "37,6"),
    ("(để trống)", "Chưa báo cáo kỳ này: không ghi"),
    ("Đạt", "Đạt (chỉ tiêu định tính, có/không)"),
    ("khoảng 40", "Lỗi: không phải là số"),
    ("120 (chỉ tiêu %)", "Lỗi: ngoài khoảng 0–100"),
)


def _section(ws, title: str, lines: tuple[str, ...]) -> None:
    ws.append([])
    ws.append([title])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    for line in lines:
        ws.append([line])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=2)
        ws.cell(row=ws.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[ws.max_row].height = 48


def write_help_sheet(
    ws, period: str, agency_name: str | None, max_mb: int = MAX_UPLOAD_MB, actions: bool = False
) -> None:
    """Fill the help sheet for a period (and an agency) and lock it; `actions`: the template has the sheet
    of corrective actions."""
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 60
    ws.append([f"Hướng dẫn điền số liệu thực hiện chỉ tiêu Nghị quyết 57 – kỳ {quarter_label_vi(period)}"])
    ws["A1"].font = Font(bold=True, size=13)
    if agency_name:
        ws.append([f"Cơ quan chủ trì: {agency_name}"])
    ws.append([f"Mẫu phiên bản {TEMPLATE_VERSION}, kỳ {period}. Không sửa trang ẩn {SHEET_META}."])
    ws.append([])
    for line in HELP_LINES:
        ws.append([line.format(max_mb=max_mb)])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=2)
        ws.cell(row=ws.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[ws.max_row].height = 48
    ws.append([])
    ws.append(["Ví dụ: bạn nhập", "Hệ thống hiểu là"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for typed, meaning in HELP_EXAMPLES:
        ws.append([typed, meaning])
    _section(ws, f"Cập nhật nhiệm vụ – trang «{SHEET_TASKS}»", TASK_HELP_LINES)
    if actions:
        _section(ws, f"Cập nhật giải pháp khắc phục – trang «{SHEET_ACTIONS}»", ACTION_HELP_LINES)
    ws.protection.sheet = True
