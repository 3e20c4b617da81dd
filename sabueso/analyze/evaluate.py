"""Score extraction against gold annotations, following the rules stated in FORMAT.md:
names match after case-folding, accent stripping and dropping leading articles; relations
match on type and mapped ends (either order for symmetric types); events on type and year;
quantities on subject and value; modality accuracy over matched relations."""
from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

from ..ontology import get_ontology

LEADING_ARTICLES = {"the", "el", "la", "los", "las", "o", "os", "a", "as"}
TYPE_GROUPS = [{"Prison", "Place"}, {"Organization", "GovernmentBody"}]


def name_key(name: str) -> str:
    s = unicodedata.normalize("NFKD", str(name or ""))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = re.sub(r"[’'`]s\b", "", s)
    words = re.sub(r"[^\w\s]", " ", s).split()
    while words and words[0] in LEADING_ARTICLES:
        words.pop(0)
    return " ".join(words)


def _types_match(gold: str, pred: str) -> bool:
    return gold == pred or any(gold in g and pred in g for g in TYPE_GROUPS)


def _keys(e: dict) -> set[str]:
    return {k for k in (name_key(n) for n in [e.get("name"), *(e.get("aliases") or [])]) if k}


def _prf(tp: int, pred: int, gold: int) -> dict:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return {"tp": tp, "pred": pred, "gold": gold, "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def score(gold: dict, pred: dict) -> dict:
    symmetric = get_ontology().symmetric
    gents = [(g["id"], g.get("type"), _keys(g)) for g in gold.get("entities", [])]
    mapping = {}
    for p in pred.get("entities", []):
        pk = _keys(p)
        mapping[p["id"]] = next((gid for gid, gt, gk in gents if pk & gk and _types_match(gt, p.get("type"))), None)

    def rkey(r: dict, ids) -> tuple | None:
        s = ids(r.get("subject"))
        o = name_key(r.get("object", "")).replace(" ", "_") if r.get("type") == "ACTIVITY" else ids(r.get("object"))
        if not s or not o:
            return None
        if r.get("type") in symmetric:
            s, o = sorted((s, o))
        return (r.get("type"), s, o)

    gold_rels, pred_rels = defaultdict(set), defaultdict(set)
    for r in gold.get("relations", []):
        k = rkey(r, lambda x: x)
        if k:
            gold_rels[k].add(r.get("modality", "asserted"))
    for n, r in enumerate(pred.get("relations", [])):
        k = rkey(r, mapping.get) or ("?", n, None)
        pred_rels[k].add(r.get("modality", "asserted"))
    hits = [k for k in pred_rels if k in gold_rels]

    def year(v):
        m = re.search(r"\d{4}", str(v or ""))
        return m.group(0) if m else None

    def num(v):
        try:
            return float(str(v).replace(",", ""))
        except ValueError:
            return None

    gev = {(e.get("type"), year(e.get("date"))) for e in gold.get("events", [])}
    pev = {(e.get("type"), year(e.get("date"))) for e in pred.get("events", [])}
    gq = {(q.get("subject"), num(q.get("value"))) for q in gold.get("quantities", [])}
    pq = {(mapping.get(q.get("subject")), num(q.get("value"))) for q in pred.get("quantities", [])}
    return {"entities": _prf(len({v for v in mapping.values() if v}), len(mapping), len(gents)),
            "relations": _prf(len(hits), len(pred_rels), len(gold_rels)),
            "events": _prf(len(gev & pev), len(pev), len(gev)),
            "quantities": _prf(len(gq & pq), len(pq), len(gq)),
            "modality": (sum(1 for k in hits if pred_rels[k] & gold_rels[k]), len(hits)),
            "missed": sorted(str(k) for k in gold_rels if k not in pred_rels)}


def evaluate_paths(path: Path) -> dict:
    from ..core import Document
    from ..extract import extract_document
    path = Path(path)
    golds = [path] if path.is_file() else sorted(path.glob("*.gold.json"))
    totals = defaultdict(lambda: [0, 0, 0])
    modality = [0, 0]
    docs = {}
    for g in golds:
        gold = json.loads(g.read_text(encoding="utf-8"))
        txt = g.with_name(g.name[: -len(".gold.json")] + ".txt")
        doc = Document(text=txt.read_text(encoding="utf-8"), title=txt.name, path=str(txt))
        pred = extract_document(doc).to_format(txt.name)
        s = score(gold, pred)
        docs[g.name] = {k: s[k] for k in ("entities", "relations", "events", "quantities")}
        for k in ("entities", "relations", "events", "quantities"):
            for i, f in enumerate(("tp", "pred", "gold")):
                totals[k][i] += s[k][f]
        modality[0] += s["modality"][0]
        modality[1] += s["modality"][1]
    out = {k: _prf(*v) for k, v in totals.items()}
    out["modality_accuracy"] = round(modality[0] / modality[1], 4) if modality[1] else 0.0
    out["documents"] = docs
    return out


def format_report(report: dict) -> str:
    lines = []
    for k in ("entities", "relations", "events", "quantities"):
        s = report[k]
        lines.append(f"{k:<11} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
                     f"  (tp {s['tp']}, pred {s['pred']}, gold {s['gold']})")
    lines.append(f"modality accuracy over matched relations: {report['modality_accuracy']:.3f}")
    return "\n".join(lines)
