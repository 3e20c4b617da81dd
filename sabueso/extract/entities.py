"""Turn candidate mentions into typed, within-document entities.

Candidates are linked by alias cues ("X, alias “Y”"), parenthesised names and acronyms,
prison/place patterns and partial person names ("El Ejemplo" -> "Juan El Ejemplo");
each cluster is then typed from pattern evidence, name heads, the gazetteer and NER votes.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..resolve.places import gazetteer, key as place_key
from .lexicon import CLOSE_QUOTES, NAME_CONNECTORS, OPEN_QUOTES, Lexicon
from .sentindex import install, sent_of
from .mentions import (INSTITUTION_WORDS, NAME_LABELS, NER_TYPES, STOP_LEADS, Cand, name_runs,
                       parenthesised, quoted)

MONTHS_SKIP = {"january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december", "enero", "febrero", "marzo",
               "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
               "noviembre", "diciembre", "monday", "tuesday", "wednesday", "thursday", "friday",
               "saturday", "sunday", "source", "fuente"}


@dataclass
class LocalEntity:
    idx: int
    type: str
    names: Counter = field(default_factory=Counter)      # surface form -> count (non-alias)
    aliases: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)   # token spans of mentions
    place_kind: str | None = None
    country: str | None = None
    roles: list[tuple[str, int]] = field(default_factory=list)   # (role title, token index)
    named: bool = True            # False for nominal entities ("state security forces")
    evidence: str = "ner"         # what decided the type: pattern | gazetteer | name | ner

    @property
    def name(self) -> str:
        if self.type == "Person":
            return max(self.names, key=lambda n: (len(n.split()), self.names[n], len(n)))
        return max(self.names, key=lambda n: (self.names[n], len(n)))

    def all_aliases(self) -> list[str]:
        main = self.name
        seen, out = {main.casefold()}, []
        for a in [*self.names, *self.aliases]:
            if a.casefold() not in seen:
                seen.add(a.casefold())
                out.append(a)
        return out


class _UF:
    def __init__(self, n: int):
        self.p = list(range(n))

    def find(self, x: int) -> int:
        while self.p[x] != x:
            self.p[x] = self.p[self.p[x]]
            x = self.p[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[max(ra, rb)] = min(ra, rb)


def _overlaps(a: Cand, b: Cand) -> bool:
    return a.start < b.end and b.start < a.end


def _norm(text: str) -> str:
    words = place_key(text).replace("'s", "").replace("’s", "").split()
    while words and words[0] in ("the", "el", "la", "los", "las"):
        words = words[1:]
    return " ".join(w.strip(".,;:\"'“”«»") for w in words)


def collect_candidates(doc, lex: Lexicon) -> list[Cand]:
    cands = name_runs(doc, lex)
    for special in quoted(doc, lex):
        cands = [c for c in cands if not _overlaps(c, special)] + [special]
    parens = parenthesised(doc)
    for long_c, acr, i, j in parens:
        for c in (long_c, acr):
            if c:
                cands = [x for x in cands if not _overlaps(x, c)] + [c]
    for ent in doc.ents:
        if ent.label_ not in NER_TYPES:
            continue
        hit = False
        for c in cands:
            if c.start < ent.end and ent.start < c.end:
                c.labels.append(ent.label_)
                hit = True
        if not hit:
            s = ent.start
            while s < ent.end and doc[s].lower_ in STOP_LEADS:
                s += 1
            proper = all(t.text[:1].isupper() or t.lower_ in NAME_CONNECTORS or t.is_punct or t.like_num
                         for t in doc[s:ent.end])
            if s < ent.end and proper:
                cands.append(Cand(s, ent.end, labels=[ent.label_], source="ner"))
    cands.sort(key=lambda c: (c.start, -c.end))
    out: list[Cand] = []
    for c in cands:     # drop candidates nested in an earlier, longer one
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    _merge_and_names(doc, out)
    _link_parens(doc, out, parens)
    return _drop_headline_only(doc, out)


OPERATION_WORDS = {"operation", "operación", "operativo", "operação", "operazione", "opération"}


def _operation_name(doc, c: Cand) -> bool:
    """'Operation Ejemplo', 'la operación Gran Ejemplo': the code name of a police or military
    operation is no actor, place or body."""
    first = doc[c.start].lower_
    prev = doc[c.start - 1].lower_ if c.start > 0 else ""
    return first in OPERATION_WORDS or prev in OPERATION_WORDS or (
        prev in ("de", "del") and c.start > 1 and doc[c.start - 2].lower_ in OPERATION_WORDS
        and doc[c.start - 2].text[:1].isupper())


def _drop_headline_only(doc, cands: list[Cand]) -> list[Cand]:
    """A name seen only in a title-case headline is not trusted ('Cattle, Cocaine and ...'),
    nor an operation's code name."""
    from .mentions import _headline
    seen = [(c, _norm(c.text(doc)), _headline(sent_of(doc, c.start))) for c in cands]
    body = {n for _, n, head in seen if not head}
    body_words = {w for n in body for w in n.split()}
    keep = [k for k, (c, n, head) in enumerate(seen)
            if (not head or n in body or all(w in body_words for w in n.split()))
            and not _operation_name(doc, c)]
    # alias_of is an index into the list: renumber it for the shorter list (a stale index
    # pointed past its end, or at the wrong candidate), and drop a link to a dropped candidate
    new_index = {old: new for new, old in enumerate(keep)}
    out = [cands[k] for k in keep]
    for c in out:
        if c.alias_of is not None:
            c.alias_of = new_index.get(c.alias_of)
    return out


def _merge_and_names(doc, cands: list[Cand]) -> None:
    gaz = gazetteer()
    i = 0
    while i + 2 < len(cands):       # 'Cuerpo de Investigaciones Científicas, Penales y Criminalísticas'
        a, b, c = cands[i], cands[i + 1], cands[i + 2]
        if doc[a.end].text == "," and b.start == a.end + 1 and b.end - b.start == 1 and \
                b.end < len(doc) and doc[b.end].lower_ in ("y", "and", "e") and c.start == b.end + 1 and \
                c.end - c.start == 1 and any(t.lower_ in INSTITUTION_WORDS for t in doc[a.start:a.end]):
            a.end = c.end
            del cands[i + 1:i + 3]
        else:
            i += 1
    i = 0
    while i + 1 < len(cands):
        a, b = cands[i], cands[i + 1]
        if b.start == a.end + 1 and doc[a.end].lower_ in ("and", "y", "&") and \
                gaz.is_country(doc[a.start:b.end].text):
            a.end, a.labels = b.end, a.labels + b.labels
            del cands[i + 1]
        else:
            i += 1


def _link_parens(doc, cands: list[Cand], parens) -> None:
    by_end = {c.end: k for k, c in enumerate(cands)}
    index = {id(c): k for k, c in enumerate(cands)}
    for long_c, acr, i, j in parens:
        head = by_end.get(i)
        if head is None and i > 0 and doc[i - 1].is_punct:
            head = by_end.get(i - 1)
        for c in (long_c, acr):
            if c is None or id(c) not in index:
                continue
            if head is not None and cands[head] is not c:
                c.alias_of = head
            elif c is acr and long_c is not None and id(long_c) in index:
                c.alias_of = index[id(long_c)]
        if head is None and long_c is not None and id(long_c) in index:
            # 'the country's investigation unit (Cuerpo de ... – CDI)': type from the nominal
            for t in reversed(doc[max(0, i - 4):i]):
                for typ, heads in _HEADS.items():
                    if t.lower_ in heads:
                        long_c.type = long_c.type or typ
                        break


_HEADS: dict[str, set[str]] = {}


def _set_heads(lex: Lexicon) -> None:
    _HEADS.clear()
    _HEADS.update({t: {h for h in hs if " " not in h} for t, hs in lex.type_heads.items()})
    _HEADS["GovernmentBody"] = _HEADS["GovernmentBody"] | {"unit", "agency"}


def apply_patterns(doc, lex: Lexicon, cands: list[Cand]) -> None:
    """Prison, place-kind, group-head and alias-cue patterns."""
    _set_heads(lex)
    words = [t.lower_ for t in doc]
    prison_heads = lex.type_heads["Prison"]
    for k, c in enumerate(cands):
        nxt = words[c.end] if c.end < len(words) else ""
        prev = words[c.start - 1] if c.start > 0 else ""
        prev2 = words[c.start - 2] if c.start > 1 else ""
        gap = c.end
        while gap < min(len(words), c.end + 3) and words[gap] not in prison_heads and \
                doc[gap].is_lower and (doc[gap].pos_ in ("ADJ", "NOUN", "PUNCT") or "-" in words[gap]):
            gap += 1
        if gap > c.end and gap < len(words) and words[gap] in prison_heads:
            nxt = words[gap]       # 'the X maximum-security prison'
        if nxt in prison_heads:
            c.type = "Prison"
            c.extra_aliases.append(doc[c.start:max(gap, c.end) + 1].text)
        elif prev in ("de", "of") and prev2 in prison_heads:
            c.type = "Prison"
            c.extra_aliases.append(doc[c.start - 2:c.end].text)
        elif prev in prison_heads:
            c.type = "Prison"
        propn = any(t.pos_ == "PROPN" or t.ent_type_ in NAME_LABELS
                    for t in doc[c.start:c.end]) and not doc[c.start].like_num
        kind = lex.place_kind_cues.get(nxt) if propn and nxt in ("state", "department", "province", "municipality") else None
        if prev in ("of", "de") and prev2:
            kind = kind or lex.place_kind_cues.get(prev2.rstrip("s")) or lex.place_kind_cues.get(prev2)
        elif prev in ("estado", "departamento", "municipio", "provincia", "ciudad"):
            kind = lex.place_kind_cues.get(prev)
        if kind and gazetteer().is_country(c.text(doc)):
            kind = None
        if kind and c.type != "Prison":
            c.type, c.place_kind = "Place", kind
            if nxt in ("state", "department", "province"):
                c.extra_aliases.append(doc[c.start:c.end + 1].text)
            # propagate along a list: 'the states of A, B, C and D'
            m = k + 1
            while m < len(cands) and doc[cands[m - 1].end:cands[m].start].text.strip() in (",", "and", "y", ", and"):
                cands[m].type, cands[m].place_kind = "Place", kind
                m += 1
        appo = _apposition_type(doc, c, words)
        if appo and c.type is None:
            c.type = appo
            if appo == "Place":        # ', a hillside settlement' -> its kind
                c.place_kind = next((lex.place_kind_cues[w] for w in words[c.end:c.end + 6]
                                     if w in lex.place_kind_cues), None)
        if nxt in _HEADS["CriminalGroup"] and propn and doc[c.start].ent_type_ != "NORP" and nxt not in ("group", "organization", "network", "line", "red"):
            c.type = c.type or "CriminalGroup"
    _alias_links(doc, lex, cands, words)


COPULAS = ("is", "was", "es", "era", "fue")
APPOSITION_DETS = {"a", "an", "the", "one", "un", "una", "el", "la", "otra", "otro"}
GROUP_APPOSITION = {"gang", "gangs", "cartel", "clan", "mafia", "militia", "faction", "cell",
                    "megabanda", "syndicate", "crew", "banda", "pandilla", "cártel", "facción",
                    "célula", "guerrilla", "group", "grupo", "organization", "organización"}


ROLE_NOUNS = {"leader", "leaders", "boss", "chief", "member", "members", "founder", "commander",
              "lieutenant", "hitman", "operative", "líder", "jefe", "miembro", "cabecilla", "sicario"}
PLACE_APPOSITION = {"town", "city", "village", "municipality", "port", "settlement", "neighborhood",
                    "neighbourhood", "district", "province", "region", "pueblo", "ciudad", "municipio",
                    "localidad", "caserío", "barrio", "comunidad", "puerto", "aldea"}


def _apposition_type(doc, c: Cand, words: list[str]) -> str | None:
    """'The Foos, a drug trafficking clan' / 'a rival gang, the Tren del Ejemplo' -> type."""
    n = len(words)
    before = " ".join(words[max(0, c.start - 5):c.start])
    if any(p in before for p in ("according to", "de acuerdo con", "según", "de acuerdo a")):
        return None          # a source introducing a clause, not an apposition
    # 'X, a drug trafficking clan' and the copula 'X is a yakuza syndicate' / 'X es una banda'
    if c.end + 1 < n and words[c.end] in ("," , *COPULAS) and words[c.end + 1] in APPOSITION_DETS:
        for k in range(c.end + 2, min(n, c.end + 7)):
            w = words[k]
            if w in (",", ".", ";", "(", "which", "that", "who", "que", "of", "de", "del", "for",
                     "para", "with", "con", "to"):
                break
            typ = _head_type(w)
            if typ:
                # 'X, the gang leader in ...': the noun modifies a role, X is a person;
                # 'X, the cartel is accused ...': a new clause, not an apposition
                if k + 1 < n and words[k + 1] in ROLE_NOUNS or doc[k].dep_ in ("nsubj", "nsubjpass"):
                    return None
                return typ
    if c.start >= 2 and words[c.start - 1] in ("del", "de", "of") and not gazetteer().lookup(c.text(doc)):
        for w in words[max(0, c.start - 4):c.start - 1]:
            if w in GROUP_APPOSITION - {"group", "grupo", "organization", "organización"}:
                return "CriminalGroup"        # 'la guerrilla colombiana del X', 'la banda de X'
    if c.start >= 2 and words[c.start - 1] in (",", "the", "el", "la", "los", "las"):
        k = c.start - 2 if words[c.start - 1] != "," else c.start - 2
        if words[c.start - 1] in ("the", "el", "la", "los", "las") and c.start >= 3 and words[c.start - 2] == ",":
            k = c.start - 3
        typ = _head_type(words[k]) if k >= 0 and words[c.start - 1] in (",",) or (
            k >= 0 and words[k + 1] == ",") else None
        if typ:
            return typ
    return None


def _head_type(word: str) -> str | None:
    if word in GROUP_APPOSITION:
        return "CriminalGroup"
    if word in PLACE_APPOSITION:
        return "Place"
    for typ in ("GovernmentBody", "Organization"):
        if word in _HEADS.get(typ, ()):
            return typ
    return None


def _quoted_nicknames(doc, cands: list[Cand]) -> None:
    """'Nery Ejemplo Ruiz, «El Flaco», ...': a quoted name set off by a comma right after a
    multi-word name is that name's nickname."""
    ends = {c.end: k for k, c in enumerate(cands)}
    for c in cands:
        if c.source != "quote" or c.alias_of is not None:
            continue
        i = c.start - 1
        while i >= 0 and doc[i].text in OPEN_QUOTES:
            i -= 1
        if i < 1 or doc[i].text != "," or i not in ends:
            continue
        k = ends[i]
        target = cands[k]
        if target is c or target.end - target.start < 2 or target.source == "quote":
            continue
        j = c.end
        while j < len(doc) and doc[j].text in CLOSE_QUOTES:
            j += 1
        if j < len(doc) and doc[j].text not in (",", ".", ";", ")", "—", "–", "y", "and"):
            continue          # 'X, "Y" is ...': not a set-off nickname
        c.alias_of = k


# cues that name groups and things as often as people: no hint that the target is a person
NAMING_CUES = {"called", "llamado", "llamada", "denominado", "denominada", "dubbed", "so-called",
               "autodenominado"}


def _alias_links(doc, lex: Lexicon, cands: list[Cand], words: list[str]) -> None:
    _quoted_nicknames(doc, cands)
    starts = {c.start: k for k, c in enumerate(cands)}
    for s, e, _ in lex.alias_cues.find(words):
        if words[s] in ("called", "llamado", "llamada") and s > 0 and words[s - 1] not in ("so", "so-called", ",", "also", "también"):
            continue
        after = None
        for t in range(e, min(e + 4, len(doc))):
            if t in starts:
                after = starts[t]
                break
            if not (doc[t].is_punct or words[t] in ("the", "el", "la", "los", "as")):
                break
        if after is None:
            continue
        target, nominal = None, None
        for t in range(s - 1, max(-1, s - 7), -1):
            hit = [k for k, c in enumerate(cands) if c.end == t + 1 and k != after]
            if hit:
                target = hit[0]
                break
            for typ, heads in _HEADS.items():
                if words[t] in heads:
                    nominal = typ
            if nominal:
                break
        alias = cands[after]
        if target is not None and not nominal:
            alias.alias_of = target
            t = cands[target]
            heads = {h for hs in _HEADS.values() for h in hs}
            if t.type is None and alias.source in ("quote", "run") and words[s] not in NAMING_CUES and (
                    words[s] == "alias" or (t.end - t.start >= 2 and "GPE" not in t.labels and
                                            not any(w in heads for w in words[t.start:t.end]))):
                t.type = "Person"
        elif nominal:
            alias.type = alias.type or nominal


def build_entities(doc, lex: Lexicon) -> tuple[list[LocalEntity], list[Cand]]:
    install(doc)        # O(1) sentence of a token, for these rules and for tok.sent elsewhere
    cands = collect_candidates(doc, lex)
    apply_patterns(doc, lex, cands)
    uf = _UF(len(cands))
    keys: dict[str, int] = {}
    for k, c in enumerate(cands):
        if c.alias_of is not None:
            uf.union(k, c.alias_of)
        for name in [c.text(doc), *c.extra_aliases]:
            n = _norm(name)
            if n in keys:
                uf.union(k, keys[n])
            else:
                keys[n] = k
    from .typing import assign_types
    return assign_types(doc, lex, cands, uf)
