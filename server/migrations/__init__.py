"""Alembic migrations of the server database (applied by server.db.migrate)."""
