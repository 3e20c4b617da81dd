"""Render everything known about one entity, each fact with its quoted evidence."""
from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

MODALITY_STYLE = {"asserted": "green", "reported": "cyan", "hedged": "yellow", "denied": "red"}
MODALITY_WORDS = {"asserted": "stated by the text", "reported": "reported by a source",
                  "hedged": "hedged / alleged", "denied": "denied / no evidence"}


def _other(claim: dict, entity_id: str) -> tuple[str, str]:
    """(direction arrow, name of the other end) for a claim seen from ``entity_id``."""
    subj, obj = claim["subject"], claim["object"]
    if subj.get("id") == entity_id:
        return "→", obj.get("name") or obj.get("value") or "?"
    return "←", subj.get("name") or "?"


def render_entity(console: Console, store, entity: dict) -> None:
    eid = entity["id"]
    head = f"[bold]{escape(entity['name'])}[/bold]  [dim]{entity['type']}[/dim]"
    aliases = [a for a in entity.get("aliases") or [] if a.casefold() != entity["name"].casefold()]
    if aliases:
        head += "\n[dim]also known as:[/dim] " + escape(", ".join(aliases))
    if entity.get("country"):
        head += f"\n[dim]country:[/dim] {entity['country']}"
        if entity.get("lat") is not None:
            head += f"  ({entity['lat']:.2f}, {entity['lon']:.2f})"
    head += f"\n[dim]documents:[/dim] {entity.get('documents', 0)}  [dim]id:[/dim] {eid}"
    console.print(Panel(head, expand=False))
    claims = store.entity_claims(eid)
    by_type: dict[str, list[dict]] = defaultdict(list)
    for c in claims:
        by_type[c["type"]].append(c)
    if not claims:
        console.print("[dim]No facts recorded about this entity yet.[/dim]")
    for rtype in sorted(by_type):
        console.print(f"\n[bold underline]{rtype}[/bold underline]")
        for c in by_type[rtype]:
            arrow, other = _other(c, eid)
            style = MODALITY_STYLE.get(c["modality"], "white")
            line = f" {arrow} [bold]{escape(str(other))}[/bold]  [{style}]{c['modality']}[/{style}]"
            if c.get("attributed_to"):
                line += f" [dim]according to[/dim] {escape(c['attributed_to'])}"
            when = " – ".join(x for x in (c.get("since"), c.get("until")) if x)
            if when:
                line += f" [dim]({escape(when)})[/dim]"
            quals = {k: v for k, v in (c.get("qualifiers") or {}).items() if k != "source"}
            if quals:
                line += " [dim]" + escape(", ".join(f"{k}: {v}" for k, v in quals.items())) + "[/dim]"
            console.print(line)
            console.print(f"     [italic]“{escape(c['evidence'])}”[/italic]")
            console.print(f"     [dim]— {escape(c.get('doc_title') or c.get('doc_path') or c['doc_id'])},"
                          f" chars {c['start']}–{c['end']}, extractor {c.get('extractor')}[/dim]")
    events = store.entity_events(eid)
    if events:
        console.print("\n[bold underline]Events[/bold underline]")
        for v in sorted(events, key=lambda v: v.get("date") or "9999"):
            cas = f", {v['casualties']} killed" if v.get("casualties") else ""
            console.print(f" • {v.get('date') or 'undated'}  [bold]{v['type']}[/bold]{cas}")
            console.print(f"     [italic]“{escape(v['evidence'])}”[/italic] [dim]— {escape(v.get('doc_title') or '')}[/dim]")
    quantities = store.entity_quantities(eid)
    if quantities:
        console.print("\n[bold underline]Figures[/bold underline]")
        for q in quantities:
            qual = f"{q['qualifier']} " if q.get("qualifier") else ""
            value = int(q["value"]) if float(q["value"]).is_integer() else q["value"]
            console.print(f" • {q['measure']}: {qual}{value:,}")
            console.print(f"     [italic]“{escape(q['evidence'])}”[/italic] [dim]— {escape(q.get('doc_title') or '')}[/dim]")
