"""``sabueso judgements`` (list reviewers' judgements) and ``sabueso judgements export``
(write them as training examples for ``sabueso train extractor --judgements``)."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

console = Console()
err = Console(stderr=True)

DB = typer.Option(None, "--db", help="Database URL or SQLite file (default: $SABUESO_DB, else ./sabueso.db).")
JSON = typer.Option(False, "--json", help="Print JSON.")
judgements_app = typer.Typer(help="Reviewers' judgements: list them, or export them as training examples.",
                             invoke_without_command=True)


def _store(db: Optional[str]):
    from ..store import Store, resolve_db_url
    return Store.open(resolve_db_url(db))


def _about(store, j: dict) -> str:
    from ..ontology import relation_label
    if j["kind"] in ("confirm", "reject", "correct_type", "correct_modality"):
        value = ""
        if j["kind"] == "correct_type":
            value = f" -> {relation_label(j['b'])}"
        elif j["kind"] == "correct_modality":
            value = f" -> {j['b']}"
        return f"claim {j['a']}{value}"
    names = []
    for ref in (j["a"], j["b"]):
        if ref:
            e = store.entity(ref)
            names.append(f"{e['name']} ({ref})" if e else ref)
    return " + ".join(names)


@judgements_app.callback()
def judgements_cmd(ctx: typer.Context, as_json: bool = JSON, db: Optional[str] = DB):
    """List reviewers' judgements, oldest first (`sabueso judgements export FILE` writes them
    as training examples)."""
    if ctx.invoked_subcommand is not None:
        return
    store = _store(db)
    try:
        rows = store.judgements()
        if as_json:
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
            return
        table = Table("id", "kind", "about", "reviewer", "when", "note")
        for r in rows:
            table.add_row(str(r["id"]), r["kind"], escape(_about(store, r)), escape(r["reviewer"] or ""),
                          r["created_at"] or "", escape(r["note"] or ""))
        console.print(table)
    finally:
        store.close()


@judgements_app.command("export")
def export_cmd(output: Path = typer.Argument(..., help="The JSON Lines file to write (one example a line)."),
               db: Optional[str] = DB):
    """Write every judged claim (confirmed, rejected, type or modality corrected) and every
    merge / not-same judgement as a training example: the document with its text, the
    sentence and its offsets, subject and object names and types, the claim as extracted and
    the judged label. `sabueso train extractor GOLD... --judgements FILE` learns from it."""
    from ..ingest.errors import printable
    store = _store(db)
    stats: dict = {}
    tmp = output.with_name(output.name + ".part")
    counts = {"claim": 0, "entity_pair": 0}
    status: dict[str, int] = {}
    try:
        with open(tmp, "w", encoding="utf-8") as fh:
            for ex in store.training_examples(stats):
                fh.write(json.dumps(ex, ensure_ascii=False) + "\n")
                counts[ex["kind"]] += 1
                if ex["kind"] == "claim":
                    status[ex["label"]["status"]] = status.get(ex["label"]["status"], 0) + 1
        os.replace(tmp, output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        err.print(f"[bold red]error:[/bold red] {escape(printable(str(output)))}: cannot write "
                  f"({escape(exc.strerror or str(exc))})", highlight=False, soft_wrap=True)
        raise typer.Exit(1)
    finally:
        store.close()
    detail = ", ".join(f"{n} {s}" for s, n in sorted(status.items()))
    err.print(f"wrote {counts['claim']} judged claims ({detail or 'none'}) and "
              f"{counts['entity_pair']} judged entity pairs to {escape(printable(str(output)))}"
              + (f"; {stats['missing']} judged claims are no longer stored (left out)"
                 if stats.get("missing") else ""), highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(judgements_app, name="judgements")
