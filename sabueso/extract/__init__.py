"""Extractors: entities, relations, attribution/modality, events and quantities."""
from .pipeline import extract_document

__all__ = ["extract_document"]
