"""Run every extractor over one document and return an :class:`Extraction`."""
from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Iterator

from ..core import Claim, Document, Entity, Extraction, Mention
from ..nlp import get_nlp
from ..nlp.langid import detect_language
from ..ontology import get_ontology
from ..resolve.places import gazetteer
from .context import DocContext
from .entities import LocalEntity, build_entities
from .events import extract_events
from .headnames import head_aliases
from .learned import RuleState, apply_models, load_models, min_confidence_setting
from .lexicon import lexicon
from .modality import ModalityFinder
from .nominals import gov_nominals
from .numbers import extract_quantities
from .relations import activity_rule, pair_rules, place_rules, sibling_lists
from .sentence import SentView
from .temporal import find_dates
from .structure import holds_position, located_in, traffics

EXTRACTOR = "rules"


QUANTITY_SUBJECTS = ("CriminalGroup", "GovernmentBody", "Place", "Organization", "Prison")


def _quantity_subject(sv: SentView, tok_i: int):
    """Whose figure is it: the clause's subject, else the sentence's group or body, else the
    nearest named thing before it, else the latest one named in the previous sentence."""
    subj = [m for m in sv.of_types(QUANTITY_SUBJECTS) if sv.ctx.is_subject(m, sv.sent) and m.start < tok_i]
    m = (subj[-1] if subj else None) or sv.main_actor(("CriminalGroup",)) or \
        sv.main_actor(("GovernmentBody",)) or sv.nearest(QUANTITY_SUBJECTS, tok_i, side="before")
    if m is None:
        prev = [x for x in sv.ctx.mentions if sv.sent.start - 60 <= x.start < sv.sent.start
                and sv.ctx.etype(x) in QUANTITY_SUBJECTS]
        m = prev[-1] if prev else None
    return m.ent if m else None


def extract_document(document: Document) -> Extraction:
    """Extract everything from one document."""
    document.lang = document.lang or detect_language(document.text)
    nlp = get_nlp(document.lang)
    with nlp.memory_zone():         # the strings and lexemes of this text are freed after
        return _extract_parsed(document, nlp(document.text))


def extract_documents(documents: Iterable[Document], batch_size: int = 32) -> Iterator[Extraction]:
    """Extract from many documents, parsing them in batches with ``nlp.pipe`` (faster than one
    at a time); results come back in input order."""
    batch: list[Document] = []
    for document in documents:
        document.lang = document.lang or detect_language(document.text)
        batch.append(document)
        if len(batch) >= batch_size:
            yield from _extract_batch(batch)
            batch = []
    if batch:
        yield from _extract_batch(batch)


def _extract_batch(batch: list[Document]) -> Iterator[Extraction]:
    """Parse and extract each language's documents inside a spaCy memory zone: the new
    strings and lexemes of the texts are freed afterwards, so a long run does not keep
    every name it ever read (the Extractions hold plain Python values only)."""
    done: dict[int, Extraction] = {}
    for lang in sorted({d.lang for d in batch}, key=str):
        members = [i for i, d in enumerate(batch) if d.lang == lang]
        nlp = get_nlp(lang)
        with nlp.memory_zone():
            for i, doc in zip(members, nlp.pipe(batch[i].text for i in members)):
                done[i] = _extract_parsed(batch[i], doc)
    for i in range(len(batch)):
        yield done[i]


def _extract_parsed(document: Document, doc) -> Extraction:
    state = rule_pass(document, doc)
    models = load_models()
    if models is not None:
        apply_models(state, models, min_confidence_setting())
    return finish(state)


def finish(state: RuleState) -> Extraction:
    """The extraction as it stands in ``state`` (the rules', or the models' after apply_models)."""
    return _finish(state.document, state.doc, state.kept_entities(), state.claims, state.events,
                   state.quantities)


def rule_pass(document: Document, doc) -> RuleState:
    """The rule layer: entities, anaphora and the rules' claims, events and quantities, with the
    sentence views kept for the learned scorers (which propose and rescore candidates)."""
    lex = lexicon(document.lang)
    ents, _ = build_entities(doc, lex)
    head_aliases(doc, ents)
    for extra in gov_nominals(doc, lex, ents):
        extra.idx = len(ents)
        ents.append(extra)
    ctx = DocContext(doc, lex, ents)
    mod = ModalityFinder(ctx)
    government = next((e.idx for e in ents if e.type == "GovernmentBody" and
                       any(w in e.name.lower() for w in ("government", "gobierno"))), None)
    commodities: dict[str, int] = {}

    def commodity(name: str) -> int:
        if name not in commodities:
            e = LocalEntity(idx=len(ents), type="Commodity", names=Counter([name]), named=False)
            ents.append(e)
            commodities[name] = e.idx
        return commodities[name]

    claims: list[Claim] = []
    events, quantities = [], []
    views: list[SentView] = []
    prev_frame = None
    # the last year the previous sentence of the paragraph wrote: an undated event right after
    # it most likely shares it ('In 2022 a cell ... The government answered with ...'); only
    # the previous sentence, as a profile's later sentences leave their events undated
    narrative, prev_end = None, 0
    text = doc.text
    for sent in doc.sents:
        sv = SentView(ctx, mod, sent)
        views.append(sv)
        if "\n" in text[prev_end:sent.start_char + sv.lead]:
            narrative = None                 # a new paragraph
        prev_end = sent.start_char + sv.lead + len(sv.evidence)
        located_in(sv)
        holds_position(sv, government)
        pair_rules(sv)
        sibling_lists(sv)
        activity_rule(sv)
        place_rules(sv)
        traffics(sv, commodity, prev_frame)
        prev_frame = sv.frame or next(iter(sv.of_types(("Place",))), prev_frame)
        claims.extend(sv.claims)
        dates = find_dates(sv.text, ctx.lex)
        events.extend(extract_events(sv, events, dates, narrative))
        narrative = _last_year(dates)
        sv.quantities = extract_quantities(sv, _quantity_subject)
        quantities.extend(sv.quantities)
    claims.extend(_gazetteer_containment(ctx, claims))
    return RuleState(document, doc, lex, ents, ctx, views, claims, events, quantities, commodity)


def _last_year(dates: list) -> str | None:
    years = [d.value[:4] for d in dates if d.value[:4].isdigit()]
    return years[-1] if years else None


def _gazetteer_containment(ctx: DocContext, claims: list[Claim]) -> list[Claim]:
    """State -> country from the gazetteer, when the country is in the document."""
    have = {c.subject for c in claims if c.type == "LOCATED_IN"}
    countries = {e.country: e.idx for e in ctx.ents if e.type == "Place" and e.place_kind == "country"}
    text = ctx.doc.text.lower()
    sentences_of: dict[int, set[int]] = {}
    for m in ctx.mentions:
        sentences_of.setdefault(m.ent, set()).add(ctx.doc[m.start].sent.start)
    out = []
    for e in ctx.ents:
        if e.type != "Place" or e.place_kind not in ("state",) or e.idx in have:
            continue
        parent = countries.get(e.country)
        if parent is None or parent == e.idx:
            continue
        # only where the text itself frames the state within its country: both in one sentence,
        # or 'the states of X' / 'los estados de X'
        country = ctx.ents[parent].name.lower()
        framed = any(f"{w} of {country}" in text or f"{w} de {country}" in text
                     for w in ("states", "provinces", "departments", "estados", "provincias", "departamentos"))
        if not framed and not (sentences_of.get(e.idx, set()) & sentences_of.get(parent, set())):
            continue
        s, x = e.spans[0]
        sent = ctx.doc[s].sent
        ev = sent.text.strip()
        lead = len(sent.text) - len(sent.text.lstrip())
        out.append(Claim(type="LOCATED_IN", subject=e.idx, object=parent, evidence=ev,
                         start=sent.start_char + lead, end=sent.start_char + lead + len(ev),
                         extractor="gazetteer", qualifiers={"source": "gazetteer"}))
    return out


def _finish(document, doc, ents, claims, events, quantities) -> Extraction:
    used = set()
    for c in claims:
        used.add(c.subject)
        if isinstance(c.object, int):
            used.add(c.object)
        used.update(v for v in c.qualifiers.values() if isinstance(v, int))
    for v in events:
        used.update(v.participants)
        if v.place is not None:
            used.add(v.place)
    used.update(q.subject for q in quantities)
    # a named good ('cocaine', 'oro') the text mentions is listed even when no claim uses it;
    # a class word ('drugs', 'armas') or people ('migrants') only through a claim
    class_words = get_ontology().commodity_class_words(document.lang)
    keep = [e for e in ents if e.named or e.idx in used
            or (e.type == "Commodity" and e.spans and e.name.lower() not in class_words)]
    ids = {e.idx: f"e{n + 1}" for n, e in enumerate(keep)}
    out = Extraction(document=document)
    for e in keep:
        out.entities.append(Entity(id=ids[e.idx], type=e.type, name=e.name, aliases=e.all_aliases(),
                                   place_kind=e.place_kind, country=e.country))
        for s, x in e.spans:
            span = doc[s:x]
            out.mentions.append(Mention(span.start_char, span.end_char, span.text, e.type,
                                        ids[e.idx], "name" if e.named else "nominal"))
    # copies: the rule state may be scored again (cross-validation) and must stay as it was
    claims = [dataclasses.replace(c, qualifiers=dict(c.qualifiers)) for c in claims]
    events = [dataclasses.replace(v, participants=list(v.participants)) for v in events]
    quantities = [dataclasses.replace(q) for q in quantities]
    for c in claims:
        if c.subject not in ids or (isinstance(c.object, int) and c.object not in ids):
            continue
        c.subject = ids[c.subject]
        c.object = ids[c.object] if isinstance(c.object, int) else c.object
        c.qualifiers = {k: ids.get(v, v) if isinstance(v, int) else v for k, v in c.qualifiers.items()}
        c.extractor = c.extractor or EXTRACTOR
        out.claims.append(c.finalise(document.id))
    for v in events:
        v.participants = [ids[p] for p in v.participants if p in ids]
        v.place = ids.get(v.place) if v.place is not None else None
        out.events.append(v.finalise(document.id))
    for q in quantities:
        if q.subject in ids:
            q.subject = ids[q.subject]
            out.quantities.append(q.finalise(document.id))
    return out


__all__ = ["extract_document", "extract_documents", "rule_pass", "finish"]
