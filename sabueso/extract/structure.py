"""Rules for place containment (LOCATED_IN), positions held (HOLDS_POSITION) and
trafficking routes (TRAFFICS with from/to)."""
from __future__ import annotations

from ..ontology import get_ontology
from ..resolve.places import RANK
from .context import SM
from .sentence import SentView

LINK_WORDS = {"in", "of", "the", "en", "de", "del", "el", "la", ",", "within", "near", "outside",
              "'s", "’s", "a", "an"}
GOV_BODIES = ("GovernmentBody", "Organization")


def _rank(sv: SentView, m: SM) -> int:
    e = sv.ctx.ents[m.ent]
    if e.type == "Prison":
        return RANK["prison"]
    return RANK.get(e.place_kind or "city", 3)


def located_in(sv: SentView) -> None:
    """'Xyz prison in Foo state', 'Brazil's Foo state', 'Town, in ... department of Bar'."""
    places = sv.of_types(("Place", "Prison"))
    sv.located_children, sv.containers, sv.container_of = set(), set(), {}
    doc = sv.doc
    for i, a in enumerate(places):
        for j, b in enumerate(places[i + 1:i + 2], start=i + 1):
            if j + 1 < len(places) and doc[b.end:places[j + 1].start].text.strip() in ("'s", "’s"):
                b = places[j + 1]       # 'X, in Venezuela's Aragua state' -> X in Aragua
            between = doc[a.end:b.start]
            if len(between) > 9 or any(t.pos_ == "AUX" or t.tag_ in ("VBD", "VBZ", "VBP")
                                       for t in between):
                continue
            if not any(t.lower_ in ("in", "en", "of", "de", "del", "within", "'s", "’s")
                       for t in between) and between.text.strip() not in ("", ","):
                continue
            ra, rb = _rank(sv, a), _rank(sv, b)
            if between.text.strip() in ("’s", "'s") and ra < rb:
                child, parent = b, a
            elif rb < ra:
                child, parent = a, b
            else:
                continue
            sv.add("LOCATED_IN", child.ent, parent.ent, [child.start, parent.start])
            sv.located_children.add(child.ent)
            sv.containers.add(parent.ent)
            sv.container_of[child.ent] = parent.ent
    # 'In the state of Foo, ... Bar prison': the framing place contains the others
    if places and places[0].start - sv.sent.start <= 5 and sv.words[0] in ("in", "en"):
        frame = places[0]
        for p in places[1:]:
            if _rank(sv, p) > _rank(sv, frame) and p.ent not in sv.located_children:
                sv.add("LOCATED_IN", p.ent, frame.ent, [p.start, frame.start])
                sv.located_children.add(p.ent)
        sv.frame = frame
    else:
        sv.frame = None


def holds_position(sv: SentView, government: int | None) -> None:
    """'Prison Minister Ana Ejemplo', 'X, director del Servicio', 'his time as governor of Foo'."""
    ctx, doc = sv.ctx, sv.doc
    sv.role_places = set()
    hits = ctx.lex.roles.find(sv.words)
    for s, e, _ in hits:
        a, b = sv.sent.start + s, sv.sent.start + e
        role = doc[a:b].text
        person = None
        # a source may hold a position too ('General X of the Police said ...')
        after = sv.nearest(("Person",), b - 1, side="after", max_gap=1, sources=True)
        before = sv.nearest(("Person",), a, side="before", max_gap=3, sources=True)
        if after and ctx.tok_ent.get(a) is None:
            person = after
        elif before:
            person = before
        elif sv.words[max(0, s - 1)] in ("as", "became", "como", "fue") or \
                (s > 1 and sv.words[s - 2] in ("as", "became")):
            person = sv.nearest(("Person",), a, side="before", max_gap=12, sources=True)
        if person is None:
            # 'The security secretary of Brazil's Foo state, Ana Ejemplo'
            for m in sv.of_types(GOV_BODIES + ("Place",)):
                if 0 <= m.start - b <= 5 and all(t.lower_ in LINK_WORDS or t.ent_type_ for t in doc[b:m.start]):
                    cand = sv.nearest(("Person",), m.end - 1, side="after", max_gap=8)
                    if cand and doc[m.end:cand.start].text.strip(" ,’'s") == "" or (
                            cand and all(t.is_punct or t.ent_type_ or t.lower_ in LINK_WORDS | {"state"}
                                         for t in doc[m.end:cand.start])):
                        person = cand
                        break
        if person is None:
            continue
        body = None
        for m in sv.of_types(GOV_BODIES + ("Place",), sources=True):
            gap_after = m.start - b
            gap_before = a - m.end
            if 0 <= gap_after <= 4 and all(t.lower_ in LINK_WORDS for t in doc[b:m.start]) and \
                    (m.start != person.start):
                body = m
                break
            if 0 <= gap_before <= 1 and ctx.etype(m) in GOV_BODIES:
                body = m
        if body is None and person.start >= b:
            nxt = sv.nearest(GOV_BODIES, person.end - 1, side="after", max_gap=5, sources=True)
            if nxt and all(t.lower_ in LINK_WORDS or t.ent_type_ in ("NORP", "GPE") or t.pos_ == "ADJ"
                           for t in doc[person.end:nxt.start]):
                body = nxt
        target = body.ent if body else None
        if target is None and "minist" in role.lower() and government is not None:
            target = government
        person_ent = ctx.ents[person.ent]
        if not person_ent.roles:      # an official: never a gang member or an actor of crimes
            person_ent.roles.append((role, a))
        if target is None:
            continue
        if body is not None and ctx.etype(body) == "Place":
            sv.role_places.add(body.ent)
        sv.add("HOLDS_POSITION", person.ent, target, [a, person.start],
               qualifiers={"role": role.lower()})


GENERIC_GOODS = {"drug", "drugs", "arms", "weapons", "droga", "drogas", "armas", "migrants", "migrantes"}


def _named_trades(sv: SentView, lex) -> list[tuple[int, int]]:
    """'cocaine trafficking', 'gold smuggling': a named commodity traded (not 'drug trafficking',
    which is only the activity)."""
    out = []
    for s, e, _ in lex.commodities.find(sv.words):
        nxt = sv.words[e] if e < len(sv.words) else ""
        if nxt in ("trafficking", "smuggling") and " ".join(sv.words[s:e]) not in GENERIC_GOODS:
            out.append((sv.sent.start + s, sv.sent.start + e))
    return out


def traffics(sv: SentView, commodity_entity, prev_frame: SM | None) -> None:
    """'the gang moves illegally mined gold and coltan to Brazil'."""
    from .relations import cue_hits
    hits = cue_hits(sv, "TRAFFICS") or ([(t, t + 1) for t, _ in _named_trades(sv, sv.ctx.lex)][:1])
    if not hits:
        return
    lex, doc = sv.ctx.lex, sv.doc
    actor = sv.main_actor(("CriminalGroup",)) or sv.main_actor(("Person",))
    if actor is None:
        return
    for a, b in hits:
        goods = []
        for s, e, _ in lex.commodities.find(sv.words):
            tok = sv.sent.start + s
            if tok >= b and not (sv.words[e:e + 1] and sv.words[e] in ("trafficking", "tráfico")):
                goods.append((tok, sv.sent.start + e))
        goods += _named_trades(sv, lex)
        if not goods:
            continue
        to = from_ = None
        for m in sv.of_types(("Place",)):
            prev = doc[m.start - 1].lower_ if m.start > 0 else ""
            if m.start > a and prev in ("to", "into", "towards", "hacia", "a", "hasta"):
                to = to or m.ent
            elif prev in ("from", "desde", "de") and m.start > a:
                from_ = from_ or m.ent
        if from_ is None:
            if sv.frame is not None:
                from_ = sv.frame.ent
            elif any(w in ("here", "there", "allí", "ahí", "donde") for w in sv.words) and prev_frame:
                from_ = prev_frame.ent
        quals = {k: v for k, v in (("from", from_), ("to", to)) if v is not None}
        for s_tok, e_tok in goods:
            name = doc[s_tok:e_tok].text.lower()
            ent = commodity_entity(name)
            sv.add("TRAFFICS", actor.ent, ent, [a, s_tok], qualifiers=quals)
            activity = get_ontology().commodity_activity(name)
            if activity:
                sv.add("ACTIVITY", actor.ent, activity, [a, s_tok])
            if to is not None:
                sv.add("OPERATES_IN", actor.ent, to, [a, s_tok])
