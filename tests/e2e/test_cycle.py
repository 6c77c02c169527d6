"""Issue 15 in a real Chromium: one whole cycle. An agency's reporter logs in, uploads its filled template and
confirms; the secretariat logs in, opens Duyệt số liệu and accepts; the leaders' overview shows the value.
Screenshots of Tình hình báo cáo and Duyệt số liệu go to artifacts/screenshots/."""

from __future__ import annotations

import duckdb
import pytest

from loaders import auth
from tests.e2e.conftest import ARTIFACTS
from tests.support import databases
from tests.support.workbooks import PERIOD, fill, template

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

OWN = "CLOUD_HTTT"  # led by so_khcn (Sở Khoa học và Công nghệ)
VALUE, SHOWN = "57,5", "57,5"
PERIOD_LABEL = "Quý IV/2025"
VIEWPORT = {"width": 1600, "height": 1000}
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
SUCCESS = "[data-testid='stAlertContentSuccess']"


@pytest.fixture(scope="module")
def cycle_app(tmp_path_factory):
    """The app on 127.0.0.1 against the catalog with no uploads, and two accounts."""
    from devtools.serve import serve

    folder = tmp_path_factory.mktemp("cycle")
    db = databases.catalog_db(folder / "nq57.duckdb")
    users = folder / "users.toml"
    auth.add_user("thuy", "mat-khau-dung", full_name="Nguyễn Thị Thủy", path=users, rounds=4)
    auth.add_user("khcn", "mat-khau-khcn", path=users, rounds=4, role=auth.ROLE_AGENCY, agency="so_khcn")
    con = duckdb.connect(str(db), read_only=True)
    try:
        blank = template(con, agency="so_khcn")
    finally:
        con.close()
    filled = folder / "khcn_quy_iv_2025.xlsx"
    filled.write_bytes(fill(blank, {OWN: VALUE}, evidence={OWN: "BC 12/SKHCN"}))
    with serve(db, users=users) as server:
        yield server.url, filled, db


def settled(page) -> None:
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_function("() => !document.querySelector(\"[data-testid='stSkeleton']\")", timeout=60_000)


def open_page(context, url: str):
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("h1", timeout=60_000)
    settled(page)
    # Streamlit may greet a direct link to a page with a "Page not found" box while it renders that very
    # page (the page list reaches the browser after the first run): close it, it blocks the form.
    notice = page.get_by_role("dialog").filter(has_text="Page not found")
    if notice.count():
        page.keyboard.press("Escape")
        notice.wait_for(state="hidden", timeout=10_000)
    return page


def log_in(page, name: str, password: str) -> None:
    page.locator(".st-key-login_name input").fill(name)
    page.locator(".st-key-login_password input").fill(password)
    page.locator(".st-key-login_submit button").click()
    page.get_by_role("button", name="Đăng xuất").wait_for(timeout=60_000)
    settled(page)


def choose(page, key: str, option: str) -> None:
    box = page.locator(f".st-key-{key} [role='combobox']")
    box.click()
    box.fill(option)  # the list is long and drawn in part: typing narrows it to the one option
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_timeout(300)  # the rerun the choice starts
    settled(page)


def cells(table) -> list[str]:
    """The cells of a table as the grid's accessible copy holds them (the grid itself is a canvas)."""
    grid = table.locator("td[role='gridcell']")
    grid.first.wait_for(state="attached", timeout=60_000)
    return grid.all_text_contents()


def overview_cells(context, url: str) -> list[str]:
    """The leaders' status table for the period, narrowed to the agency so that every row is drawn."""
    page = open_page(context, f"{url}/?ky={PERIOD}&moc={PERIOD}&coquan=so_khcn")
    try:
        page.locator(".st-key-overview_show_table label").click()
        settled(page)
        return cells(page.locator("[data-testid='stDataFrame']").last)
    finally:
        page.close()


def cloud_row(values: list[str]) -> str:
    rows = [v for v in values if "điện toán đám mây" in v.lower()]
    assert rows, values  # the indicator is in the table before and after
    return " ".join(values)


def test_one_whole_cycle(browser, cycle_app):
    url, filled, db = cycle_app
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    reporter = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    page = open_page(reporter, f"{url}/tai-so-lieu")
    log_in(page, "khcn", "mat-khau-khcn")
    choose(page, "upload_period", PERIOD_LABEL)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(filled))
    confirm = page.locator(".st-key-upload_confirm button")
    confirm.wait_for(timeout=60_000)
    settled(page)
    confirm.click()
    page.wait_for_selector(SUCCESS, timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    reporter.close()

    leader = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    before = overview_cells(leader, url)
    cloud_row(before)
    assert not any(SHOWN in v for v in before)  # awaiting review: leaders do not see it yet

    office = browser.new_context(viewport=VIEWPORT, locale="vi-VN")
    page = open_page(office, f"{url}/duyet-so-lieu")
    log_in(page, "thuy", "mat-khau-dung")
    choose(page, "review_period", PERIOD_LABEL)
    assert "Chờ duyệt" in cells(page.locator("[data-testid='stDataFrame']").first)
    page.screenshot(path=str(ARTIFACTS / "duyet-so-lieu.png"), full_page=True)
    page.locator(".st-key-review_accept button").click()
    page.wait_for_selector(SUCCESS, timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    office.close()

    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT action FROM review_events").fetchall() == [("accept",)]
    finally:
        con.close()
    after = overview_cells(leader, url)
    cloud_row(after)
    assert any(SHOWN in v for v in after)

    page = open_page(leader, f"{url}/tinh-hinh-bao-cao")
    choose(page, "reporting_period", PERIOD_LABEL)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    # The one submission of the cycle, sent long after the agencies' deadline of 18/12/2025, counts as late.
    assert "1 muộn" in page.locator(".js-plotly-plot").inner_text()
    page.screenshot(path=str(ARTIFACTS / "tinh-hinh-bao-cao.png"), full_page=True)
    leader.close()
