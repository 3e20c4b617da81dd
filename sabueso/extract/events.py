"""Events (FORMAT.md vocabulary) with date, place, participants and casualties."""
from __future__ import annotations

from ..core import Event
from .numbers import parse_number
from .sentence import SentView
from .temporal import event_date

CASUALTY_TYPES = {"attack", "killing", "massacre", "clash", "security_operation"}
KILLED = {"killed", "dead", "died", "murdered", "muertos", "murieron", "asesinados", "abatidos",
          "fallecidos", "murió"}
BACK_REFERENCES = {"the attack", "the incident", "the ambush", "the operation", "el ataque",
                   "la operación", "el operativo", "el enfrentamiento"}


def casualties(sv: SentView) -> int | None:
    words = sv.words
    if not any(w in KILLED for w in words):
        return None
    total, seen = 0, False
    stop = next(i for i, w in enumerate(words) if w in KILLED)
    for i, w in enumerate(words[:stop]):
        tok = sv.sent[i]
        n = parse_number(tok.text, sv.ctx.lex) if (tok.like_num or w in sv.ctx.lex.number_words) else None
        if n is not None and n < 100000 and not (1900 <= n <= 2100):
            total += int(n)
            seen = True
            if i + 1 < len(words) and words[i + 1] in ("other", "otros", "otras", "more", "más"):
                total += 1
    if not seen and stop > 0 and any(w in ("a", "an", "one", "un", "una") for w in words[:stop]):
        return 1 if any(w in ("a", "an") for w in words[:3]) else None
    return total or None


def extract_events(sv: SentView, last: list[Event]) -> list[Event]:
    lex, ctx = sv.ctx.lex, sv.ctx
    text = " ".join(sv.words)
    if last and any(ref in text for ref in BACK_REFERENCES) and last[-1].type in CASUALTY_TYPES:
        n = casualties(sv)
        if n:
            last[-1].casualties = max(last[-1].casualties or 0, n)
            return []
    participants = []
    for m in sv.mentions:
        if ctx.etype(m) not in ("Place", "Prison", "Commodity") and m.ent not in participants:
            participants.append(m.ent)
    if not participants:
        return []
    places = sv.of_types(("Prison",)) or sv.of_types(("Place",))
    date = event_date(sv.sent.text, lex)
    out, seen = [], set()
    for s, e, etype in lex.events.find(sv.words):
        a = sv.sent.start + s
        if ctx.tok_ent.get(a) is not None or etype in seen:
            continue
        seen.add(etype)
        mod = sv.mod.find(sv.sent, [a])
        ev = Event(type=etype, evidence=sv.sent.text.strip(), start=sv.sent.start_char,
                   end=sv.sent.start_char + len(sv.sent.text.strip()), date=date,
                   place=places[0].ent if places else None, participants=list(participants),
                   casualties=casualties(sv) if etype in CASUALTY_TYPES else None,
                   modality=mod.modality)
        lead = len(sv.sent.text) - len(sv.sent.text.lstrip())
        ev.start += lead
        ev.end += lead
        out.append(ev)
    return out
