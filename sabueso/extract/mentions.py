"""Find candidate name mentions in a parsed document.

Sources, combined: proper-name runs (capitalised tokens joined by name connectors), the
statistical NER, quoted names, parenthesised full names and acronyms, and domain patterns
("X prison", "state of X", "alias “X”", "a criminal group known as X", role titles).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .lexicon import CLOSE_QUOTES, NAME_CONNECTORS, OPEN_QUOTES, Lexicon
from .sentindex import sent_of

# labels of the English model and of our Spanish model (CoNLL: PER, ORG, LOC, MISC) that mark a name
NAME_LABELS = {"PERSON", "PER", "ORG", "GPE", "LOC", "FAC", "MISC"}
NER_TYPES = {"PERSON": "Person", "PER": "Person", "ORG": "Organization", "GPE": "Place",
             "LOC": "Place", "FAC": "Place"}
STOP_LEADS = {"the", "a", "an", "this", "that", "in", "on", "at", "after", "before", "during",
              "while", "but", "and", "for", "from", "since", "according", "despite", "however",
              "when", "as", "by", "with", "its", "his", "her", "their", "our", "mr", "mrs", "ms",
              "dr", "mr.", "mrs.", "ms.", "dr.", "sr.", "sra.", "don", "doña", "en", "según", "tras", "con", "para", "por", "desde", "durante", "aunque",
              "pero", "cuando", "un", "una", "su", "sus", "ni", "bajo", "hacia", "sobre",
              "entre", "mucho", "otra", "otro", "esa", "ese", "esta", "este", "algunas", "algunos",
              "of", "to", "into", "it", "they", "he", "she", "we", "police",
              "regional", "former", "late", "early", "el", "la", "los", "las"}
INSTITUTION_WORDS = {"navy", "army", "police", "ministry", "government", "guard", "forces", "force",
                     "office", "court", "congress", "senate", "service", "agency", "policía", "ejército",
                     "armada", "guardia", "fuerza", "fuerzas", "gobierno", "fiscalía", "ministerio",
                     "cuerpo", "servicio", "instituto", "dirección", "secretaría", "corps"}
POSSESSIVE_HEADS = {"office", "department", "ministry", "bureau", "service", "court", "police",
                    "army", "navy", "guard", "agency", "commission", "council"}
KEEP_ARTICLE_NAMES = {"los", "las", "el", "la"}
HYPHENS = {"-", "‑"}
#: Institution heads whose English name goes on after "of": 'Ministry of Security',
#: 'Office of the Attorney General', 'Department of Justice'.
OF_HEADS = {"ministry", "office", "department", "bureau", "secretariat", "directorate", "commission",
            "council", "institute", "court"}


@dataclass
class Cand:
    start: int                      # token offsets in the spaCy doc
    end: int
    type: str | None = None         # forced type from a pattern, else None
    labels: list[str] = field(default_factory=list)   # NER labels seen on it
    source: str = "run"             # run | ner | quote | paren | prison | alias
    place_kind: str | None = None
    alias_of: int | None = None     # index of the candidate this one is an alias of
    extra_aliases: list[str] = field(default_factory=list)
    role: str | None = None         # a role title directly before a person name
    role_start: int | None = None
    _text: tuple = field(default=(), repr=False, compare=False)   # (start, end, text) last read

    def text(self, doc) -> str:
        """The candidate's text (kept while its span is unchanged: rules read it often)."""
        if self._text[:2] != (self.start, self.end):
            self._text = (self.start, self.end, doc[self.start:self.end].text)
        return self._text[2]


def _is_cap(tok) -> bool:
    t = tok.text
    return bool(t) and (t[0].isupper() or (t[0].isdigit() and len(t) <= 4)) and any(c.isalnum() for c in t)


#: Words that make a compound adjective of a name ('Kingston-based', 'state-run'), not a name.
ADJECTIVE_SUFFIXES = {"based", "born", "run", "style", "era", "made", "led", "backed", "linked",
                      "owned", "type", "like", "wide", "bound", "area", "level", "born"}


def _name_suffix(tok) -> bool:
    """A short lower-case word hyphened to a capitalised one that ends the name: the suffixes
    of some naming traditions ('-kai', '-gumi'), not a compound adjective ('-based', '-led')."""
    w = tok.lower_
    return (tok.is_alpha and tok.is_lower and 2 <= len(w) <= 6 and w not in ADJECTIVE_SUFFIXES
            and not w.endswith(("ed", "ing", "en")))


def _numbered_name(toks, j: int, lex: Lexicon) -> bool:
    """A short number right after a capitalised word belongs to the name ('Barrio 27'), unless
    the word is a month ('June 18') or the number counts the next noun ('Rosario 287 homicidios')."""
    num, prev = toks[j], toks[j - 1]
    if not (num.text.isdigit() and len(num.text) <= 3) or prev.lower_ in lex.months or prev.is_punct \
            or prev.is_lower:           # 'la corte de San Antonio de 15 cargos'
        return False
    if prev.ent_type_ == "DATE" or num.ent_type_ in ("DATE", "TIME"):
        return False
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    return nxt is None or not (nxt.is_alpha and nxt.is_lower and nxt.pos_ in ("NOUN", "ADJ", "NUM"))


def name_runs(doc, lex: Lexicon) -> list[Cand]:
    """Maximal runs of capitalised tokens, allowing lower-case connectors inside."""
    runs: list[Cand] = []
    toks = list(doc)            # Token objects made once, not at every index
    i, n = 0, len(toks)
    while i < n:
        tok = toks[i]
        if not (_is_cap(tok) and not tok.text[0].isdigit()):
            i += 1
            continue
        j = i + 1
        while j < n:
            t = toks[j]
            if _is_cap(t) and t.text not in CLOSE_QUOTES and not t.text[0].isdigit():
                j += 1
                continue
            if t.text in HYPHENS and not toks[j - 1].whitespace_ and not t.whitespace_:
                # a hyphenated name ('Port-au-Prince', 'Croix-des-Bouquets', 'G-Ejemplo')
                k = j + 1
                while k + 1 < n and toks[k].is_lower and len(toks[k]) <= 3 and not toks[k].whitespace_ \
                        and toks[k + 1].text in HYPHENS and not toks[k + 1].whitespace_:
                    k += 2
                if k < n and _is_cap(toks[k]):
                    j = k + 1
                    continue
                if k == j + 1 and k < n and _name_suffix(toks[k]):
                    j = k + 1       # a lower-case name suffix ('Ejemplo-kai', 'Muestra-gumi')
                break
            if t.lower_ in ("'s", "’s") and j + 1 < n and toks[j + 1].lower_ in POSSESSIVE_HEADS:
                j += 2          # "Public Prosecutor's Office"
                continue
            k = j       # connectors: 'Cartel de los Ejemplos', 'Los Chicos Locos del 9'
            while k < n and toks[k].lower_ in NAME_CONNECTORS and k - j < 3:
                k += 1
            if k == j and t.lower_ == "of" and toks[j - 1].lower_ in OF_HEADS:
                k = j + 1 + (j + 1 < n and toks[j + 1].lower_ == "the")   # 'Ministry of (the) Interior'
            if k > j and k < n and (_is_cap(toks[k]) and not toks[k].text[0].isdigit() or (
                    toks[k - 1].lower_ in ("del", "de") and toks[k].like_num)):
                j = k + 1
            else:
                break
        if j < n and _numbered_name(toks, j, lex):
            j += 1              # 'Barrio 27', 'Frente 12'
        s = i
        # a sentence-initial common noun is no name ('Analistas de X' -> 'X')
        while s + 1 < j and toks[s].is_sent_start and toks[s].pos_ == "NOUN" and not toks[s].ent_type_:
            s += 1
            while s < j and toks[s].lower_ in NAME_CONNECTORS:
                s += 1
        # strip leading numbers and function words ("By 2025 ...", "The", "In", "After")
        while s < j and (toks[s].like_num or toks[s].lower_ in STOP_LEADS and not (
                toks[s].lower_ in KEEP_ARTICLE_NAMES and s + 1 < j and
                (lex.lang == "es" or not toks[s].is_sent_start))):
            s += 1
        while j > s and toks[j - 1].lower_ in NAME_CONNECTORS:
            j -= 1
        # a demonym opens a name only for institutions ('Colombian Navy'), not for 'Colombian Juan Pérez'
        if s < j - 1 and toks[s].ent_type_ == "NORP" and toks[s].lower_.endswith(("an", "ese", "ish", "i")) and not any(
                t.lower_ in INSTITUTION_WORDS for t in toks[s + 1:j]):
            s += 1
        content = [t for t in toks[s:j] if t.lower_ not in NAME_CONNECTORS]
        if s < j and _headline(sent_of(doc, s)) and not any(t.ent_type_ for t in toks[s:j]):
            i = max(j, i + 1)
            continue
        if s < j and not all(t.pos_ in ("NOUN", "ADJ", "VERB", "NUM", "ADV", "PRON", "DET", "AUX",
                                         "ADP", "CCONJ", "SCONJ", "PART", "INTJ")
                                 and t.ent_type_ not in NAME_LABELS
                             for t in content):
            c = Cand(s, j)
            _split_role(doc, c, lex, runs)
        i = max(j, i + 1)
    return runs


def _headline(sent) -> bool:
    """A title-case line (a headline): its capitals say nothing about names (cached per doc)."""
    cache = sent.doc.user_data.setdefault("sabueso_headline", {})
    if sent.start not in cache:
        words = [t for t in sent if t.is_alpha and len(t) > 3]
        cache[sent.start] = not sent.text.rstrip().endswith((".", "”", '"', "»", "’", ":", ";")) and \
            len(words) >= 3 and sum(t.text[0].isupper() for t in words) / len(words) > 0.7
    return cache[sent.start]


def _split_role(doc, c: Cand, lex: Lexicon, out: list[Cand]) -> None:
    """'Prison Minister Ana Ejemplo' -> role + person; 'ACRONYM Commissioner X' -> body, role, X."""
    words = [t.lower_ for t in doc[c.start:c.end]]
    best = None
    for k in range(len(words)):
        m = lex.roles.match_at(words, k)
        if m and (best is None or m[0] > best[1] - best[0]):
            best = (k, k + m[0])
    if best is None or best[1] >= len(words) or words[best[1]] in ("'s", "’s") or \
            words[best[1]] in INSTITUTION_WORDS:
        out.append(c)          # 'Public Prosecutor's Office' is an institution, not a title
        return
    k0, k1 = best
    # extend the role leftwards over capitalised descriptor words ("Prison Minister")
    role_start = c.start + k0
    if k0 > 0 and doc[c.start + k0 - 1].pos_ != "PROPN" and doc[c.start + k0 - 1].ent_type_ not in ("ORG",):
        role_start = c.start
        k0 = 0
    if k0 > 0:
        out.append(Cand(c.start, c.start + k0))
    person = Cand(c.start + k1, c.end, type="Person", role=doc[role_start:c.start + k1].text,
                  role_start=role_start)
    out.append(person)


def quoted(doc, lex: Lexicon) -> list[Cand]:
    out = []
    n = len(doc)
    for i, tok in enumerate(doc):
        close = OPEN_QUOTES.get(tok.text)
        if close is None or tok.text in ("'", "’"):
            continue
        for j in range(i + 1, min(n, i + 9)):
            if doc[j].text == close or doc[j].text in CLOSE_QUOTES:
                inner_end = j
                while inner_end > i + 1 and doc[inner_end - 1].is_punct:
                    inner_end -= 1
                if inner_end > i + 1 and _is_cap(doc[i + 1]) and \
                        sum(1 for t in doc[i + 1:inner_end] if t.is_alpha) <= 6:
                    c = Cand(i + 1, inner_end, source="quote")
                    # “Chato” Pedro: the nickname continues after the closing quote
                    if j + 1 < n and _is_cap(doc[j + 1]) and doc[j + 1].pos_ == "PROPN" and \
                            doc[j + 1].lower_ not in STOP_LEADS:
                        c.extra_aliases.append(doc[i + 1:inner_end].text + " " + doc[j + 1].text)
                    out.append(c)
                break
            if doc[j].is_sent_start:
                break
    return out


def parenthesised(doc) -> list[tuple[Cand | None, Cand | None, int, int]]:
    """'(Long Name – ACR)' or '(ACR)': returns (long, acronym, open_index, close_index)."""
    out = []
    n = len(doc)
    for i, tok in enumerate(doc):
        if tok.text != "(":
            continue
        for j in range(i + 1, min(n, i + 25)):
            if doc[j].text == ")":
                inner = doc[i + 1:j]
                dash = [k for k, t in enumerate(inner) if t.text in ("—", "–", "-", "--", ";")]
                long_c = acr = None
                if dash:
                    k = dash[-1]
                    if k > 0 and _is_cap(inner[0]) and not inner[0].like_num:     # not '(2011-2016)'
                        long_c = Cand(i + 1, i + 1 + k, source="paren")
                    if k + 1 < len(inner) and inner[k + 1:].text.isupper():
                        acr = Cand(i + 2 + k, j, source="paren")
                elif len(inner) == 1 and inner.text.isupper() and len(inner.text) >= 2:
                    acr = Cand(i + 1, j, source="paren")
                elif _is_cap(inner[0]) and not inner[0].like_num if len(inner) else False:
                    long_c = Cand(i + 1, j, source="paren") if len(inner) <= 12 else None
                if long_c or acr:
                    out.append((long_c, acr, i, j))
                break
    return out
