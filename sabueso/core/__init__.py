"""Core dataclasses (imports nothing else in the package)."""
from .model import (MODALITIES, Claim, Document, Entity, Event, Extraction, Mention, Quantity,
                    normalise_text, stable_id)

__all__ = ["MODALITIES", "Claim", "Document", "Entity", "Event", "Extraction", "Mention",
           "Quantity", "normalise_text", "stable_id"]
