"""Alembic migrations of the Sabueso store (run programmatically by ``sabueso.store.engine``)."""
