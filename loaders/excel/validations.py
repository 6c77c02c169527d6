"""The data validations of the template's open cells: the prompt Excel shows, and the rule it enforces.

Each one is written with its input message and its error alert switched on: without them Excel and
LibreOffice show no prompt, and a list's "stop" stops nothing.
"""

from __future__ import annotations

from openpyxl.worksheet.datavalidation import DataValidation

from loaders.excel.cells import range_words
from loaders.excel.contract import (
    MANUAL_CHOICES,
    MANUAL_DIRECTIONS,
    TASK_STATUS_CHOICES,
    is_percent_unit,
    value_bounds,
)
from loaders.excel.template_rows import TemplateRow
from metrics.tasks import RESOLUTION_DATE, period_end


def _shown(dv: DataValidation) -> DataValidation:
    """Switch on the prompt and the error alert (openpyxl writes both off by default)."""
    dv.showInputMessage = True
    dv.showErrorMessage = True
    return dv


def value_validation(row: TemplateRow) -> tuple[tuple, DataValidation]:
    """The data validation of one value cell, and a key so identical rules share one object."""
    if row.direction in MANUAL_DIRECTIONS:
        key = ("list",)
        dv = DataValidation(type="list", formula1='"' + ",".join(MANUAL_CHOICES) + '"', allow_blank=True)
        dv.promptTitle = "Chọn kết quả"
        dv.prompt = "Chọn Đạt, Chưa đạt hoặc Đang thực hiện. Để trống nếu kỳ này chưa đánh giá."
        dv.errorTitle = "Giá trị không hợp lệ"
        dv.error = "Chỉ chọn một trong: Đạt, Chưa đạt, Đang thực hiện."
        dv.errorStyle = "stop"
        return key, _shown(dv)
    low, high = value_bounds(row.unit, row.min_value, row.max_value)
    key = ("decimal", low, high, row.unit)
    if low is not None and high is not None:
        dv = DataValidation(type="decimal", operator="between", formula1=repr(low), formula2=repr(high))
    elif low is not None:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1=repr(low))
    elif high is not None:
        dv = DataValidation(type="decimal", operator="lessThanOrEqual", formula1=repr(high))
    else:
        dv = DataValidation(type="decimal", operator="between", formula1="-1E+300", formula2="1E+300")
    dv.allow_blank = True
    dv.promptTitle = "Giá trị thực hiện"
    unit = f" Đơn vị: {row.unit}." if row.unit else ""
    percent = " Ghi 80 hoặc 80% đều hiểu là 80%." if is_percent_unit(row.unit) else ""
    bounds = range_words(low, high) or "bất kỳ số nào"
    dv.prompt = (
        f"Nhập một số, ví dụ 37,6 hoặc 37.6.{unit} Giá trị {bounds}.{percent} "
        "Để trống nếu kỳ này chưa có số liệu."
    )[:255]
    dv.errorTitle = "Kiểm tra giá trị"
    dv.error = (f"Giá trị cần là một số {bounds}.{unit} Hệ thống sẽ kiểm tra lại khi tải lên.")[:255]
    # A warning, not a stop: in an Excel set to English, '37,6' is text that Excel itself would refuse,
    # though the reader accepts it. The reader is the real gate.
    dv.errorStyle = "warning"
    return key, _shown(dv)


def status_validation(period: str, evidence: bool = True) -> tuple[DataValidation, DataValidation]:
    """The status dropdown and the completion-date check of the task sheet (and of the sheet of corrective
    actions, which has no evidence column: evidence=False)."""
    status = DataValidation(type="list", formula1='"' + ",".join(TASK_STATUS_CHOICES) + '"', allow_blank=True)
    status.promptTitle = "Trạng thái nhiệm vụ" if evidence else "Trạng thái giải pháp"
    needs = "ngày hoàn thành và minh chứng" if evidence else "ngày hoàn thành"
    status.prompt = (
        f"Chọn trạng thái đến kỳ báo cáo. Hoàn thành / Hoàn thành chậm: ghi cả {needs}. "
        "Để trống nếu kỳ này không cập nhật."
    )[:255]
    status.errorTitle = "Trạng thái không hợp lệ"
    status.error = ("Chỉ chọn một trong: " + ", ".join(TASK_STATUS_CHOICES) + ".")[:255]
    status.errorStyle = "stop"
    last = period_end(period)
    first = RESOLUTION_DATE
    # The date cells are text (a date typed on an English-locale machine would be read month first), so
    # the check is on the text's length; the reader checks the date itself.
    day = DataValidation(type="textLength", operator="between", formula1="8", formula2="10", allow_blank=True)
    day.promptTitle = "Ngày hoàn thành"
    day.prompt = (
        f"Ngày dạng ngày/tháng/năm, ví dụ 15/11/2025; không sau {last:%d/%m/%Y} (cuối kỳ báo cáo) và không "
        "sau hôm nay. Chỉ ghi khi trạng thái là Hoàn thành hoặc Hoàn thành chậm."
    )[:255]
    day.errorTitle = "Kiểm tra ngày"
    day.error = (
        f"Ngày dạng ngày/tháng/năm, ví dụ 15/11/2025, từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}. Hệ thống sẽ "
        "kiểm tra lại khi tải lên."
    )
    day.errorStyle = "warning"
    return _shown(status), _shown(day)
