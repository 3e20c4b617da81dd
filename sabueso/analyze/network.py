"""Network analysis of the knowledge graph: ego networks, centrality, brokers, communities and
a picture (matplotlib, Agg backend) with relation types as edge labels and modality as style:
asserted solid, reported/hedged dashed, denied dotted red.

Centrality and brokers are computed over the actors only (criminal groups, people,
government bodies, organisations) and the relations between them: a country that many
actors operate in is context, not a broker, and two groups active in the same place are not
linked through it. Places, prisons and commodities are listed as context with the number of
actors tied to them. Communities are found over the whole network, places included.

Communities use Leiden (python-igraph + leidenalg) when both import, else networkx Louvain,
else networkx greedy modularity; :func:`communities` says which method it used.
"""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from .graph import ego, label

EDGE_STYLE = {"asserted": ("solid", "#444444"), "reported": ("dashed", "#1f5fbf"),
              "hedged": ("dashed", "#d08000"), "denied": ("dotted", "#cc0000")}
ACTORS = ("CriminalGroup", "Person", "GovernmentBody", "Organization")
NODE_COLOURS = {"CriminalGroup": "#d9534f", "Person": "#5bc0de", "Organization": "#f0ad4e",
                "GovernmentBody": "#5cb85c", "Place": "#c0c0c0", "Prison": "#8c6d62",
                "Commodity": "#e6d85a"}


def collapse(g: nx.MultiDiGraph) -> nx.Graph:
    """Undirected simple graph: one edge per linked pair, ``weight`` = number of claims."""
    simple = nx.Graph()
    simple.add_nodes_from(g.nodes(data=True))
    for u, v, d in g.edges(data=True):
        if u == v:
            continue
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += 1
            simple[u][v]["types"].add(d.get("type"))
        else:
            simple.add_edge(u, v, weight=1, types={d.get("type")})
    return simple


def communities(simple: nx.Graph, seed: int = 42) -> tuple[str, list[list[str]]]:
    """(method, communities as lists of node ids, largest first)."""
    if simple.number_of_edges() == 0:
        return "none (no edges)", [[n] for n in simple.nodes]
    try:
        import igraph as ig
        import leidenalg
        ig_graph = ig.Graph.from_networkx(simple)
        part = leidenalg.find_partition(ig_graph, leidenalg.ModularityVertexPartition,
                                        weights="weight", seed=seed)
        names = ig_graph.vs["_nx_name"]
        groups = [[names[i] for i in members] for members in part]
        method = "leiden (leidenalg)"
    except ImportError:
        try:
            groups = [list(c) for c in nx.community.louvain_communities(simple, weight="weight",
                                                                       seed=seed)]
            method = "louvain (networkx)"
        except AttributeError:  # pragma: no cover - very old networkx
            groups = [list(c) for c in nx.community.greedy_modularity_communities(simple)]
            method = "greedy modularity (networkx)"
    return method, sorted((sorted(c) for c in groups if c), key=lambda c: (-len(c), c))


def analyze(g: nx.MultiDiGraph, center: str | None = None, depth: int = 1,
            top: int = 5) -> dict:
    """Centralities, brokers and communities of ``center``'s ego network (or the whole graph).

    Returns ``graph`` (the MultiDiGraph analysed), ``degree`` and ``betweenness`` (actor ->
    value, over the relations between actors), ``brokers`` (top ``top`` actors by
    betweenness with value > 0), ``context`` (the other nodes, each with the number of
    actors tied to it, most first), ``method`` and ``communities``.
    """
    sub = ego(g, center, depth) if center else g
    simple = collapse(sub)
    actors = simple.subgraph(n for n in simple if simple.nodes[n].get("type") in ACTORS)
    degree = nx.degree_centrality(actors) if len(actors) > 1 else {n: 0.0 for n in actors}
    between = nx.betweenness_centrality(actors, normalized=True)
    brokers = [n for n in sorted(between, key=lambda n: (-between[n], label(sub, n)))
               if between[n] > 0][:top]
    context = {n: sum(1 for m in simple[n] if m in actors) for n in simple if n not in actors}
    method, groups = communities(simple)
    return {"graph": sub, "center": center, "degree": degree, "betweenness": between,
            "brokers": brokers, "context": sorted(context.items(),
                                                  key=lambda x: (-x[1], label(sub, x[0]))),
            "method": method, "communities": groups}


def _edge_groups(g: nx.MultiDiGraph) -> dict[tuple, dict[str, list[str]]]:
    """(u, v) -> modality -> relation types."""
    out: dict[tuple, dict[str, list[str]]] = {}
    for u, v, d in g.edges(data=True):
        if u == v:
            continue
        types = out.setdefault((u, v), {}).setdefault(d.get("modality") or "asserted", [])
        if d.get("type") not in types:
            types.append(d.get("type"))
    return out


def draw(g: nx.MultiDiGraph, path: str | Path, center: str | None = None,
         title: str | None = None) -> Path:
    """Write a PNG or SVG picture of ``g`` to ``path`` (format from the suffix)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    size = min(22, 7 + len(g) * 0.25)
    fig, ax = plt.subplots(figsize=(size, size * 0.75))
    pos = nx.spring_layout(nx.Graph(g), seed=7, k=1.6 / max(1, len(g)) ** 0.5)
    colours = [NODE_COLOURS.get(g.nodes[n].get("type"), "#999999") for n in g]
    sizes = [900 if n == center else 420 for n in g]
    nx.draw_networkx_nodes(g, pos, ax=ax, node_color=colours, node_size=sizes, alpha=0.9)
    nx.draw_networkx_labels(g, pos, ax=ax, labels={n: label(g, n) for n in g}, font_size=8)
    edge_labels: dict[tuple, str] = {}
    for (u, v), by_modality in _edge_groups(g).items():
        for i, (modality, types) in enumerate(sorted(by_modality.items())):
            style, colour = EDGE_STYLE.get(modality, EDGE_STYLE["asserted"])
            nx.draw_networkx_edges(g, pos, ax=ax, edgelist=[(u, v)], style=style,
                                   edge_color=colour, width=1.4, arrows=True, arrowsize=12,
                                   node_size=900 if v == center else 420,
                                   connectionstyle=f"arc3,rad={0.08 + 0.12 * i}")
            text = ", ".join(t.lower() for t in types) + ("" if modality == "asserted"
                                                          else f" ({modality})")
            edge_labels[(u, v)] = "; ".join(x for x in (edge_labels.get((u, v)), text) if x)
    if len(edge_labels) <= 200:
        nx.draw_networkx_edge_labels(nx.DiGraph(list(edge_labels)), pos, ax=ax,
                                     edge_labels=edge_labels, font_size=6, label_pos=0.5,
                                     connectionstyle="arc3,rad=0.08")
    handles = [Line2D([0], [0], color=c, linestyle=s, label=m) for m, (s, c) in EDGE_STYLE.items()]
    types = sorted({g.nodes[n].get("type") for n in g} & set(NODE_COLOURS))
    handles += [Line2D([0], [0], marker="o", linestyle="", color=NODE_COLOURS[t], label=t)
                for t in types]
    ax.legend(handles=handles, loc="lower left", fontsize=8, title="modality / entity type")
    ax.set_title(title or (f"Ego network of {label(g, center)}" if center else "Network"))
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, format=path.suffix.lstrip(".").lower() or "png", dpi=150)
    plt.close(fig)
    return path
