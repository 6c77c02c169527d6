"""Who wrote, beyond the free-text `--by`: the OS user, the channel (cli, app), the checked account, the client.

The caller sets the actor for the write (`with acting(...)`); uploads records it with the uploads row, in the
same transaction, so the audit can never be missing for a write that happened.
"""

from __future__ import annotations

import contextlib
import contextvars
import getpass
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import duckdb


@dataclass(frozen=True)
class Actor:
    via: str
    os_user: str | None
    account: str | None = None
    client: str | None = None


_ACTOR: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("nq57_actor", default=None)


def os_user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment nor in the password database
        return None


@contextlib.contextmanager
def acting(via: str, account: str | None = None, client: str | None = None) -> Iterator[Actor]:
    actor = Actor(via, os_user(), account, client)
    token = _ACTOR.set(actor)
    try:
        yield actor
    finally:
        _ACTOR.reset(token)


def record(con: duckdb.DuckDBPyConnection, upload_id: int, stamp: datetime) -> None:
    """Add the current actor's row for an upload (a library call with no actor set records the OS user)."""
    actor = _ACTOR.get() or Actor("library", os_user())
    # A file still at schema 1 that nobody migrated (a test's bare schema) has no table: checked first,
    # since a failed statement would abort the caller's transaction.
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'upload_audit'").fetchone()[
        0
    ]:
        return
    con.execute(
        "INSERT INTO upload_audit VALUES (?, ?, ?, ?, ?, ?)",
        [upload_id, actor.via, actor.os_user, actor.account, actor.client, stamp],
    )


def audit_rows(con: duckdb.DuckDBPyConnection):
    return con.execute("SELECT * FROM upload_audit ORDER BY upload_id").df()
