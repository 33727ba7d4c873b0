"""What the server keeps at rest: password and token hashes, never the secrets."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from server.auth import hash_password, verify_password
from server.db.schema import tokens, users
from tests.server.conftest import Account, LiveServer, login


def test_users_table_holds_a_scrypt_hash_not_the_password(
    server: LiveServer, account: Account
) -> None:
    with server.backend.engine.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == account.username)).one()
    dump = " ".join(str(v) for v in row)
    assert account.password not in dump
    assert row.password_hash.startswith("scrypt$16384$8$1$")
    assert verify_password(account.password, row.password_hash)


def test_tokens_table_holds_only_the_sha256_of_the_token(
    server: LiveServer, account: Account
) -> None:
    token = login(server, account).json()["token"]
    with server.backend.engine.connect() as conn:
        rows = conn.execute(select(tokens)).all()
    assert all(token not in " ".join(str(v) for v in row) for row in rows)
    assert hashlib.sha256(token.encode()).hexdigest() in {r.token_hash for r in rows}


def test_password_hashes_are_salted_and_verify_in_constant_form() -> None:
    a, b = hash_password("same"), hash_password("same")
    assert a != b
    assert verify_password("same", a)
    assert not verify_password("other", a)
    for damaged in ("", "scrypt$1$2", "md5$x", a.replace("$16384$", "$3$"), a[:-4] + "!!!!"):
        assert not verify_password("same", damaged)
