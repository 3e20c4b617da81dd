"""Bulk inserts on the write path, with less per-statement and per-row overhead.

Saving a document runs some 25 statements, and on a two-core machine the one writer shares
the CPU with the extraction workers (see ``bench/dask_speedup.py``). SQLAlchemy's Core spends
more time than SQLite itself there: building each statement, its cache key, and processing
every row's parameters. The columns are portable types that need no conversion (see
:mod:`.schema`), so on SQLite an ``INSERT`` is compiled once per table and column set and its
rows go to the driver as tuples. Other databases keep Core's path, which batches the rows of
an ``executemany`` into multi-row ``VALUES`` (faster there than the driver's own).
"""
from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy import Connection, Table, bindparam, insert

#: The values of an ``IN`` list, for statements built once at import rather than per document
#: (their construction and cache key cost the writer more than SQLite's work on small
#: documents): ``conn.execute(STATEMENT, {"part": values})``.
PART = bindparam("part", expanding=True)
_COMPILED: dict[tuple[str, str, tuple[str, ...]], tuple[str, tuple[str, ...]]] = {}


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """``conn.execute(insert(table), rows)``: every row has the first row's keys."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), list(rows))
        return
    cols = tuple(rows[0])
    key = (conn.dialect.name, table.name, cols)
    entry = _COMPILED.get(key)
    if entry is None:
        compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(cols))
        entry = _COMPILED[key] = (str(compiled), tuple(compiled.positiontup or ()))
    sql, order = entry
    if len(rows) == 1:
        conn.exec_driver_sql(sql, tuple(rows[0][c] for c in order))
    else:
        conn.exec_driver_sql(sql, [tuple(r[c] for c in order) for r in rows])
