"""Extractors: entities, relations, attribution/modality, events and quantities."""
from .pipeline import extract_document, extract_documents

__all__ = ["extract_document", "extract_documents"]
