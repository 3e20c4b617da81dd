"""What the grounding guard kept, dropped and cleared, with the reasons."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

KINDS = ("entity", "alias", "relation", "event", "quantity")


@dataclass
class GroundingReport:
    kept: Counter = field(default_factory=Counter)       # kind -> n kept
    dropped: Counter = field(default_factory=Counter)    # kind -> n dropped
    reasons: Counter = field(default_factory=Counter)    # (kind, reason) -> n
    cleared: Counter = field(default_factory=Counter)    # reason -> n fields cleared
    examples: list[str] = field(default_factory=list)    # the first dropped items, for logs

    def drop(self, kind: str, reason: str, what: str = "") -> None:
        self.dropped[kind] += 1
        self.reasons[(kind, reason)] += 1
        if len(self.examples) < 20:
            self.examples.append(f"{kind} {what[:80]!r}: {reason}")

    def clear(self, reason: str) -> None:
        self.cleared[reason] += 1

    dropped_entities = property(lambda self: self.dropped["entity"])
    dropped_aliases = property(lambda self: self.dropped["alias"])
    dropped_relations = property(lambda self: self.dropped["relation"])
    dropped_events = property(lambda self: self.dropped["event"])
    dropped_quantities = property(lambda self: self.dropped["quantity"])

    @property
    def total_dropped(self) -> int:
        return sum(self.dropped.values())

    def summary(self) -> str:
        def n(k: str, c: int) -> str:
            plural = {"entity": "entities", "alias": "aliases", "quantity": "quantities"}
            return f"{c} {k if c == 1 else plural.get(k, k + 's')}"
        kept = ", ".join(n(k, self.kept[k]) for k in KINDS if k != "alias")
        parts = []
        for k in KINDS:
            if self.dropped[k]:
                why = "; ".join(f"{r}: {c}" for (kk, r), c in sorted(self.reasons.items()) if kk == k)
                parts.append(f"{n(k, self.dropped[k])} ({why})")
        out = f"LLM grounding: kept {kept}; " + (f"dropped {', '.join(parts)}" if parts else "nothing dropped")
        if self.cleared:
            out += "; cleared fields (" + "; ".join(f"{r}: {c}" for r, c in sorted(self.cleared.items())) + ")"
        return out + "."

    def as_dict(self) -> dict:
        return {"kept": dict(self.kept), "dropped": dict(self.dropped),
                "reasons": {f"{k}: {r}": c for (k, r), c in self.reasons.items()},
                "cleared": dict(self.cleared), "summary": self.summary()}
