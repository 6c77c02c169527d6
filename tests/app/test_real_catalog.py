"""The pages on the real catalog as a new install builds it (published figures only, no uploads).

What a new install shows is what the province sees for months, so it is tested beside the demo data. Every
indicator of Chỉ tiêu on this state is swept by tests/app/test_sweep.py (state "catalog").
"""

from __future__ import annotations

import pytest

from loaders import db

PAGES = [
    "pages/overview.py",
    "pages/agencies.py",
    "pages/indicator.py",
    "pages/targets.py",
    "pages/plans.py",
    "pages/tasks.py",
    "pages/upload.py",
    "pages/export_files.py",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("horizon", ["2025-Q4", "2030", "2045"])
def test_every_page_renders_on_the_catalog_as_built(catalog_app, page, horizon):
    at = catalog_app(moc=horizon).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title, "every page has a title"
    assert not any("minh họa" in w.value for w in at.warning), "real data must not carry the demo mark"


def test_an_indicator_without_values_says_so_in_vietnamese(catalog_app, catalog_db):
    con = db.connect(str(catalog_db))
    try:
        empty = con.execute(
            "SELECT min(t.indicator_id) FROM v_targets t WHERE t.direction IN ('higher', 'lower') "
            "AND t.indicator_id NOT IN (SELECT indicator_id FROM v_actuals)"
        ).fetchall()[0][0]
    finally:
        con.close()
    assert empty is not None
    at = catalog_app(chitieu=empty).run()
    at.switch_page("pages/indicator.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="indicator").value == empty
    notes = " ".join(i.value for i in at.info)
    assert "Chưa có số liệu thực hiện" in notes
