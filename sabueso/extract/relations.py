"""Relation rules. Each reads cue words from the ontology and picks arguments by the
relation's domain/range types, by position around the cue and by syntax."""
from __future__ import annotations

from ..ontology import get_ontology
from .arguments import co_subjects, first_object_list, parsed_subject
from .context import SM
from .sentence import SentView

GROUPISH = ("CriminalGroup",)
ACTORS = ("CriminalGroup", "Person")
PLACES = ("Place", "Prison")
FAN = {"ALLY_OF", "RIVAL_OF", "LINKED_TO", "ATTACKED", "MEMBER_OF", "FOUNDED_BY", "AFFILIATED_WITH",
       "CONTROLS"}
PAIR = {"LEADER_OF", "IMPRISONED_IN", "ESCAPED_FROM", "PARTNER_OF", "FAMILY_OF"}
CRIMINAL_ROLES = {"LEADER_OF", "MEMBER_OF", "IMPRISONED_IN", "ESCAPED_FROM"}
PASSIVE_MARKERS = {"by", "por"}
#: Auxiliaries of a passive ('X was killed', 'X fue asesinado'): without an agent ('by'), the
#: name before the cue is its patient, not its subject.
PASSIVE_AUX = {"was", "were", "been", "being", "fue", "fueron", "sido", "siendo"}


def cue_hits(sv: SentView, rtype: str) -> list[tuple[int, int]]:
    idx = sv.ctx.lex.relation_cues.get(rtype)
    if not idx:
        return []
    out = []
    for s, e, _ in idx.find(sv.words):
        a, b = sv.sent.start + s, sv.sent.start + e
        if sv.ctx.tok_ent.get(a) is None:       # a cue inside a name is no cue
            out.append((a, b))
    return out


def pair_rules(sv: SentView) -> None:
    onto = get_ontology()
    leaders: dict[int, int] = sv.ctx.leaders       # person -> group led, over the whole document
    for rtype in ["LEADER_OF", *sorted(PAIR - {"LEADER_OF"}), *sorted(FAN)]:
        rel = onto.relations[rtype]
        rng = rel.range if not isinstance(rel.range, str) else ()
        for a, b in cue_hits(sv, rtype):
            if rtype in PAIR:
                gap = 8
                officials = {m.ent for m in sv.mentions if sv.ctx.ents[m.ent].roles} \
                    if rtype in CRIMINAL_ROLES else set()
                subj = sv.nearest(rel.domain, a, max_gap=gap, exclude=officials)
                obj = sv.nearest(rng, a, max_gap=gap, exclude={subj.ent} if subj else None)
                if obj is None and rtype == "LEADER_OF":
                    body = sv.nearest(("GovernmentBody",), a, max_gap=gap, sources=True)
                    head = subj or sv.nearest(("Person",), a, max_gap=gap, sources=True)
                    if body is not None and head is not None:   # 'the Defense Ministry, headed by X'
                        sv.add("HOLDS_POSITION", head.ent, body.ent, [a, body.start],
                               qualifiers={"role": "head"})
                        continue
                    if subj is not None and sv.ctx.lex.lang != "en":
                        obj = sv.ctx.implicit_subject(a)     # 'El mando pasó a X': the group in focus
                if rtype in ("PARTNER_OF", "FAMILY_OF"):
                    subj = sv.nearest(rel.domain, a, side="before", max_gap=12)
                    obj = sv.nearest(rng, b - 1, side="after", max_gap=6,
                                     exclude={subj.ent} if subj else None)
                    if subj and obj is None and sv.words[max(0, a - sv.sent.start - 3):a - sv.sent.start] \
                            and any(w in ("his", "her", "su") for w in sv.words[max(0, a - sv.sent.start - 3):a - sv.sent.start]):
                        # 'X, his younger brother': the possessor is the previous person, not X
                        other = sv.previous_entity("Person", subj.start, exclude={subj.ent})
                        obj = SM(other, a, b) if other is not None else None
                if subj and obj and rtype == "LEADER_OF" and sv.ctx.has_parse and \
                        sv.doc[a].pos_ == "VERB" and not _governs_directly(sv, a, obj):
                    continue          # 'he ran front businesses that laundered the gang's money'
                if subj and obj and subj.ent != obj.ent:
                    if rtype == "LEADER_OF":
                        leaders[subj.ent] = obj.ent
                    if rtype == "CONTROLS" and leaders.get(subj.ent) == obj.ent:
                        continue
                    sv.add(rtype, subj.ent, obj.ent, [a, obj.start])
                    if rtype == "ESCAPED_FROM":
                        sv.add("IMPRISONED_IN", subj.ent, obj.ent, [a, obj.start])
            else:
                _fan(sv, rtype, rel, rng, a, b, leaders)


KIN_LIST_GLUE = {",", "and", "y", "e", "&"}     # what may stand between the names of a kin list


def sibling_lists(sv: SentView) -> None:
    """'the four brothers: Ana, Beto, Ciro and Dora' / 'los hermanos X y Y': the people
    listed right after (or before) a plural kin word are kin of each other."""
    words = get_ontology().relations["FAMILY_OF"].siblings.get(sv.ctx.lex.lang, ())
    if not words:
        return
    people = sorted((m for m in sv.mentions if m.end > m.start and sv.ctx.ents[m.ent].type == "Person"),
                    key=lambda m: m.start)
    for k, w in enumerate(sv.words):
        if w not in words:
            continue
        cue = sv.sent.start + k
        after = [m for m in people if m.start > cue]
        run = _listed(sv, after) if after and after[0].start <= cue + 12 else []
        if len(run) < 2:
            before = [m for m in people if m.end <= cue][::-1]
            run = _listed(sv, before)[::-1] if before and before[0].end >= cue - 12 else []
        ents = list(dict.fromkeys(m.ent for m in run))
        for i, x in enumerate(ents):
            for y in ents[i + 1:]:
                sv.add("FAMILY_OF", x, y, [cue, sv.sent.start])


def _listed(sv: SentView, ms: list) -> list:
    """The mentions of ``ms`` (in reading order, or reversed) that follow each other with only
    commas and conjunctions between them."""
    if not ms:
        return []
    run = [ms[0]]
    for m in ms[1:]:
        lo, hi = sorted((run[-1], m), key=lambda x: x.start)
        if all(t.lower_ in KIN_LIST_GLUE for t in sv.doc[lo.end:hi.start]):
            run.append(m)
        else:
            break
    return run


def _fan(sv: SentView, rtype, rel, rng, a: int, b: int, leaders: dict[int, int]) -> None:
    rel_start = sv.sent.start
    if any(w in PASSIVE_MARKERS for w in sv.words[b - rel_start:b - rel_start + 2]):
        # passive: 'X was shot dead by police' -> police ATTACKED X
        agent = sv.nearest(rel.domain, b, side="after", max_gap=4)
        patient = sv.nearest(rng, a, side="before", max_gap=10, exclude={agent.ent} if agent else None)
        if agent and patient:
            sv.add(rtype, agent.ent, patient.ent, [a, patient.start])
        return
    if rtype == "ATTACKED" and any(w in PASSIVE_AUX for w in sv.words[max(0, a - rel_start - 2):a - rel_start]):
        return            # 'X was killed alongside Y': X is no attacker
    if rtype == "FOUNDED_BY":
        group = sv.nearest(rel.domain, a, max_gap=12)
        if group is None and sv.ctx.lex.lang != "en":
            group = sv.ctx.implicit_subject(a)
        if group is None:
            return
        if sv.words[b - 1 - sv.sent.start] in ("founder", "co-founder", "creator", "fundador",
                                                "fundadora", "creador", "cofundador"):
            one = sv.nearest(("Person",), b - 1, side="after", max_gap=4) or \
                sv.nearest(("Person",), a, side="before", max_gap=3)
            if one:
                sv.add(rtype, group.ent, one.ent, [a, one.start])
            return
        for m in sv.of_types(("Person",), {group.ent}):
            if abs(m.start - a) <= 45:
                sv.add(rtype, group.ent, m.ent, [a, m.start])
        return
    if rtype == "AFFILIATED_WITH":
        # 'X, a Y faction' / 'X, an appendage of Y' / 'a front for Y'
        if sv.words[a - sv.sent.start - 1:a - sv.sent.start] in (["rival"], ["enemy"], ["rival's"]):
            return            # 'a rival faction, X' is no affiliate
        obj = sv.nearest(rng, a, side="before", max_gap=1)
        if obj is None:
            obj = sv.nearest(rng, b - 1, side="after", max_gap=4)
        if obj is None:
            return
        non_person = tuple(t for t in rel.domain if t != "Person" and not (
            t == "GovernmentBody" and sv.ctx.etype(obj) == "CriminalGroup"))   # people are MEMBER_OF
        subj = sv.nearest(non_person, obj.start, side="before", max_gap=12, exclude={obj.ent}) or \
            sv.main_actor(non_person, {obj.ent})
        if subj:
            sv.add(rtype, subj.ent, obj.ent, [a, obj.start])
        return
    subj = parsed_subject(sv, a, rel.domain) or sv.nearest(rel.domain, a, side="before", max_gap=25)
    if subj is None and sv.ctx.lex.lang != "en":
        subj = sv.ctx.implicit_subject(a)        # pro-drop: 'se disputan con X'
    if subj is None:
        subj = sv.main_actor(rel.domain)
    if subj is None:
        return
    if rtype == "MEMBER_OF":
        # 'two G members, P1 and P2' / 'P, a member of G' / 'members of G'
        group = sv.nearest(rng, a, max_gap=4)
        if group is None:
            return
        officials = {m.ent for m in sv.mentions if sv.ctx.ents[m.ent].roles}
        for m in sv.of_types(("Person",), officials):
            if abs(m.start - a) <= 14 and m.ent != group.ent:
                sv.add("MEMBER_OF", m.ent, group.ent, [a, m.start])
        return
    objs = [m for m in sv.of_types(rng, {subj.ent}) if m.start > a]
    if sv.ctx.has_parse:     # a cue reaches the objects of its own clause, not the next clause
        head = sv.ctx.clause_head(a)
        objs = [m for m in objs if sv.ctx.dominates(head, m.end - 1)]
    if not objs and not rel.symmetric:
        return
    if not objs:
        objs = [m for m in sv.of_types(rng, {subj.ent}) if m.end <= a][-1:]
        subj2 = sv.main_actor(rel.domain, {o.ent for o in objs})
        if subj2 is None or not objs:
            return
        subj = subj2
    subjects = [subj]
    if rtype == "ATTACKED":
        objs = first_object_list(sv, objs)
        if subj.kind != "implicit" and subj.end <= a:
            subjects += co_subjects(sv, subj, a, rel.domain, {o.ent for o in objs})
    obj_groups = {o.ent for o in objs}
    for subj, o in [(s, o) for s in subjects for o in objs]:
        if rtype == "CONTROLS" and leaders.get(subj.ent) == o.ent:
            continue          # the leader 'oversees the gang': already LEADER_OF
        if rtype in ("ALLY_OF", "RIVAL_OF") and sv.ctx.etype(o) == "Person" and leaders.get(o.ent) in obj_groups:
            continue          # 'allies are the X gang, led by Y': the ally is the gang
        if _possessor_of_person(sv, o):
            continue          # 'met with the gang's leader, Z': the link is to Z
        sv.add(rtype, subj.ent, o.ent, [a, o.start])


ROLE_AFTER_POSSESSIVE = {"leader", "leaders", "boss", "chief", "head", "founder", "members", "member",
                         "lieutenant", "commander", "wife", "brother", "son"}


def _possessor_of_person(sv: SentView, m: SM) -> bool:
    doc = sv.doc
    return m.end + 1 < len(doc) and doc[m.end].lower_ in ("'s", "’s") and \
        doc[m.end + 1].lower_ in ROLE_AFTER_POSSESSIVE


def _governs_directly(sv: SentView, a: int, m: SM) -> bool:
    """The group is the verb's object, subject or agent ('runs the gang', 'X is led by Y',
    'the X megabanda, led by Y'), not something buried in a clause below the verb."""
    cue = sv.doc[a]
    for other in (x for x in sv.mentions if x.ent == m.ent):
        span = range(other.start, other.end)
        target = cue.head
        while target.dep_ == "appos" and target.head != target and target.i not in span:
            target = target.head          # 'the Foo Cartel, the Mexican group long led by'
        if target.i in span or cue.head == sv.doc[other.end - 1].head:
            return True
        tok = sv.doc[other.end - 1]
        while tok.dep_ in ("compound", "amod") and tok.head != tok:
            tok = tok.head                # 'the Foo cartel': the noun phrase's head
        head = tok.head
        if head.i == a or (head.head.i == a and head.pos_ == "ADP") or \
                any(t.i in span or t == tok for t in cue.children if t.dep_ in ("nsubj", "nsubjpass", "dobj")):
            return True
    return False


def _place_of_an_authority(sv: SentView, p: SM) -> bool:
    """The place only says whose authorities speak or act: a possessor or compound of a body,
    or the place of a source ('police in X said')."""
    doc = sv.doc
    nxt = doc[p.end] if p.end < len(doc) else None
    if nxt is not None and nxt.lower_ in ("'s", "’s") and p.end + 1 < len(doc) and \
            sv.ctx.tok_ent.get(p.end + 1) is not None and \
            sv.ctx.ents[sv.ctx.tok_ent[p.end + 1]].type in ("GovernmentBody", "Organization"):
        return True
    if any(m.start <= p.start and p.end <= m.end and m.ent != p.ent and
           sv.ctx.etype(m) in ("GovernmentBody", "Organization") for m in sv.all_mentions):
        return True
    if not sv.ctx.has_parse:
        return False
    head = doc[p.end - 1].head
    if head.dep_ == "prep" and head.head.lower_ in sv.ctx.lex.source_heads:
        return True
    return doc[p.end - 1].dep_ == "compound" and doc[p.end - 1].head.lower_ in sv.ctx.lex.source_heads | {
        "government", "authorities", "officials", "gobierno"}


def _cue_reaches(sv: SentView, a: int, p: SM) -> bool:
    """Does the cue at token ``a`` govern place mention ``p`` ('based in X', 'its base is in X')?"""
    if not sv.ctx.has_parse:
        return p.start > a - 3 and abs(p.start - a) < 25
    cue = sv.doc[a]
    head = cue.head if cue.pos_ in ("NOUN", "PROPN") else cue
    clause = sv.ctx.clause_head(a)
    if clause.dep_ == "relcl" and p.start <= clause.head.i < p.end:
        return True          # 'the state of X, where it has its base'
    return p.start > a - 3 and (sv.ctx.dominates(head, p.end - 1) or p.start - a <= 12)


ORIGIN_HEADS = {"gang", "group", "family", "clan", "cartel", "faction", "band", "crew", "network",
                "banda", "grupo", "familia", "cártel", "facción", "pandilla", "red"}


def _origins(sv: SentView, places) -> list[tuple[SM, SM]]:
    """'X, a larger gang from Trujillo' / 'X, una familia rival de Izabal' -> X based there."""
    out = []
    if cue_hits(sv, "TRAFFICS"):
        return out
    doc = sv.doc
    for p in places:
        if p.start == 0 or doc[p.start - 1].lower_ not in ("from", "de"):
            continue
        g = sv.nearest(("CriminalGroup",), p.start - 1, side="before", max_gap=8)
        if g is None:
            continue
        between = doc[g.end:p.start - 1]
        if any(t.lower_ in ORIGIN_HEADS for t in between) and \
                not any(t.pos_ in ("VERB", "AUX") and t.lower_ not in ORIGIN_HEADS for t in between):
            out.append((g, p))
    return out


def activity_rule(sv: SentView) -> None:
    lex = sv.ctx.lex
    hits = lex.activities.find(sv.words)
    if not hits:
        return
    officials = {m.ent for m in sv.mentions if sv.ctx.ents[m.ent].roles}
    actors = [m for m in sv.of_types(ACTORS, officials) if sv.ctx.is_subject(m, sv.sent)]
    if not actors:
        group = sv.main_actor(GROUPISH)
        actors = [group] if group else []
    if not actors:
        person = sv.main_actor(("Person",), officials)
        actors = [person] if person else []
    if not actors and sv.ctx.lex.lang != "en":
        implicit = sv.ctx.implicit_subject(sv.sent.start)
        actors = [implicit] if implicit else []
    for s, e, label in hits:
        a = sv.sent.start + s
        if sv.ctx.tok_ent.get(a) is not None:
            continue
        for m in actors:
            sv.add("ACTIVITY", m.ent, label, [a])


def place_rules(sv: SentView) -> None:
    """BASED_IN / OPERATES_IN for the sentence's actor and the places it mentions."""
    places = sv.of_types(PLACES)
    if not places:
        return
    based = cue_hits(sv, "BASED_IN")
    officials = {m.ent for m in sv.mentions if sv.ctx.ents[m.ent].roles}
    subjects = [m for m in sv.of_types(("CriminalGroup", "Person", "Organization"), officials)
                if sv.ctx.is_subject(m, sv.sent)]
    actor = (subjects[0] if subjects else None) or sv.main_actor(GROUPISH) or \
        sv.main_actor(("Person",), officials)
    if actor is None:
        return
    origin = _origins(sv, places)
    for g, p in origin:
        sv.add("BASED_IN", g.ent, p.ent, [p.start - 1, p.start])
    frame = sv.frame
    if frame is not None:
        # 'In Foo state, the X megabanda, led by Y, ...': every actor of the sentence is there
        for m in sv.of_types(ACTORS, officials):
            if m.start > frame.end:
                sv.add("OPERATES_IN", m.ent, frame.ent, [frame.start, m.start])
    container_of, role_places = sv.container_of, sv.role_places
    earlier = set()
    for p in places:
        if p.ent in role_places or any(p is q for _, q in origin):
            continue
        # a place named only as the container of an earlier one is no base of its own
        container = any(container_of.get(c) == p.ent for c in earlier)
        if based and not container and any(_cue_reaches(sv, a, p) for a, _ in based):
            sv.add("BASED_IN", actor.ent, p.ent, [based[0][0], p.start])
            earlier.add(p.ent)
            continue
        earlier.add(p.ent)
        if sv.ctx.etype(actor) == "Person" and not cue_hits(sv, "OPERATES_IN") and \
                not sv.ctx.lex.activities.find(sv.words):
            continue
        if sv.ctx.etype(actor) not in ("CriminalGroup", "Person") and not cue_hits(sv, "OPERATES_IN"):
            continue
        if sv.ctx.etype(p) == "Prison" or p.ent in sv.containers:
            continue
        if _place_of_an_authority(sv, p):
            continue          # 'Prosecutors in Honduras', "Peru's National Police", 'the US government'
        sv.add("OPERATES_IN", actor.ent, p.ent, [p.start])
