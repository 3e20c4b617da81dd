"""Exports of the knowledge graph for other tools.

=========  =====================================================================  ===========
format     what                                                                   output
=========  =====================================================================  ===========
ftm        FollowTheMoney entities, JSON lines, validated by ``followthemoney``   a file
graphml    GraphML (networkx), one node per entity, one edge per claim            a file
gexf       GEXF (networkx, e.g. for Gephi), same graph                            a file
csv        documents/entities/claims/events/quantities ``.csv``                   a folder
neo4j      ``nodes.csv``/``relationships.csv`` (neo4j-admin headers), ``load.cypher``  a folder
=========  =====================================================================  ===========

Every export reads the store once (:func:`sabueso.analyze.graph.read_store`) and keeps each
claim's modality, attribution, evidence sentence and document.
"""
from __future__ import annotations

from pathlib import Path

from ..analyze.graph import build_graph, read_store

FORMATS = ("ftm", "graphml", "gexf", "csv", "neo4j")
FOLDER_FORMATS = ("csv", "neo4j")


def export(store, fmt: str, output: str | Path) -> dict[str, int]:
    """Write ``store`` in ``fmt`` to ``output``; returns a summary: path -> count.

    For ``ftm``: ``{output: entities}``; for ``graphml``/``gexf``: ``{"nodes": n, "edges": m}``;
    for the folder formats: the data rows of each CSV file written (and, for ``neo4j``, the
    statements of ``load.cypher``). :func:`unit` names what each count counts.
    """
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    data = read_store(store)
    output = Path(output)
    if fmt == "ftm":
        from .ftm import write_ftm
        return {str(output): write_ftm(store, output, data)}
    if fmt in ("graphml", "gexf"):
        from .graphml import write_gexf, write_graphml
        g = build_graph(data=data)
        (write_graphml if fmt == "graphml" else write_gexf)(store, output, g)
        return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
    if fmt == "csv":
        from .csvs import write_csvs
        return {str(p): n for p, n in write_csvs(store, output, data).items()}
    from .neo4j import write_neo4j
    return {str(p): n for p, n in write_neo4j(store, output, data).items()}


def unit(fmt: str, key: str, count: int) -> str:
    """What a count of :func:`export`'s summary counts, for printing: ``12 rows``."""
    fmt = fmt.lower()
    if fmt == "ftm":
        word = "entity" if count == 1 else "entities"
    elif fmt in ("graphml", "gexf"):
        return str(count)                      # the key says it: nodes, edges
    elif str(key).endswith(".cypher"):
        word = "statement" if count == 1 else "statements"
    else:
        word = "row" if count == 1 else "rows"
    return f"{count} {word}"


__all__ = ["FORMATS", "FOLDER_FORMATS", "export", "unit"]
