"""The document view: an article's text with every extracted mention and every claim's
evidence highlighted, as escaped HTML built here (never from article markup).

The text is cut at every boundary of a mention, a claim's evidence and the cited span
(``?start=&end=`` or ``?claim=``). Each piece covered by claims becomes a
``<span class="ev-span mod-…" data-claims="…" data-modality="…">`` (one ``mod-`` class per
modality among them; ``data-modality`` is the most cautious: denied, hedged, reported,
asserted); inside it, a piece of a mention is a ``<span class="ment type-…"
data-entity="…">``. The cited span is one ``<mark id="ev">`` around its pieces. Mentions
that overlap an earlier, longer one are left out (the longer one is shown).
"""
from __future__ import annotations

import json

from markupsafe import Markup, escape
from sqlalchemy import select

from ..store.schema import claims, entities, mentions

CAUTION = {"asserted": 0, "reported": 1, "hedged": 2, "denied": 3}


def _valid(s, e, n: int) -> bool:
    return s is not None and e is not None and 0 <= s < e <= n


def document_mentions(store, doc_id: str, n: int) -> list[dict]:
    """The document's mentions with their entity (name, type), without overlaps."""
    q = (select(mentions.c.start, mentions.c["end"], mentions.c.entity_id, entities.c.name,
                entities.c.type)
         .join(entities, entities.c.id == mentions.c.entity_id)
         .where(mentions.c.doc_id == doc_id))
    with store.engine.connect() as conn:
        rows = [r for r in conn.execute(q) if _valid(r.start, r.end, n)]
    out, last = [], -1
    for r in sorted(rows, key=lambda r: (r.start, -r.end)):
        if r.start >= last:
            out.append({"start": r.start, "end": r.end, "entity": r.entity_id, "name": r.name,
                        "type": r.type})
            last = r.end
    return out


def document_claims(store, doc_id: str, statuses: dict) -> list[dict]:
    """The document's claims, in text order, shaped like the review queue's rows."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(claims).where(claims.c.doc_id == doc_id)).all()
        ids = {i for r in rows for i in (r.subject_id, r.object_id) if i}
        names = {r.id: {"id": r.id, "name": r.name, "type": r.type} for r in conn.execute(
            select(entities.c.id, entities.c.name, entities.c.type)
            .where(entities.c.id.in_(sorted(ids) or [""])))}
    out = []
    for r in rows:
        obj = names.get(r.object_id) or {"id": None, "name": r.object_value, "type": None}
        out.append({"id": r.id, "type": r.type, "subject": names.get(r.subject_id),
                    "object": {**obj, "value": r.object_value}, "object_value": r.object_value,
                    "modality": r.modality or "asserted", "attributed_to": r.attributed_to,
                    "since": r.since, "until": r.until, "evidence": r.evidence,
                    "qualifiers": json.loads(r.qualifiers or "{}"), "start": r.start,
                    "end": r.end, "doc_id": r.doc_id, "extractor": r.extractor,
                    "doc_title": "show in the text",
                    "review": statuses.get(r.id)})
    return sorted(out, key=lambda c: (c["start"] if c["start"] is not None else 1 << 60, c["id"]))


def _attr(value) -> str:
    return str(escape(str(value)))


def markup(text: str, ments: list[dict], cls: list[dict],
           span: tuple[int, int] | None = None) -> Markup:
    """``text`` as escaped HTML with the mentions, the claims' evidence and ``span`` marked."""
    n = len(text)
    cls = [c for c in cls if _valid(c["start"], c["end"], n)]
    cuts = {0, n}
    for x in (*ments, *cls):
        cuts.update((x["start"], x["end"]))
    if span and _valid(span[0], span[1], n):
        cuts.update(span)
    else:
        span = None
    cuts = sorted(cuts)
    by_start: dict[int, list[dict]] = {}
    for c in cls:
        by_start.setdefault(c["start"], []).append(c)
    ment_at = {m["start"]: m for m in ments}
    active: list[dict] = []
    mention = None
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        active = [c for c in active if c["end"] > a] + by_start.get(a, [])
        if mention is not None and mention["end"] <= a:
            mention = None
        mention = ment_at.get(a, mention)
        if span and a == span[0]:
            out.append('<mark id="ev" class="evidence-mark" tabindex="-1">')
        piece = str(escape(text[a:b]))
        if mention is not None:
            piece = (f'<span class="ment type-{_attr(mention["type"])}" '
                     f'data-entity="{_attr(mention["entity"])}" '
                     f'title="{_attr(mention["type"])}: {_attr(mention["name"])}">{piece}</span>')
        if active:
            mods = sorted({c["modality"] for c in active}, key=lambda m: CAUTION.get(m, 0))
            rejected = all((c.get("review") or {}).get("status") == "rejected" for c in active)
            piece = (f'<span class="ev-span {" ".join("mod-" + _attr(m) for m in mods)}'
                     f'{" all-rejected" if rejected else ""}" tabindex="0" role="button" '
                     f'data-claims="{_attr(" ".join(c["id"] for c in active))}" '
                     f'data-modality="{_attr(mods[-1])}">{piece}</span>')
        out.append(piece)
        if span and b == span[1]:
            out.append("</mark>")
    return Markup("".join(out))


def legend_types(ments: list[dict]) -> list[str]:
    return sorted({m["type"] for m in ments if m.get("type")})
