"""Schema 5: a schema-4 file with uploads gains the review tables empty and its values stay counted."""

from __future__ import annotations

import duckdb

from loaders import locking, migrations, read, review
from loaders.upload_commit import import_workbook
from tests.support import databases
from tests.support import workbooks as bad_files
from tests.support.workbooks import PERIOD, fill


def test_a_schema_4_file_with_uploads_migrates_and_its_values_count_as_accepted(tmp_path):
    path = databases.catalog_db(tmp_path / "nq57.duckdb")
    con = duckdb.connect(str(path))
    data = fill(bad_files.template(con, agency="so_khcn"), {"CLOUD_HTTT": "63"})
    _, outcome = import_workbook(con, data, "q4.xlsx", "thuy")
    assert outcome.committed
    for table in ("submissions", "review_events", "period_lock_events"):  # as schema 4 had it
        con.execute(f"DROP TABLE {table}")
    con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    con.close()

    with locking.writing(path) as con:
        assert migrations.version(con) == migrations.CURRENT == 6
        assert con.execute("SELECT count(*) FROM submissions").fetchone()[0] == 0
        assert review.pending_count(con) == 0
        rows = read.target_status(con, PERIOD, PERIOD)
        assert 63.0 in set(rows.loc[rows["indicator_id"].eq("CLOUD_HTTT"), "actual_value"])
        assert con.execute("SELECT count(*) FROM uploads").fetchone()[0] == 1
