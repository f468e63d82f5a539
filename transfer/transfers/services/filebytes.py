"""An uploaded file's bytes into the database and back, without copies of them in memory.

Django's PostgreSQL backend binds parameters on the client: a 50 MB ``bytea`` becomes a
100 MB hex literal inside a query string, encoded once more to be sent, and is read back as
hex too; the web process of a 40 MB upload grew by some 360 MB that way. On PostgreSQL these
go through psycopg's own cursor in the same connection and transaction, with the bytes as a
binary parameter (sent from a memory map of Django's temporary file, never read into Python)
and read back in binary. Other databases (the demo's SQLite) take the ORM's way.
"""

from __future__ import annotations

import mmap
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

from django.core.files.uploadedfile import UploadedFile
from django.db import connection

from transfer.transfers.models import IntakeFile


@contextmanager
def _contents(upload: UploadedFile) -> Iterator[bytes | memoryview]:
    """The upload's bytes: a memory map of the file Django spooled it to, if it did."""
    path = getattr(upload, "temporary_file_path", None)
    if path is None:
        upload.seek(0)
        yield upload.read()
        return
    with (
        open(path(), "rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped,
    ):
        view = memoryview(mapped)
        try:
            yield view
        finally:
            view.release()


def file_bytes_store(*, file_id: UUID, upload: UploadedFile) -> None:
    """Write the upload's bytes into the kept file's row."""
    if connection.vendor != "postgresql":
        upload.seek(0)
        IntakeFile.objects.filter(id=file_id).update(data=upload.read())
        return
    import psycopg
    from psycopg import sql

    query = sql.SQL("UPDATE {} SET data = %b WHERE id = %s").format(
        sql.Identifier(IntakeFile._meta.db_table)
    )
    connection.ensure_connection()
    with _contents(upload) as data, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(query, (data, file_id))


def file_bytes_read(*, file_id: UUID) -> bytes:
    """The kept file's bytes (one copy, in binary from PostgreSQL)."""
    if connection.vendor != "postgresql":
        data = IntakeFile.objects.values_list("data", flat=True).get(id=file_id)
        return data if isinstance(data, bytes) else bytes(data)
    import psycopg
    from psycopg import sql

    query = sql.SQL("SELECT data FROM {} WHERE id = %s").format(
        sql.Identifier(IntakeFile._meta.db_table)
    )
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(query, (file_id,), binary=True)
        row = cursor.fetchone()
    if row is None:
        raise IntakeFile.DoesNotExist(file_id)
    data = row[0]
    return data if isinstance(data, bytes) else bytes(data)
