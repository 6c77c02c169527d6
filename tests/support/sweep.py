"""Drive one page of the app through every control it draws, on one AppTest, and say what went wrong.

A page is swept along the controls it actually draws (found in its element tree after the first run), so
a control added later is swept without editing the test: the shared agency filter (all, and the agencies
given), the horizon (every option of the page's own horizon control), "Số liệu đến" (the default, the
earliest, the latest), the plan of Kế hoạch, and every indicator of the Chỉ tiêu page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from streamlit.testing.v1 import AppTest

from ui import labels
from ui.frame import period_options
from ui.labels import HORIZON_LABELS

PAGES = (
    "pages/overview.py",
    "pages/agencies.py",
    "pages/indicator.py",
    "pages/targets.py",
    "pages/plans.py",
    "pages/tasks.py",
    "pages/upload.py",
    "pages/export_files.py",
)
DEFAULT_PAGE = "pages/overview.py"
HORIZON_KEYS = ("horizon", "agency_horizon", "targets_horizon")
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)


@dataclass
class Sweep:
    """One page on one database: the runs made and the problems found (empty when all is well)."""

    page: str
    header_caption: str | None = None
    runs: int = 0
    problems: list[str] = field(default_factory=list)

    def check(self, at: AppTest, where: dict[str, object]) -> None:
        """No exception; a page that draws nothing says why in Vietnamese."""
        self.runs += 1
        context = f"{self.page} {where}"
        if at.exception:
            self.problems.append(f"{context}: {at.exception[0].value}")
            return
        if not at.title:
            self.problems.append(f"{context}: no title")
            return
        if not drew_something(at) and not says_why(at, self.header_caption):
            self.problems.append(f"{context}: nothing drawn and no Vietnamese note saying why")


def drew_something(at: AppTest) -> bool:
    """A chart, a table with rows, or a file to download."""
    if len(at.get("plotly_chart")) or len(at.download_button):
        return True
    return any(len(d.value) for d in at.dataframe)


def says_why(at: AppTest, header_caption: str | None) -> bool:
    """An info or a warning, or a caption other than the page's standing one, written in Vietnamese."""
    notes = [e.value for e in (*at.info, *at.warning)]
    notes += [c.value for c in at.caption if c.value != header_caption]
    return any(VIETNAMESE.search(str(n)) for n in notes)


def _has(widgets, key: str) -> bool:
    return any(w.key == key for w in widgets)


def _periods(at: AppTest) -> list[str]:
    """The default "Số liệu đến" (as the page opened), the earliest and the latest, once each."""
    options = period_options()
    assert len(at.selectbox(key="as_of").options) == len(options), "the sweep's periods are the page's"
    return list(dict.fromkeys([at.selectbox(key="as_of").value, options[0], options[-1]]))


def _horizons(at: AppTest) -> tuple[str, list]:
    key = next(k for k in HORIZON_KEYS if _has(at.segmented_control, k))
    values = ["all", *HORIZON_LABELS] if key == "agency_horizon" else list(HORIZON_LABELS)
    assert len(at.segmented_control(key=key).options) == len(values), f"the sweep's {key} are the page's"
    return key, values


def grid(horizons: list, periods: list, full: bool) -> list[tuple]:
    """Every (horizon, period) when `full`; else a cross: every horizon at the default period, then every
    other period at the first horizon (what one agency's view needs, at a fifth of the runs)."""
    if full:
        return [(h, p) for h in horizons for p in periods]
    return [(h, periods[0]) for h in horizons] + [(horizons[0], p) for p in periods[1:]]


def _settings(at: AppTest, periods: list[str], full: bool) -> Iterator[dict[str, object]]:
    """The page's horizon and period controls set along grid() (one setting if it has neither)."""
    key, horizons = (
        _horizons(at) if any(_has(at.segmented_control, k) for k in HORIZON_KEYS) else (None, [None])
    )
    for horizon, period in grid(horizons, periods or [None], full):
        yield {key: horizon, "as_of": period} if key else {"as_of": period}


def _apply(at: AppTest, setting: dict[str, object]) -> None:
    for key, value in setting.items():
        if value is None:
            continue
        if key == "as_of":
            at.selectbox(key="as_of").set_value(value)
        else:
            at.segmented_control(key=key).set_value(value)


def sweep_page(
    make_app, page: str, agencies: list[str], plans: list[str], indicator_limit: int | None = None
) -> Sweep:
    """Open `page` once, then re-run it with every agency × horizon × period (and every indicator or plan)."""
    if page == DEFAULT_PAGE:
        return _sweep_default_page(make_app, agencies)
    at = make_app().run()
    at.switch_page(page).run()
    sweep = Sweep(page, header_caption=_header_caption(at))
    sweep.check(at, {"opened": True})
    if at.exception:
        return sweep
    periods = _periods(at) if _has(at.selectbox, "as_of") else []
    for n, agency in enumerate([labels.ALL, *agencies]):
        at.sidebar.selectbox(key="f_agency").set_value(agency).run()
        sweep.check(at, {"agency": agency})
        if at.exception:
            continue
        if _has(at.selectbox, "indicator"):
            _sweep_indicators(at, sweep, agency, periods[n:] + periods[:n], indicator_limit)
            continue
        if _has(at.selectbox, "plans_plan"):
            assert len(at.selectbox(key="plans_plan").options) == len(plans)
            for plan in plans:
                at.selectbox(key="plans_plan").set_value(plan).run()
                sweep.check(at, {"agency": agency, "plan": plan})
            continue
        for setting in _settings(at, periods, full=agency == labels.ALL):
            _apply(at, setting)
            at.run()
            sweep.check(at, {"agency": agency, **setting})
    return sweep


def _header_caption(at: AppTest) -> str | None:
    return at.caption[0].value if len(at.caption) else None


def _sweep_default_page(make_app, agencies: list[str]) -> Sweep:
    """The default page, a fresh AppTest per setting, the settings given in the link (coquan, moc, ky).

    AppTest re-runs the default page as a script of the pages/ folder, without app.py (its hash is the
    page's file name, and AppTest forgets between runs that st.navigation is in charge): the sidebar is
    gone after the first run. A fresh session per setting runs the app as a browser opening the link does.
    """
    first = make_app().run()
    sweep = Sweep(DEFAULT_PAGE, header_caption=_header_caption(first))
    sweep.check(first, {"opened": True})
    if first.exception:
        return sweep
    periods = _periods(first)
    _, horizons = _horizons(first)
    for agency in [labels.ALL, *agencies]:
        for horizon, period in grid(horizons, periods, full=agency == labels.ALL):
            query = {"moc": horizon, "ky": period}
            if agency != labels.ALL:
                query["coquan"] = agency
            at = make_app(**query).run()
            sweep.check(at, {"agency": agency, "horizon": horizon, "as_of": period})
            if not at.exception:
                assert at.selectbox(key="as_of").value == period, "the link's period was not taken"
    return sweep


def _sweep_indicators(at: AppTest, sweep: Sweep, agency: str, periods: list[str], limit: int | None) -> None:
    """Every indicator of the selectbox (evenly spread when there are more than `limit`), the periods in
    turn: indicator i at periods[i % 3], so every indicator runs once and every period a third of them (each
    agency starts the turn at another period, so an indicator meets another period under another filter)."""
    options = [o.split(" — ")[0] for o in at.selectbox(key="indicator").options]
    if limit and len(options) > limit:
        options = options[:: -(-len(options) // limit)]
    for i, indicator in enumerate(options):
        period = periods[i % len(periods)]
        at.selectbox(key="as_of").set_value(period)
        at.selectbox(key="indicator").set_value(indicator).run()
        sweep.check(at, {"agency": agency, "as_of": period, "indicator": indicator})
        if not _has(at.selectbox, "indicator"):  # a crash above the controls: go on from a clean run
            return
