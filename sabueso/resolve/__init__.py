"""Entity resolution: name normalisation, rule links between name keys, clustering with
reviewers' judgements, and the offline place gazetteer."""
from .names import name_key, norm_name

__all__ = ["name_key", "norm_name"]
