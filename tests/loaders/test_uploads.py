"""Preview, commit, revert and history of uploads; one transaction each, safe under threads and crashes."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import threading
from datetime import date

import duckdb
import openpyxl
import pandas as pd
import pytest

from exports import history_workbook
from loaders import upload_commit, upload_history, upload_preview, upload_tables
from loaders.__main__ import main
from loaders.build import build
from loaders.excel.contract import SHEET_DATA
from tests.support import cli, workbooks
from tests.support.workbooks import PERIOD, ROOT, fill, snapshot, with_formula

TODAY = date(2026, 11, 23)
FIRST = {
    "DVC_TOAN_TRINH": "37,6",
    "CLOUD_HTTT": "80%",
    "HSSK_DIEN_TU": 0.8,
    "BAN_LOM_SONG": 12,
    "TT_AN_NINH_MANG": "Đạt",
}


def first_file(blank: bytes, **changed: object) -> bytes:
    """The first quarter's file; the formula goes in last (openpyxl drops cached results when it saves)."""
    values = {**FIRST, **changed}
    data = fill(blank, values, notes={"DVC_TOAN_TRINH": "Số liệu VP UBND"}, percent_format=("HSSK_DIEN_TU",))
    return with_formula(data, "CSDL_SO_HOA_LIEN_THONG", "50+5.5", 55.5)


def actuals(con, period=PERIOD) -> pd.DataFrame:
    return con.execute(
        "SELECT indicator_id, value, value_text, origin FROM v_actuals WHERE period = ? ORDER BY indicator_id",
        [period],
    ).df()


def count(con, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def commit_file(con, data: bytes, name: str = "f.xlsx", by: str = "thuy") -> upload_commit.CommitResult:
    result = upload_preview.validate_and_preview(con, data, name, today=TODAY)
    assert result.ok, [str(e) for e in result.errors]
    return upload_commit.commit(con, result, by)


# ---------------------------------------------------------------- the round trip


def test_template_filled_previewed_committed_then_visible(con, blank):
    data = first_file(blank)
    before = snapshot(con)
    result = upload_preview.validate_and_preview(con, data, "quy4.xlsx", today=TODAY)
    assert result.ok
    assert snapshot(con) == before, "a preview (even with statuses) writes nothing"
    assert (result.count("new"), result.count("changed"), result.count("unchanged")) == (5, 1, 0)
    shown = upload_tables.preview_display(result).set_index("Mã chỉ tiêu")
    assert (
        shown.loc["HSSK_DIEN_TU", "Giá trị cũ"] == "70%"
        and shown.loc["HSSK_DIEN_TU", "Giá trị mới"] == "80%"  # as entered, not padded
    )
    assert shown.loc["HSSK_DIEN_TU", "Thay đổi"] == "Thay đổi"
    assert shown.loc["DVC_TOAN_TRINH", "Giá trị mới"] == "37,6%"
    assert shown.loc["CLOUD_HTTT", "Kỳ"] == "Quý IV/2025"
    # The status engine sees the values that are not committed yet.
    assert result.status_available
    assert shown.loc["CLOUD_HTTT", "Trạng thái sau khi ghi"] == "Quý IV/2025: Chưa có số liệu → Đạt"

    outcome = upload_commit.commit(con, result, by="thuy")
    assert outcome.committed and outcome.n_revisions == 6
    expected = pd.DataFrame(
        [
            ("BAN_LOM_SONG", 12.0, None),
            ("CLOUD_HTTT", 80.0, None),
            ("CQ_DIEU_HANH_DIEN_TU", 100.0, None),
            ("CSDL_SO_HOA_LIEN_THONG", 55.5, None),
            ("DVC_TOAN_TRINH", 37.6, None),
            ("HSSK_DIEN_TU", 80.0, None),
            ("TT_AN_NINH_MANG", float("nan"), "Đạt"),
        ],
        columns=["indicator_id", "value", "value_text"],
    )
    got = actuals(con)
    pd.testing.assert_frame_equal(got[["indicator_id", "value", "value_text"]], expected, check_dtype=False)
    upload = con.execute("SELECT kind, file_name, sha256, uploaded_by, n_revisions FROM uploads").fetchall()
    assert upload == [("import", "quy4.xlsx", result.parsed.sha256, "thuy", 6)]
    assert con.execute("SELECT DISTINCT recorded_by FROM actual_revisions").fetchall() == [("thuy",)]
    note = con.execute(
        "SELECT note FROM v_actuals WHERE indicator_id = 'DVC_TOAN_TRINH' AND period = ?", [PERIOD]
    ).fetchall()
    assert note == [("Số liệu VP UBND",)]


def test_a_second_upload_with_one_changed_value_adds_exactly_one_revision(con, blank):
    commit_file(con, first_file(blank))
    revisions = count(con, "actual_revisions")
    second = first_file(blank, DVC_TOAN_TRINH="40,5")
    result = upload_preview.validate_and_preview(con, second, "quy4_sua.xlsx", today=TODAY)
    assert (result.count("new"), result.count("changed"), result.count("unchanged")) == (0, 1, 5)
    row = upload_tables.preview_display(result).iloc[0]
    assert (row["Mã chỉ tiêu"], row["Giá trị cũ"], row["Giá trị mới"]) == ("DVC_TOAN_TRINH", "37,6%", "40,5%")
    outcome = upload_commit.commit(con, result, "thuy")
    assert outcome.committed and outcome.n_revisions == 1
    assert count(con, "actual_revisions") == revisions + 1
    value = con.execute(
        "SELECT value FROM v_actuals WHERE indicator_id = 'DVC_TOAN_TRINH' AND period = ?", [PERIOD]
    ).fetchall()
    assert value == [(40.5,)]


def test_the_same_file_twice_adds_nothing_and_says_so(con, blank):
    data = first_file(blank)
    commit_file(con, data)
    before = snapshot(con)
    result = upload_preview.validate_and_preview(con, data, "lai_lan_nua.xlsx", today=TODAY)
    assert result.duplicate is not None and not result.has_changes
    assert "đã được tải lên lần #1" in result.summary()
    outcome = upload_commit.commit(con, result, "thuy")
    assert outcome.status == "duplicate" and "đã được tải lên" in outcome.message
    assert snapshot(con) == before


def test_a_file_whose_values_are_all_unchanged_writes_nothing(con, blank):
    commit_file(con, first_file(blank))
    before = snapshot(con)
    same_values = fill(
        blank, {k: v for k, v in FIRST.items() if k != "HSSK_DIEN_TU"}
    )  # other bytes, same values
    outcome = commit_file(con, same_values, "khac.xlsx")
    assert outcome.status == "no_change"
    assert snapshot(con) == before


def test_revert_restores_previous_values_and_is_itself_in_the_history(con, blank):
    original = actuals(con)
    first = commit_file(con, first_file(blank))
    second = commit_file(con, first_file(blank, DVC_TOAN_TRINH="40,5"), "sua.xlsx")

    undo_second = upload_commit.revert(con, second.upload_id, "lan")
    assert undo_second.committed and undo_second.n_revisions == 1
    assert con.execute(
        "SELECT value FROM v_actuals WHERE indicator_id = 'DVC_TOAN_TRINH' AND period = ?", [PERIOD]
    ).fetchall() == [(37.6,)]

    undo_first = upload_commit.revert(con, first.upload_id, "lan")
    assert undo_first.committed and undo_first.n_revisions == 6
    # HSSK back to the published 70 (the upload withdrawn, the catalog's figure in force again), the rest gone.
    values = ["indicator_id", "value", "value_text"]
    pd.testing.assert_frame_equal(actuals(con)[values], original[values])
    retractions = con.execute(
        "SELECT indicator_id FROM actual_revisions WHERE upload_id = ? AND is_retraction ORDER BY 1",
        [undo_first.upload_id],
    ).fetchall()
    assert [r[0] for r in retractions] == [
        "BAN_LOM_SONG",
        "CLOUD_HTTT",
        "CSDL_SO_HOA_LIEN_THONG",
        "DVC_TOAN_TRINH",
        "HSSK_DIEN_TU",
        "TT_AN_NINH_MANG",
    ]
    history = upload_history.upload_history(con)
    assert history["kind"].tolist() == ["revert", "revert", "import", "import"]
    assert (
        history.set_index("upload_id").loc[first.upload_id, "reverted_by_upload_id"] == undo_first.upload_id
    )
    assert upload_history.revertible(history) == [undo_first.upload_id, undo_second.upload_id]
    # The same file may be uploaded again once its upload was reverted.
    assert commit_file(con, first_file(blank)).committed


def test_revert_refuses_twice_unknown_ids_and_leaves_later_values_alone(con, blank):
    first = commit_file(con, first_file(blank))
    later = commit_file(con, fill(blank, {"DVC_TOAN_TRINH": "41"}), "sau.xlsx")
    assert upload_commit.revert(con, 999, "lan").status == "refused"
    undo = upload_commit.revert(con, first.upload_id, "lan")
    assert undo.committed and undo.n_revisions == 5 and "thay thế" in undo.message
    assert con.execute(
        "SELECT value FROM v_actuals WHERE indicator_id = 'DVC_TOAN_TRINH' AND period = ?", [PERIOD]
    ).fetchall() == [(41.0,)], "the later upload stays in force"
    before = snapshot(con)
    again = upload_commit.revert(con, first.upload_id, "lan")
    assert again.status == "refused" and f"lần #{undo.upload_id}" in again.message
    assert snapshot(con) == before
    assert upload_commit.revert(con, later.upload_id, "lan").committed


def test_without_a_status_engine_the_preview_skips_the_column(con, blank):
    con.execute("DROP VIEW IF EXISTS v_target_status")
    con.execute("DROP MACRO TABLE target_status")
    result = upload_preview.validate_and_preview(con, first_file(blank), "f.xlsx", today=TODAY)
    assert result.ok and not result.status_available
    assert "Trạng thái sau khi ghi" not in upload_tables.preview_display(result).columns
    assert upload_commit.commit(con, result, "thuy").committed


def test_a_catalog_rebuild_never_touches_uploads(db_file, con, blank):
    commit_file(con, first_file(blank))
    upload_commit.revert(con, 1, "lan")
    kept = {
        t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in ("uploads", "actual_revisions")
    }
    values = actuals(con)
    con.close()
    build(db_file)
    again = duckdb.connect(str(db_file))
    try:
        assert {t: again.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in kept} == kept
        pd.testing.assert_frame_equal(actuals(again), values)
        assert again.execute("SELECT nextval('upload_seq')").fetchall()[0][0] == 3, "sequences go on"
    finally:
        again.close()


def test_history_export_neutralises_formulas_in_uploaded_text(con, blank):
    def typed_text(wb):
        ws = wb[SHEET_DATA]
        rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
        for code, note in (("VNEID", '=HYPERLINK("http://x")'), ("CLOUD_HTTT", "@cmd"), ("PII", "-1 bậc")):
            ws.cell(rows[code], workbooks.column_of("value")).value = 40
            ws.cell(rows[code], workbooks.column_of("note")).value = note
            ws.cell(
                rows[code], workbooks.column_of("note")
            ).data_type = "s"  # typed as text in a text cell, as Excel keeps it

    commit_file(con, workbooks.edit(blank, typed_text), "=cmd|' /C calc'!A0.xlsx")
    notes = {r[0] for r in con.execute("SELECT note FROM actual_revisions").fetchall()}
    assert '=HYPERLINK("http://x")' in notes, "stored as uploaded"
    wb = openpyxl.load_workbook(io.BytesIO(history_workbook.history_workbook(con)))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no cell of the export is a formula"
    texts = {c.value for c in cells}
    formula_like = {'=HYPERLINK("http://x")', "@cmd", "-1 bậc", "=cmd|' /C calc'!A0.xlsx"}
    assert formula_like <= texts, "the text as uploaded, no apostrophe added (issue 14)"
    assert all(c.data_type == "s" and c.quotePrefix for c in cells if c.value in formula_like)


# ---------------------------------------------------------------- concurrency and crashes


def test_two_uploads_at_once_in_two_threads_lose_nothing(db_file, blank):
    con = duckdb.connect(str(db_file))  # one connection per process, a cursor per thread, as the app does
    same = fill(blank, {"PII": 40})
    files = [
        fill(blank, {"DVC_TOAN_TRINH": 10, "CLOUD_HTTT": 20}),
        fill(blank, {"DVC_TOAN_TRINH": 11, "VNEID": 30}),
        same,
        same,
    ]  # the last two are the very same file, sent twice at once
    previews = []
    for i, data in enumerate(files):
        cur = con.cursor()
        previews.append((cur, upload_preview.validate_and_preview(cur, data, f"f{i}.xlsx", today=TODAY)))
    barrier = threading.Barrier(len(previews))
    results: list = [None] * len(previews)

    def run(i):
        cur, result = previews[i]
        barrier.wait()
        results[i] = upload_commit.commit(cur, result, f"nguoi{i}")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(previews))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    # Both first files were previewed with DVC_TOAN_TRINH “Mới”: the second commit must not replace the
    # first one's value behind its preview's back (issue 13), it is refused as stale.
    assert sorted(r.status for r in results[:2]) == ["committed", "stale"]
    assert sorted(r.status for r in results[2:]) == ["committed", "duplicate"]
    assert count(con, "uploads") == 2 and count(con, "actual_revisions") == 3
    winner = next(r for r in results[:2] if r.committed)
    dvc = con.execute(
        "SELECT value, upload_id FROM v_actuals WHERE indicator_id = 'DVC_TOAN_TRINH'"
    ).fetchall()
    assert dvc == [(10.0 if winner is results[0] else 11.0, winner.upload_id)]
    con.close()


@pytest.mark.slow  # a process of its own
def test_a_process_killed_in_the_middle_of_a_commit_leaves_the_database_as_before(db_file, blank, tmp_path):
    data_file = tmp_path / "f.xlsx"
    data_file.write_bytes(first_file(blank))
    con = duckdb.connect(str(db_file))
    before = snapshot(con)
    con.close()
    script = textwrap.dedent(f"""
        import os, signal
        from datetime import date
        from loaders import db, upload_commit, upload_preview
        con = db.connect({str(db_file)!r})
        result = upload_preview.validate_and_preview(con, open({str(data_file)!r}, "rb").read(), "f.xlsx",
                                              today=date(2026, 11, 23))
        assert result.ok
        original = upload_commit._insert_revisions
        def insert_then_die(*args, **kwargs):
            original(*args, **kwargs)
            print("inserted", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        upload_commit._insert_revisions = insert_then_die
        upload_commit.commit(con, result, "thuy")
        print("committed", flush=True)
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == -9, done.stderr
    assert "inserted" in done.stdout and "committed" not in done.stdout
    con = duckdb.connect(str(db_file))
    try:
        assert snapshot(con) == before
    finally:
        con.close()


# ---------------------------------------------------------------- the command line


@pytest.fixture
def run_cli(capsys, monkeypatch):
    return lambda *args: cli.run(main, list(args), capsys, monkeypatch)


def test_import_actuals_from_the_command_line(db_file, blank, tmp_path, run_cli):
    good = tmp_path / "quy4.xlsx"
    good.write_bytes(first_file(blank))
    refused = run_cli(
        "import-actuals", str(good), "--by", "thuy", "--db", str(db_file)
    )  # no --yes, no keyboard
    assert refused.returncode == 1 and "Chưa ghi gì" in refused.stderr
    done = run_cli("import-actuals", str(good), "--by", "thuy", "--db", str(db_file), "--yes")
    assert done.returncode == 0, done.stderr
    assert "Đã ghi lần tải #1" in done.stdout and "37,6%" in done.stdout
    again = run_cli("import-actuals", str(good), "--by", "thuy", "--db", str(db_file), "--yes")
    assert again.returncode == 0 and "đã được tải lên lần #1" in again.stdout
    con = duckdb.connect(str(db_file))
    try:
        assert count(con, "uploads") == 1 and count(con, "actual_revisions") == 6
    finally:
        con.close()


def test_import_actuals_prints_every_error_and_exits_non_zero(db_file, blank, tmp_path, run_cli):
    data, n = workbooks.several_errors(blank)
    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(data)
    done = run_cli("import-actuals", str(bad), "--by", "thuy", "--db", str(db_file), "--yes")
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.startswith("  - Trang “Số liệu”, dòng")]
    assert len(lines) == n, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow  # two processes of their own
def test_import_actuals_explains_a_database_held_by_the_app(db_file, blank, tmp_path, monkeypatch):
    """A writer that never lets go: the CLI waits the bounded time (1 s here), then says so in Vietnamese."""
    monkeypatch.setenv("NQ57_LOCK_WAIT", "1")
    good = tmp_path / "quy4.xlsx"
    good.write_bytes(first_file(blank))
    # A subprocess on purpose: DuckDB's file lock only shows between processes.
    holder = duckdb.connect(str(db_file))  # this test process plays a writer that holds the file
    try:
        done = cli.run_module(
            "loaders", "import-actuals", str(good), "--by", "thuy", "--db", str(db_file), "--yes"
        )
        template = cli.run_module(
            "loaders", "template", "--period", "2025-Q4", "--db", str(db_file), "-o", str(tmp_path / "m.xlsx")
        )
    finally:
        holder.close()
    for result in (done, template):
        assert result.returncode == 3
        assert "đang được một chương trình khác ghi" in result.stderr and "thử lại" in result.stderr
        assert "Số liệu chưa bị thay đổi" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- scale (speed itself is measured in bench/)


@pytest.mark.slow  # 10 000 rows
def test_ten_thousand_rows_validate_and_preview(con):
    workbooks.add_bench_indicators(con, 10_000)
    data = workbooks.make_large_workbook(10_000)
    result = upload_preview.validate_and_preview(con, data, "lon.xlsx", today=TODAY, with_status=False)
    assert result.ok, [str(e) for e in result.errors[:5]]
    assert result.count("new") == 10_000
