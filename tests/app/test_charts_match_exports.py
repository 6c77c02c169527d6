"""The chart a page draws and the chart its exported file carries are one figure: equal Plotly JSON.

Both are made by the same builder in charts/; this shows the page and exports/figures.py also feed it
the same frames and words (title, period, footer, demo mark), on the demo data and on the catalog as built.
"""

from __future__ import annotations

import json

import pytest

from exports import figures
from loaders import db


def page_figure(at) -> dict:
    """The figure Streamlit was given for the page's one chart, as Plotly JSON."""
    charts = at.get("plotly_chart")
    assert len(charts) == 1, f"the page drew {len(charts)} charts"
    return json.loads(charts[0].proto.spec)


def export_figure(path, make) -> dict | None:
    con = db.connect(str(path))  # the app's own settings: DuckDB refuses a second, different connection
    try:
        chart = make(con)
    finally:
        con.close()
    return None if chart is None else json.loads(chart.figure.to_json())


CASES = [
    ("pages/overview.py", {"moc": "2030"}, lambda con, as_of: figures.overview_chart(con, "2030", as_of)),
    ("pages/agencies.py", {}, lambda con, as_of: figures.agencies_chart(con, None, as_of)),
    (
        "pages/indicator.py",
        {"chitieu": "KTS_GRDP"},  # three horizons: the axis stops at 2030 and names 2045 at its edge
        lambda con, as_of: figures.indicator_chart(con, "KTS_GRDP", as_of),
    ),
    (
        "pages/indicator.py",
        {"chitieu": "BAN_LOM_SONG"},  # two plans with different levels for the same horizon
        lambda con, as_of: figures.indicator_chart(con, "BAN_LOM_SONG", as_of),
    ),
]


def _check(at, page, query, make, path):
    at.switch_page(page).run()
    assert not at.exception, at.exception
    as_of = at.session_state["_as_of"]
    exported = export_figure(path, lambda con: make(con, as_of))
    assert exported is not None
    assert page_figure(at) == exported


@pytest.mark.parametrize(("page", "query", "make"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_page_and_export_draw_the_same_figure_on_demo_data(app, demo_db, page, query, make):
    _check(app(**query).run(), page, query, make, demo_db)


@pytest.mark.parametrize(("page", "query", "make"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_page_and_export_draw_the_same_figure_on_the_catalog_as_built(
    catalog_app, catalog_db, page, query, make
):
    _check(catalog_app(**query).run(), page, query, make, catalog_db)


def test_the_whole_axis_toggle_is_the_exports_whole_axis(app, demo_db):
    at = app(chitieu="KTS_GRDP").run()
    at.switch_page("pages/indicator.py").run()
    at.toggle(key="indicator_2045").set_value(True).run()
    assert not at.exception, at.exception
    as_of = at.session_state["_as_of"]
    short = export_figure(demo_db, lambda con: figures.indicator_chart(con, "KTS_GRDP", as_of))
    whole = export_figure(
        demo_db, lambda con: figures.indicator_chart(con, "KTS_GRDP", as_of, whole_axis=True)
    )
    assert short != whole, "the toggle must change the chart"
    assert page_figure(at) == whole
