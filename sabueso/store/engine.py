"""Database URLs, engine creation and programmatic Alembic migrations."""
from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_DB = "./sabueso.db"
ENV_VAR = "SABUESO_DB"


def resolve_db_url(db: str | os.PathLike | None = None) -> str:
    """Explicit value, else ``$SABUESO_DB``, else ``./sabueso.db``; always returned as a URL."""
    value = os.fspath(db) if db else (os.environ.get(ENV_VAR) or DEFAULT_DB)
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


PG_SCHEMES = ("postgresql://", "postgres://")


def driver_url(url: str) -> str:
    """``postgresql://`` (and ``postgres://``) -> ``postgresql+psycopg://`` (psycopg 3), as
    SQLAlchemy would otherwise pick psycopg2; applied in :func:`make_engine`."""
    for scheme in PG_SCHEMES:
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme):]
    return url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout=10000")   # first: another process may hold a lock
        cursor.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: a commit is atomic and survives a killed process; only a power cut or
        # OS crash may drop the last commits (never half of one). No fsync per document.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine; for SQLite create the parent folder and enable WAL + foreign keys."""
    url = driver_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = parsed.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
    else:  # in-memory: one shared connection, otherwise each connection sees an empty DB
        engine = create_engine(url, poolclass=StaticPool,
                               connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


_MIGRATION_LOCK = 0x5AB0E50  # PostgreSQL advisory lock key held while migrating


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision`` (idempotent).

    Safe when several processes open a new SQLite file at once: Python's sqlite3 runs DDL
    outside any transaction, so two processes would both create the tables ("table documents
    already exists"). The migration runs under ``BEGIN IMMEDIATE`` instead: the first process
    takes the write lock, the others wait for it (busy_timeout) and then find the schema done.
    PostgreSQL's DDL is transactional but two creators still collide (a duplicate key in
    ``pg_type``), so there a transaction-scoped advisory lock serialises them. A database
    already at the head revision is not locked at all."""
    cfg = alembic_config()
    if revision == "head":
        head = ScriptDirectory.from_config(cfg).get_current_head()
        if _current_revision(engine) == head:
            return
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
