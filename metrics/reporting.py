"""Completeness and timeliness of the reporting cycle: what each agency owes, sent, sent late or still owes."""

from __future__ import annotations

from datetime import date

import pandas as pd

# The state of one owed item as of a day (docs/reporting.md). Phase B adds acceptance beside these
# (a received item is also accepted or not), so the states stay about arrival and time only.
ON_TIME = "on_time"  # received on or before the agency deadline
LATE = "late"  # received after it
MISSING = "missing"  # not received and the deadline has passed
PENDING = "pending"  # not received, the deadline not passed yet
STATES = (ON_TIME, LATE, MISSING, PENDING)
STATE_LABELS = {
    ON_TIME: "Đúng hạn",
    LATE: "Gửi muộn",
    MISSING: "Chưa gửi, quá hạn",
    PENDING: "Chưa đến hạn",
}
ITEM_LABELS = {"indicator": "Chỉ tiêu", "task": "Nhiệm vụ"}

# One count per flag: a new flag (accepted, in phase B) is a new line here and a boolean column.
COUNTS = {
    "n_owed": None,
    "n_received": "received",
    "n_on_time": ON_TIME,
    "n_late": LATE,
    "n_missing": MISSING,
    "n_pending": PENDING,
    "n_accepted": "accepted",  # received and accepted by the secretariat (docs/reporting.md §6)
    "n_unexplained": "unexplained",  # red without an assessment and a cause: incomplete (issue 16)
}
SUMMARY_COLUMNS = [
    "period",
    "agency_id",
    "agency_name",
    "agency_short_name",
    *COUNTS,
    "n_overdue",
    "max_days_late",
    "share_on_time",
    "share_received",
    "agency_deadline",
]


def _day(value: object) -> date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def classify(obligations: pd.DataFrame, today: date) -> pd.DataFrame:
    """Each owed item (v_reporting_obligations rows) with its state and days late as of `today`.

    What arrived after `today` does not count yet, so a past day gives the picture as it was then.
    An item is on time when it arrived on the deadline day or before (the whole day counts).
    """
    out = obligations.copy()
    states, days, received = [], [], []
    for row in out[["received_at", "agency_deadline"]].itertuples(index=False):
        arrived = _day(row.received_at)
        deadline = _day(row.agency_deadline)
        if arrived is not None and arrived > today:
            arrived = None
        received.append(arrived is not None)
        if arrived is not None:
            late = (arrived - deadline).days
            states.append(ON_TIME if late <= 0 else LATE)
            days.append(late if late > 0 else None)
        elif today > deadline:
            states.append(MISSING)
            days.append((today - deadline).days)
        else:
            states.append(PENDING)
            days.append(None)
    out["received"] = received
    # Accepted as of `today`: an accept after that day does not count yet (nor without an arrival).
    accepted_at = out["accepted_at"] if "accepted_at" in out else pd.Series(None, index=out.index)
    out["accepted"] = [
        got and (day := _day(at)) is not None and day <= today
        for got, at in zip(received, accepted_at, strict=True)
    ]
    # a red value without its why counts as incomplete, once it has arrived (loaders/reporting.obligations)
    out["unexplained"] = (
        out.get("unexplained", pd.Series(False, index=out.index)).astype(bool) & out["received"]
    )
    out["state"] = states
    out["days_late"] = pd.array(days, dtype="Int64")
    out["state_label"] = out["state"].map(STATE_LABELS)
    return out


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    return (part / whole.where(whole > 0)).astype("Float64")


def agency_summary(classified: pd.DataFrame) -> pd.DataFrame:
    """Per period and agency: owed, received, on time, late, missing, pending; most overdue first."""
    if classified.empty:
        return pd.DataFrame(columns=SUMMARY_COLUMNS)
    flags = classified.assign(
        n_owed=True,
        **{
            name: classified[flag]
            if flag in ("received", "accepted", "unexplained")
            else classified["state"].eq(flag)
            for name, flag in COUNTS.items()
            if flag is not None
        },
    )
    keys = ["period", "agency_id", "agency_name", "agency_short_name"]
    grouped = flags.groupby(keys, dropna=False)
    out = grouped[list(COUNTS)].sum().astype(int)
    out["max_days_late"] = grouped["days_late"].max().astype("Int64")
    out["agency_deadline"] = grouped["agency_deadline"].first()
    out = out.reset_index()
    out["n_overdue"] = out["n_late"] + out["n_missing"]
    out["share_on_time"] = _share(out["n_on_time"], out["n_owed"])
    out["share_received"] = _share(out["n_received"], out["n_owed"])
    out = out.sort_values(
        ["period", "n_overdue", "max_days_late", "n_owed", "agency_name"],
        ascending=[True, False, False, False, True],
        na_position="last",
    )
    return out[SUMMARY_COLUMNS].reset_index(drop=True)


def province_rate(classified: pd.DataFrame, today: date) -> pd.DataFrame:
    """The province's reporting rate per period: share of owed items received on time and received.

    `closed` says whether the agencies' deadline has passed; before it the rates are provisional.
    """
    columns = ["period", "n_owed", "n_received", "n_on_time", "share_on_time", "share_received", "closed"]
    if classified.empty:
        return pd.DataFrame(columns=columns)
    grouped = classified.groupby("period")
    out = pd.DataFrame(
        {
            "n_owed": grouped.size(),
            "n_received": grouped["received"].sum(),
            "n_on_time": grouped["state"].apply(lambda s: int(s.eq(ON_TIME).sum())),
            "deadline": grouped["agency_deadline"].first(),
        }
    ).reset_index()
    out["share_on_time"] = _share(out["n_on_time"], out["n_owed"])
    out["share_received"] = _share(out["n_received"], out["n_owed"])
    out["closed"] = [today > _day(d) for d in out["deadline"]]
    order = out["period"].map(lambda p: (int(p[:4]), int(p[-1])))
    return out.assign(_o=order).sort_values("_o")[columns].reset_index(drop=True)


def missing_items(classified: pd.DataFrame, period: str, agency_id: str | None = None) -> pd.DataFrame:
    """What an agency still owes for a period (missing or not yet due), for a reminder."""
    rows = classified[classified["period"].eq(period) & ~classified["received"]]
    if agency_id is not None:
        rows = rows[rows["agency_id"].eq(agency_id)]
    return rows.sort_values(["agency_name", "item_kind", "item_id"]).reset_index(drop=True)


def report_period(calendar: pd.DataFrame, today: date) -> str | None:
    """The period a leader looks at today: the latest whose agency deadline has passed, else the first."""
    if calendar.empty:
        return None
    passed = calendar[[_day(d) < today for d in calendar["agency_deadline"]]]
    return str((passed if not passed.empty else calendar.head(1))["period"].iloc[-1])
