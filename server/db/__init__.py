"""The server's database: schema, engine creation and migrations."""
