"""Analyst outputs: ``profile``, ``network``, ``timeline`` and ``export`` (issue 6).

Only option parsing and printing here; the work lives in ``analyze/``, ``report/`` and
``export/``.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

console = Console()
err = Console(stderr=True)
DB_HELP = "Database URL or SQLite file (default: $SABUESO_DB, else ./sabueso.db)."


LOW = 0.5      # sabueso.report.wording.LOW_CONFIDENCE (not imported here: --help stays fast)
HideLowOption = typer.Option(
    False, "--hide-low-confidence",
    help=f"Hide claims and figures the learned scorer gives less than {LOW} (otherwise they are "
         "shown, marked 'low confidence').")
ShownMinOption = typer.Option(
    None, "--min-confidence", min=0.0, max=1.0,
    help="Hide claims and figures the learned scorer gives less than this probability.")


def shown_min(hide_low: bool, min_confidence: Optional[float]) -> Optional[float]:
    """The score below which claims and figures are hidden (None: show everything)."""
    return min_confidence if min_confidence is not None else (LOW if hide_low else None)


def _open(db: Optional[str]):
    from ..store import Store, resolve_db_url
    return Store.open(resolve_db_url(db))


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/bold red] {escape(message)}")
    raise typer.Exit(1)


def _find(store, name: str) -> dict:
    """The entity with this id, name or alias; several: the first (the others named on
    stderr); none: an error naming the closest names (never a silent fuzzy pick)."""
    exact, closest = store.lookup(name)
    if not exact:
        _fail(not_found(name, closest))
    if len(exact) > 1:
        others = ", ".join(f"{f['name']} ({f['type']}, {f['id']})" for f in exact[1:])
        err.print(f"[dim]Using {escape(exact[0]['name'])} ({exact[0]['id']}); also named so: "
                  f"{escape(others)}[/dim]")
    return exact[0]


def not_found(name: str, closest: list[dict]) -> str:
    if not closest:
        return f"no entity named {name!r}; try `sabueso entities`"
    names = "; ".join(f"{c['name']} ({c['type']}, {c['id']})" for c in closest)
    return f"no entity named {name!r}. Closest names: {names}"


def profile(name: str = typer.Argument(..., help="A name or alias (fuzzy matching)."),
            fmt: str = typer.Option("md", "--format", "-f", help="md or html."),
            output: Optional[Path] = typer.Option(None, "--output", "-o",
                                                  help="Write to this file (default: print)."),
            db: Optional[str] = typer.Option(None, "--db", help=DB_HELP),
            hide_low: bool = HideLowOption, min_confidence: Optional[float] = ShownMinOption):
    """A cited profile of a group or person: every sentence footnoted to its evidence, worded
    as the text words it (according to ..., may ..., denied by ...); low-confidence
    statements are marked, or hidden with --hide-low-confidence / --min-confidence."""
    from ..report.profile import render_profile
    if fmt not in ("md", "html"):
        _fail(f"unknown format {fmt!r}; expected md or html")
    store = _open(db)
    text = render_profile(store, _find(store, name)["id"], fmt,
                          min_confidence=shown_min(hide_low, min_confidence))
    store.close()
    if output is None:
        sys.stdout.write(text)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    console.print(f"profile written to {escape(str(output))}")


def network(name: Optional[str] = typer.Argument(None, help="Centre of an ego network "
                                                  "(default: the whole graph)."),
            depth: int = typer.Option(1, "--depth", "-d", help="Hops around NAME."),
            output: Optional[Path] = typer.Option(None, "--output", "-o",
                                                  help="Also draw the network to FILE.svg or FILE.png."),
            top: int = typer.Option(15, "--top", help="Rows of the centrality table."),
            db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)):
    """Degree and betweenness centrality, brokers and communities (Leiden when available)."""
    from ..analyze.graph import build_graph, label
    from ..analyze.network import analyze, draw
    if output is not None and output.suffix.lower() not in (".svg", ".png"):
        _fail("--output must end in .svg or .png")
    store = _open(db)
    center = _find(store, name)["id"] if name else None
    g = build_graph(store)
    store.close()
    result = analyze(g, center, depth)
    sub = result["graph"]
    title = f"ego network of {label(g, center)} (depth {depth})" if center else "whole graph"
    console.print(f"[bold]{escape(title)}[/bold]: {sub.number_of_nodes()} nodes, "
                  f"{sub.number_of_edges()} claims")
    table = Table("entity", "type", "degree", "betweenness",
                  title="Centrality of the actors (groups, people, government bodies, "
                        "organisations), over the relations between them")
    ranked = sorted(result["degree"], key=lambda n: (-result["degree"][n], label(sub, n)))
    for n in ranked[:top]:
        table.add_row(escape(label(sub, n)), sub.nodes[n].get("type", ""),
                      f"{result['degree'].get(n, 0):.3f}", f"{result['betweenness'].get(n, 0):.3f}")
    console.print(table)
    brokers = Table("broker", "type", "betweenness", title="Brokers (actors with the top betweenness)")
    for n in result["brokers"]:
        brokers.add_row(escape(label(sub, n)), sub.nodes[n].get("type", ""),
                        f"{result['betweenness'][n]:.3f}")
    console.print(brokers)
    context = Table("place or thing", "type", "actors tied to it",
                    title="Context (places, prisons, commodities: not ranked)")
    for n, k in result["context"][:top]:
        context.add_row(escape(label(sub, n)), sub.nodes[n].get("type", ""), str(k))
    console.print(context)
    groups = Table("#", "size", "members", title=f"Communities — {result['method']}")
    for i, members in enumerate(result["communities"], 1):
        names = ", ".join(label(sub, n) for n in members)
        groups.add_row(str(i), str(len(members)),
                       escape(names if len(names) <= 300 else names[:300] + " …"))
    console.print(groups)
    if output is not None:
        draw(sub, output, center)
        console.print(f"network image written to {escape(str(output))}")


def timeline(name: str = typer.Argument(..., help="A name or alias (fuzzy matching)."),
             db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)):
    """Dated events and dated claims about one entity, oldest first, with their evidence."""
    from ..analyze.graph import build_graph, label
    from ..analyze.timeline import timeline as build_timeline
    store = _open(db)
    entity = _find(store, name)
    g = build_graph(store)
    store.close()
    entries = build_timeline(g, entity["id"])
    table = Table("date", "what", "modality", "evidence", "document",
                  title=f"Timeline of {escape(entity['name'])}")
    for e in entries:
        if e["kind"] == "event":
            who = ", ".join(label(g, p) for p in e["participants"])
            what = f"{e['type']}: {who}" + (f" in {label(g, e['place'])}" if e["place"] else "")
        else:
            other = label(g, e["object"]) if e["object"] else str(e["value"])
            span = " – ".join(x for x in (e["since"], e["until"]) if x)
            rel = e["type"].lower().replace("_", " ")
            what = f"{label(g, e['subject'])} — {rel} — {other} ({span})"
            if e["attributed_to"]:
                what += " according to " + "; ".join(e["attributed_to"])
        for i, item in enumerate(e["items"]):
            table.add_row(e["date"] if i == 0 else "", escape(what) if i == 0 else "",
                          e["modality"] if i == 0 else "", escape(f"“{item['evidence']}”"),
                          escape(str(item.get("doc_title") or item.get("doc_id"))))
    console.print(table if entries else f"No dated events or claims about {escape(entity['name'])}.")


def export(fmt: str = typer.Option(..., "--format", "-f", help="One of ftm, graphml, gexf, csv or neo4j."),
           output: Path = typer.Option(..., "--output", "-o",
                                       help="A file (ftm, graphml, gexf) or a folder (csv, neo4j)."),
           db: Optional[str] = typer.Option(None, "--db", help=DB_HELP)):
    """Export the whole graph: FollowTheMoney, GraphML, GEXF, CSV tables or Neo4j import files."""
    from ..export import FORMATS, unit
    from ..export import export as run_export
    if fmt.lower() not in FORMATS:
        _fail(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    store = _open(db)
    summary = run_export(store, fmt, output)
    store.close()
    console.print(f"exported {fmt.lower()} to {escape(str(output))}", soft_wrap=True)
    for key, count in summary.items():   # one line each, never wrapped: scripts read these
        console.print(f"{escape(key)}: {unit(fmt, key, count)}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("profile")(profile)
    app.command("network")(network)
    app.command("timeline")(timeline)
    app.command("export")(export)
