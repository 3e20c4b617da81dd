"""What the running app holds: the store, the search index and a cached graph snapshot.

The snapshot (every entity and claim as a networkx graph, without the claims reviewers
rejected and with their corrections of type and modality, plus each claim's review status) is rebuilt when the store's fingerprint changes:
a review action, a merge, or an ingest run from the command line while the server is up are
all seen by the next request.
"""
from __future__ import annotations

import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from ..analyze.graph import build_graph, read_store
from .queries import all_judgements
from .review import claim_statuses
from .search import SearchIndex

STATIC = Path(__file__).resolve().parent / "static"
VENDOR = STATIC / "vendor"
VENDOR_FILES = {"cytoscape": "cytoscape/cytoscape.min.js", "leaflet": "leaflet/leaflet.js",
                "swagger": "swagger-ui/swagger-ui-bundle.js",
                "topojson": "topojson-client/topojson-client.min.js",
                "outlines": "world-atlas/countries-110m.topojson"}


@dataclass
class Snapshot:
    fingerprint: str
    graph: nx.MultiDiGraph
    statuses: dict[str, dict[str, Any]]
    judgements: list[dict] = field(default_factory=list)


def _corrected(claim: dict, verdict: dict | None) -> dict:
    """The claim as a reviewer corrected it (type, modality), else as extracted."""
    if not verdict or verdict["status"] != "corrected":
        return claim
    out = {**claim, "type": verdict.get("type") or claim["type"],
           "modality": verdict.get("modality") or claim.get("modality")}
    if out["modality"] != "reported":
        out["attributed_to"] = None
    return out


class WebState:
    def __init__(self, store, reviewer: str | None = None):
        self.store = store
        self.search = SearchIndex(store)
        self.reviewer = reviewer or os.environ.get("USER") or os.environ.get("USERNAME") or ""
        self.csrf = secrets.token_urlsafe(32)
        self._lock = threading.Lock()
        self._snap: Snapshot | None = None

    def vendor(self) -> dict[str, bool]:
        """Which front-end libraries ``make frontend`` has copied in."""
        return {k: (VENDOR / v).is_file() for k, v in VENDOR_FILES.items()}

    def snapshot(self) -> Snapshot:
        stamp = self.search.fingerprint()
        snap = self._snap
        if snap is not None and snap.fingerprint == stamp:
            return snap
        with self._lock:
            if self._snap is not None and self._snap.fingerprint == stamp:
                return self._snap
            judgements = all_judgements(self.store)
            statuses = claim_statuses(judgements)
            data = read_store(self.store)
            data["claims"] = [_corrected(c, statuses.get(c["id"])) for c in data["claims"]
                              if statuses.get(c["id"], {}).get("status") != "rejected"]
            self._snap = Snapshot(stamp, build_graph(data=data), statuses, judgements)
            return self._snap

    def invalidate(self) -> None:
        with self._lock:
            self._snap = None
