"""Schema versions: bring an older database forward, one step at a time; refuse a newer one.

`meta.schema_version` says which version a file holds. Each step is a function of a connection, run in
the writer's transaction with the version bump, so a failed step leaves the file as it was.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from loaders import db
from loaders.catalog import load_catalog
from loaders.catalog_write import write_catalog
from loaders.db_errors import DatabaseDamaged, DatabaseError


class SchemaTooNew(DatabaseError):
    """The file was written by a newer version of the program."""


def _v2_upload_audit(con: duckdb.DuckDBPyConnection) -> None:
    """v2: who ran a write as the operating system and the app know them (the --by text is free)."""
    con.execute(
        """CREATE TABLE IF NOT EXISTS upload_audit (
            upload_id    BIGINT NOT NULL,
            via          VARCHAR NOT NULL,   -- cli, app
            os_user      VARCHAR,            -- getpass.getuser() of the process that wrote
            account      VARCHAR,            -- the account checked against users.toml
            client       VARCHAR,            -- the browser's address, for the app
            recorded_at  TIMESTAMP NOT NULL
        )"""
    )


def _v3_catalog_frequency(con: duckdb.DuckDBPyConnection) -> None:
    """v3: indicators.frequency and published_actuals.comparable, which the views read: the catalog
    tables are rewritten from data/ (uploads are not catalog tables and stay as they are)."""
    write_catalog(con, load_catalog(db.DATA_DIR), 3)


def _v4_reporting_calendar(con: duckdb.DuckDBPyConnection) -> None:
    """v4: the reporting calendar, its settings and public holidays, which the obligation views read:
    catalog tables again, rewritten from data/."""
    write_catalog(con, load_catalog(db.DATA_DIR), 4)


def _v5_narratives_and_actions(con: duckdb.DuckDBPyConnection) -> None:
    """v5: narratives (assessment, causes, next steps; difficulties, proposals) and corrective actions:
    new append-only tables (their views come with every migration's re-applied views)."""
    schema = db.sql_text("schema.sql")
    start = schema.index("-- Narratives (docs/narratives.md)")
    con.execute(schema[start:])


def _v6_review(con: duckdb.DuckDBPyConnection) -> None:
    """v6: submissions, review events and period locks (append-only, created empty). Uploads already
    stored have no submission row, so their values count as accepted, as they were before review existed
    (docs/reporting.md §6); the views and the status macro that read them come with the re-applied views."""
    con.execute(db.sql_text("review_tables.sql"))


# version reached -> the step that reaches it from the one before
MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {
    2: _v2_upload_audit,
    3: _v3_catalog_frequency,
    4: _v4_reporting_calendar,
    5: _v5_narratives_and_actions,
    6: _v6_review,
}
CURRENT = max(MIGRATIONS)


def version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The file's schema version; None for a file with no meta table (a fresh or foreign file)."""
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.CatalogException:
        return None
    if row is None:
        return None
    try:
        return int(row[0])
    except ValueError:
        raise DatabaseDamaged(f"Phiên bản lược đồ “{row[0]}” trong cơ sở dữ liệu không đọc được.") from None


def check_not_newer(con: duckdb.DuckDBPyConnection) -> int | None:
    found = version(con)
    if found is not None and found > CURRENT:
        raise SchemaTooNew(
            f"Cơ sở dữ liệu có lược đồ phiên bản {found}, mới hơn phiên bản {CURRENT} mà chương trình này "
            "hiểu: chưa ghi gì. Hãy cập nhật chương trình lên bản mới nhất trước khi dùng tệp này."
        )
    return found


def ensure_current(con: duckdb.DuckDBPyConnection) -> int | None:
    """Refuse a newer schema, migrate an older one forward in one transaction; the version now held."""
    found = check_not_newer(con)
    if found is None or found == CURRENT:
        return found
    con.execute("BEGIN TRANSACTION")
    try:
        for step in range(found + 1, CURRENT + 1):
            MIGRATIONS[step](con)
        # Views and macros hold no data: once every table a step adds exists, all of them are made anew,
        # so a view is never bound against a table a later step has not created yet.
        db.apply_views(con)
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(CURRENT)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return CURRENT
