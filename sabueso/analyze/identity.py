"""Cross-document identity against gold annotations: B-cubed precision and recall of the
store's Person and CriminalGroup entities.

Gold identities: each gold Person or CriminalGroup entity of each article; entities of
different articles (same type) are one identity when a name or alias agrees (the scorer's
name key: case, accents, punctuation and leading articles ignored), transitively; except two
people whose full names share no word (a nickname such as 'Toto' is worn by several people).

Elements: the stored entity records (one per extracted entity per document) whose name or an
alias agrees with a gold Person or CriminalGroup entity of their own document, whatever type
the extractor gave them (an acronym typed Person still belongs to its group). A record
agreeing with several gold entities takes the one of its own type, then the one whose main
name it carries. Each element's predicted cluster is its stored entity; its gold cluster its
gold identity. Precision falls when an entity joins two identities, recall when an identity
is spread over several entities (within or across documents).
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Iterable

from sqlalchemy import select

from .evaluate import name_key

TYPES = ("Person", "CriminalGroup")


def gold_files(paths: Iterable[str | Path]) -> list[Path]:
    """Every ``*.gold.json`` with its ``.txt`` beside it under ``paths`` (files or folders)."""
    out: list[Path] = []
    for p in map(Path, paths):
        for g in ([p] if p.is_file() else sorted(p.rglob("*.gold.json"))):
            if g.with_name(g.name[:-len(".gold.json")] + ".txt").exists() and g not in out:
                out.append(g)
    return out


def text_of(gold: Path) -> Path:
    return gold.with_name(gold.name[:-len(".gold.json")] + ".txt")


def ingest(store, golds: list[Path]) -> dict[Path, str]:
    """Extract and save each article's text; returns gold file -> stored document id."""
    from ..core import Document
    from ..extract import extract_document
    out = {}
    for g in golds:
        txt = text_of(g)
        doc = Document(text=txt.read_text(encoding="utf-8"), title=txt.name, path=str(txt))
        x = extract_document(doc)
        store.save_extraction(x)
        out[g] = x.document.id
    return out


def _keys(names: Iterable[str | None], articles: bool = True) -> set[str]:
    """Name keys (``articles=False``: a leading article kept)."""
    if articles:
        return {k for k in map(name_key, names) if k}
    return {k for n in names if n and (k := name_key("_ " + n))}


class _Union:
    def __init__(self) -> None:
        self.up: dict = {}

    def find(self, x):
        self.up.setdefault(x, x)
        while self.up[x] != x:
            self.up[x] = self.up[self.up[x]]
            x = self.up[x]
        return x

    def union(self, a, b) -> None:
        self.up[self.find(a)] = self.find(b)


def _other_people(a: dict, b: dict) -> bool:
    """Two gold Person entities whose main names are both full names with no word in common."""
    if a["type"] != "Person" or b["type"] != "Person":
        return False
    wa, wb = set(name_key(a["name"]).split()), set(name_key(b["name"]).split())
    return len(wa) > 1 and len(wb) > 1 and not wa & wb


def gold_identities(golds: dict[Path, str]) -> tuple[dict[tuple, str], dict[tuple, dict]]:
    """(doc id, gold id) -> identity label, and -> the gold entity, for Person/CriminalGroup."""
    ents: dict[tuple, dict] = {}
    uf = _Union()
    owner: dict[tuple, tuple] = {}          # (type, name key) -> first gold entity naming it
    for g, doc in golds.items():
        for e in json.loads(g.read_text(encoding="utf-8"))["entities"]:
            if e["type"] not in TYPES:
                continue
            k = (doc, e["id"])
            ents[k] = e
            uf.find(k)
            for n in _keys([e["name"], *(e.get("aliases") or [])]):
                first = owner.setdefault((e["type"], n), k)
                # the same article's entities are distinct; two people whose full names share
                # no word are not one person for a nickname they share ('Toto', 'Kiko')
                if first[0] != doc and not _other_people(e, ents[first]):
                    uf.union(k, first)
    labels = {k: str(uf.find(k)) for k in ents}
    return labels, ents


def _pick(rec_type: str, rec_keys: set[str], cands: list[tuple[tuple, dict]]) -> tuple | None:
    if not cands:
        return None
    return max(cands, key=lambda c: (c[1]["type"] == rec_type,
                                     name_key(c[1]["name"]) in rec_keys, -len(str(c[0]))))[0]


def elements(conn, golds: dict[Path, str], ents: dict[tuple, dict]
             ) -> list[tuple[tuple, tuple, str, str]]:
    """(doc id, local id) -> (gold entity, stored entity id, record name) for each record
    agreeing with a gold Person/CriminalGroup of its document."""
    from ..store.schema import entity_records as er
    by_doc: dict[str, list[tuple[tuple, dict, set[str]]]] = defaultdict(list)
    for k, e in ents.items():
        by_doc[k[0]].append((k, e, _keys([e["name"], *(e.get("aliases") or [])])))
    docs = set(golds.values())
    out = []
    rows = conn.execute(select(er.c.doc_id, er.c.local_id, er.c.type, er.c.name, er.c.aliases,
                               er.c.entity_id, er.c.origin))
    for doc, local, typ, name, aliases, eid, origin in rows:
        if doc not in docs or origin == "gazetteer" or not eid:
            continue
        keys = _keys([name, *json.loads(aliases or "[]")])
        cands = [(k, e) for k, e, names in by_doc.get(doc, ()) if names & keys]
        if typ not in TYPES:     # a place "Texas" is not the person nicknamed "El Texas"
            exact = _keys([name, *json.loads(aliases or "[]")], articles=False)
            cands = [(k, e) for k, e in cands
                     if exact & _keys([e["name"], *(e.get("aliases") or [])], articles=False)]
        gold = _pick(typ, keys, cands)
        if gold is not None:
            out.append(((doc, local), gold, eid, f"{name} [{typ}]"))
    return out


def bcubed(pred: dict, gold: dict) -> tuple[float, float]:
    """B-cubed (precision, recall) of the clustering ``pred`` (element -> cluster) against
    ``gold`` (element -> cluster), over the elements of ``pred``."""
    if not pred:
        return 0.0, 0.0
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for x, c in pred.items():
        by_pred[c].add(x)
        by_gold[gold[x]].add(x)
    p = r = 0.0
    for x in pred:
        both = len(by_pred[pred[x]] & by_gold[gold[x]])
        p += both / len(by_pred[pred[x]])
        r += both / len(by_gold[gold[x]])
    return p / len(pred), r / len(pred)


def measure(store, golds: dict[Path, str]) -> dict:
    """B-cubed figures, with the entities joining identities (``fused``) and the identities
    spread over entities (``split``) named, for reading."""
    labels, ents = gold_identities(golds)
    with store.engine.connect() as conn:
        elems = elements(conn, golds, ents)
    pred = {x: eid for x, _, eid, _ in elems}
    gold = {x: labels[g] for x, g, _, _ in elems}
    p, r = bcubed(pred, gold)
    named = {x: n for x, _, _, n in elems}
    first = {lab: ents[g]["name"] for x, g, _, _ in elems for lab in [labels[g]]}
    by_pred, by_gold = defaultdict(set), defaultdict(set)
    for x in pred:
        by_pred[pred[x]].add(x)
        by_gold[gold[x]].add(x)
    fused = {eid: sorted({first[gold[x]] for x in xs}) for eid, xs in by_pred.items()
             if len({gold[x] for x in xs}) > 1}
    split = {first[lab]: sorted({named[x] for x in xs}) for lab, xs in by_gold.items()
             if len({pred[x] for x in xs}) > 1}
    mapped = {g for _, g, _, _ in elems}
    return {"precision": p, "recall": r, "elements": len(pred), "identities": len(by_gold),
            "entities": len(by_pred), "gold_entities": len(ents),
            "unmatched_gold": len(set(ents) - mapped), "fused": fused, "split": split}


def report(m: dict) -> str:
    lines = [f"B-cubed Person+CriminalGroup: precision {m['precision']:.3f} recall {m['recall']:.3f} "
             f"({m['elements']} records of {m['identities']} gold identities in {m['entities']} "
             f"entities; {m['unmatched_gold']} of {m['gold_entities']} gold entities not extracted)"]
    for eid, names in sorted(m["fused"].items()):
        lines.append(f"  fused {eid}: " + " | ".join(names))
    for name, recs in sorted(m["split"].items()):
        lines.append(f"  split {name}: " + " | ".join(recs))
    return "\n".join(lines)


def document_ids(golds: list[Path]) -> dict[Path, str]:
    """Gold file -> the id its article's text gets in a store (without extracting it)."""
    from ..core import Document
    return {g: Document(text=text_of(g).read_text(encoding="utf-8"), title=text_of(g).name,
                        path=str(text_of(g))).id for g in golds}
