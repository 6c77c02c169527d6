"""Uploads that cannot overwrite each other, and reverts that restore exactly the state before."""

from __future__ import annotations

import duckdb
import pandas as pd
from streamlit.testing.v1 import AppTest

from loaders import auth, upload_commit, upload_preview
from tests.support import databases
from tests.support import workbooks as bad_files
from tests.support.agency_files import TODAY, file_hash
from tests.support.workbooks import PERIOD, ROOT, XLSX_MIME, fill, snapshot

ACTUALS_SQL = "SELECT * EXCLUDE (recorded_at) FROM v_actuals ORDER BY indicator_id, period"


def v_actuals(con) -> pd.DataFrame:
    return con.execute(ACTUALS_SQL).df()


def preview(con, data: bytes, name: str) -> upload_preview.Preview:
    result = upload_preview.validate_and_preview(con, data, name, today=TODAY)
    assert result.ok, [str(e) for e in result.errors]
    return result


# ---------------------------------------------------------------- two previews, two commits


def test_two_previews_then_two_commits_the_second_is_refused_and_shown_anew(con, blank):
    mine = preview(con, fill(blank, {"DVC_TOAN_TRINH": "40", "CLOUD_HTTT": "50%"}), "thuy.xlsx")
    theirs = preview(con, fill(blank, {"DVC_TOAN_TRINH": "45"}), "lan.xlsx")
    assert set(mine.table["change"]) == {"new"} and set(theirs.table["change"]) == {"new"}

    assert upload_commit.commit(con, mine, "thuy").committed
    before = snapshot(con)
    second = upload_commit.commit(con, theirs, "lan")
    assert second.status == "stale" and "đã thay đổi từ khi xem trước" in second.message
    assert snapshot(con) == before, "a stale commit writes nothing"
    assert con.execute(
        "SELECT value, recorded_by FROM v_actuals WHERE indicator_id = 'DVC_TOAN_TRINH' AND period = ?",
        [PERIOD],
    ).fetchall() == [(40.0, "thuy")]

    again = preview(con, fill(blank, {"DVC_TOAN_TRINH": "45"}), "lan.xlsx")
    (row,) = again.table.to_dict("records")
    assert row["change"] == "changed" and row["old_value"] == 40.0
    assert upload_commit.commit(con, again, "lan").committed


def test_a_preview_of_an_unrelated_indicator_still_commits(con, blank):
    mine = preview(con, fill(blank, {"DVC_TOAN_TRINH": "40"}), "a.xlsx")
    theirs = preview(con, fill(blank, {"CLOUD_HTTT": "50%"}), "b.xlsx")
    assert upload_commit.commit(con, mine, "thuy").committed
    assert upload_commit.commit(con, theirs, "lan").committed


# ---------------------------------------------------------------- exact reverts


def test_reverting_an_upload_over_a_published_figure_lets_later_catalog_corrections_through(con, blank):
    original = v_actuals(con)
    published = original[(original["indicator_id"] == "HSSK_DIEN_TU") & (original["period"] == PERIOD)]
    assert published["origin"].tolist() == ["published"], "the test needs a published figure"

    upload = upload_commit.commit(con, preview(con, fill(blank, {"HSSK_DIEN_TU": "75"}), "u.xlsx"), "thuy")
    assert upload.committed
    assert upload_commit.revert(con, upload.upload_id, "thuy").committed
    pd.testing.assert_frame_equal(v_actuals(con), original)

    con.execute(
        "UPDATE published_actuals SET value = value + 2 WHERE indicator_id = 'HSSK_DIEN_TU' AND period = ?",
        [PERIOD],
    )  # what a rebuild with a corrected catalog does
    corrected = v_actuals(con).set_index(["indicator_id", "period"]).loc[("HSSK_DIEN_TU", PERIOD)]
    assert corrected["origin"] == "published" and corrected["value"] == published["value"].iloc[0] + 2
    assert corrected["source"] == published["source"].iloc[0], "source and grade are the catalog's"


def test_reverting_u2_after_u1_was_reverted_does_not_bring_u1_back(con, blank):
    original = v_actuals(con)
    u1 = upload_commit.commit(
        con, preview(con, fill(blank, {"DVC_TOAN_TRINH": "50", "PII": 5}), "u1.xlsx"), "a"
    )
    u2 = upload_commit.commit(con, preview(con, fill(blank, {"DVC_TOAN_TRINH": "60"}), "u2.xlsx"), "b")
    undo_u1 = upload_commit.revert(con, u1.upload_id, "a")
    assert undo_u1.committed and "thay thế" in undo_u1.message  # DVC stays U2's 60
    assert upload_commit.revert(con, u2.upload_id, "b").committed
    pd.testing.assert_frame_equal(v_actuals(con), original)


def test_reverting_a_revert_brings_back_what_it_had_undone(con, blank):
    u1 = upload_commit.commit(con, preview(con, fill(blank, {"HSSK_DIEN_TU": "75"}), "u1.xlsx"), "a")
    after_u1 = v_actuals(con)
    undo = upload_commit.revert(con, u1.upload_id, "a")
    assert upload_commit.revert(con, undo.upload_id, "a").committed
    columns = ["indicator_id", "period", "value", "value_text", "origin"]
    pd.testing.assert_frame_equal(v_actuals(con)[columns], after_u1[columns])


# ---------------------------------------------------------------- refused files on the page and on disk


def test_a_refused_file_leaves_the_database_file_byte_for_byte(db_file, blank):
    data, _ = bad_files.several_errors(blank)
    before = file_hash(db_file)
    con = duckdb.connect(str(db_file))
    result = upload_preview.validate_and_preview(con, data, "loi.xlsx", today=TODAY)
    con.close()
    assert not result.ok and file_hash(db_file) == before


def _page(tmp_path, monkeypatch) -> tuple[AppTest, bytes, object]:
    db_file = databases.catalog_db(tmp_path / "nq57.duckdb")
    monkeypatch.setenv("NQ57_DB", str(db_file))
    monkeypatch.setenv(auth.USERS_ENV, str(tmp_path / "users.toml"))
    auth.add_user("thuy", "mat-khau-dung", full_name="Nguyễn Thị Thủy", rounds=4)
    auth.THROTTLE.success("thuy")
    con = duckdb.connect(str(db_file))
    blank = bad_files.template(con)
    con.close()
    at = AppTest.from_file(str(ROOT / "pages" / "upload.py"), default_timeout=60).run()
    at.text_input(key="login_name").input("thuy")
    at.text_input(key="login_password").input("mat-khau-dung")
    return at.button(key="login_submit").click().run(), blank, db_file


def test_the_page_refuses_a_stale_commit_shows_the_new_preview_and_clears_after_revert(tmp_path, monkeypatch):
    at, blank, db_file = _page(tmp_path, monkeypatch)
    at.file_uploader[0].set_value(("lan.xlsx", fill(blank, {"DVC_TOAN_TRINH": "45"}), XLSX_MIME))
    at.run()
    preview_table = at.dataframe[0].value
    assert preview_table.columns[:5].tolist() == [
        "Thay đổi",
        "Mã chỉ tiêu",
        "Giá trị mới",
        "Giá trị cũ",
        "Trạng thái sau khi ghi",
    ]
    summaries = [m.value for m in [*at.info, *at.warning] if "giá trị mới" in m.value]
    assert len(summaries) == 1, "the summary appears once"
    assert [s.label for s in at.status if "giá trị mới" in s.label] == []

    other = duckdb.connect(str(db_file))  # someone else commits in between (another session)
    assert upload_commit.commit(
        other, preview(other, fill(blank, {"DVC_TOAN_TRINH": "40"}), "x.xlsx"), "an"
    ).committed
    other.close()

    at.button(key="upload_confirm").click().run()
    assert not at.exception
    assert any("đã thay đổi từ khi xem trước" in w.value for w in at.warning)
    assert at.dataframe[0].value["Thay đổi"].tolist() == ["Thay đổi"], "the new preview: 40 → 45"
    at.button(key="upload_confirm").click().run()
    assert any("Đã ghi lần tải #2" in s.value for s in at.success)
    assert "upload_confirm" not in [b.key for b in at.button]

    at.button(key="revert_2").click().run()
    at.button(key="revert_confirm").click().run()
    assert any("Đã hoàn tác lần tải #2" in s.value for s in at.success)
    assert at.file_uploader[0].value is None and "upload_confirm" not in [b.key for b in at.button]
