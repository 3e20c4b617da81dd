"""Alembic environment: always runs online, on the connection handed in by the store.

``sabueso.store.engine.migrate`` puts an open connection in ``config.attributes["connection"]``;
running ``alembic`` from the command line is also possible with ``sqlalchemy.url`` set.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=None,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = engine_from_config(config.get_section(config.config_ini_section, {}),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.begin() as conn:
        _run(conn)
