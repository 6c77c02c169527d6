"""The computed indicator NV_HOAN_THANH (share of tasks done): which tasks it counts, the share as of a period,
and the sentence that puts it beside the value reported for the indicator (never replacing it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from metrics.deadlines import DATE
from metrics.periods import period_index, quarter_label_vi


@dataclass(frozen=True)
class CompletionBasis:
    """Which tasks the indicator counts: the Q4/2025 plan's own tasks that were due by the end of Q4/2025,
    or that the plan marks as already late ("tasks late from Q3 and tasks of Q4")."""

    indicator_id: str = "NV_HOAN_THANH"
    plan_id: str = "ubnd6896"
    plan_name: str = "KH 6896/KH-UBND"
    due_by: date = date(2025, 12, 31)
    due_period: str = "2025-Q4"

    def describe(self) -> str:
        return (
            f"nhiệm vụ tại Phụ lục II {self.plan_name} có hạn đến hết {quarter_label_vi(self.due_period)} "
            "hoặc được kế hoạch ghi “Nhiệm vụ chậm tiến độ”; nhiệm vụ thường xuyên và nhiệm vụ chờ hướng dẫn "
            "không tính"
        )


COMPLETION_BASIS = CompletionBasis()


@dataclass(frozen=True)
class Completion:
    as_of: str
    basis: tuple[str, ...]  # task ids counted
    done: tuple[str, ...]  # of which done (on time or late) as of the period

    @property
    def share(self) -> float | None:
        """Percent done; None when no task is in the basis yet (the plan was not issued)."""
        return 100 * len(self.done) / len(self.basis) if self.basis else None


def in_basis(status: pd.DataFrame, basis: CompletionBasis = COMPLETION_BASIS) -> pd.Series:
    due = status["due_date"].dt.date
    by_date = (status["deadline_kind"] == DATE) & due.notna() & (due <= basis.due_by)
    return (status["plan_id"] == basis.plan_id) & (by_date | status["marked_late"].astype(bool))


def task_completion(
    status: pd.DataFrame, as_of: str, basis: CompletionBasis = COMPLETION_BASIS
) -> Completion:
    """The indicator computed from the statuses of every task (task_status rows, unfiltered)."""
    rows = status[in_basis(status, basis)].sort_values("task_id")
    return Completion(as_of, tuple(rows["task_id"]), tuple(rows.loc[rows["done"], "task_id"]))


def reported_value(actuals: pd.DataFrame, as_of: str) -> dict | None:
    """The latest value reported for the indicator (v_actuals rows of it) up to the period, if any."""
    if actuals.empty:
        return None
    rows = actuals[actuals["period"].map(period_index) <= period_index(as_of)]
    rows = rows[rows["value"].notna()]
    if rows.empty:
        return None
    return rows.assign(_i=rows["period"].map(period_index)).sort_values("_i").iloc[-1].to_dict()


def _percent(value: float) -> str:
    from metrics.status_labels import format_number

    return format_number(value, 1) + "%"


def completion_sentence(
    completion: Completion,
    reported: dict | None = None,
    basis: CompletionBasis = COMPLETION_BASIS,
    at_due: Completion | None = None,
) -> str:
    """One paragraph: the computed number with its basis, beside the value reported for the indicator.

    `at_due`: the same computed as of the target's due period, said too when a later period is shown.
    """
    period = quarter_label_vi(completion.as_of)
    if completion.share is None:
        text = (
            f"Tỷ lệ nhiệm vụ hoàn thành (tính từ trạng thái nhiệm vụ): chưa tính được đến {period}, vì "
            f"{basis.plan_name} ban hành {quarter_label_vi(basis.due_period)}."
        )
    else:
        text = (
            f"Tỷ lệ nhiệm vụ hoàn thành, tính từ trạng thái nhiệm vụ đến {period}: "
            f"**{_percent(completion.share)}** ({len(completion.done)}/{len(completion.basis)} nhiệm vụ). "
            f"Cơ sở tính: {basis.describe()}. Chỉ tiêu {quarter_label_vi(basis.due_period)}: 100%"
        )
        if at_due is not None and at_due.share is not None and at_due.as_of != completion.as_of:
            text += (
                f"; tại hạn ({quarter_label_vi(at_due.as_of)}) đạt {_percent(at_due.share)} "
                f"({len(at_due.done)}/{len(at_due.basis)})"
            )
        text += "."
    if reported is not None:
        text += (
            f" Số liệu báo cáo cho chỉ tiêu {basis.indicator_id}: {_percent(float(reported['value']))} "
            f"({quarter_label_vi(reported['period'])}, {reported.get('recorded_by') or reported.get('source')}) "
            "— giữ nguyên như báo cáo, không thay bằng số tính."
        )
    else:
        text += f" Chưa có số liệu báo cáo cho chỉ tiêu {basis.indicator_id} đến {period}."
    return text
