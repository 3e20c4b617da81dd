"""Database URLs, engine creation and programmatic Alembic migrations."""
from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
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
        cursor.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: a commit is atomic and survives a killed process; only a power cut or
        # OS crash may drop the last commits (never half of one). No fsync per document.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
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


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision`` (idempotent)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
