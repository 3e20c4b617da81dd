"""Per-sentence view of entity mentions, with within-document anaphora resolved.

Names come from the entity builder; nominal references ("the group", "this gang",
"la banda") resolve to the most recent criminal group, pronouns ("he", "his") to the most
recent person, and "its" to the most recent group.
"""
from __future__ import annotations

from dataclasses import dataclass

from .entities import LocalEntity
from .lexicon import Lexicon
from .sentindex import install, sent_of

ORG_NOMINALS = {"organization", "organisation", "organización", "institution", "institución",
                "foundation", "fundación"}
NOMINAL_GROUP = {"en": {"group", "gang", "megabanda", "cell",
                        "faction", "cartel", "network", "syndicate", "band"},
                 "es": {"banda", "grupo", "megabanda", "célula", "facción", "red",
                        "estructura", "pandilla", "cártel", "cartel"}}
# "the gang leader", "the group members": the noun modifies another, it refers to no group
COMPOUND_HEADS = {"leader", "leaders", "member", "members", "boss", "bosses", "chief", "war", "wars",
                  "violence", "territory", "rivalry", "structure", "líder", "jefe", "miembros"}
PRISON_NOMINALS = {"prison", "jail", "facility", "penitentiary", "cárcel", "penal", "prisión", "centro"}
PLACE_NOMINALS = {"sector", "community", "area", "neighborhood", "neighbourhood", "town", "city",
                  "district", "enclave", "comunidad", "barrio", "ciudad", "zona", "localidad", "pueblo"}
INTRODUCERS = {"known", "called", "so-called", "dubbed", "named", "conocida", "conocido", "llamada",
               "denominada", "autodenominada"}
ES_GROUP_ROLE_NOUNS = {"creador", "fundador", "fundadores", "jefe", "líder", "cabecilla", "cabecillas",
                       "lugarteniente", "lugartenientes", "miembros", "integrantes", "mando", "segundo",
                       "centro", "base", "sede", "brazo", "jefes", "líderes"}
#: Words that may stand between a nominal and the name it introduces ("the gang, known as X").
NAMING_WORDS = {"known", "as", "called", "named", "the", "so", "-", "alias", "conocida", "conocido",
                "como", "denominada", "llamada"}
DEMONSTRATIVES = {"this", "that", "these", "those", "este", "esta", "ese", "esa", "dicha", "dicho"}
DESCRIPTIVE_DEPS = {"relcl", "acl", "appos"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "agent"}


@dataclass
class SM:
    """A mention of entity ``ent`` in a sentence (token offsets in the doc)."""
    ent: int
    start: int
    end: int
    kind: str = "name"      # name | nominal | pronoun


class DocContext:
    def __init__(self, doc, lex: Lexicon, ents: list[LocalEntity]):
        self.doc, self.lex, self.ents = doc, lex, ents
        self.has_parse = doc.has_annotation("DEP")
        install(doc)                # O(1) sentence of a token (also for tok.sent elsewhere)
        spans = sorted((s, e, ent.idx) for ent in ents for s, e in ent.spans)
        self.tok_ent: dict[int, int] = {}
        for s, e, idx in spans:
            for t in range(s, e):
                self.tok_ent[t] = idx
        self.mentions: list[SM] = [SM(idx, s, e) for s, e, idx in spans]
        self.role_words = self._role_words(spans)
        self._anaphora(spans)
        self.mentions.sort(key=lambda m: m.start)
        self.leaders: dict[int, int] = {}     # filled by the relation rules as they find leaders

    def _anaphora(self, spans) -> None:
        doc, lex = self.doc, self.lex
        nominal = NOMINAL_GROUP.get(lex.lang, NOMINAL_GROUP["en"])
        last: dict[str, int] = {}
        last_pos: dict[str, int] = {}
        counts: dict[int, int] = {}
        last_subject: dict[str, bool] = {}
        intro: list = [None]
        starts = {s: (e, idx) for s, e, idx in spans}
        covered = {k for s, e, _ in spans for k in range(s, e)}
        i = 0
        while i < len(doc):
            if i in starts:
                e, idx = starts[i]
                typ = self.ents[idx].type
                last[typ], last_pos[typ] = idx, i
                if typ == "CriminalGroup" and any(t.lower_ in INTRODUCERS for t in doc[max(0, i - 3):i]):
                    intro[0] = (idx, i)          # 'the cell, known as X': X is the new topic
                counts[idx] = counts.get(idx, 0) + 1
                last_subject[typ] = self.is_subject(SM(idx, i, e), sent_of(doc, i))
                i = e
                continue
            tok = doc[i]
            low = tok.lower_
            nxt = doc[i + 1] if i + 1 < len(doc) else None

            def named_next() -> bool:
                """A name follows within five tokens, only naming words between ('the
                gang, known as X')."""
                stop = min(len(doc), i + 6)
                return any(k in starts for k in range(i + 1, stop)) and all(
                    t.is_punct or t.lower_ in NAMING_WORDS for t in doc[i + 1:stop] if t.i not in covered)

            def group_ref() -> int:
                ref = pick_group()
                counts[ref] = counts.get(ref, 0) + 1      # a reference keeps a group salient
                return ref

            def pick_group() -> int:
                if i > 0 and doc[i - 1].lower_ in DEMONSTRATIVES:
                    return last["CriminalGroup"]     # 'this gang': the one just named
                if intro[0] is not None and sent_of(doc, intro[0][1]).start >= sent_of(doc, i).start - 80 \
                        and sent_of(doc, intro[0][1]).end >= sent_of(doc, i).start - 1:
                    return intro[0][0]               # introduced in this or the last sentence
                named = [k for k in counts if self.ents[k].type == "CriminalGroup"
                         and low in self.ents[k].name.lower().split()]
                if named:                            # 'the cartel' -> the group named '... Cartel'
                    return max(named, key=lambda k: counts[k])
                return self._group_referent(last, last_pos, last_subject, counts, i)
            if low in nominal and i > 0 and doc[i - 1].lower_ in lex.determiners and not named_next() and \
                    "CriminalGroup" in last and not (nxt is not None and nxt.lower_ in COMPOUND_HEADS):
                self.mentions.append(SM(group_ref(), i - 1, i + 1, "nominal"))
            elif low in ORG_NOMINALS and i > 0 and doc[i - 1].lower_ in lex.determiners and not named_next() \
                    and ("Organization" in last or "CriminalGroup" in last):
                typ = max(("Organization", "CriminalGroup"), key=lambda t: last_pos.get(t, -1))
                ref = group_ref() if typ == "CriminalGroup" else last[typ]
                self.mentions.append(SM(ref, i - 1, i + 1, "nominal"))
            elif i > 0 and doc[i - 1].lower_ in lex.determiners and not named_next() and \
                    not (nxt is not None and nxt.text[:1].isupper()) and \
                    self._role_referent(low, i) is not None:
                self.mentions.append(SM(self._role_referent(low, i), i - 1, i + 1, "nominal"))
            elif low in PRISON_NOMINALS and i > 0 and doc[i - 1].lower_ in lex.determiners | DEMONSTRATIVES \
                    and "Prison" in last and not named_next():
                self.mentions.append(SM(last["Prison"], i - 1, i + 1, "nominal"))
            elif low in PLACE_NOMINALS and i > 0 and doc[i - 1].lower_ in DEMONSTRATIVES and "Place" in last:
                self.mentions.append(SM(self._place_referent(low, i, last["Place"]), i - 1, i + 1, "nominal"))
            elif low == "it" and lex.lang == "en" and "CriminalGroup" in last and tok.dep_ == "nsubj" \
                    and nxt is not None and nxt.lemma_ not in ("be", "'s", "’s", "seem") \
                    and last_pos["CriminalGroup"] >= sent_of(doc, i).start - 80:
                self.mentions.append(SM(group_ref(), i, i + 1, "pronoun"))
            elif low in ("su", "sus") and nxt is not None and nxt.lower_ in ES_GROUP_ROLE_NOUNS \
                    and "CriminalGroup" in last:
                self.mentions.append(SM(group_ref(), i, i + 1, "pronoun"))   # 'su jefe', 'sus integrantes'
            elif low in lex.pronouns and lex.pronouns[low] in last:
                typ = lex.pronouns[low]
                ref = group_ref() if typ == "CriminalGroup" else last[typ]
                self.mentions.append(SM(ref, i, i + 1, "pronoun"))
            i += 1

    def implicit_subject(self, i: int) -> "SM | None":
        """Spanish drops subjects ('Desde 2015 se disputan con X'): the group the text is about
        at token i — the latest group that was a sentence subject, else the most named one."""
        groups = [m for m in self.mentions if m.start < i and self.ents[m.ent].type == "CriminalGroup"]
        if not groups:
            return None
        sent_start = sent_of(self.doc, i).start
        for m in reversed(groups):
            if m.start < sent_start and self.is_subject(m, sent_of(self.doc, m.start)):
                return SM(m.ent, i, i, "implicit")
        counts: dict[int, int] = {}
        for m in groups:
            counts[m.ent] = counts.get(m.ent, 0) + 1
        return SM(max(counts, key=counts.get), i, i, "implicit")

    def _role_words(self, spans) -> dict[int, set[str]]:
        """Role nouns known for each person: 'Mayor X', 'X, the mayor of Y'."""
        doc, lex = self.doc, self.lex
        words = [t.lower_ for t in doc]
        out: dict[int, set[str]] = {}
        for e in self.ents:
            for role, _ in e.roles:
                out.setdefault(e.idx, set()).add(role.lower().split()[-1])
        ends = {x: idx for s, x, idx in spans}
        for s, e, _ in lex.roles.find(words):
            for k in range(max(0, s - 3), s + 1):
                if k in ends and self.ents[ends[k]].type == "Person" and \
                        all(t.is_punct or t.lower_ in lex.determiners or t.lower_ in ("former", "then")
                            for t in doc[k:s]):
                    out.setdefault(ends[k], set()).add(words[e - 1])
        return out

    def _role_referent(self, word: str, i: int) -> int | None:
        best = None
        for m in self.mentions:
            if m.start >= i:
                break
            if m.kind == "name" and word in self.role_words.get(m.ent, ()):
                best = m.ent
        return best

    def _place_referent(self, word: str, i: int, fallback: int) -> int:
        """'this sector' -> the latest neighbourhood-like place; 'this city' -> the latest city."""
        kinds = {"town": ("city", "municipality"), "city": ("city", "municipality"),
                 "ciudad": ("city", "municipality"), "pueblo": ("city", "municipality")}.get(
            word, ("neighborhood",))
        for m in sorted(self.mentions, key=lambda m: -m.start):
            e = self.ents[m.ent]
            if m.start < i and m.kind == "name" and e.type == "Place" and e.place_kind in kinds:
                return m.ent
        return fallback

    def _group_referent(self, last, last_pos, last_subject, counts, i: int) -> int:
        """'the group' is the latest group when it was just named (same sentence, or subject of
        the previous one); otherwise the group the article has named most so far."""
        recent = last["CriminalGroup"]
        sent = sent_of(self.doc, i)
        pos = last_pos["CriminalGroup"]
        if pos >= sent.start or (last_subject.get("CriminalGroup") and pos >= sent.start - 60 and
                                 sent_of(self.doc, pos).end >= sent.start - 1):
            return recent
        groups = [k for k in counts if self.ents[k].type == "CriminalGroup"]
        best = max(groups, key=lambda k: counts[k])
        return recent if counts[recent] == counts[best] else best

    # -- sentence helpers -------------------------------------------------------------------
    def in_span(self, start: int, end: int) -> list[SM]:
        return [m for m in self.mentions if m.start >= start and m.end <= end]

    def etype(self, m: SM) -> str:
        return self.ents[m.ent].type

    def is_subject(self, m: SM, sent) -> bool:
        if not self.has_parse:
            return False
        tok = self.doc[m.end - 1]
        for t in [tok, *tok.ancestors]:
            if t.dep_ in SUBJECT_DEPS:
                return True
            if t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT":
                return False
        return False

    def clause_head(self, i: int):
        """The verb heading the clause of token i (or the sentence root)."""
        tok = self.doc[i]
        if not self.has_parse:
            return sent_of(self.doc, i).root
        for t in [tok, *tok.ancestors]:
            if t.pos_ in ("VERB", "AUX") and t.dep_ != "aux":
                return t
        return sent_of(self.doc, i).root

    def dominates(self, head, i: int) -> bool:
        tok = self.doc[i]
        return tok == head or head in tok.ancestors

    def governs_clause(self, head, i: int) -> bool:
        """Token i sits in ``head``'s clause or a clause below it, not in a clause coordinated
        with it ('X said A, but B': B is not under 'said')."""
        tok = self.doc[i]
        if tok == head:
            return True
        descriptive = False
        while tok.head != tok:
            if tok.dep_ in DESCRIPTIVE_DEPS and not any(c.dep_ == "mark" for c in tok.children) and (
                    tok.dep_ == "appos" or tok.head.i in self.tok_ent or tok.head.dep_ == "appos"):
                descriptive = True       # 'X, a gang that has turned Y into ...' describes X;
                #                          'no evidence that X ...' is a content clause, not this
            if tok.head == head:
                return tok.dep_ not in ("conj", "cc") and not descriptive
            tok = tok.head
        return False
