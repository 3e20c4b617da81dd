"""Integrity checks of a store (``sabueso check``, and ``/api/admin/check`` in the web app).

Errors (the database is inconsistent):

* ``sqlite``: ``PRAGMA integrity_check`` does not answer ``ok`` (SQLite only);
* ``orphans``: mentions, claims, events, quantities or entity records whose ``doc_id`` is not
  a stored document (e.g. rows written by another tool with foreign keys off);
* ``dangling``: mentions, claims (subject or object), aliases, events (place), quantities
  (subject) or entity records that point at an entity id that is not stored;
* ``search``: the web app's full-text table (``web_search``, when it exists) claims to be up
  to date but does not match the tables, or FTS5's own integrity check fails.

Warnings (worth a look, not wrong as such):

* ``empty-documents``: documents with no mention and no claim;
* ``spans``: claims whose character span lies outside their document's text;
* ``search``: the full-text index is out of date (the web app rebuilds it on its next
  search or start);
* ``names``: names (aliases) missing from the store's name index, which typo-tolerant name
  search would not find (``POST /api/search/reindex`` rebuilds it).

Read-only: everything runs in one transaction that is rolled back (FTS5's integrity check is
an ``INSERT`` command, so with a ``web_search`` table the check briefly takes the write lock).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from types import SimpleNamespace

from sqlalchemy import Column, Table, and_, exists, func, not_, select, text

from ..store.schema import (aliases, claims, documents, entities, entity_records, events,
                            mentions, name_postings, quantities)

EXAMPLES = 5
DOC_CHILDREN = (mentions, claims, events, quantities, entity_records)
ENTITY_REFS = ((mentions, "entity_id"), (claims, "subject_id"), (claims, "object_id"),
               (aliases, "entity_id"), (events, "place_id"), (quantities, "subject_id"),
               (entity_records, "entity_id"))


@dataclass
class Finding:
    level: str            # "error" or "warning"
    check: str
    message: str
    count: int = 1
    examples: list[str] = field(default_factory=list)

    def line(self) -> str:
        more = f" (e.g. {', '.join(self.examples)})" if self.examples else ""
        return f"{self.level}: [{self.check}] {self.message}{more}"


@dataclass
class Report:
    database: str
    checks: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict:
        return {"database": self.database, "ok": self.ok, "errors": len(self.errors),
                "warnings": len(self.warnings), "checks": self.checks, "counts": self.counts,
                "findings": [asdict(f) for f in self.findings]}


def _ids(conn, table: Table, where) -> tuple[int, list[str]]:
    key = table.c.id
    n = conn.scalar(select(func.count()).select_from(table).where(where)) or 0
    some = [str(v) for v in conn.scalars(select(key).where(where).order_by(key).limit(EXAMPLES))]
    return int(n), some


def _sqlite(conn, report: Report) -> None:
    rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
    if rows != ["ok"]:
        report.findings.append(Finding("error", "sqlite", "PRAGMA integrity_check reports "
                                       f"{len(rows)} problem(s)", len(rows), rows[:EXAMPLES]))


def _orphans(conn, report: Report) -> None:
    for table in DOC_CHILDREN:
        n, some = _ids(conn, table, not_(exists().where(documents.c.id == table.c.doc_id)))
        if n:
            report.findings.append(Finding("error", "orphans", f"{n} {table.name} row(s) whose "
                                           "document is not stored", n, some))


def _dangling(conn, report: Report) -> None:
    for table, name in ENTITY_REFS:
        col: Column = table.c[name]
        where = and_(col.is_not(None), not_(exists().where(entities.c.id == col)))
        n, some = _ids(conn, table, where)
        if n:
            report.findings.append(Finding("error", "dangling", f"{n} {table.name} row(s) whose "
                                           f"{name} is not a stored entity", n, some))


def _documents(conn, report: Report) -> None:
    where = and_(not_(exists().where(mentions.c.doc_id == documents.c.id)),
                 not_(exists().where(claims.c.doc_id == documents.c.id)))
    n, some = _ids(conn, documents, where)
    if n:
        report.findings.append(Finding("warning", "empty-documents", f"{n} document(s) with no "
                                       "mention and no claim", n, some))
    doc_len = (select(func.length(documents.c.text)).where(documents.c.id == claims.c.doc_id)
               .scalar_subquery())
    bad = and_(claims.c.start.is_not(None), claims.c["end"].is_not(None),
               (claims.c.start < 0) | (claims.c["end"] < claims.c.start)
               | (claims.c["end"] > doc_len))
    n, some = _ids(conn, claims, bad)
    if n:
        report.findings.append(Finding("warning", "spans", f"{n} claim(s) whose span lies "
                                       "outside their document's text", n, some))


def _names(conn, report: Report) -> None:
    missing = (select(aliases.c.norm).distinct()
               .where(aliases.c.norm != "",
                      not_(exists().where(name_postings.c.norm == aliases.c.norm))))
    n = conn.scalar(select(func.count()).select_from(missing.subquery()))
    if n:
        some = list(conn.scalars(missing.limit(EXAMPLES)))
        report.findings.append(Finding("warning", "names", f"{n} name(s) missing from the name "
                                       "index: typo-tolerant search will not find them "
                                       "(POST /api/search/reindex rebuilds it)", n, some))


def _search(conn, current: str, report: Report) -> None:
    from ..web import search as fts
    have = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE name IN (?, ?)",
                                (fts.TABLE, fts.META)).scalars().all()
    if fts.TABLE not in have:
        return
    report.checks.append("search")
    try:
        conn.exec_driver_sql(f"INSERT INTO {fts.TABLE}({fts.TABLE}) VALUES ('integrity-check')")
    except Exception as exc:  # sqlite3.DatabaseError: the FTS index is corrupt
        report.findings.append(Finding("error", "search", f"FTS5 integrity check failed: {exc}"))
        return
    stored = conn.execute(text(f"SELECT value FROM {fts.META} WHERE key = 'fingerprint'")
                          ).scalar() if fts.META in have else None
    if stored != current:
        report.findings.append(Finding("warning", "search", "the full-text index is out of date; "
                                       "the web app rebuilds it on its next search or start"))
        return
    for kind, table in (("entity", entities), ("document", documents), ("claim", claims)):
        indexed = conn.execute(text(f"SELECT count(*) FROM {fts.TABLE} WHERE kind = :k"),
                               {"k": kind}).scalar()
        missing = conn.execute(text(f"SELECT ref FROM {fts.TABLE} WHERE kind = :k AND ref NOT IN "
                                    f"(SELECT id FROM {table.name}) LIMIT {EXAMPLES}"),
                               {"k": kind}).scalars().all()
        actual = conn.scalar(select(func.count()).select_from(table))
        if indexed != actual or missing:
            report.findings.append(Finding(
                "error", "search", f"the full-text index holds {indexed} {kind} row(s) but the "
                f"store has {actual}, though its fingerprint says it is up to date",
                abs(indexed - actual) or len(missing), missing))


def _fingerprint(engine) -> str:
    """The store's fingerprint as the web app's search index computes it."""
    from ..web.search import SearchIndex
    return SearchIndex.fingerprint(SimpleNamespace(engine=engine))


def check_store(store) -> Report:
    """Run every check on ``store`` (a :class:`sabueso.store.Store`); nothing is changed."""
    engine = store.engine
    report = Report(engine.url.render_as_string(hide_password=True))
    sqlite = engine.dialect.name == "sqlite"
    current = _fingerprint(engine) if sqlite else ""
    with engine.connect() as conn:
        trans = conn.begin()
        try:
            if sqlite:
                report.checks.append("sqlite")
                _sqlite(conn, report)
            report.checks += ["orphans", "dangling", "empty-documents", "spans", "names"]
            _orphans(conn, report)
            _dangling(conn, report)
            _documents(conn, report)
            _names(conn, report)
            if sqlite:
                _search(conn, current, report)
            report.counts = {t.name: int(conn.scalar(select(func.count()).select_from(t)) or 0)
                             for t in (documents, entities, mentions, claims, events, quantities)}
        finally:
            trans.rollback()
    return report
