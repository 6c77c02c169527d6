"""Agency scorecards: which targets each current agency answers for, and the names the plans used."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.status_labels import GOOD_STATUSES


@dataclass(frozen=True)
class Scorecard:
    agency_id: str
    agency_name: str
    title: str
    formerly: list[str]
    target_ids: list[str]


def agency_scorecards(status: pd.DataFrame, links: pd.DataFrame) -> list[Scorecard]:
    """One card per current agency (v_target_agencies rows), most targets first.

    `formerly` lists the names the plans printed that are not the current name, so a reader sees
    that "Sở Thông tin và Truyền thông" now reports as "Sở Khoa học và Công nghệ".
    """
    statuses = status.set_index("target_id")["status"]
    cards = []
    for (agency_id, name), part in links.groupby(["agency_id", "agency_name"], sort=False):
        ids = sorted(set(part["target_id"]))
        good = int(statuses.reindex(ids).isin(GOOD_STATUSES).sum())
        formerly = sorted({w for w in part["agency_as_written"] if w.casefold() != name.casefold()})
        title = f"{name} — {len(ids)} chỉ tiêu, {good} đạt hoặc đúng tiến độ"
        cards.append(Scorecard(agency_id, name, title, formerly, ids))
    return sorted(cards, key=lambda c: (-len(c.target_ids), c.agency_name))
