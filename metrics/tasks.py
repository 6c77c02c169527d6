"""Task statuses as of a reporting period: who does what by when, what is done, what is late.

Rules (docs/tasks.md):
- The status in force for a one-off task as of a period is the latest update of any period up to it;
  a recurring task ("Thường xuyên", "Hàng năm") is assessed each period, so only that period's update counts.
- A task is late once its due date has passed without it being done: as of a finished quarter, at the end
  of the quarter's last day; for the quarter in progress, at the start of today. An agency's own report
  "Chậm tiến độ" and the plan's own mark "Nhiệm vụ chậm tiến độ" make a task late too. A task waiting on
  another body ("Sau khi có hướng dẫn…") is never late; a stopped task is counted apart.
- "Tỷ lệ nhiệm vụ hoàn thành" (indicator NV_HOAN_THANH) is computed from these statuses over a fixed basis
  (COMPLETION_BASIS) and is never written into actual revisions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from metrics import clock
from metrics.deadlines import DATE, RECURRING, WAITING
from metrics.periods import is_period, period_index

# ---------------------------------------------------------------- reported statuses


@dataclass(frozen=True)
class Style:
    code: str
    label: str
    colour: str  # Okabe–Ito, as the target statuses
    symbol: str
    order: int  # 0 = worst


NOT_STARTED, IN_PROGRESS, DONE, DONE_LATE, BEHIND, STOPPED = (
    "not_started",
    "in_progress",
    "done",
    "done_late",
    "behind",
    "stopped",
)
NO_UPDATE = "no_update"

# What an agency reports, in the order of the template's dropdown.
REPORTED: dict[str, str] = {
    NOT_STARTED: "Chưa triển khai",
    IN_PROGRESS: "Đang thực hiện",
    DONE: "Hoàn thành",
    DONE_LATE: "Hoàn thành chậm",
    BEHIND: "Chậm tiến độ",
    STOPPED: "Dừng/không thực hiện",
}
STATUS_LABELS: dict[str, str] = {**REPORTED, NO_UPDATE: "Chưa cập nhật"}
DONE_STATUSES: tuple[str, ...] = (DONE, DONE_LATE)
# Other ways people type a status in the template (matched case-insensitively, after NFC).
STATUS_ALIASES: dict[str, str] = {
    "dừng": STOPPED,
    "không thực hiện": STOPPED,
    "dừng / không thực hiện": STOPPED,
    "dừng thực hiện": STOPPED,
    "chưa thực hiện": NOT_STARTED,
    "đã hoàn thành": DONE,
    "hoàn thành muộn": DONE_LATE,
    "chậm": BEHIND,
}

# ---------------------------------------------------------------- derived timing: done, late, not due yet …

T_LATE, T_STOPPED, T_DUE_LATER, T_RECURRING, T_WAITING, T_NO_DEADLINE, T_DONE_LATE, T_DONE = (
    "late",
    "stopped",
    "due_later",
    "recurring",
    "waiting",
    "no_deadline",
    "done_late",
    "done",
)
_TIMING: tuple[Style, ...] = (
    Style(T_LATE, "Quá hạn / chậm tiến độ", "#D55E00", "✗", 0),
    Style(T_STOPPED, "Dừng / không thực hiện", "#000000", "‖", 1),
    Style(T_DUE_LATER, "Chưa đến hạn", "#56B4E9", "●", 2),
    Style(T_RECURRING, "Thường xuyên (đánh giá từng kỳ)", "#999999", "↻", 3),
    Style(T_WAITING, "Chờ hướng dẫn, văn bản cấp trên", "#BBBBBB", "…", 4),
    Style(T_NO_DEADLINE, "Không ghi thời hạn", "#DDDDDD", "–", 5),
    Style(T_DONE_LATE, "Hoàn thành chậm", "#0072B2", "◆", 6),
    Style(T_DONE, "Hoàn thành đúng hạn", "#009E73", "✓", 7),
)
TIMING: dict[str, Style] = {s.code: s for s in _TIMING}
TIMING_CODES: tuple[str, ...] = tuple(s.code for s in _TIMING)  # worst first


def timing_badge(code: str) -> str:
    style = TIMING[code]
    return f"{style.symbol} {style.label}"


# The plan's own mark of a task already late when the plan was issued (6896/KH-UBND, two tasks).
LATE_MARK = "nhiệm vụ chậm tiến độ"
RESOLUTION_DATE = date(2024, 12, 22)  # Nghị quyết 57-NQ/TW: no task can be done before it


def period_end(period: str) -> date:
    """The last day of a quarter."""
    year, quarter = divmod(period_index(period), 4)
    month = 3 * (quarter + 1)
    return (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)


def cutoff(as_of: str, today: date | None = None) -> date:
    """The first day on which a task due the day before is late, as of a period.

    A finished quarter is judged at the end of its last day (the day after it); the quarter in progress
    at the start of today, so nothing is called late before its deadline has passed.
    """
    return min(period_end(as_of) + timedelta(days=1), today or clock.today())


def _missing(value: object) -> bool:
    return (
        value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))
    )


def _day(value: object) -> date | None:
    if _missing(value):
        return None
    return pd.Timestamp(value).date()


def marked_late(notes: pd.Series) -> pd.Series:
    """Tasks the plan itself marks "Nhiệm vụ chậm tiến độ"."""
    return notes.map(lambda n: not _missing(n) and LATE_MARK in str(n).casefold()).astype(bool)


# The columns of an update in force (v_task_updates), also the shape of "no update yet".
UPDATE_COLUMNS = (
    "task_id",
    "period",
    "status",
    "completed_on",
    "evidence",
    "note",
    "recorded_by",
    "recorded_at",
)


def _in_force(updates: pd.DataFrame, tasks: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """The update in force per task as of a period (v_task_updates rows: one per task and period)."""
    columns = list(UPDATE_COLUMNS)
    if updates.empty:
        return pd.DataFrame(columns=columns)
    u = updates[columns].copy()
    u["_i"] = u["period"].map(period_index)
    u = u[u["_i"] <= period_index(as_of)]
    recurring = set(tasks.loc[tasks["deadline_kind"] == RECURRING, "task_id"])
    u = u[~u["task_id"].isin(recurring) | (u["period"] == as_of)]
    u = u.sort_values(["task_id", "_i", "recorded_at"]).drop_duplicates("task_id", keep="last")
    return u.drop(columns="_i")


def _timing(row: dict, cut: date, as_of: str) -> str:
    status = row["status"]
    due = _day(row["due_date"])
    if status in DONE_STATUSES:
        done_on = _day(row["completed_on"])
        late = status == DONE_LATE or (due is not None and done_on is not None and done_on > due)
        return T_DONE_LATE if late else T_DONE
    if status == STOPPED:
        return T_STOPPED
    kind = row["deadline_kind"]
    if kind == WAITING:
        return T_WAITING  # waits on another body: never late, whatever is reported
    if status == BEHIND:
        return T_LATE
    if kind == DATE and due is not None and due < cut:
        return T_LATE
    if row["marked_late"] and period_index(as_of) >= period_index(row["plan_period"]):
        return T_LATE
    if kind == DATE:
        return T_DUE_LATER
    if kind == RECURRING:
        return T_RECURRING
    return T_NO_DEADLINE


STATUS_COLUMNS = [
    "task_id",
    "plan_id",
    "plan_name",
    "section",
    "section_title",
    "row_no",
    "title",
    "lead_agency",
    "lead_agency_as_written",
    "deadline_text",
    "deadline_kind",
    "due_date",
    "marked_late",
    "status",
    "update_period",
    "completed_on",
    "evidence",
    "update_note",
    "recorded_by",
    "recorded_at",
    "timing",
    "late",
    "done",
    "days_late",
]


def task_status(
    tasks: pd.DataFrame, updates: pd.DataFrame, as_of: str, today: date | None = None
) -> pd.DataFrame:
    """One row per task of a plan issued by `as_of`, with its status in force and its timing as of it.

    tasks: v_tasks rows with plan_period; updates: v_task_updates rows (one per task and period).
    `days_late`: for a late task, days since its due date at the cutoff; for a task done late, days between
    due date and completion; else missing.
    """
    if not is_period(as_of):
        raise ValueError(f"Kỳ báo cáo không hợp lệ: {as_of!r}")
    cut = cutoff(as_of, today)
    issued = tasks[tasks["plan_period"].map(period_index) <= period_index(as_of)].copy()
    issued["marked_late"] = marked_late(issued["note"])
    force = _in_force(updates, issued, as_of).rename(
        columns={"period": "update_period", "note": "update_note"}
    )
    out = issued.merge(force, on="task_id", how="left", validate="one_to_one")
    out["status"] = out["status"].where(out["status"].notna(), NO_UPDATE)
    records = out.to_dict("records")
    out["timing"] = [_timing(r, cut, as_of) for r in records]
    out["late"] = out["timing"].eq(T_LATE)
    out["done"] = out["timing"].isin([T_DONE, T_DONE_LATE])
    days = []
    for r, timing in zip(records, out["timing"], strict=True):
        due = _day(r["due_date"])
        if due is None:
            days.append(None)
        elif timing == T_LATE and due < cut:
            days.append((cut - timedelta(days=1) - due).days)
        elif timing == T_DONE_LATE and _day(r["completed_on"]) is not None and _day(r["completed_on"]) > due:
            days.append((_day(r["completed_on"]) - due).days)
        else:
            days.append(None)
    out["days_late"] = pd.array(days, dtype="Int64")
    out["due_date"] = pd.to_datetime(out["due_date"])
    out["completed_on"] = pd.to_datetime(out["completed_on"])
    order = out["timing"].map(lambda t: TIMING[t].order)
    out = out.assign(_o=order).sort_values(["_o", "due_date", "plan_id", "task_id"], na_position="last")
    return out[STATUS_COLUMNS].reset_index(drop=True)


# ---------------------------------------------------------------- roll-ups, filters, buckets

COUNT_COLUMNS = tuple(f"n_{c}" for c in TIMING_CODES)


def timing_counts(status: pd.DataFrame) -> dict[str, int]:
    """{timing code: number of tasks} over every row of the frame."""
    counts = status["timing"].value_counts()
    return {code: int(counts.get(code, 0)) for code in TIMING_CODES}


def lead_links(links: pd.DataFrame) -> pd.DataFrame:
    """Lead agencies per task, once per current agency (two merged bodies named by one task count once)."""
    leads = links[links["role"] == "lead"] if "role" in links else links
    return leads.drop_duplicates(["task_id", "agency_id"])


def rollup_by_agency(status: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Per current lead agency (v_task_agencies): n_<timing>, n_tasks, n_completed (on time or late), n_late.

    A task led by several agencies counts for each; merged bodies are counted under their successor
    (tasks led by "Sở Thông tin và Truyền thông" count under Sở Khoa học và Công nghệ), once.
    """
    keys = ["agency_id", "agency_name", *(["agency_short_name"] if "agency_short_name" in links else [])]
    frame = status[["task_id", "timing"]].merge(lead_links(links)[["task_id", *keys]], on="task_id")
    onehot = pd.DataFrame(
        {f"n_{c}": frame["timing"].eq(c).astype("int64") for c in TIMING_CODES}, index=frame.index
    )
    out = pd.concat([frame[keys], onehot], axis=1).groupby(keys, sort=True).sum().reset_index()
    out["n_tasks"] = out[list(COUNT_COLUMNS)].sum(axis=1).astype("int64")
    out["n_completed"] = (out["n_done"] + out["n_done_late"]).astype("int64")
    return out[[*keys, *COUNT_COLUMNS, "n_tasks", "n_completed"]].reset_index(drop=True)


def tasks_of_agency(links: pd.DataFrame, agency_id: str) -> list[str]:
    return sorted(set(lead_links(links).loc[lambda f: f["agency_id"] == agency_id, "task_id"]))


def filter_tasks(
    status: pd.DataFrame,
    links: pd.DataFrame,
    plan: str | None = None,
    agency: str | None = None,
    section: str | None = None,
    statuses: list[str] | None = None,
    late_only: bool = False,
) -> pd.DataFrame:
    """The rows that pass every given filter; None (or an empty list) means no filter on that column."""
    keep = pd.Series(True, index=status.index)
    if plan:
        keep &= status["plan_id"] == plan
    if agency:
        keep &= status["task_id"].isin(tasks_of_agency(links, agency))
    if section:
        keep &= status["section_title"] == section
    if statuses:
        keep &= status["status"].isin(statuses)
    if late_only:
        keep &= status["late"]
    return status[keep]


OTHER_BUCKETS: dict[str, str] = {
    RECURRING: "Thường xuyên",
    WAITING: "Chờ hướng dẫn",
    "unknown": "Không ghi thời hạn",
}


def due_buckets(status: pd.DataFrame) -> pd.DataFrame:
    """Tasks counted by due month (in time order), then recurring, waiting and without a deadline.

    Columns: bucket (sort key), label ('12/2025'), is_date, timing, n, titles (for hover), last_due.
    """
    frame = status.copy()
    dated = frame["due_date"].notna()
    frame["bucket"] = ""
    frame.loc[dated, "bucket"] = frame.loc[dated, "due_date"].dt.strftime("%Y-%m")
    frame.loc[dated, "label"] = frame.loc[dated, "due_date"].dt.strftime("%m/%Y")
    for i, (kind, label) in enumerate(OTHER_BUCKETS.items()):
        rows = ~dated & (frame["deadline_kind"].eq(kind) if kind != "unknown" else True)
        rows &= frame["bucket"].eq("")
        frame.loc[rows, "bucket"] = f"~{i}"  # after every date
        frame.loc[rows, "label"] = label
    frame["is_date"] = dated
    out = (
        frame.groupby(["bucket", "label", "is_date", "timing"], sort=True)
        .agg(n=("task_id", "size"), titles=("title", list), last_due=("due_date", "max"))
        .reset_index()
    )
    return out


@dataclass(frozen=True)
class Tile:
    label: str
    timings: tuple[str, ...]
    help: str


# Every task lands in exactly one tile.
TILES: tuple[Tile, ...] = (
    Tile("Hoàn thành", (T_DONE, T_DONE_LATE), "Đã hoàn thành, đúng hạn hoặc chậm so với hạn của kế hoạch."),
    Tile(
        "Quá hạn / chậm tiến độ",
        (T_LATE,),
        "Đã qua hạn mà chưa hoàn thành, cơ quan tự báo cáo chậm tiến độ, hoặc kế hoạch ghi là nhiệm vụ chậm.",
    ),
    Tile("Chưa đến hạn", (T_DUE_LATER,), "Có hạn cụ thể, chưa đến hạn, chưa hoàn thành."),
    Tile("Thường xuyên", (T_RECURRING,), "Nhiệm vụ thường xuyên, hằng năm: đánh giá theo từng kỳ báo cáo."),
    Tile("Chờ hướng dẫn", (T_WAITING,), "Chờ văn bản, hướng dẫn của cấp trên: không tính quá hạn."),
    Tile(
        "Dừng / không ghi hạn",
        (T_STOPPED, T_NO_DEADLINE),
        "Dừng, không thực hiện, hoặc kế hoạch không ghi hạn.",
    ),
)


def tile_counts(status: pd.DataFrame) -> list[tuple[Tile, int]]:
    counts = timing_counts(status)
    return [(tile, sum(counts[t] for t in tile.timings)) for tile in TILES]
