"""Reviewers' judgements (``sabueso judgements export``) as weighted training examples.

Each judged claim's document is parsed by the rule layer, as a gold article is; the judged
claim is found again among the relation candidates of its sentence (same sentence, the same
relation type, a subject and object that share a name with the ones judged). Its label:

* rejected: the candidate is a negative example;
* confirmed: a positive one (and its modality a modality example);
* type corrected: the candidate of the original type is negative, the candidate of the
  corrected type in the same sentence positive;
* modality corrected: positive, and the corrected modality the modality example's label.

Each such example counts ``weight`` times (``JUDGEMENT_WEIGHT``, ``--judgement-weight``): one
reviewer's verdict on a sentence should outweigh the regularisation that keeps a single
example from moving a linear model. Merges and not-same judgements are read and counted but
teach the extractor nothing (entity resolution is rule-based).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..core import Document
from ..extract.learned import reset_state, type_entities
from ..extract.learned.candidates import relation_candidates
from ..extract.learned.modality import modality_features
from ..ontology import get_ontology
from .corpus import align

#: how many gold examples one judged claim counts for (see the module's docstring; chosen so
#: that a single judgement changes its own sentence's outcome, measured in README)
JUDGEMENT_WEIGHT = 20.0


class JudgementFileError(ValueError):
    """A judgements file that cannot be read (named with its line)."""


@dataclass
class JudgedDoc:
    id: str
    title: str
    text: str
    lang: str | None
    items: list[dict] = field(default_factory=list)
    state: object = None


@dataclass
class JudgedExamples:
    X: list = field(default_factory=list)
    y: list = field(default_factory=list)
    activity: list = field(default_factory=list)     # whether each example is an activity
    modality: list = field(default_factory=list)     # (features, modality label)
    used: int = 0          # judged claims that gave at least one example
    unmatched: int = 0     # judged claims not found among the candidates


def read_judgements(paths) -> tuple[list[JudgedDoc], dict]:
    """The judged claims of JSONL files, grouped by document; and counts of what was read."""
    docs: dict[str, JudgedDoc] = {}
    counts = {"claims": 0, "entity_pairs": 0}
    for path in map(Path, paths):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise JudgementFileError(f"{path}: cannot read the judgements file ({exc})") from None
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise JudgementFileError(f"{path}:{n}: not JSON ({exc.msg})") from None
            if not isinstance(item, dict) or item.get("kind") not in ("claim", "entity_pair"):
                raise JudgementFileError(f"{path}:{n}: not a judgement example "
                                         "(written by `sabueso judgements export`)")
            if item["kind"] == "entity_pair":
                counts["entity_pairs"] += 1
                continue
            try:
                d, label = item["document"], item["label"]
                key, text, start = d["id"], d["text"], int(item["start"])
                item["claim"]["type"], label["valid"]
            except (KeyError, TypeError, ValueError):
                raise JudgementFileError(f"{path}:{n}: a claim example without its document, "
                                         "offsets, claim or label") from None
            if not isinstance(text, str) or not 0 <= start <= len(text):
                raise JudgementFileError(f"{path}:{n}: offsets outside the document's text")
            doc = docs.setdefault(key, JudgedDoc(key, d.get("title") or key, text, d.get("lang")))
            doc.items.append(item)
            counts["claims"] += 1
    return list(docs.values()), counts


def parse_judged(docs: list[JudgedDoc], progress=None) -> list[JudgedDoc]:
    """Run the rule layer once per judged document (as :func:`.corpus.parse` does for gold)."""
    from ..extract.pipeline import rule_pass
    from ..nlp import get_nlp
    from ..nlp.langid import detect_language
    for d in docs:
        if d.state is None:
            d.lang = d.lang or detect_language(d.text)
            document = Document(text=d.text, title=d.title, lang=d.lang)
            d.state = rule_pass(document, get_nlp(d.lang)(d.text))
        if progress:
            progress(d)
    return docs


def _pseudo_gold(item: dict) -> dict:
    ents = []
    for gid in ("s", "o"):
        side = item.get("subject" if gid == "s" else "object")
        if side and (side.get("names") or side.get("name")):
            names = [n for n in [side.get("name"), *(side.get("names") or [])] if n]
            ents.append({"id": gid, "type": side.get("type"), "name": names[0],
                         "aliases": names[1:]})
    return {"entities": ents}


def _matches(c, al: dict, item: dict, rtype: str, symmetric: set) -> bool:
    if c.rtype != rtype:
        return False
    s = al.get(c.subj)
    if rtype == "ACTIVITY":
        value = item["claim"].get("object_value")
        return s == "s" and value is not None and c.obj == value
    o = al.get(c.obj)
    return (s, o) == ("s", "o") or (rtype in symmetric and (s, o) == ("o", "s"))


def judged_examples(docs: list[JudgedDoc], typer) -> JudgedExamples:
    """The weighted examples of the judged claims (weights applied by the caller)."""
    out = JudgedExamples()
    symmetric = get_ontology().symmetric
    for d in docs:
        st = d.state
        reset_state(st)
        if typer is not None:
            type_entities(st, typer)
        cands = relation_candidates(st)
        for item in d.items:
            label, original = item["label"], item["claim"]["type"]
            sent = st.sentence_of_char(int(item["start"]))
            al = align(st, _pseudo_gold(item))
            here = [c for c in cands if c.sent == sent]
            wanted = {original: bool(label["valid"]) and label.get("type", original) == original}
            if label["valid"] and label.get("type") and label["type"] != original:
                wanted[label["type"]] = True
            found = False
            for rtype, positive in wanted.items():
                for c in (c for c in here if _matches(c, al, item, rtype, symmetric)):
                    found = True
                    out.X.append(c.feats)
                    out.y.append(int(positive))
                    out.activity.append(c.rtype == "ACTIVITY")
                    if positive:
                        sv = st.views[c.sent]
                        rule_mod = c.rule.modality if c.rule is not None else \
                            sv.mod.find(sv.sent, c.anchors).modality
                        out.modality.append((modality_features(st, sv, c.anchors, c.rtype, rule_mod),
                                             label.get("modality") or "asserted"))
            out.used += found
            out.unmatched += not found
    return out
