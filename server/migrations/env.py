"""Alembic environment: runs against the connection server.db.migrate hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from server.db.schema import metadata


def run_online(connection: Connection) -> None:
    """Run the pending migrations on ``connection`` inside its transaction."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `migrate`")

_connection = context.config.attributes.get("connection")
if not isinstance(_connection, Connection):
    raise SystemExit("run migrations with `meetingroom-server migrate`, not the alembic command")
run_online(_connection)
