"""Issue 14 through the pages: roles on the upload page, idle sessions end, faults read as sentences."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from loaders import auth
from tests.loaders.test_uploads import first_file
from tests.support import databases
from tests.support import workbooks as bad_files
from tests.support.workbooks import ROOT

PAGE = str(ROOT / "pages" / "upload.py")


@pytest.fixture
def setup(tmp_path, monkeypatch):
    db_file = databases.catalog_db(tmp_path / "nq57.duckdb")
    monkeypatch.setenv("NQ57_DB", str(db_file))
    monkeypatch.setenv(auth.USERS_ENV, str(tmp_path / "users.toml"))
    auth.add_user("thuy", "mat-khau-dung", rounds=4)
    auth.add_user("xem", "mat-khau-xem", rounds=4, role=auth.ROLE_VIEWER)
    auth.THROTTLE.success("thuy")
    auth.THROTTLE.success("xem")
    return db_file


def login(name: str, password: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    return at.button(key="login_submit").click().run()


def test_a_viewer_account_gets_no_uploader(setup):
    at = login("xem", "mat-khau-xem")
    assert not at.exception
    assert len(at.file_uploader) == 0 and len(at.dataframe) == 0
    assert any("chỉ được xem" in w.value for w in at.warning)


def test_a_session_ends_after_the_idle_time(setup, monkeypatch):
    at = login("thuy", "mat-khau-dung")
    assert len(at.file_uploader) == 1
    monkeypatch.setenv(auth.IDLE_ENV, "1")
    at.session_state["nq57_last_seen"] = at.session_state["nq57_last_seen"] - 61
    at.run()
    assert len(at.file_uploader) == 0
    assert any("hết hạn" in w.value for w in at.warning)


def test_a_database_replaced_under_the_page_is_noticed_before_writing(setup, tmp_path):
    db_file = setup
    at = login("thuy", "mat-khau-dung")
    con = duckdb.connect(str(db_file))
    data = first_file(bad_files.template(con))
    con.close()
    at.file_uploader(key="upload_file").set_value(("quy4.xlsx", data, bad_files.XLSX_MIME)).run()
    assert at.button(key="upload_confirm") is not None
    spare = tmp_path / "spare.duckdb"
    shutil.copyfile(db_file, spare)
    os.replace(spare, db_file)  # someone restores or copies a file over the live one
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    assert any("đã bị xóa hoặc thay" in e.value for e in at.error)
    con = duckdb.connect(str(db_file))
    assert con.execute("SELECT count(*) FROM uploads").fetchone()[0] == 0
    con.close()


def test_readers_see_the_last_data_or_a_sentence_while_another_process_writes(app, demo_db, monkeypatch):
    import streamlit as st

    from ui import db as ui_db

    monkeypatch.setenv("NQ57_READ_WAIT", "0.5")
    warm = app()
    warm.run()  # the reads this page needs, once, before the writer comes
    assert not warm.exception and not warm.error
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
                import duckdb, sys
                con = duckdb.connect({str(demo_db)!r})
                print("held", flush=True)
                sys.stdin.readline()
            """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        st.cache_data.clear()  # even with Streamlit's cache gone, the last consistent result is served
        stale = app()
        stale.run()
        monkeypatch.setattr(ui_db, "_LAST_GOOD", type(ui_db._LAST_GOOD)())
        st.cache_data.clear()
        cold = app()
        cold.run()
    finally:
        holder.communicate("done\n", timeout=30)
    assert not stale.exception and not stale.error and not stale.info
    shown_warm = [m.value for m in warm.markdown]
    assert shown_warm and [m.value for m in stale.markdown] == shown_warm  # the same page, from the last data
    assert not cold.exception
    shown = [m.value for m in (*cold.info, *cold.error)]
    assert any("Đang cập nhật số liệu" in m for m in shown), shown
    assert not any("Traceback" in m or "IOException" in m for m in shown)
    st.cache_data.clear()


def test_a_truncated_database_shows_what_to_do_on_every_page(tmp_path, monkeypatch):
    db_file = databases.catalog_db(tmp_path / "nq57.duckdb")
    data = db_file.read_bytes()
    db_file.write_bytes(data[: len(data) // 3])
    monkeypatch.setenv("NQ57_DB", str(db_file))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert any("bị hỏng hoặc bị cắt cụt" in e.value for e in at.error)
