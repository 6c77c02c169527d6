"""Database faults explained in Vietnamese: shared by the connection rules and the schema migrations."""

from __future__ import annotations


class DatabaseError(Exception):
    """A database problem explained in Vietnamese, saying what to do; the data are as they were."""


class DatabaseBusy(DatabaseError):
    """Another process held the file for longer than the bounded wait."""


class DatabaseMissing(DatabaseError):
    pass


class DatabaseDamaged(DatabaseError):
    pass


class DatabaseReadOnly(DatabaseError):
    pass


class DatabaseReplaced(DatabaseError):
    """The file was deleted or replaced since this process read it: a write now would go elsewhere."""
