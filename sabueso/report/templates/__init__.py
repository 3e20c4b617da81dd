"""Templates of analyst outputs: sentence templates (:mod:`.phrases`) and the HTML page
(:mod:`.html`, a Jinja2 template with autoescaping and inline CSS, no external files)."""
from .html import PROFILE_HTML
from .phrases import Phraser

__all__ = ["PROFILE_HTML", "Phraser"]
