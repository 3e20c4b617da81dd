"""Resolution commands: ``resolve``, ``merge``, ``split``, ``not-same``, ``conflicts`` and
``support`` (the work lives in ``sabueso.store``; ``judgements`` is in ``judgements.py``)."""
from __future__ import annotations

import json
import os
import sys
import time
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

console = Console()
err = Console(stderr=True)

DB = typer.Option(None, "--db", help="Database URL or SQLite file (default: $SABUESO_DB, else ./sabueso.db).")
REVIEWER = typer.Option(None, "--reviewer", help="Who judges (default: $USER).")
NOTE = typer.Option(None, "--note", help="Why (kept with the judgement).")
JSON = typer.Option(False, "--json", help="Print JSON.")


def _store(db: Optional[str]):
    from ..store import Store, resolve_db_url
    return Store.open(resolve_db_url(db))


def _judge(db: Optional[str], method: str, *args, reviewer=None, note=None) -> None:
    from ..store.judging import JudgementError
    store = _store(db)
    try:
        out = getattr(store, method)(*args, reviewer=reviewer or os.environ.get("USER"), note=note)
    except JudgementError as exc:
        err.print(f"[bold red]error:[/bold red] {exc}")
        raise typer.Exit(1)
    finally:
        store.close()
    names = ", ".join(out["now"])
    if out.get("blocked"):
        err.print("[yellow]recorded, but a not-same judgement keeps them apart[/yellow]")
    console.print(f"judgement {out['id']} ({out['kind']}) by {out['reviewer'] or 'unknown'}: "
                  f"now {names}; {out['moved']} name keys moved, {out['created']} entities "
                  f"created, {out['removed']} removed")


def _name(store, eid: Optional[str]) -> str:
    e = store.entity(eid) if eid else None
    return f"{e['name']} ({eid})" if e else str(eid)


def _side(x: dict) -> str:
    return f"{x['name']} ({x['type']}, {x['entity'] or x['key']})"


def _print_report(rows: list[dict]) -> None:
    from rich.markup import escape
    joined = [r for r in rows if r["joined"]]
    apart = [r for r in rows if not r["joined"]]
    console.print(f"\n[bold]Merges made[/bold] ({len(joined)})")
    for r in joined:
        console.print(escape(f"  {_side(r['a'])} + {_side(r['b'])}: {r['why']} [{r['rule']}]"))
    console.print(f"\n[bold]Left apart[/bold] ({len(apart)})")
    for r in apart:
        other = "" if r["rule"] == "bare_name" else f" / {_side(r['b'])}"
        console.print(escape(f"  {_side(r['a'])}{other}: {r['why']} [{r['rule']}]"))


def register(app: typer.Typer) -> None:
    @app.command("resolve")
    def resolve_cmd(db: Optional[str] = DB,
                    report: bool = typer.Option(False, "--report", help=(
                        "Then list the merges made and the near-misses left apart, with why "
                        "(judge them with merge / not-same).")),
                    as_json: bool = JSON):
        """Re-cluster every stored entity record (names, aliases, acronyms, typos, places),
        then re-apply every reviewer judgement."""
        store = _store(db)
        t0 = time.perf_counter()
        out = store.resolve()
        rows = store.resolution_report() if report else None
        store.close()
        if as_json:
            sys.stdout.write(json.dumps({**out, "report": rows}, ensure_ascii=False, indent=2) + "\n")
            return
        console.print(f"{out['keys']} name keys -> {out['entities']} entities "
                      f"({out['moved']} keys moved, {out['created']} entities created, "
                      f"{out['removed']} removed) in {time.perf_counter() - t0:.1f}s")
        if rows is not None:
            _print_report(rows)

    @app.command("merge")
    def merge_cmd(a: str = typer.Argument(..., help="Entity id, older id or exact name."),
                  b: str = typer.Argument(..., help="Entity id, older id or exact name."),
                  reviewer: Optional[str] = REVIEWER, note: Optional[str] = NOTE,
                  db: Optional[str] = DB):
        """Judge two entities one (transitive; survives re-ingesting and `resolve`)."""
        _judge(db, "merge", a, b, reviewer=reviewer, note=note)

    @app.command("not-same")
    def not_same_cmd(a: str = typer.Argument(..., help="Entity id, older id or exact name."),
                     b: str = typer.Argument(..., help="Entity id, older id or exact name."),
                     reviewer: Optional[str] = REVIEWER, note: Optional[str] = NOTE,
                     db: Optional[str] = DB):
        """Judge two entities different: nothing may join them, directly or through others."""
        _judge(db, "not_same", a, b, reviewer=reviewer, note=note)

    @app.command("split")
    def split_cmd(entity: str = typer.Argument(..., help="Entity id or exact name."),
                  reviewer: Optional[str] = REVIEWER, note: Optional[str] = NOTE,
                  db: Optional[str] = DB):
        """Undo the merges into an entity: each of its name keys stands alone again."""
        _judge(db, "split", entity, reviewer=reviewer, note=note)

    @app.command("conflicts")
    def conflicts_cmd(undated: bool = typer.Option(False, "--undated", help="Also leaders whose claims carry no date."),
                      as_json: bool = JSON, db: Optional[str] = DB):
        """Contradictions between sources: a fact stated in one and denied in another, two
        leaders of one group over overlapping periods."""
        store = _store(db)
        rows = store.conflicts(undated)
        if as_json:
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
            return
        if not rows:
            console.print("no conflicts")
        for c in rows:
            if c["kind"] == "denied":
                obj = _name(store, c["object"]) if c["object"] else repr(c["object_value"])
                console.print(f"[bold]{c['type']}[/bold] {_name(store, c['subject'])} -> {obj}")
                for label, cs in (("stated", c["stated"]), ("denied", c["denied"])):
                    for cl in cs:
                        console.print(f"  {label}: “{cl['evidence']}” — {cl['doc_title'] or cl['doc_id']}")
            else:
                who = " / ".join(_name(store, s) for s in c["subjects"])
                dated = "" if c["dated"] else " (undated)"
                console.print(f"[bold]two leaders[/bold]{dated} of {_name(store, c['object'])}: {who}")
                for cl in c["claims"]:
                    span = f"{cl['since'] or '?'}–{cl['until'] or '?'}"
                    console.print(f"  {span}: “{cl['evidence']}” — {cl['doc_title'] or cl['doc_id']}")

    @app.command("support")
    def support_cmd(name: str = typer.Argument(..., help="A name, alias or id."),
                    as_json: bool = JSON, db: Optional[str] = DB):
        """Claims about an entity with the documents and publishers that corroborate each."""
        store = _store(db)
        found = store.find_entities(name, limit=1) or ([store.entity(name)] if store.entity(name) else [])
        if not found:
            err.print(f"[bold red]error:[/bold red] no entity matches {name!r}")
            raise typer.Exit(1)
        rows = store.entity_claims(found[0]["id"])
        if as_json:
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
            return
        table = Table("relation", "subject", "object", "modality", "docs", "publishers", "denied")
        for c in rows:
            s = c.get("support") or {}
            table.add_row(c["type"], c["subject"]["name"] or "", c["object"]["name"] or "",
                          c["modality"] or "", str(s.get("documents", 0)),
                          str(s.get("publishers", 0)), str(s.get("denied_documents", 0)))
        console.print(table)
