"""Entity resolution: name normalisation and (later) cross-document merging."""
from .names import norm_name

__all__ = ["norm_name"]
