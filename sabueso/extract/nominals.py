"""Unnamed but specific actors: "state security forces", "the Peruvian government",
"a military convoy", "la policía estatal". They become entities only when a fact uses them."""
from __future__ import annotations

from collections import Counter

from .entities import LocalEntity
from .lexicon import Lexicon

GOV_ROOTS = {"forces", "force", "police", "government", "officials", "army", "military",
             "convoy", "guard", "authorities", "policía", "gobierno", "ejército", "fuerzas",
             "militares", "funcionarios"}
MODIFIERS_NEEDED = {"forces", "force", "officials", "convoy", "authorities", "funcionarios", "militares"}
SKIP_MODS = {"the", "a", "an", "its", "their", "his", "her", "some", "other", "more", "certain",
             "el", "la", "los", "las", "su", "sus", "this", "these", "those", "many", "several"}


def gov_nominals(doc, lex: Lexicon, ents: list[LocalEntity]) -> list[LocalEntity]:
    if not doc.has_annotation("DEP"):
        return []
    taken = {t for e in ents for s, x in e.spans for t in range(s, x)}
    clusters: dict[str, LocalEntity] = {}
    for chunk in doc.noun_chunks:
        root = chunk.root
        if root.lower_ not in GOV_ROOTS or root.i in taken:
            continue
        toks = [t for t in chunk if t.lower_ not in SKIP_MODS and not t.is_punct
                and t.dep_ != "poss" and t.lower_ not in ("’s", "'s")]
        if any(t.dep_ == "poss" and t.i in taken for t in chunk):
            # "Peru's government": keep the possessor as part of the name
            toks = [t for t in chunk if t.lower_ not in SKIP_MODS and not t.is_punct]
        if not toks or toks[-1] != root:
            continue
        if len(toks) == 1 and root.lower_ in MODIFIERS_NEEDED:
            continue
        if root.i + 1 < len(doc) and doc[root.i + 1].pos_ in ("NOUN",):
            continue
        name = doc[toks[0].i:root.i + 1].text
        key = " ".join(t.lower_ for t in toks[-2:]) if root.lower_ != "government" else "government"
        key = key.replace("’s", "").replace("'s", "")
        e = clusters.get(key)
        if e is None:
            e = clusters[key] = LocalEntity(idx=-1, type="GovernmentBody", names=Counter(), named=False)
        e.names[name] += 1
        e.spans.append((toks[0].i, root.i + 1))
    return list(clusters.values())
