"""The store's schema, versioned with sqlite-utils ``Migrations``.

Add a new migration function for every change; never edit an applied one.
A store whose ``_sqlite_migrations`` names a migration this code does not
know was written by a newer MeetingRoom and is refused (see gateway).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from meetingroom.store.codec import ALL_SPECS

MIGRATION_SET = "meetingroom"
migrations = Migrations(MIGRATION_SET)


def _entity_table(db: Database, table: str, plain: tuple[str, ...], indexes: list[str]) -> None:
    columns = ", ".join(f'"{c}" TEXT' if c.endswith("_id") else f'"{c}" INTEGER' for c in plain)
    extra = f", {columns}" if columns else ""
    db.execute(
        f'CREATE TABLE "{table}" ('
        '"id" TEXT PRIMARY KEY, "rev" INTEGER, "updated_at" TEXT NOT NULL, '
        f'"deleted" INTEGER NOT NULL DEFAULT 0{extra}, "content" BLOB NOT NULL)'
    )
    for column in indexes:
        db.execute(f'CREATE INDEX "idx_{table}_{column}" ON "{table}" ("{column}")')


@migrations()
def m001_initial(db: Database) -> None:
    # Plaintext bookkeeping only: profile id, counters. Never meeting content.
    db.execute('CREATE TABLE "meta" ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)')
    # The wrapped data key and how to derive the key that unwraps it.
    db.execute('CREATE TABLE "keyslot" ("id" INTEGER PRIMARY KEY, "slot" TEXT NOT NULL)')
    for spec in ALL_SPECS:
        _entity_table(db, spec.table, spec.plain, [c for c in spec.plain if c.endswith("_id")])
    # Document bytes: sealed chunks, bound to (version, index). The manifest
    # (sealed) records size, chunk count and SHA-256 once the bytes are complete.
    db.execute(
        'CREATE TABLE "blobs" ("version_id" TEXT PRIMARY KEY, "chunk_size" INTEGER NOT NULL, '
        '"expected_size" INTEGER, "complete" INTEGER NOT NULL DEFAULT 0, "manifest" BLOB)'
    )
    db.execute(
        'CREATE TABLE "blob_chunks" ("version_id" TEXT NOT NULL, "idx" INTEGER NOT NULL, '
        '"data" BLOB NOT NULL, PRIMARY KEY ("version_id", "idx"))'
    )
    # The outbox: one pending operation per locally changed entity. The
    # payload is the entity's current row, read when pushing.
    db.execute(
        'CREATE TABLE "outbox" ("seq" INTEGER PRIMARY KEY AUTOINCREMENT, '
        '"entity_table" TEXT NOT NULL, "entity_id" TEXT NOT NULL, "op_id" TEXT NOT NULL, '
        '"base_rev" INTEGER, "queued_at" TEXT NOT NULL, UNIQUE ("entity_table", "entity_id"))'
    )
    # Sync bookkeeping: cursor, last successful sync.
    db.execute('CREATE TABLE "sync_state" ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)')


@migrations()
def m002_sync(db: Database) -> None:
    # The server state a pending local edit started from (sealed like any
    # content, bound to the outbox row): pushes send only the fields the user
    # changed, so the server's field-wise merge can do its work.
    db.execute('ALTER TABLE "outbox" ADD COLUMN "base" BLOB')
    # Local versions that lost to the server's: kept beside it, never dropped,
    # until the user has seen them. ``content`` is the local copy, sealed.
    db.execute(
        'CREATE TABLE "conflicts" ("id" TEXT PRIMARY KEY, "entity_table" TEXT NOT NULL, '
        '"entity_id" TEXT NOT NULL, "server_rev" INTEGER, "created_at" TEXT NOT NULL, '
        '"resolved" INTEGER NOT NULL DEFAULT 0, "content" BLOB NOT NULL)'
    )
    db.execute('CREATE INDEX "idx_conflicts_entity" ON "conflicts" ("entity_table", "entity_id")')


@migrations()
def m003_outbox_sent(db: Database) -> None:
    # The op_id last sent for a pending change. If the process dies after the
    # server applied it but before the answer was recorded, and the user edits
    # again, the next push first replays that op_id (the server answers with
    # its first result) and moves the newer edit onto it, instead of sending
    # the newer edit against a base the server has already moved past.
    db.execute('ALTER TABLE "outbox" ADD COLUMN "sent_op_id" TEXT')


@migrations()
def m004_page_text(db: Database) -> None:
    # Text of document pages for the global search, extracted by the PDF
    # workers: meeting content, so sealed and bound to (version, page). Only
    # the version id, page number and page count are plaintext.
    db.execute(
        'CREATE TABLE IF NOT EXISTS "page_text" ("version_id" TEXT NOT NULL, '
        '"page" INTEGER NOT NULL, "content" BLOB NOT NULL, PRIMARY KEY ("version_id", "page"))'
    )
    # One row per version whose text extraction finished (or failed for good),
    # so the background indexer knows what is left to do.
    db.execute(
        'CREATE TABLE IF NOT EXISTS "page_text_done" ("version_id" TEXT PRIMARY KEY, '
        '"pages" INTEGER NOT NULL, "failed" INTEGER NOT NULL DEFAULT 0)'
    )


@migrations()
def m005_directory(db: Database) -> None:
    # The server's user directory, cached for secretaries preparing meetings
    # offline. Names and usernames are sealed; only the random user id is
    # plaintext. Independent of every other table, so it applies whatever
    # migrations came before it.
    db.execute(
        'CREATE TABLE IF NOT EXISTS "directory" ("user_id" TEXT PRIMARY KEY, '
        '"content" BLOB NOT NULL)'
    )


@migrations()
def m006_chunk_files(db: Database) -> None:
    # Document chunks move out of the database into one file per version
    # beside it (store/chunkfiles.py: written once instead of twice, and by
    # parallel downloads in parallel). The sealed bytes move as they are:
    # their binding to (version, index) does not name where they are kept.
    # Files are written and fsynced before this transaction commits; if it
    # does not, the next start rewrites them from the table. A version whose
    # chunks are not the contiguous run 0..n-1 keeps only that run and, if it
    # was complete, becomes incomplete: sync fetches the rest again.
    from pathlib import Path

    from meetingroom.store import chunkfiles

    if not db.table("blob_chunks").exists():
        return
    main = next(str(r[2]) for r in db.execute("PRAGMA database_list") if r[1] == "main")
    if not main:  # an in-memory database (tests): nothing to keep beside it
        db.execute('DROP TABLE "blob_chunks"')
        return
    profile = Path(main).parent
    versions = [str(r[0]) for r in db.execute('SELECT DISTINCT "version_id" FROM "blob_chunks"')]
    if versions:
        chunkfiles.ensure_dir(profile)
    for version_id in versions:
        path = chunkfiles.chunk_file(profile, version_id)
        chunkfiles.remove(path)
        contiguous = True
        index = -1
        for index_value, data in db.execute(
            'SELECT "idx", "data" FROM "blob_chunks" WHERE "version_id" = ? ORDER BY "idx"',
            [version_id],
        ):
            if index_value != index + 1:
                contiguous = False
                break
            index += 1
            chunkfiles.write_chunk(path, index, data)
        if index >= 0:
            chunkfiles.sync_file(path)
        if not contiguous:
            db.execute(
                'UPDATE "blobs" SET "complete" = 0, "manifest" = NULL WHERE "version_id" = ?',
                [version_id],
            )
    db.execute('DROP TABLE "blob_chunks"')


def known_migrations() -> list[str]:
    """Return the names of the migrations this version of the code knows."""
    return [m.name for m in migrations._migrations]
