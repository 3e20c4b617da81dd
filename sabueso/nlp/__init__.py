"""spaCy pipelines (English model from PyPI, Spanish model trained by the project)."""
from .pipeline import get_nlp

__all__ = ["get_nlp"]
