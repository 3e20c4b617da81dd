"""Sabueso's store: one storage API over SQLAlchemy 2 Core, SQLite by default.

Open with ``Store.open(url_or_path)`` (a SQLAlchemy URL, e.g. ``sqlite:///x.db`` or a
``postgresql://`` one, or a plain file path); the schema is created/upgraded by the Alembic
migrations in ``sabueso/store/migrations`` every time a store is opened.

Modules: ``schema`` (tables), ``engine`` (URLs, SQLite pragmas: WAL + foreign keys,
migrations), ``writer`` (saving an extraction), ``records`` (an extraction's entity records and
gazetteer links), ``resolution`` (clustering records into entities, incremental or full),
``canon`` (writing canonical entities), ``refs`` (repointing references), ``judging``
(merge / not-same / split), ``evidence`` (corroboration, conflicts), ``queries`` (reads),
``api`` (the :class:`Store`).

Conventions: character offsets keep the model's names, columns ``start`` and ``end`` (quoted by
SQLAlchemy where a dialect needs it); JSON values (claim ``qualifiers``, event
``participants``) are stored as Text; timestamps are ISO-8601 UTC strings.
"""
from .api import Store
from .engine import make_engine, migrate, resolve_db_url
from .schema import TABLES

__all__ = ["Store", "TABLES", "make_engine", "migrate", "resolve_db_url"]
