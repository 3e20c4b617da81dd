"""Annotated articles (``*.gold.json`` beside their ``.txt``), parsed once into rule states,
and the alignment of the rules' local entities to the gold entities (by the scorer's name key)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..analyze.evaluate import _types_match, name_key
from ..core import Document
from ..nlp import get_nlp
from ..nlp.langid import detect_language
from ..ontology import get_ontology


@dataclass
class GoldDoc:
    name: str
    text_path: Path
    gold: dict
    lang: str
    state: object = None                     # RuleState once parsed
    evidence: dict = field(default_factory=dict)   # relation key -> [(start, end)] in the text


def find_gold(paths) -> list[GoldDoc]:
    """Every ``*.gold.json`` with its text under the given files or folders (recursively)."""
    out, seen = [], set()
    for p in map(Path, paths):
        files = [p] if p.is_file() else sorted(p.rglob("*.gold.json"))
        for g in files:
            txt = g.with_name(g.name[: -len(".gold.json")] + ".txt")
            if not txt.exists() or g.resolve() in seen:
                continue
            seen.add(g.resolve())
            gold = json.loads(g.read_text(encoding="utf-8"))
            text = txt.read_text(encoding="utf-8")
            lang = gold.get("lang") or detect_language(text)
            out.append(GoldDoc(f"{g.parent.name}/{txt.name}", txt, gold, lang))
    if not out:
        raise FileNotFoundError("no annotated articles (*.gold.json beside a .txt) under "
                                + ", ".join(map(str, paths)))
    return out


def parse(docs: list[GoldDoc], progress=None) -> list[GoldDoc]:
    """Run the rule layer once per article (the slow part); the models are applied later."""
    from ..extract.pipeline import rule_pass
    for d in docs:
        if d.state is None:
            text = d.text_path.read_text(encoding="utf-8")
            document = Document(text=text, title=d.text_path.name, path=str(d.text_path), lang=d.lang)
            d.state = rule_pass(document, get_nlp(d.lang)(text))
            d.evidence = _evidence_spans(d.gold, text)
        if progress:
            progress(d)
    return docs


def relation_key(rtype: str, s, o) -> tuple:
    if rtype == "ACTIVITY":
        o = name_key(o).replace(" ", "_")
    elif rtype in get_ontology().symmetric and str(o) < str(s):
        s, o = o, s
    return (rtype, s, o)


def _evidence_spans(gold: dict, text: str) -> dict:
    out: dict[tuple, list] = {}
    for r in gold.get("relations", []):
        ev = r.get("evidence") or ""
        k = relation_key(r["type"], r["subject"], r["object"])
        i = text.find(ev) if ev else -1
        span = (i, i + len(ev)) if i >= 0 else (-1, -1)      # (-1, -1): evidence not found
        out.setdefault(k, []).append((*span, r.get("modality") or "asserted"))
    return out


def align(state, gold: dict, typed: bool = False) -> dict[int, str]:
    """Local entity index -> gold entity id, by shared name keys (the scorer's), preferring a
    gold entity of a compatible type; ``typed`` requires one."""
    gents = [(g["id"], g.get("type"), {name_key(n) for n in [g.get("name"), *(g.get("aliases") or [])]
                                       if name_key(n)}) for g in gold.get("entities", [])]
    out = {}
    for e in state.ents:
        keys = {name_key(n) for n in [*e.names, *e.aliases] if name_key(n)}
        hits = [(gid, gt) for gid, gt, gk in gents if keys & gk]
        good = [gid for gid, gt in hits if _types_match(gt, e.type)]
        if good:
            out[e.idx] = good[0]
        elif hits and not typed:
            out[e.idx] = hits[0][0]
    return out


def gold_types(gold: dict) -> dict[str, str]:
    return {g["id"]: g.get("type") for g in gold.get("entities", [])}
