"""Issue 14, operations: a writer shares the file with a running reader, backups are whole, faults speak Vietnamese."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import zipfile

import duckdb
import pytest

from loaders import locking, migrations
from loaders.__main__ import main
from loaders.excel.reader import read_actuals
from tests.loaders.test_uploads import first_file
from tests.support import workbooks as bad_files


def _count(path, sql="SELECT count(*) FROM uploads"):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def _holder(path, seconds: float | None) -> subprocess.Popen:
    """Another process holding the file read-write (a writer), for `seconds` or until told to stop."""
    wait = f"time.sleep({seconds})" if seconds is not None else "sys.stdin.readline()"
    code = (
        f"import duckdb, sys, time\ncon = duckdb.connect({str(path)!r})\nprint('held', flush=True)\n{wait}\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "held"
    return proc


READER = textwrap.dedent("""
    import sys, time
    from loaders import locking
    ok = busy = 0
    end = time.monotonic() + float(sys.argv[2])
    while time.monotonic() < end:  # what the app does: short read-only connections, one per read
        try:
            with locking.reading(sys.argv[1], wait=5) as con:
                con.execute("SELECT count(*) FROM v_targets").fetchall()
            ok += 1
        except locking.DatabaseBusy:
            busy += 1
    print(ok, busy)
""")


def test_the_cli_writes_while_a_reader_process_runs(db_file, blank, tmp_path, capsys):
    good = tmp_path / "quy4.xlsx"
    good.write_bytes(first_file(blank))
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db_file), "6"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=bad_files.ROOT,
    )
    try:
        assert main(["import-actuals", str(good), "--by", "thuy", "--db", str(db_file), "--yes"]) == 0
        assert main(["uploads", "--db", str(db_file)]) == 0
        assert (
            main(["template", "--period", "2025-Q4", "--db", str(db_file), "-o", str(tmp_path / "m.xlsx")])
            == 0
        )
    finally:
        out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0 and "Traceback" not in err, err
    ok, busy = map(int, out.split())
    assert ok > 0 and busy == 0  # the reader waited through the writes, it never failed
    assert "Đã ghi lần tải #1" in capsys.readouterr().out
    assert _count(db_file) == 1


def test_a_writer_waits_for_a_brief_holder_then_writes(db_file, blank, tmp_path, monkeypatch):
    monkeypatch.setenv("NQ57_LOCK_WAIT", "30")
    good = tmp_path / "quy4.xlsx"
    good.write_bytes(first_file(blank))
    holder = _holder(db_file, 1.5)
    assert main(["import-actuals", str(good), "--by", "thuy", "--db", str(db_file), "--yes"]) == 0
    holder.communicate(timeout=30)
    assert _count(db_file) == 1


def test_build_while_another_process_writes_says_so(db_file, monkeypatch, capsys):
    monkeypatch.setenv("NQ57_LOCK_WAIT", "0.5")
    holder = _holder(db_file, None)
    try:
        assert main(["build", "--db", str(db_file)]) == 3
    finally:
        holder.communicate("x\n", timeout=30)
    err = capsys.readouterr().err
    assert "đang được một chương trình khác ghi" in err and "IOException" not in err


# ---------------------------------------------------------------- backups


def test_a_backup_right_after_an_upload_contains_it_and_restore_brings_it_back(db_file, blank, tmp_path):
    good = tmp_path / "quy4.xlsx"
    good.write_bytes(first_file(blank))
    assert main(["import-actuals", str(good), "--by", "thuy", "--db", str(db_file), "--yes"]) == 0
    # a writer that commits and keeps its connection open leaves the commit in the .wal, as the app did
    con = duckdb.connect(str(db_file))
    con.execute("UPDATE uploads SET note = 'sau cùng' WHERE upload_id = 1")
    con.close()
    copy = tmp_path / "sao-luu.duckdb"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db_file), "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=bad_files.ROOT,
    )
    try:
        assert main(["backup", str(copy), "--db", str(db_file)]) == 0
    finally:
        reader.communicate(timeout=60)
    assert _count(copy) == 1
    assert _count(copy, "SELECT note FROM uploads") == "sau cùng"
    assert (
        _count(copy, "SELECT count(*) FROM actual_revisions")
        == _count(db_file, "SELECT count(*) FROM actual_revisions")
        > 0
    )
    con = duckdb.connect(str(db_file))
    con.execute("DELETE FROM actual_revisions")
    con.close()
    assert main(["restore", str(copy), "--db", str(db_file)]) == 1  # asks for --yes
    assert main(["restore", str(copy), "--db", str(db_file), "--yes"]) == 0
    assert _count(db_file, "SELECT count(*) FROM actual_revisions") > 0
    assert (
        _count(db_file.with_name(db_file.name + ".truoc-khoi-phuc"), "SELECT count(*) FROM actual_revisions")
        == 0
    )


# ---------------------------------------------------------------- faults


class _FullDisk:
    """A connection whose COMMIT fails as a full disk does."""

    def __init__(self, con):
        self._con = con

    def execute(self, sql, *args):
        if sql.strip().upper() == "COMMIT":
            raise duckdb.IOException('Could not write file "nq57.duckdb.wal": No space left on device')
        return self._con.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_disk_full_during_commit_leaves_the_data_and_says_what_to_do(
    db_file, blank, tmp_path, monkeypatch, capsys
):
    good = tmp_path / "quy4.xlsx"
    good.write_bytes(first_file(blank))
    real = locking.connect

    def connect(path=None, read_only=False, **kw):
        con = real(path, read_only=read_only, **kw)
        return con if read_only else _FullDisk(con)

    monkeypatch.setattr(locking, "connect", connect)
    assert main(["import-actuals", str(good), "--by", "thuy", "--db", str(db_file), "--yes"]) == 1
    err = capsys.readouterr().err
    assert "Ổ đĩa máy chủ đã đầy" in err and "Traceback" not in err
    monkeypatch.undo()
    assert _count(db_file) == 0


def test_a_read_only_file_is_served_and_a_write_refused_in_vietnamese(
    db_file, blank, tmp_path, monkeypatch, capsys
):
    real = duckdb.connect

    def connect(path, read_only=False, **kw):  # root ignores file modes: the refusal DuckDB gives a user
        if not read_only:
            raise duckdb.IOException(f'Cannot open file "{path}": Permission denied')
        return real(path, read_only=True, **kw)

    monkeypatch.setattr(locking.duckdb, "connect", connect)
    with locking.reading(db_file) as con:  # the app reads as before
        assert con.execute("SELECT count(*) FROM targets").fetchone()[0] > 0
    good = tmp_path / "quy4.xlsx"
    good.write_bytes(first_file(blank))
    assert main(["import-actuals", str(good), "--by", "thuy", "--db", str(db_file), "--yes"]) == 1
    assert "chỉ cho đọc" in capsys.readouterr().err


def _set_version(path, version):
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(version)])
    con.close()


def test_a_newer_schema_is_refused_by_build_and_by_writes(db_file, blank, tmp_path, capsys):
    _set_version(db_file, migrations.CURRENT + 1)
    assert main(["build", "--db", str(db_file)]) == 1
    good = tmp_path / "quy4.xlsx"
    good.write_bytes(first_file(blank))
    assert main(["import-actuals", str(good), "--by", "thuy", "--db", str(db_file), "--yes"]) == 1
    err = capsys.readouterr().err
    assert err.count("mới hơn phiên bản") == 2 and "Traceback" not in err
    assert _count(db_file, "SELECT value FROM meta WHERE key = 'schema_version'") == str(
        migrations.CURRENT + 1
    )


def _at_version_1(path):
    con = duckdb.connect(str(path))
    con.execute("DROP TABLE upload_audit")
    con.close()
    _set_version(path, 1)


def _at_version_2(path):
    """Before reporting frequency and comparable figures: the catalog tables lack both columns."""
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE indicators DROP COLUMN frequency")
    con.execute("ALTER TABLE published_actuals DROP COLUMN comparable")
    con.close()
    _set_version(path, 2)


def _at_version_3(path):
    """Before the reporting calendar: no calendar tables."""
    con = duckdb.connect(str(path))
    for table in ("reporting_calendar", "reporting_settings", "public_holidays"):
        con.execute(f"DROP TABLE {table}")
    con.close()
    _set_version(path, 3)


def _at_version_4(path):
    """Before narratives and corrective actions: none of their tables, views or macros."""
    con = duckdb.connect(str(path))
    for macro in ("red_without_narrative", "red_without_action"):
        con.execute(f"DROP MACRO TABLE {macro}")
    for view in (
        "v_narratives_latest",
        "v_narrative_history",
        "v_reverted_uploads",
        "v_corrective_action_updates",
        "v_corrective_actions",
    ):
        con.execute(f"DROP VIEW {view}")
    for table in ("narratives", "corrective_actions", "corrective_action_updates"):
        con.execute(f"DROP TABLE {table}")
    con.close()
    _set_version(path, 4)


def _at_version_5(path):
    """Before review (schema 6): no submissions, review events or period locks."""
    con = duckdb.connect(str(path))
    for table in ("submissions", "review_events", "period_lock_events"):
        con.execute(f"DROP TABLE {table}")
    con.close()
    _set_version(path, 5)


DOWNGRADE = {2: _at_version_1, 3: _at_version_2, 4: _at_version_3, 5: _at_version_4, 6: _at_version_5}


@pytest.mark.parametrize("step", sorted(migrations.MIGRATIONS))
def test_each_migration_brings_an_older_file_forward(db_file, step):
    assert set(DOWNGRADE) == set(migrations.MIGRATIONS)  # a new migration needs its downgrade here
    DOWNGRADE[step](db_file)
    with locking.writing(db_file) as con:
        assert migrations.version(con) == migrations.CURRENT
        assert con.execute("SELECT count(*) FROM upload_audit").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM v_targets WHERE frequency IS NULL").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FILTER (WHERE NOT comparable) FROM v_actuals").fetchone()[0] >= 1
        assert con.execute("SELECT count(*) FROM reporting_calendar").fetchone()[0] > 0
        assert con.execute("SELECT count(*) FROM v_narratives_latest").fetchone()[0] == 0


def test_build_migrates_an_older_file_and_keeps_uploads(db_file, blank, tmp_path):
    good = tmp_path / "quy4.xlsx"
    good.write_bytes(first_file(blank))
    assert main(["import-actuals", str(good), "--by", "thuy", "--db", str(db_file), "--yes"]) == 0
    _at_version_1(db_file)
    assert main(["build", "--db", str(db_file)]) == 0
    assert _count(db_file) == 1
    assert _count(db_file, "SELECT value FROM meta WHERE key = 'schema_version'") == str(migrations.CURRENT)


@pytest.mark.parametrize("keep", [50, 3])  # fails when opened, fails when a query reaches the gap
def test_a_truncated_file_is_explained(db_file, tmp_path, capsys, keep):
    data = db_file.read_bytes()
    db_file.write_bytes(data[: len(data) // keep])
    out = tmp_path / "m.xlsx"
    assert main(["template", "--period", "2025-Q4", "--db", str(db_file), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "bị hỏng hoặc bị cắt cụt" in err and "restore" in err and "Traceback" not in err
    assert not out.exists()


def test_a_workbook_with_entity_expansion_is_refused_before_parsing(blank, con):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10)
            for i in range(1, 10)
        )
        + b']><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</workbook>'
    )
    names = zipfile.ZipFile(io.BytesIO(blank)).namelist()
    assert "xl/workbook.xml" in names
    bomb = bad_files.rezip(blank, replace={"xl/workbook.xml": laughs})
    parsed = read_actuals(bomb, "bom.xlsx", con)
    assert not parsed.ok
    assert "khai báo XML không an toàn" in str(parsed.errors[0])


def test_the_app_start_brings_an_older_file_forward_before_any_page_reads(db_file):
    """A file from before an update: the first read of the app (ensure_built) migrates it, so the views
    the pages read find every column."""
    from loaders.build import ensure_built

    _at_version_2(db_file)
    ensure_built(db_file)
    assert _count(db_file, "SELECT value FROM meta WHERE key = 'schema_version'") == str(migrations.CURRENT)
    assert _count(db_file, "SELECT count(*) FROM v_targets WHERE frequency IS NULL") == 0
