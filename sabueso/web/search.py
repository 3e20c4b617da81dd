"""Full-text search over documents, entities and claims.

On SQLite with FTS5 the index is one virtual table, ``web_search`` (``kind``, ``ref``,
``title``, ``body`` and, for claims, the document and span of the evidence), built from the
store's tables and refreshed when the store changes: :meth:`SearchIndex.refresh` compares a
cheap fingerprint of the store (row counts, the newest judgement, the entities' names) with
the one saved in ``web_search_meta`` and rebuilds only when they differ. The tokenizer folds
case and accents (``unicode61 remove_diacritics 2``), so "tejon" finds "Tejón"; all words
must match, each as the whole word except the last, which may be the start of one (three
letters or more: "shopkeep" finds "shopkeepers", while "de" marks only "de", never "del").

On any other backend (or an SQLite without FTS5) the same :meth:`SearchIndex.search` runs
portable ``LIKE`` queries over the store's tables instead.

Snippets come back as :class:`markupsafe.Markup`: the text is escaped first and only then are
the match markers turned into ``<mark>`` elements, so article text can never inject markup.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.exc import DBAPIError

from ..store.schema import aliases, claims, documents, entities, judgements

log = logging.getLogger(__name__)

KINDS = ("entity", "document", "claim")
OPEN, CLOSE = "\ue000", "\ue001"          # private-use markers, never in escaped output
TABLE = "web_search"
META = "web_search_meta"
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12


def terms(query: str) -> list[str]:
    """The words of a query (punctuation and FTS operators dropped), at most 12."""
    return _WORD.findall(query or "")[:MAX_TERMS]


PREFIX_FROM = 3


def fts_query(query: str) -> str:
    """A safe FTS5 MATCH expression: every word quoted and required; the last one also as a
    prefix when it has ``PREFIX_FROM`` letters or more."""
    words = terms(query)
    return " ".join('"' + t.replace('"', '""') + '"'
                    + ("*" if i == len(words) - 1 and len(t) >= PREFIX_FROM else "")
                    for i, t in enumerate(words))


def word_pattern(words: list[str]) -> re.Pattern | None:
    """Whole words of the query (the last also as a prefix, as :func:`fts_query`)."""
    if not words:
        return None
    last = words[-1]
    alts = [re.escape(w) + r"(?!\w)" for w in words[:-1]]
    alts.append(re.escape(last) + (r"\w*" if len(last) >= PREFIX_FROM else r"(?!\w)"))
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + ")", re.IGNORECASE)


def marked(snippet: str | None) -> Markup:
    """Escape ``snippet`` and turn the match markers into ``<mark>`` elements."""
    safe = str(escape(snippet or ""))
    return Markup(safe.replace(OPEN, "<mark>").replace(CLOSE, "</mark>"))


def _like_snippet(value: str | None, words: list[str], width: int = 70) -> str:
    """A window of ``value`` around the first word found, with markers around each word."""
    value = " ".join((value or "").split())
    low = value.casefold()
    pattern = word_pattern(words)
    found = pattern.search(value) if pattern is not None else None
    hits = [low.find(w.casefold()) for w in words if low.find(w.casefold()) >= 0]
    first = found.start() if found else (min(hits) if hits else 0)
    start = max(0, first - width)
    end = min(len(value), first + width * 2)
    window = value[start:end]
    pattern = word_pattern(words)
    if pattern is not None:
        window = pattern.sub(lambda m: OPEN + m.group(0) + CLOSE, window)
    return ("…" if start else "") + window + ("…" if end < len(value) else "")


class SearchIndex:
    """Search over one store; FTS5 on SQLite, ``LIKE`` elsewhere (see the module docstring)."""

    def __init__(self, store):
        self.store = store
        self.engine = store.engine
        self._lock = threading.Lock()
        self.fts = self.engine.dialect.name == "sqlite" and self._create()

    # -- index ----------------------------------------------------------------------------
    def _create(self) -> bool:
        try:
            with self.engine.begin() as conn:
                conn.exec_driver_sql(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
                    "kind UNINDEXED, ref UNINDEXED, title, body, doc_id UNINDEXED, "
                    "span_start UNINDEXED, span_end UNINDEXED, "
                    "tokenize = 'unicode61 remove_diacritics 2')")
                conn.exec_driver_sql(
                    f"CREATE TABLE IF NOT EXISTS {META} (key TEXT PRIMARY KEY, value TEXT)")
            return True
        except DBAPIError as exc:  # no FTS5 compiled in, read-only file...
            log.warning("full-text index unavailable (%s); searching with LIKE", exc)
            return False

    def fingerprint(self) -> str:
        """Changes whenever documents, entities, names, claims or judgements change."""
        with self.engine.connect() as conn:
            parts = [conn.scalar(select(func.count()).select_from(t))
                     for t in (documents, entities, aliases, claims)]
            parts.append(conn.scalar(select(func.max(judgements.c.id))))
            parts.append(conn.scalar(select(func.sum(func.length(entities.c.name)))))
            parts.append(conn.scalar(select(func.max(entities.c.id))))
            parts.append(conn.scalar(select(func.max(documents.c.id))))
        return hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()

    def _rows(self, conn) -> list[dict[str, Any]]:
        names: dict[str, list[str]] = {}
        for eid, alias in conn.execute(select(aliases.c.entity_id, aliases.c.alias)
                                       .order_by(aliases.c.id)):
            names.setdefault(eid, []).append(alias)
        rows: list[dict[str, Any]] = []
        label: dict[str, str] = {}
        for r in conn.execute(select(entities.c.id, entities.c.type, entities.c.name,
                                     entities.c.country)):
            label[r.id] = r.name
            body = " ".join([*dict.fromkeys(a for a in names.get(r.id, []) if a != r.name),
                             r.type or "", r.country or ""])
            rows.append({"kind": "entity", "ref": r.id, "title": r.name, "body": body,
                         "doc_id": None, "start": None, "end": None})
        for r in conn.execute(select(documents.c.id, documents.c.title, documents.c.path,
                                     documents.c.publisher, documents.c.text)):
            rows.append({"kind": "document", "ref": r.id,
                         "title": r.title or r.path or r.id,
                         "body": " ".join(x for x in (r.publisher, r.text) if x),
                         "doc_id": r.id, "start": None, "end": None})
        for r in conn.execute(select(claims.c.id, claims.c.type, claims.c.subject_id,
                                     claims.c.object_id, claims.c.object_value, claims.c.evidence,
                                     claims.c.attributed_to, claims.c.doc_id, claims.c.start,
                                     claims.c["end"])):
            obj = label.get(r.object_id, r.object_value or "")
            title = f"{label.get(r.subject_id, r.subject_id)} {r.type} {obj}".strip()
            body = " ".join(x for x in (r.evidence, r.attributed_to) if x)
            rows.append({"kind": "claim", "ref": r.id, "title": title, "body": body,
                         "doc_id": r.doc_id, "start": r.start, "end": r.end})
        return rows

    def refresh(self, force: bool = False) -> bool:
        """Rebuild the FTS index if the store changed (or ``force``); True if rebuilt."""
        if not self.fts:
            return False
        with self._lock:
            stamp = self.fingerprint()
            with self.engine.begin() as conn:
                old = conn.execute(text(f"SELECT value FROM {META} WHERE key = 'fingerprint'")
                                   ).scalar()
                if old == stamp and not force:
                    return False
                conn.exec_driver_sql(f"DELETE FROM {TABLE}")
                rows = self._rows(conn)
                if rows:
                    conn.execute(text(f"INSERT INTO {TABLE} (kind, ref, title, body, doc_id, "
                                      "span_start, span_end) VALUES (:kind, :ref, :title, :body, "
                                      ":doc_id, :start, :end)"), rows)
                conn.execute(text(f"INSERT OR REPLACE INTO {META} (key, value) "
                                  "VALUES ('fingerprint', :v)"), {"v": stamp})
            return True

    # -- queries --------------------------------------------------------------------------
    def search(self, query: str, limit: int = 20, kinds: tuple[str, ...] = KINDS
               ) -> dict[str, list[dict]]:
        """``{"entity": [...], "document": [...], "claim": [...]}``, best first per kind.

        Each hit has ``kind``, ``ref``, ``title`` and ``snippet`` (Markup with ``<mark>``);
        claim hits also ``doc_id``/``start``/``end`` of their evidence.
        """
        out: dict[str, list[dict]] = {k: [] for k in kinds}
        if not terms(query) or limit <= 0:
            return out
        if self.fts:
            self.refresh()
            return self._fts(query, limit, kinds, out)
        return self._like(query, limit, kinds, out)

    def _fts(self, query, limit, kinds, out):
        match = fts_query(query)
        sql = text(f"SELECT kind, ref, title, doc_id, span_start, span_end, "
                   f"highlight({TABLE}, 2, :o, :c) AS title_hl, "
                   f"snippet({TABLE}, 3, :o, :c, '…', 24) AS snip "
                   f"FROM {TABLE} WHERE {TABLE} MATCH :q AND kind = :kind "
                   f"ORDER BY bm25({TABLE}, 10.0, 1.0) LIMIT :limit")
        with self.engine.connect() as conn:
            for kind in kinds:
                for r in conn.execute(sql, {"o": OPEN, "c": CLOSE, "q": match, "kind": kind,
                                            "limit": limit}):
                    out[kind].append({"kind": kind, "ref": r.ref, "title": r.title,
                                      "title_html": marked(r.title_hl), "snippet": marked(r.snip),
                                      "doc_id": r.doc_id, "start": r.span_start,
                                      "end": r.span_end})
        return out

    def _like(self, query, limit, kinds, out):
        words = terms(query)

        def every(*cols):
            return and_(*[or_(*[func.lower(c).like(f"%{w.lower()}%") for c in cols])
                          for w in words])

        with self.engine.connect() as conn:
            if "entity" in kinds:
                alias_hit = select(aliases.c.entity_id).where(every(aliases.c.alias))
                q = (select(entities.c.id, entities.c.name, entities.c.type)
                     .where(or_(every(entities.c.name), entities.c.id.in_(alias_hit)))
                     .order_by(func.length(entities.c.name), entities.c.name).limit(limit))
                for r in conn.execute(q):
                    out["entity"].append({"kind": "entity", "ref": r.id, "title": r.name,
                                          "title_html": marked(_like_snippet(r.name, words)),
                                          "snippet": marked(r.type), "doc_id": None,
                                          "start": None, "end": None})
            if "document" in kinds:
                q = (select(documents.c.id, documents.c.title, documents.c.path, documents.c.text)
                     .where(or_(every(documents.c.text), every(documents.c.title)))
                     .order_by(documents.c.title).limit(limit))
                for r in conn.execute(q):
                    title = r.title or r.path or r.id
                    out["document"].append({"kind": "document", "ref": r.id, "title": title,
                                            "title_html": marked(_like_snippet(title, words)),
                                            "snippet": marked(_like_snippet(r.text, words)),
                                            "doc_id": r.id, "start": None, "end": None})
            if "claim" in kinds:
                q = (select(claims.c.id, claims.c.type, claims.c.evidence, claims.c.doc_id,
                            claims.c.start, claims.c["end"])
                     .where(every(claims.c.evidence)).order_by(claims.c.id).limit(limit))
                for r in conn.execute(q):
                    out["claim"].append({"kind": "claim", "ref": r.id, "title": r.type,
                                         "title_html": marked(r.type),
                                         "snippet": marked(_like_snippet(r.evidence, words)),
                                         "doc_id": r.doc_id, "start": r.start, "end": r.end})
        return out
