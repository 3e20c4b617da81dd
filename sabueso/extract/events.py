"""Events (FORMAT.md vocabulary) with date, place, participants and casualties."""
from __future__ import annotations

from ..core import Event
from .numbers import parse_number
from .sentence import SentView

CASUALTY_TYPES = {"attack", "killing", "massacre", "clash", "security_operation"}
KILLED = {"killed", "dead", "died", "murdered", "muertos", "murieron", "asesinados", "abatidos",
          "fallecidos", "murió"}
BACK_REFERENCES = {"the attack", "the incident", "the ambush", "the operation", "that day",
                   "the raid", "el ataque", "la operación", "el operativo", "el enfrentamiento",
                   "ese día", "la incursión"}


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


# When two event cues sit close together they usually describe one event: keep the first here.
PRIORITY = ["attack", "massacre", "clash", "escape", "extradition", "arrest", "kidnapping",
            "prison_raid", "prison_riot", "armed_strike", "designation", "sanction", "indictment",
            "imprisonment", "release", "transfer", "truce", "seizure", "founding", "appointment",
            "meeting", "visit", "expansion", "security_operation", "killing"]


def _date_near(dates, cue_char: int) -> str | None:
    """The date written closest to the cue (a sentence can tell two dated events)."""
    if not dates:
        return None
    frame = dates[0] if dates[0].start <= 25 else None      # 'On May 4, 2019, ...', 'In late 2019'
    near = [d for d in dates if d is not frame and 0 <= d.start - cue_char <= 40]
    if frame is not None and not near:
        return frame.value
    return min(dates, key=lambda d: (abs(d.start - cue_char), -len(d.value))).value


def extract_events(sv: SentView, last: list[Event], dates: list,
                   narrative: str | None = None) -> list[Event]:
    """The events of one sentence; ``dates``: its dates (:func:`~.temporal.find_dates`);
    ``narrative``: the year the previous sentence of the paragraph wrote (what an undated
    event here most likely shares)."""
    lex, ctx = sv.ctx.lex, sv.ctx
    text = " ".join(sv.words)
    back_ref = any(ref in text for ref in BACK_REFERENCES)
    if last and back_ref and last[-1].type in CASUALTY_TYPES:
        n = casualties(sv)
        if n:
            last[-1].casualties = max(last[-1].casualties or 0, n)
            return []
    participants = []
    for m in sv.mentions:
        if ctx.etype(m) not in ("Place", "Prison", "Commodity") and m.ent not in participants:
            participants.append(m.ent)
    if not participants and not dates:
        return []
    places = sv.of_types(("Prison",)) or sv.of_types(("Place",))
    hits = [(sv.sent.start + s, etype) for s, e, etype in lex.events.find(sv.words)
            if ctx.tok_ent.get(sv.sent.start + s) is None]
    kept: list[tuple[int, str]] = []
    for a, etype in sorted(hits, key=lambda h: PRIORITY.index(h[1]) if h[1] in PRIORITY else 99):
        if any(abs(a - b) <= 8 for b, _ in kept) or any(t == etype for _, t in kept):
            continue
        kept.append((a, etype))
    out = []
    lead, evidence = sv.lead, sv.evidence
    for a, etype in sorted(kept):
        date = _date_near(dates, sv.doc[a].idx - sv.sent.start_char)
        if date is None and back_ref and last:
            date = last[-1].date             # 'in the operation', 'that day'
        if date is None:
            date = narrative
        mod = sv.mod.find(sv.sent, [a])
        out.append(Event(type=etype, evidence=evidence, start=sv.sent.start_char + lead,
                         end=sv.sent.start_char + lead + len(evidence), date=date,
                         place=places[0].ent if places else None, participants=list(participants),
                         casualties=casualties(sv) if etype in CASUALTY_TYPES else None,
                         modality=mod.modality, attributed_to=mod.attributed_to))
    return out
