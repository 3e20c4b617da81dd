"""Render everything known about one entity, each fact with its quoted evidence.

Relation and event types are named in words (``ontology.yaml`` labels), each claim, event and
figure says how sure the text is of it ("according to police", "hedged: the text says it may
be so", "denied by ...") and a learned score below the threshold is marked "low confidence";
``min_confidence`` hides those. Sections with nothing in them are not printed.
"""
from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel

from .templates.figures import figure
from .wording import confidence_words, kept, label, status_words

MODALITY_STYLE = {"asserted": "green", "reported": "cyan", "hedged": "yellow", "denied": "red"}


def _other(claim: dict, entity_id: str) -> tuple[str, str]:
    """(direction arrow, name of the other end) for a claim seen from ``entity_id``."""
    subj, obj = claim["subject"], claim["object"]
    if subj.get("id") == entity_id:
        if not obj.get("id"):                      # a label: an activity, not an entity
            return "→", label(obj.get("value") or obj.get("name")) or "?"
        return "→", obj.get("name") or "?"
    return "←", subj.get("name") or "?"


def _heading(name: str, rtype: str, outgoing: bool) -> str:
    """'Los Halcones Grises operates in' / '… leads Los Halcones Grises'."""
    return f"{name} {label(rtype)}" if outgoing else f"… {label(rtype)} {name}"


def _tag(item: dict, kind: str = "claim") -> str:
    """'[cyan]according to police[/cyan]  [dim]low confidence (0.31)[/dim]'"""
    m = item.get("modality") or "asserted"
    style = MODALITY_STYLE.get(m, "white")
    out = f"[{style}]{escape(status_words(item, kind))}[/{style}]"
    low = confidence_words(item.get("confidence"))
    return out + (f"  [dim]{low}[/dim]" if low else "")


def _source(item: dict) -> str:
    return escape(item.get("doc_title") or item.get("doc_path") or item.get("doc_id") or "")


def render_entity(console: Console, store, entity: dict, min_confidence: float | None = None) -> None:
    """Print ``entity`` with its claims, events and figures; ``min_confidence`` hides the
    claims and figures whose learned score is below it (a line says how many)."""
    eid = entity["id"]
    head = f"[bold]{escape(entity['name'])}[/bold]  [dim]{escape(label(entity['type']))}[/dim]"
    aliases = [a for a in entity.get("aliases") or [] if a.casefold() != entity["name"].casefold()]
    if aliases:
        head += "\n[dim]also known as:[/dim] " + escape(", ".join(aliases))
    if entity.get("country"):
        head += f"\n[dim]country:[/dim] {entity['country']}"
        if entity.get("lat") is not None:
            head += f"  ({entity['lat']:.2f}, {entity['lon']:.2f})"
    head += f"\n[dim]documents:[/dim] {entity.get('documents', 0)}  [dim]id:[/dim] {eid}"
    console.print(Panel(head, expand=False))
    all_claims = store.entity_claims(eid)
    all_quantities = store.entity_quantities(eid)
    claims = [c for c in all_claims if kept(c.get("confidence"), min_confidence)]
    quantities = [q for q in all_quantities if kept(q.get("confidence"), min_confidence)]
    events = store.entity_events(eid)
    by_type: dict[tuple[str, bool], list[dict]] = defaultdict(list)
    for c in claims:
        by_type[(c["type"], c["subject"].get("id") == eid)].append(c)
    if not (claims or events or quantities):
        console.print("[dim]No facts recorded about this entity yet.[/dim]")
    for rtype, outgoing in sorted(by_type, key=lambda k: (not k[1], label(k[0]))):
        title = _heading(entity["name"], rtype, outgoing)
        console.print(f"\n[bold underline]{escape(title)}[/bold underline]")
        for c in by_type[(rtype, outgoing)]:
            arrow, other = _other(c, eid)
            line = f" {arrow} [bold]{escape(str(other))}[/bold]  {_tag(c)}"
            when = " – ".join(x for x in (c.get("since"), c.get("until")) if x)
            if when:
                line += f" [dim]({escape(when)})[/dim]"
            quals = {k: v for k, v in (c.get("qualifiers") or {}).items() if k != "source"}
            if quals:
                line += " [dim]" + escape(", ".join(f"{k}: {v}" for k, v in quals.items())) + "[/dim]"
            console.print(line)
            console.print(f"     [italic]“{escape(c['evidence'])}”[/italic]")
            console.print(f"     [dim]— {_source(c)}, chars {c['start']}–{c['end']},"
                          f" extractor {c.get('extractor')}[/dim]")
    if events:
        console.print("\n[bold underline]Events[/bold underline]")
        for v in sorted(events, key=lambda v: v.get("date") or "9999"):
            cas = f", {v['casualties']} killed" if v.get("casualties") else ""
            name = label(v["type"])
            console.print(f" • {v.get('date') or 'undated'}  [bold]{escape(name[:1].upper() + name[1:])}"
                          f"[/bold]{cas}  {_tag(v, 'event')}")
            console.print(f"     [italic]“{escape(v['evidence'])}”[/italic] [dim]— {_source(v)}[/dim]")
    if quantities:
        console.print("\n[bold underline]Figures[/bold underline]")
        for q in quantities:
            value = figure(q["value"], q.get("qualifier"))
            console.print(f" • {escape(label(q['measure']))}: {value}  {_tag(q, 'figure')}")
            console.print(f"     [italic]“{escape(q['evidence'])}”[/italic] [dim]— {_source(q)}[/dim]")
    hidden = len(all_claims) - len(claims) + len(all_quantities) - len(quantities)
    if hidden:
        console.print(f"\n[dim]{hidden} claim{'s' if hidden != 1 else ''} or figure"
                      f"{'s' if hidden != 1 else ''} scored below {min_confidence:.2f} hidden.[/dim]")
