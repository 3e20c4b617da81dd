"""Core records of Sabueso. Plain dataclasses; this module imports nothing else in the package.

Every fact is a :class:`Claim` (like a FollowTheMoney statement): a hashed id, the document
it came from, the character span of its evidence and the extractor that produced it.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

MODALITIES = ("asserted", "reported", "hedged", "denied")


def stable_id(*parts: Any, prefix: str = "", size: int = 16) -> str:
    """A short, deterministic id made from the given parts (sha1 of their repr)."""
    h = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return prefix + h.hexdigest()[:size]


def normalise_text(text: str) -> str:
    """Text normalisation used for document identity: NFC, unified newlines, trimmed lines,
    no NUL characters."""
    text = unicodedata.normalize("NFC", text.replace("\x00", ""))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_DOCUMENT_TEXTS = ("text", "title", "path", "url", "publisher", "published", "lang")


@dataclass
class Document:
    text: str
    title: str = ""
    path: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: str | None = None
    lang: str | None = None
    id: str = ""

    def __post_init__(self) -> None:
        # NUL is no text: PostgreSQL refuses it in a string where SQLite stores it, so it is
        # dropped here, before extraction (offsets stay right) and before the id is made
        for name in _DOCUMENT_TEXTS:
            value = getattr(self, name)
            if isinstance(value, str) and "\x00" in value:
                setattr(self, name, value.replace("\x00", ""))
        if not self.id:
            self.id = stable_id(normalise_text(self.text), prefix="d", size=20)


@dataclass
class Mention:
    """A stretch of text that names (or refers back to) an entity."""
    start: int
    end: int
    text: str
    type: str
    entity: str = ""          # local entity key within the document
    kind: str = "name"        # name | alias | nominal | pronoun


@dataclass
class Entity:
    id: str
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    place_kind: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None

    def names(self) -> list[str]:
        return [self.name, *[a for a in self.aliases if a != self.name]]


@dataclass
class Claim:
    type: str
    subject: str
    object: str
    evidence: str
    start: int
    end: int
    modality: str = "asserted"
    attributed_to: str | None = None
    since: str | None = None
    until: str | None = None
    qualifiers: dict[str, Any] = field(default_factory=dict)
    extractor: str = "rules"
    doc_id: str = ""
    id: str = ""
    confidence: float | None = None     # the learned scorer's probability (None: rules only)

    def key(self) -> tuple:
        return (self.type, self.subject, self.object, self.modality)

    def finalise(self, doc_id: str) -> "Claim":
        self.doc_id = doc_id
        self.id = stable_id(doc_id, self.type, self.subject, self.object, self.modality,
                            self.start, self.end, prefix="c")
        return self


@dataclass
class Event:
    type: str
    evidence: str
    start: int
    end: int
    date: str | None = None
    place: str | None = None
    participants: list[str] = field(default_factory=list)
    casualties: int | None = None
    modality: str = "asserted"
    extractor: str = "rules"
    doc_id: str = ""
    id: str = ""
    attributed_to: str | None = None    # who the text says reports it (modality "reported")

    def finalise(self, doc_id: str) -> "Event":
        self.doc_id = doc_id
        self.id = stable_id(doc_id, self.type, self.date, self.start, prefix="v")
        return self


@dataclass
class Quantity:
    subject: str
    measure: str
    value: float
    evidence: str
    start: int
    end: int
    qualifier: str | None = None
    extractor: str = "rules"
    doc_id: str = ""
    id: str = ""
    confidence: float | None = None
    modality: str = "asserted"          # how sure the text is of the figure, as for claims
    attributed_to: str | None = None

    def finalise(self, doc_id: str) -> "Quantity":
        self.doc_id = doc_id
        self.id = stable_id(doc_id, self.subject, self.measure, self.value, self.start, prefix="q")
        return self


@dataclass
class Extraction:
    """Everything extracted from one document, entity ids local to the document."""
    document: Document
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)

    def to_format(self, doc_name: str | None = None) -> dict:
        """The object described in shared/eval/FORMAT.md, plus character offsets."""
        def ent(e: Entity) -> dict:
            return {"id": e.id, "type": e.type, "name": e.name, "aliases": e.aliases,
                    "place_kind": e.place_kind, "country": e.country}

        def rel(c: Claim) -> dict:
            return {"type": c.type, "subject": c.subject, "object": c.object,
                    "modality": c.modality, "attributed_to": c.attributed_to,
                    "since": c.since, "until": c.until, "qualifiers": c.qualifiers,
                    "evidence": c.evidence, "start": c.start, "end": c.end,
                    "confidence": c.confidence}

        def ev(v: Event) -> dict:
            return {"type": v.type, "date": v.date, "place": v.place,
                    "participants": v.participants, "casualties": v.casualties,
                    "modality": v.modality, "attributed_to": v.attributed_to,
                    "evidence": v.evidence,
                    "start": v.start, "end": v.end}

        def qty(q: Quantity) -> dict:
            value: float | int = int(q.value) if float(q.value).is_integer() else q.value
            return {"subject": q.subject, "measure": q.measure, "value": value,
                    "qualifier": q.qualifier, "evidence": q.evidence,
                    "start": q.start, "end": q.end, "confidence": q.confidence,
                    "modality": q.modality, "attributed_to": q.attributed_to}

        return {
            "doc": doc_name or self.document.title or self.document.id,
            "lang": self.document.lang or "en",
            "entities": [ent(e) for e in self.entities],
            "relations": [rel(c) for c in self.claims],
            "events": [ev(v) for v in self.events],
            "quantities": [qty(q) for q in self.quantities],
        }


def as_dict(obj: Any) -> dict:
    return asdict(obj)
