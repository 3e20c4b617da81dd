"""GraphML and GEXF files of the knowledge graph (written and read back by networkx).

Both formats only hold scalar attributes, so the graph is flattened first: lists and dicts
(aliases, qualifiers, label claims) become JSON strings, missing values are dropped, and the
claim's relation type is stored as ``relation`` and its offsets as ``char_start``/``char_end``
(``type``, ``start`` and ``end`` are reserved on GEXF edges). Nodes
keep ``type``, ``name`` (also ``label``), ``aliases``, ``country``, ``place_kind``, ``lat``,
``lon``; edges keep the claim id as edge key, ``relation``, ``modality``, ``attributed_to``,
``since``, ``until``, ``qualifiers``, ``evidence``, ``char_start``, ``char_end``, ``doc_id``,
``doc_title``.
"""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from ..analyze.graph import build_graph

SKIP_EDGE = {"object_value", "doc_url"}
# "type", "start" and "end" are reserved on GEXF edges (edge kind, time spells)
RENAME = {"type": "relation", "start": "char_start", "end": "char_end"}


def _scalar(value):
    if isinstance(value, (list, tuple, set, dict)):
        return json.dumps(sorted(value) if isinstance(value, set) else value, ensure_ascii=False,
                          sort_keys=True)
    if isinstance(value, bool):
        return str(value).lower()
    return value


def flatten(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``g`` whose attributes are all str/int/float (see the module docstring)."""
    flat = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        attrs = {k: _scalar(v) for k, v in d.items() if v not in (None, [], {}) and k != "values"}
        activities = [{"relation": c.get("type"), "value": c.get("object_value"),
                       "modality": c.get("modality"), "claim": c.get("id")}
                      for c in d.get("values") or []]
        if activities:
            attrs["label_claims"] = _scalar(activities)
        attrs["label"] = d.get("name") or n
        flat.add_node(n, **attrs)
    for u, v, k, d in g.edges(keys=True, data=True):
        attrs = {RENAME.get(key, key): _scalar(val) for key, val in d.items()
                 if val not in (None, [], {}) and key not in SKIP_EDGE and key != "id"}
        flat.add_edge(u, v, key=k, **attrs)
    return flat


def write_graphml(store, path: str | Path, g: nx.MultiDiGraph | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(flatten(g if g is not None else build_graph(store)), path, encoding="utf-8")
    return path


def write_gexf(store, path: str | Path, g: nx.MultiDiGraph | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    flat = flatten(g if g is not None else build_graph(store))
    for u, v, k, d in flat.edges(keys=True, data=True):
        d["id"] = k  # GEXF keeps edge ids, not multigraph keys
    nx.write_gexf(flat, path, encoding="utf-8")
    return path


def read_back(path: str | Path) -> nx.MultiDiGraph:
    """Read a file written here (GraphML or GEXF, by suffix) as a MultiDiGraph."""
    path = Path(path)
    if path.suffix.lower() == ".gexf":
        return nx.MultiDiGraph(nx.read_gexf(path))
    return nx.read_graphml(path, force_multigraph=True)
