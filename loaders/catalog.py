"""Read and validate the hand-transcribed catalog in data/ (plans, agencies, indicators, targets, tasks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from loaders.catalog_files import (
    AGENCY_KINDS,
    AGENCY_STATUSES,
    BOOLEANS,
    COMPARATORS,
    DIRECTIONS,
    FILES,
    FREQUENCIES,
    GRADES,
    HORIZONS,
    TASK_COLUMNS,
    CatalogError,
    CsvReader,
    agency_key,
    split_list,
)
from loaders.reporting_calendar import read_reporting
from metrics.deadlines import parse_deadline
from metrics.periods import is_period

__all__ = ["Catalog", "CatalogError", "load_catalog"]


@dataclass
class Catalog:
    plans: pd.DataFrame
    thematic_groups: pd.DataFrame
    agencies: pd.DataFrame
    agency_aliases: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    target_agencies: pd.DataFrame
    tasks: pd.DataFrame
    task_agencies: pd.DataFrame
    published_actuals: pd.DataFrame
    status_thresholds: pd.DataFrame
    digest: str = ""
    # The reporting calendar, its setting and the holidays it skips (loaders/reporting_calendar.py).
    reporting_calendar: pd.DataFrame = field(default_factory=pd.DataFrame)
    reporting_settings: pd.DataFrame = field(default_factory=pd.DataFrame)
    public_holidays: pd.DataFrame = field(default_factory=pd.DataFrame)


def load_catalog(data_dir: Path) -> Catalog:
    """Read every catalog file, check it, and return tidy frames; raise CatalogError listing all problems."""
    r = CsvReader(data_dir)
    plans = r.read("plans.csv", FILES["plans.csv"])
    groups = r.read("thematic_groups.csv", FILES["thematic_groups.csv"])
    agencies = r.read("agencies.csv", FILES["agencies.csv"])
    aliases = r.read("agency_aliases.csv", FILES["agency_aliases.csv"])
    indicators = r.read("indicators.csv", FILES["indicators.csv"])
    targets = r.read("targets.csv", FILES["targets.csv"])
    published = r.read("published_actuals.csv", FILES["published_actuals.csv"])
    thresholds = r.read("status_thresholds.csv", FILES["status_thresholds.csv"])
    tasks: list[dict] = []
    for task_file in sorted((data_dir / "tasks").glob("*.csv")):
        tasks += r.read(f"tasks/{task_file.name}", TASK_COLUMNS)

    for rows, key in (
        (plans, "plan_id"),
        (groups, "group_code"),
        (agencies, "agency_id"),
        (indicators, "indicator_id"),
        (targets, "target_id"),
        (tasks, "task_id"),
        (thresholds, "key"),
    ):
        r.unique(rows, key)

    plan_ids = {p["plan_id"]: p for p in plans}
    group_codes = {g["group_code"] for g in groups}
    agency_ids = {a["agency_id"] for a in agencies}
    indicator_ids = {i["indicator_id"]: i for i in indicators}

    for p in plans:
        if not is_period(p["plan_period"]):
            r.err(p, "plan_period", f"'{p['plan_period']}' không phải kỳ dạng 2025-Q1.")
        if p["doc_date"]:
            try:
                pd.Timestamp(p["doc_date"])
            except ValueError:
                r.err(p, "doc_date", f"'{p['doc_date']}' không phải ngày dạng YYYY-MM-DD.")
    for g in groups:
        r.number(g, "sort_order", required=True)

    # Agencies: names and aliases resolve through one key; successors and parents must exist.
    resolve: dict[str, str] = {}
    for a in agencies:
        r.member(a, "kind", AGENCY_KINDS)
        r.member(a, "status", AGENCY_STATUSES)
        for column in ("parent_id", "successor_id"):
            if a[column] and a[column] not in agency_ids:
                r.err(a, column, f"cơ quan '{a[column]}' không có trong danh mục cơ quan.")
        if a["status"] == "merged" and not a["successor_id"]:
            r.err(a, "successor_id", "cơ quan đã hợp nhất cần có cơ quan kế thừa.")
        resolve[agency_key(a["name"])] = a["agency_id"]
    for al in aliases:
        if al["agency_id"] not in agency_ids:
            r.err(al, "agency_id", f"cơ quan '{al['agency_id']}' không có trong danh mục cơ quan.")
        key = agency_key(al["alias"])
        if key in resolve and resolve[key] != al["agency_id"]:
            r.err(al, "alias", f"tên '{al['alias']}' đã trỏ tới cơ quan '{resolve[key]}'.")
        resolve[key] = al["agency_id"]

    def agencies_of(row: dict, column: str) -> list[tuple[str, str]]:
        out = []
        for name in split_list(row[column]):
            agency_id = resolve.get(agency_key(name))
            if agency_id is None:
                r.err(
                    row,
                    column,
                    f"không nhận ra cơ quan '{name}' (thêm vào agencies.csv hoặc agency_aliases.csv).",
                )
            else:
                out.append((name, agency_id))
        return out

    for i in indicators:
        r.member(i, "direction", DIRECTIONS)
        r.member(i, "group_code", group_codes)
        r.member(i, "frequency", FREQUENCIES)
        r.number(i, "min_value")
        r.number(i, "max_value")

    tasks_by_id = {k["task_id"]: k for k in tasks}
    target_rows, target_agency_rows = [], []
    for t in targets:
        r.member(t, "plan_id", plan_ids)
        r.member(t, "indicator_id", indicator_ids)
        r.member(t, "horizon", HORIZONS)
        r.member(t, "comparator", COMPARATORS)
        r.member(t, "also_rising", BOOLEANS)
        low = r.number(t, "target_value")
        high = r.number(t, "target_value_high")
        comparator = t["comparator"]
        if comparator == "text" and (low is not None or high is not None):
            r.err(t, "target_value", "chỉ tiêu định tính (text) không mang giá trị số.")
        if comparator in COMPARATORS - {"text"} and low is None:
            r.err(t, "target_value", f"phép so sánh '{comparator}' cần giá trị chỉ tiêu.")
        if comparator == "between" and (high is None or (low is not None and high < low)):
            r.err(t, "target_value_high", "khoảng (between) cần cận trên không nhỏ hơn cận dưới.")
        if comparator != "between" and high is not None:
            r.err(t, "target_value_high", "chỉ dùng cận trên cho phép so sánh between.")
        if not t["target_text"]:
            r.err(t, "target_text", "cần nguyên văn chỉ tiêu.")
        leads = agencies_of(t, "lead_agencies")
        if not leads:
            r.err(t, "lead_agencies", "cần ít nhất một cơ quan chủ trì.")
        for ordinal, (name, agency_id) in enumerate(leads, start=1):
            target_agency_rows.append(
                {
                    "target_id": t["target_id"],
                    "ordinal": ordinal,
                    "agency_as_written": name,
                    "agency_id": agency_id,
                }
            )
        # A row that names no lead gets one with its reason and source; "as written" stays empty.
        if bool(t["lead_basis"]) != bool(t["lead_inferred_from"]):
            r.err(
                t, "lead_inferred_from", "lead_basis và lead_inferred_from phải cùng có hoặc cùng để trống."
            )
        inferred = bool(t["lead_inferred_from"])
        task = tasks_by_id.get(t["source_task_id"]) if t["source_task_id"] else None
        if t["source_task_id"] and (task is None or task["plan_id"] != t["plan_id"]):
            r.err(t, "source_task_id", f"không có nhiệm vụ '{t['source_task_id']}' trong cùng kế hoạch.")
        plan = plan_ids.get(t["plan_id"], {})
        target_rows.append(
            {
                **{k: v for k, v in t.items() if not k.startswith("_") and k != "lead_agencies"},
                "lead_agencies_as_written": "" if inferred else t["lead_agencies"],
                "lead_agencies_inferred": t["lead_agencies"] if inferred else "",
                "due_period": HORIZONS.get(t["horizon"], ""),
                "target_value": low,
                "target_value_high": high,
                "also_rising": t["also_rising"] == "true",
                "source_ref": _target_source_ref(plan, t, task),
            }
        )

    task_rows, task_agency_rows = [], []
    for k in tasks:
        r.member(k, "plan_id", plan_ids)
        for column in ("title", "lead_agencies"):
            if not k[column]:
                r.err(k, column, "để trống.")
        for role, column in (("lead", "lead_agencies"), ("coordinating", "coordinating_agencies")):
            for ordinal, (name, agency_id) in enumerate(agencies_of(k, column), start=1):
                task_agency_rows.append(
                    {
                        "task_id": k["task_id"],
                        "role": role,
                        "ordinal": ordinal,
                        "agency_as_written": name,
                        "agency_id": agency_id,
                    }
                )
        deadline = parse_deadline(k["deadline_text"])
        plan = plan_ids.get(k["plan_id"], {})
        task_rows.append(
            {
                **{c: v for c, v in k.items() if not c.startswith("_")},
                "deadline_kind": deadline.kind,
                "due_date": deadline.due_date,
                "source_ref": _task_source_ref(plan.get("short_name", k["plan_id"]), k),
            }
        )

    published_rows = []
    seen_actual: set[tuple[str, str]] = set()
    for a in published:
        r.member(a, "indicator_id", indicator_ids)
        r.member(a, "grade", GRADES)
        # whether the figure measures the target's definition: only those are ever judged
        r.member(a, "comparable", BOOLEANS)
        if not is_period(a["period"]):
            r.err(a, "period", f"'{a['period']}' không phải kỳ dạng 2025-Q3.")
        if (a["indicator_id"], a["period"]) in seen_actual:
            r.err(a, "period", "trùng chỉ tiêu và kỳ với một dòng trước.")
        seen_actual.add((a["indicator_id"], a["period"]))
        value = r.number(a, "value")
        if value is None and not a["value_text"]:
            r.err(a, "value", "cần giá trị số hoặc value_text.")
        published_rows.append(
            {
                **{c: v for c, v in a.items() if not c.startswith("_")},
                "value": value,
                "comparable": a["comparable"] == "true",
            }
        )

    for th in thresholds:
        r.number(th, "value", required=True)

    reporting = read_reporting(r)

    if r.problems:
        raise CatalogError(r.problems)

    def frame(rows: list[dict], drop=("_where",)) -> pd.DataFrame:
        return pd.DataFrame([{k: v for k, v in row.items() if k not in drop} for row in rows])

    def blank_to_none(df: pd.DataFrame) -> pd.DataFrame:
        return df.astype(object).where(df.astype(object).ne(""), None)

    agencies_df = blank_to_none(frame(agencies))
    indicators_df = blank_to_none(frame(indicators))
    for column in ("min_value", "max_value"):
        indicators_df[column] = pd.to_numeric(indicators_df[column])
    plans_df = blank_to_none(frame(plans))
    groups_df = frame(groups)
    groups_df["sort_order"] = groups_df["sort_order"].astype(int)
    thresholds_df = blank_to_none(frame(thresholds))
    thresholds_df["value"] = thresholds_df["value"].astype(float)
    return Catalog(
        plans=plans_df,
        thematic_groups=groups_df,
        agencies=agencies_df,
        agency_aliases=frame(aliases),
        indicators=indicators_df,
        targets=blank_to_none(frame(target_rows)),
        target_agencies=pd.DataFrame(target_agency_rows),
        tasks=blank_to_none(
            frame(task_rows).rename(
                columns={
                    "lead_agencies": "lead_agencies_as_written",
                    "coordinating_agencies": "coordinating_agencies_as_written",
                }
            )
        ),
        task_agencies=pd.DataFrame(task_agency_rows),
        published_actuals=blank_to_none(frame(published_rows)),
        status_thresholds=thresholds_df,
        digest=r.hasher.hexdigest(),
        **reporting,
    )


def _task_source_ref(plan_name: str, task: dict) -> str:
    return f"{plan_name}, Phụ lục II, mục {task['section']}, STT {task['row_no']}"


def _target_source_ref(plan: dict, t: dict, task: dict | None) -> str:
    name = plan.get("short_name", t["plan_id"])
    if task is not None:
        return f"{_task_source_ref(name, task)} (mục tiêu in trong nội dung nhiệm vụ)"
    if t["plan_id"] == "tu11":
        return f"{name}, mục II.1 (Mục tiêu), ý thứ {t['row_ref']}"
    if t["plan_id"] == "ubnd2025":
        part = "mục I (Đến năm 2030)" if t["horizon"] == "2030" else "mục II (Đến năm 2045)"
        return f"{name}, Phụ lục I, {part}, dòng {t['row_ref']}"
    return f"{name}, Phụ lục I, dòng {t['row_ref']}"
