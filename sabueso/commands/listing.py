"""The table of ``sabueso entities``: full ids (never cut, they are what ``show`` and ``merge``
take), type in words, name, country, documents and aliases (the first few; all with --wide)."""
from __future__ import annotations

from rich.table import Table

#: Aliases listed per entity without --wide (the rest counted: "+4 more").
ALIASES = 3


def aliases_text(aliases: list[str], name: str, wide: bool) -> str:
    others = [a for a in dict.fromkeys(aliases or []) if a.casefold() != name.casefold()]
    if wide or len(others) <= ALIASES:
        return ", ".join(others)
    return ", ".join(others[:ALIASES]) + f" (+{len(others) - ALIASES} more)"


def entity_table(rows: list[dict], wide: bool = False) -> tuple[Table, int]:
    """The table and the width it needs to print every cell on one line."""
    from ..ontology import get_ontology
    onto = get_ontology()
    table = Table(show_lines=False)
    id_width = max([len(r["id"]) for r in rows] + [2])
    table.add_column("id", no_wrap=True, min_width=id_width)
    table.add_column("type", no_wrap=wide)
    table.add_column("name", no_wrap=wide)
    table.add_column("country", no_wrap=True)
    table.add_column("docs", justify="right", no_wrap=True)
    table.add_column("aliases", no_wrap=wide, overflow="fold")
    widths = [id_width, 4, 4, 7, 4, 7]
    for r in rows:
        cells = [r["id"], onto.label(r["type"]), r["name"], r.get("country") or "",
                 str(r.get("documents", 0)), aliases_text(r.get("aliases") or [], r["name"], wide)]
        table.add_row(*cells)
        widths = [max(w, len(c)) for w, c in zip(widths, cells)]
    return table, sum(widths) + 3 * len(widths) + 1
