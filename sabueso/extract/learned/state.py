"""What the rule layer leaves for the learned scorers: the parse, the typed local entities,
resolved mentions, one view per sentence and the rules' own claims, events and figures."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass
class RuleState:
    document: Any
    doc: Any                        # the spaCy Doc
    lex: Any
    ents: list                      # LocalEntity, indexed by .idx
    ctx: Any                        # DocContext (mentions with anaphora resolved)
    views: list                     # one SentView per sentence, in order
    claims: list                    # the rules' claims (entity indexes as subject/object)
    events: list
    quantities: list
    commodity: Callable[[str], int]  # the Commodity entity of a name (made on first use)
    dropped: set = field(default_factory=set)   # entities the typer judged no entity

    def __post_init__(self) -> None:
        # what the rules said, kept so that models can be applied again from the same parse
        self.base_types = [(e.type, e.place_kind) for e in self.ents]
        self.base_claims = list(self.claims)
        self.base_quantities = list(self.quantities)

    def kept_entities(self) -> list:
        return [e for e in self.ents if e.idx not in self.dropped]

    def sentence_of_char(self, char: int) -> int:
        """Index of the sentence view holding character offset ``char``."""
        lo, hi = 0, len(self.views) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.views[mid].sent.start_char <= char:
                lo = mid
            else:
                hi = mid - 1
        return lo
