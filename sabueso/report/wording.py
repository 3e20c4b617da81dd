"""Plain words for how sure the text is of a fact, shared by ``show``, ``profile``, the web
pages and the exports' text fields.

A claim, event or figure is ``asserted`` (the text says it in its own voice), ``reported``
(the text attributes it: "according to prosecutors"), ``hedged`` ("may", "allegedly") or
``denied`` ("denied by his lawyers", "the text says it is not so"). A learned score below
:data:`LOW_CONFIDENCE` is marked "low confidence". Codes (``OPERATES_IN``,
``security_operation``) are named by :meth:`sabueso.ontology.Ontology.label`.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..ontology import get_ontology

#: A learned score below this is shown as "low confidence" (and hidden on request). The
#: scorers keep what passes their own thresholds, which are lower: a kept claim may still be
#: less likely right than wrong.
LOW_CONFIDENCE = 0.5
#: The words quoted after a denial cue, at most (a clause, never the article's sentence).
QUOTE_WORDS = 10
NOT_JUST = {"just", "only", "merely", "simply", "solo", "sólo", "solamente", "longer", "one",
            "official"}
UNSOURCED = "a source the text does not name"
#: Words that open a described source ('Its founders', 'Some analysts'): lower-cased mid-sentence.
OPENERS = {"the", "a", "an", "its", "his", "her", "their", "our", "some", "several", "many",
           "one", "two", "other", "local", "senior", "el", "la", "los", "las", "un", "una",
           "unos", "unas", "su", "sus", "algunos", "algunas", "varios", "varias"}
GAZETTEER = "from the place gazetteer, not from the text"


def label(code: str | None, lang: str = "en") -> str:
    """A relation type, event type, activity or entity type in plain words."""
    return get_ontology().label(code, lang)


def is_low(confidence: float | None, threshold: float | None = None) -> bool:
    """True for a learned score below ``threshold`` (default :data:`LOW_CONFIDENCE`); a fact
    the rules made alone (no score) is never low."""
    bar = LOW_CONFIDENCE if threshold is None else threshold
    return isinstance(confidence, (int, float)) and confidence < bar


def kept(confidence: float | None, min_confidence: float | None) -> bool:
    """Whether a fact with this score is shown when facts below ``min_confidence`` are hidden."""
    return min_confidence is None or not is_low(confidence, min_confidence)


def sources_text(attributed) -> str:
    """One or several sources as one phrase ('police sources and prosecutors'): parenthetical
    tails cut, generic heads lower-cased ('Police sources' -> 'police sources'); '' for none."""
    if not attributed:
        return ""
    words = get_ontology().modality["attribution"]
    generic = {*OPENERS, *words["en"]["source_heads"], *words["es"]["source_heads"]}
    out: list[str] = []
    for s in [attributed] if isinstance(attributed, str) else list(attributed):
        s = " ".join(str(s or "").split("(")[0].split()).strip(" ,;:")
        if s and s.split()[0].casefold() in generic:
            s = s[0].lower() + s[1:]
        if s and s not in out:
            out.append(s)
    return " and ".join(out)


def modality_words(modality: str | None, attributed=None) -> str:
    """A short tag: 'stated in the text', 'according to police', 'hedged: it may be so',
    'denied by his lawyers', 'the text says it is not so'."""
    who = sources_text(attributed)
    m = modality or "asserted"
    if m == "reported":
        return f"according to {who}" if who else f"reported by {UNSOURCED}"
    if m == "hedged":
        return f"hedged, according to {who}: it may be so" if who else "hedged: the text says it may be so"
    if m == "denied":
        return f"denied by {who}" if who else "the text says it is not so"
    return f"stated in the text, citing {who}" if who else "stated in the text"


def confidence_words(confidence: float | None, threshold: float | None = None) -> str:
    """'low confidence (0.31)' for a low score, else ''."""
    return f"low confidence ({confidence:.2f})" if is_low(confidence, threshold) else ""


@lru_cache(maxsize=1)
def _denial_pattern() -> re.Pattern:
    words = get_ontology().modality["denial"]
    cues = sorted({str(w).lower().replace("’", "'") for lang in ("en", "es") for w in words[lang]},
                  key=len, reverse=True)
    parts = [(r"(?<![\w'])" if c[0].isalnum() and not c.startswith("n'") else "")
             + re.escape(c) + r"(?![\w'])" for c in cues]
    return re.compile("|".join(parts), re.I)


def denial_clause(evidence: str | None) -> str | None:
    """The words of ``evidence`` that deny: the first denial cue and what follows it in its
    clause, at most :data:`QUOTE_WORDS` words ('denied that the gang still exists …')."""
    text = " ".join((evidence or "").split())
    for m in _denial_pattern().finditer(text.replace("’", "'")):     # same length: same offsets
        after = text[m.end():].split()
        if after and after[0].lower().strip(",.") in NOT_JUST:
            continue
        start = m.start()
        if m.group(0).lower() == "n't":            # "doesn't": quote the whole word
            start = text.rfind(" ", 0, start) + 1
        clause = re.split(r"[,;:.!?—–()\"“”]", text[m.end():], maxsplit=1)[0]
        words = clause.split()
        cut = len(words) > QUOTE_WORDS
        quote = (text[start:m.end()] + " " + " ".join(words[:QUOTE_WORDS])).strip()
        return quote + (" …" if cut else "")
    return None


def denies_itself(quote: str | None, event_type: str) -> bool:
    """Whether the quoted denial names the event itself (one of its cue words)."""
    if not quote:
        return False
    cues = get_ontology().events.get(event_type, {})
    text = f" {quote.lower()} "
    return any(f" {w} " in text for lang in ("en", "es") for w in cues.get(lang, ()))


def names_figure(quote: str | None, value: float) -> bool:
    """Whether the quoted denial holds the figure itself ('2,700', '2.700', 'five')."""
    if not quote:
        return False
    digits = re.sub(r"(?<=\d)[.,](?=\d{3})", "", quote)
    if float(value).is_integer() and re.search(rf"(?<!\d){int(value)}(?!\d)", digits):
        return True
    words = get_ontology().quantities.get("number_words", {})
    return any(n == value and re.search(rf"\b{re.escape(w)}\b", quote, re.I)
               for lang in words.values() for w, n in lang.items())


def denial_scope(item: dict, kind: str) -> tuple[str | None, bool]:
    """For an event or figure read as denied: (the words that deny, whether they deny the
    event or figure itself). Their modality comes from the sentence's cues, which may deny
    another thing of the sentence ('denied that the gang still exists ... after the raid')."""
    quote = denial_clause(item.get("evidence"))
    if kind == "event":
        return quote, denies_itself(quote, item.get("type") or "")
    if kind == "figure":
        return quote, names_figure(quote, item.get("value") or 0)
    return quote, True


def status_words(item: dict, kind: str = "claim") -> str:
    """How sure the text is of a claim, event (``kind="event"``) or figure (``"figure"``), in
    words; a denied event or figure quotes what its sentence denies."""
    m = item.get("modality") or "asserted"
    if item.get("extractor") == "gazetteer":
        return GAZETTEER
    if m != "denied" or kind == "claim":
        return modality_words(m, item.get("attributed_to"))
    quote, itself = denial_scope(item, kind)
    if not quote:
        return "its sentence holds a denial (see the source)"
    if itself:
        return f"{modality_words(m, item.get('attributed_to'))}: “{quote}”"
    return f"its sentence denies something else: “{quote}”"
