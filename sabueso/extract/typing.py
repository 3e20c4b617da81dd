"""Decide the type of each candidate cluster and build the document's entities."""
from __future__ import annotations

from collections import Counter, defaultdict

from ..resolve.places import gazetteer
from .entities import MONTHS_SKIP, LocalEntity, _HEADS, _norm
from .lexicon import Lexicon
from .mentions import NER_TYPES, Cand

PRIORITY = ["Prison", "Place", "CriminalGroup", "GovernmentBody", "Organization", "Person"]


def _clean(text: str) -> str:
    text = text.strip(" ,.;:\"'“”«»‘’()")
    for suffix in ("’s", "'s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


def demonym_country(word: str) -> str | None:
    gaz = gazetteer()
    w = word.strip()
    for cand in (w[:-1], w[:-2], w[:-3], w[:-3] + "o", w[:-2] + "a", w[:-1] + "a", w[:-3] + "a",
                 w[:-4] + "a", w):
        if len(cand) > 3:
            p = gaz.is_country(cand)
            if p:
                return p.country
    return None


def country_context(doc, names: list[str]) -> Counter:
    gaz = gazetteer()
    counts: Counter = Counter()
    for n in names:
        p = gaz.is_country(n)
        if p:
            counts[p.country] += 2
    for ent in doc.ents:
        if ent.label_ == "NORP":
            iso = demonym_country(ent.text)
            if iso:
                counts[iso] += 1
    return counts


def _name_type(text: str, lex: Lexicon) -> str | None:
    words = text.split()
    lw = [w.lower() for w in words]
    if len(words) > 1 and lw[0] in lex.type_heads["Prison"]:
        return "Prison"          # 'Penitenciaría del Litoral', 'Cárcel Nacional de X'
    if words and words[0] in lex.group_name_heads and len(words) > 1 and not gazetteer().lookup(text):
        return "CriminalGroup"
    for typ in ("GovernmentBody", "Organization", "CriminalGroup"):
        heads = _HEADS.get(typ, set())
        if any(w in heads for w in lw) and not (typ == "CriminalGroup" and len(words) == 1):
            if typ == "CriminalGroup" and not any(w in ("cartel", "cártel", "gang", "clan", "mafia",
                                                        "banda", "pandilla", "megabanda", "mara", "syndicate")
                                                  for w in lw):
                continue
            return typ
    return None


def assign_types(doc, lex: Lexicon, cands: list[Cand], uf) -> tuple[list[LocalEntity], list[Cand]]:
    gaz = gazetteer()
    groups: dict[int, list[int]] = defaultdict(list)
    for k in range(len(cands)):
        groups[uf.find(k)].append(k)
    texts = {k: _clean(c.text(doc)) for k, c in enumerate(cands)}
    ctx = country_context(doc, list(texts.values()))
    person_tokens = {w.lower() for k, c in enumerate(cands)
                     if "PERSON" in c.labels or c.role or c.type == "Person"
                     for w in texts[k].split()[1:]}
    ents: list[LocalEntity] = []
    for root, members in groups.items():
        mem = [cands[k] for k in members]
        primary = [k for k in members if cands[k].alias_of is None] or members
        names = [texts[k] for k in primary if texts[k]]
        if not names:
            continue
        forced = [c.type for c in mem if c.type]
        typ = None
        if forced:
            typ = min(forced, key=PRIORITY.index)
        if any(c.role for c in mem):
            typ = typ or "Person"
        if typ is None:
            for n in names:
                typ = typ or _name_type(n, lex)
        labels = Counter(NER_TYPES[l] for k in primary for l in cands[k].labels if l in NER_TYPES)
        if labels.get("Person") and any(c.alias_of is not None for c in mem) and not forced:
            typ = typ or "Person"
        multi_person = labels.get("Person", 0) and any(len(n.split()) >= 2 for n in names)
        place = None
        if typ is None or typ == "Place":
            for n in names:
                if n.lower() in MONTHS_SKIP:
                    continue
                place = gaz.lookup(n, ctx, next((c.place_kind for c in mem if c.place_kind), None))
                if place:
                    break
            if place and (not multi_person or place.kind in ("country", "state")):
                typ = typ or "Place"          # 'Alta Verapaz' is a state even if NER says person
        if typ is None and labels:
            typ = labels.most_common(1)[0][0]
        if typ is None and any(c.alias_of is not None for c in mem):
            typ = "Person"
        if typ is None and any(_person_like(doc, c, texts[k], person_tokens) for k, c in zip(members, mem)):
            typ = "Person"
        if typ in (None, "Organization") and not forced and any(_after_role(doc, c, lex) for c in mem):
            typ = "Person"                    # 'el presidente X', 'the mayor X' (lower-case title)
        if not forced and typ != "Place" and any(_placed_within(doc, c, lex) for c in mem):
            typ = "Place"                     # 'minas en X, en la provincia de Y'
        if typ is None or all(n.lower() in MONTHS_SKIP for n in names):
            continue
        e = LocalEntity(idx=len(ents), type=typ,
                        evidence="pattern" if forced or any(c.role for c in mem) else
                        "gazetteer" if place is not None and typ == "Place" else "ner")
        for k in members:
            c = cands[k]
            (e.names if c.alias_of is None else Counter()).update([texts[k]] if texts[k] else [])
            if c.alias_of is not None and texts[k]:
                e.aliases.append(texts[k])
            e.aliases.extend(_clean(a) for a in c.extra_aliases)
            e.spans.append((c.start, c.end))
            if c.role:
                e.roles.append((c.role, c.role_start))
        if not e.names:
            e.names.update(e.aliases[:1])
        if typ in ("Place", "Prison"):
            e.place_kind = next((c.place_kind for c in mem if c.place_kind), None)
            if typ == "Prison":
                e.place_kind = "prison"
            if place is None:
                place = gaz.lookup(e.name, ctx, e.place_kind)
            if place and (place.kind == "country" or e.place_kind in (None, place.kind)
                          or (e.place_kind == "municipality" and place.kind == "city")):
                e.place_kind = place.kind if place.kind == "country" else (e.place_kind or place.kind)
                e.country = place.country
            elif ctx:
                e.country = ctx.most_common(1)[0][0]
        ents.append(e)
    ents = _merge_partial_persons(ents)
    ents.sort(key=lambda e: min(s for s, _ in e.spans))
    for i, e in enumerate(ents):
        e.idx = i
    return ents, cands


KIN_ROLE_NOUNS = {"brother", "sister", "son", "daughter", "father", "mother", "wife", "husband",
                  "cousin", "nephew", "uncle", "partner", "lieutenant", "deputy", "hermano", "hermana",
                  "hijo", "hija", "padre", "madre", "esposa", "esposo", "primo", "sobrino", "pareja"}


def _person_like(doc, c: Cand, text: str, person_tokens: set[str]) -> bool:
    """An untyped 2-4 word proper name that shares a surname with a known person, or stands in
    apposition to a kinship or role noun ('his brother, Nery Ejemplo')."""
    words = text.split()
    if not 2 <= len(words) <= 4 or not all(t.pos_ == "PROPN" or t.text[:1].isupper() for t in doc[c.start:c.end]):
        return False
    if words[-1].lower() in person_tokens:
        return True
    prev = [t.lower_ for t in doc[max(0, c.start - 2):c.start]]
    return len(prev) == 2 and prev[1] == "," and prev[0] in KIN_ROLE_NOUNS


def _after_role(doc, c: Cand, lex: Lexicon) -> bool:
    """A lower-case role title ends right before the name ('del presidente Nayib X')."""
    if c.end - c.start > 4 or not doc[c.start].text[:1].isupper():
        return False
    words = [t.lower_ for t in doc[max(0, c.start - 3):c.start]]
    return any(doc[c.start - len(words) + k].text.islower() and
               (lex.roles.match_at(words, k) or (0,))[0] == len(words) - k for k in range(len(words)))


LOCATIVE = {"en", "in", "near", "cerca"}


def _placed_within(doc, c: Cand, lex: Lexicon) -> bool:
    """'en X, en la provincia de Y' / 'in X, in the province of Y': a located name."""
    if c.start == 0 or doc[c.start - 1].lower_ not in LOCATIVE or c.end + 2 >= len(doc):
        return False
    nxt = [t.lower_ for t in doc[c.end:c.end + 4]]
    if nxt[0] != "," or nxt[1] not in LOCATIVE:
        return False
    rest = nxt[2:]
    if rest and rest[0] in ("la", "el", "the", "los", "las"):
        rest = rest[1:]
    return bool(rest) and rest[0] in lex.place_kind_cues


BODIES = {"GovernmentBody", "Organization"}


def _merge_partial_persons(ents: list[LocalEntity]) -> list[LocalEntity]:
    """'El Ejemplo' or 'Ejemplo' alone joins the one longer person or group name that contains
    it; 'Navy' joins 'Colombian Navy' when that is the only body whose name contains it."""
    named = [e for e in ents if e.type in ("Person", "CriminalGroup", "GovernmentBody", "Organization")]
    full = {e.idx: [n.lower().split() for n in [*e.names, *e.aliases]] for e in named}
    out = []
    for e in ents:
        short_person = e.type == "Person" and len(e.name.split()) == 1    # 'Prime Minister Henry'
        if len(e.names) != 1 or (e.evidence == "pattern" and not short_person) or (
                e.type == "Place" and e.place_kind not in (None, "state", "city")):
            out.append(e)
            continue
        toks = e.name.lower().split()
        if e.type == "Place" and (e.country is not None and e.place_kind in ("country", "state")
                                  and len(toks) > 1):
            out.append(e)
            continue
        def may_host(p) -> bool:
            if e.evidence == "ner":           # typed by NER alone: may be a partial name of anything
                return True
            if e.type == "Place":             # a gazetteer place may still be a surname
                return p.type == "Person"
            return p.type == e.type or {p.type, e.type} <= BODIES
        hosts = [p for p in named if p is not e and may_host(p) and any(
            len(n) > len(toks) and any(n[i:i + len(toks)] == toks for i in range(len(n) - len(toks) + 1))
            for n in full[p.idx])]
        if len(hosts) == 1 and (e.type == "Person" or not any(s == 0 for s, _ in e.spans)):
            h = hosts[0]
            h.aliases.append(e.name)
            h.spans.extend(e.spans)
            h.roles.extend(e.roles)
            continue
        out.append(e)
    return out
