"""Sabueso's web app (``sabueso serve``): a JSON API with OpenAPI docs and server-rendered
pages — search (SQLite FTS5), entity profiles with citations, the network, the map, the
timeline, documents with the evidence highlighted and a review queue whose actions are stored
as judgements. Modules: ``app`` (the FastAPI app), ``routes_api``, ``routes_pages``,
``search`` (the full-text index), ``views`` (view models), ``review`` (reviewers' actions),
``queries`` (extra reads), ``security`` (CSP, CSRF and host checks), ``state``.
"""
from .app import create_app

__all__ = ["create_app"]
