"""The :class:`Store`: one storage API over SQLAlchemy Core (SQLite by default)."""
from __future__ import annotations

import os

from sqlalchemy import Engine, bindparam, delete, func, insert, select

from ..core import Extraction
from . import claim_judging, evidence, examples, judging, queries, resolution, writer
from .engine import make_engine, migrate, resolve_db_url
from .schema import EXTRACTED, JUDGEMENT_KINDS, TABLES, documents, judgements, metadata

_EXISTS = select(documents.c.id).where(documents.c.id == bindparam("id"))
_STORED = select(documents.c.id).where(documents.c.id.in_(bindparam("ids", expanding=True)))


class Store:
    """Documents, resolved entities and evidence-backed claims in one database."""

    def __init__(self, engine: Engine, url: str | None = None):
        self.engine = engine
        self.url = url or str(engine.url)

    @classmethod
    def open(cls, url_or_path: str | os.PathLike | None = None) -> "Store":
        """Open (creating and migrating as needed) a store; ``None`` -> :func:`resolve_db_url`."""
        url = resolve_db_url(url_or_path)
        engine = make_engine(url)
        migrate(engine)
        return cls(engine, url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    # -- writing --------------------------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.scalar(_EXISTS, {"id": doc_id}) is not None

    def stored_ids(self, doc_ids: list[str]) -> set[str]:
        """Those of ``doc_ids`` that are stored (one query per 500)."""
        out: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(doc_ids), 500):
                out.update(conn.scalars(_STORED, {"ids": doc_ids[i:i + 500]}))
        return out

    def save_extraction(self, x: Extraction) -> dict[str, int] | None:
        """Store one extraction atomically; ``None`` (and no change) if its document is known.

        Returns counts of inserted rows per table, plus ``entities_resolved`` (distinct global
        entities the local ones mapped to) and ``claims_skipped`` (claims whose subject is not
        among the extraction's entities).
        """
        with self.engine.begin() as conn:
            if conn.scalar(_EXISTS, {"id": x.document.id}) is not None:
                return None
            return writer.save_extraction(conn, x)

    def save_extractions(self, xs: list[Extraction]) -> list[dict[str, int] | None]:
        """:meth:`save_extraction` for several documents in one transaction (each document
        whole or not at all, like one at a time, with one commit instead of many)."""
        with self.engine.begin() as conn:
            out: list[dict[str, int] | None] = []
            for x in xs:
                out.append(None if conn.scalar(_EXISTS, {"id": x.document.id}) is not None
                           else writer.save_extraction(conn, x))
            return out

    def add_judgement(self, kind: str, a: str, b: str | None = None,
                      reviewer: str | None = None, note: str | None = None) -> int:
        """Record a reviewer's judgement (merge|not_same|split|confirm|reject|correct_type|
        correct_modality) without checking or applying it; returns its id."""
        if kind not in JUDGEMENT_KINDS:
            raise ValueError(f"unknown judgement kind {kind!r}; expected one of {JUDGEMENT_KINDS}")
        with self.engine.begin() as conn:
            result = conn.execute(insert(judgements).values(
                kind=kind, a=a, b=b, reviewer=reviewer, note=note, created_at=writer.now()))
            return int(result.inserted_primary_key[0])

    def clear_extracted(self) -> None:
        """Delete every document and everything extracted from them; judgements stay."""
        with self.engine.begin() as conn:
            for name in EXTRACTED:
                conn.execute(delete(metadata.tables[name]))

    # -- resolution and judgements ----------------------------------------------------------
    def resolve(self) -> dict[str, int]:
        """Re-cluster every stored record into entities (rules + judgements); returns counts."""
        with self.engine.begin() as conn:
            return resolution.recluster(conn, None)

    def resolution_report(self) -> list[dict]:
        """Merges made and near-misses left apart by resolving every key, with why."""
        with self.engine.connect() as conn:
            return resolution.report(conn)

    def merge(self, a: str, b: str, reviewer: str | None = None, note: str | None = None) -> dict:
        """Judge ``a`` and ``b`` (ids, older ids or exact names) one entity, and apply it."""
        with self.engine.begin() as conn:
            return judging.judge(conn, "merge", a, b, reviewer, note)

    def not_same(self, a: str, b: str, reviewer: str | None = None,
                 note: str | None = None) -> dict:
        """Judge ``a`` and ``b`` different: no resolution may join them, even indirectly."""
        with self.engine.begin() as conn:
            return judging.judge(conn, "not_same", a, b, reviewer, note)

    def split(self, a: str, reviewer: str | None = None, note: str | None = None) -> dict:
        """Undo the merges into ``a``: each of its name keys becomes an entity again."""
        with self.engine.begin() as conn:
            return judging.judge(conn, "split", a, None, reviewer, note)

    def judgements(self) -> list[dict]:
        with self.engine.connect() as conn:
            return judging.list_judgements(conn)

    def judge_claim(self, claim_id: str, kind: str, value: str | None = None,
                    reviewer: str | None = None, note: str | None = None) -> dict:
        """Confirm, reject or correct (``correct_type`` / ``correct_modality`` to ``value``) a
        stored claim; checked (a known claim, a type its entities fit, a known modality)."""
        with self.engine.begin() as conn:
            return claim_judging.judge_claim(conn, claim_id, kind, value, reviewer, note)

    def judgement(self, jid: int) -> dict | None:
        with self.engine.connect() as conn:
            return claim_judging.get(conn, jid)

    def undo_judgement(self, jid: int) -> dict:
        """Delete judgement ``jid`` (an entity judgement's entities are re-clustered)."""
        with self.engine.begin() as conn:
            return claim_judging.undo(conn, jid)

    def claim_verdicts(self) -> dict[str, dict]:
        """Claim id -> the verdict its judgements fold into (see ``claim_judging.verdicts``)."""
        return claim_judging.verdicts(self.judgements())

    def training_examples(self, stats: dict | None = None):
        """Judged claims, then judged entity pairs, as training examples (dicts)."""
        with self.engine.connect() as conn:
            yield from examples.claim_examples(conn, stats)
            yield from examples.entity_examples(conn)

    def conflicts(self, undated: bool = False) -> list[dict]:
        """Facts stated and denied by different sources; leaders of one group whose dated
        periods overlap (``undated``: also leaders with no dates at all)."""
        with self.engine.connect() as conn:
            return evidence.conflicts(conn, undated)

    def claim_support(self, claim_ids: list[str]) -> dict[str, dict[str, int]]:
        """claim id -> documents / publishers stating its fact, documents denying it."""
        with self.engine.connect() as conn:
            return evidence.claim_support(conn, claim_ids)

    # -- reading --------------------------------------------------------------------------
    def find_entities(self, query: str, limit: int = 10) -> list[dict]:
        with self.engine.connect() as conn:
            return queries.find_entities(conn, query, limit)

    def lookup(self, query: str, suggest: int = 5) -> tuple[list[dict], list[dict]]:
        with self.engine.connect() as conn:
            return queries.lookup(conn, query, suggest)

    def list_entities(self, type: str | None = None) -> list[dict]:
        with self.engine.connect() as conn:
            return queries.list_entities(conn, type)

    def merge_candidates(self, entity: dict, limit: int = 300) -> list[dict]:
        with self.engine.connect() as conn:
            return queries.merge_candidates(conn, entity, limit)

    def entity(self, id: str) -> dict | None:
        with self.engine.connect() as conn:
            return queries.entity(conn, id)

    def entity_claims(self, id: str) -> list[dict]:
        with self.engine.connect() as conn:
            return queries.entity_claims(conn, id)

    def entity_events(self, id: str) -> list[dict]:
        with self.engine.connect() as conn:
            return queries.entity_events(conn, id)

    def entity_quantities(self, id: str) -> list[dict]:
        with self.engine.connect() as conn:
            return queries.entity_quantities(conn, id)

    def document(self, doc_id: str) -> dict | None:
        with self.engine.connect() as conn:
            return queries.document(conn, doc_id)

    def table_counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {name: int(conn.scalar(select(func.count()).select_from(metadata.tables[name])))
                    for name in TABLES}

    def stats(self) -> dict[str, int]:
        return self.table_counts()
