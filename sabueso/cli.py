"""Command-line interface (thin: parsing and printing; the work lives in the packages)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

# Help texts are Markdown: a docstring's single line breaks are reflowed (paragraphs stay), so
# `--help` never breaks a sentence where the source line happened to end.
app = typer.Typer(help="Sabueso: evidence-backed knowledge graphs from reporting on organized crime.\n\n"
                       "Every fact keeps the sentence that states it, its source and how sure the text is "
                       "(asserted, reported, hedged, denied).",
                  no_args_is_help=True, add_completion=False, rich_markup_mode="markdown")
console = Console()
err = Console(stderr=True)


def _hide_flag_types() -> None:
    """Typer >= 0.20 prints a ``<bool>`` type against every on/off flag (``--json``, ``--help``);
    a flag takes no value, so its help shows none. Guarded: older or newer Typers without the
    hook keep their own rendering."""
    try:
        from typer.core import TyperOption
    except ImportError:  # pragma: no cover
        return
    shown = getattr(TyperOption, "display_type_rich", None)
    if shown is None or getattr(shown, "_sabueso", False):
        return

    def display_type_rich(self, ctx):
        return None if getattr(self, "is_flag", False) else shown(self, ctx)

    display_type_rich._sabueso = True
    TyperOption.display_type_rich = display_type_rich


_hide_flag_types()


def _print_version(value: bool) -> None:
    if value:
        from . import __version__
        console.print(f"sabueso {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """Sabueso: evidence-backed knowledge graphs from reporting on organized crime."""

DbOption = typer.Option(None, "--db", help="Database URL or SQLite file (default: $SABUESO_DB, else ./sabueso.db).")


def _store(db: Optional[str]):
    from .store import Store, resolve_db_url
    return Store.open(resolve_db_url(db))


def _fail(message: str, code: int = 1) -> None:
    """One line on stderr (file names may hold markup or control characters), then exit."""
    from rich.markup import escape

    from .ingest.errors import printable
    err.print(f"[bold red]error:[/bold red] {escape(printable(message))}", soft_wrap=True,
              highlight=False)
    raise typer.Exit(code)


from .commands.outputs import HideLowOption, ShownMinOption, shown_min  # noqa: E402

ExtractorOption = typer.Option("rules", "--extractor",
                               help="Which extractor: rules (default), llm or rules+llm. The LLM needs SABUESO_LLM_BASE_URL and "
                                    "SABUESO_LLM_MODEL; its output is kept only where it is grounded in the text.")


MinConfidenceOption = typer.Option(
    None, "--min-confidence", min=0.0, max=1.0,
    help="Keep only relations the learned scorer gives at least this probability (default: the threshold "
         "chosen by cross-validation when the models were trained).")


def _set_min_confidence(value: Optional[float]) -> None:
    import os
    if value is not None:
        os.environ["SABUESO_MIN_CONFIDENCE"] = str(value)   # read by the extractor (and by Dask workers)


def _run_extractor(document, extractor: str):
    """Run the chosen extractor; report LLM grounding on stderr. Raises LLM errors."""
    from .extract.llm import extract_with
    if extractor not in ("rules", "llm", "rules+llm"):
        _fail(f"unknown extractor {extractor!r}: use rules, llm or rules+llm", 2)
    result, report = extract_with(document, extractor)
    if report is not None:
        err.print(f"[dim]{report.summary()}[/dim]")
    return result


@app.command()
def extract(file: Path = typer.Argument(..., readable=False,  # an unreadable file: our one-line error
                                        help="A .txt, .md, .html, .pdf or .jsonl file (first document)."),
            as_json: bool = typer.Option(False, "--json", help="Print the FORMAT.md JSON object."),
            lang: Optional[str] = typer.Option(None, "--lang", help="Force the language (en, es); default: detect."),
            extractor: str = ExtractorOption,
            min_confidence: Optional[float] = MinConfidenceOption):
    """Extract entities, relations, events and quantities from one file, without a database."""
    _set_min_confidence(min_confidence)
    from rich.markup import escape

    from .extract.llm import LLMError, LLMNotConfigured
    from .ingest import IngestError, read_path
    from .ingest.errors import printable, without_surrogates
    item = next(iter(read_path(file)), None)
    if isinstance(item, IngestError) or item is None:
        _fail(str(item) if item else f"{file}: no document found")
    if lang:
        item.lang = lang
    if len(item.text) > MAX_EXTRACT_CHARS:
        _fail(f"{file}: text too long to extract ({len(item.text):,} characters; the limit is "
              f"{MAX_EXTRACT_CHARS:,}): split it into smaller files", 2)
    try:
        result = _run_extractor(item, extractor)
    except (LLMNotConfigured, LLMError) as exc:
        _fail(str(exc), 2)
    data = result.to_format(without_surrogates(file.name))
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    names = {e["id"]: e["name"] for e in data["entities"]}
    title = f"{escape(printable(file.name))} ({data['lang']})"
    table = Table("relation", "subject", "object", "modality", "source", title=title)
    for r in data["relations"]:
        table.add_row(r["type"], names.get(r["subject"], r["subject"]),
                      names.get(r["object"], r["object"]), r["modality"], r["attributed_to"] or "")
    console.print(table)
    console.print(f"{len(data['entities'])} entities, {len(data['relations'])} relations, "
                  f"{len(data['events'])} events, {len(data['quantities'])} quantities")


MAX_EXTRACT_CHARS = 1_000_000  # spaCy's own limit; the extractor needs minutes per million


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., readable=False,  # checked per file: one bad name never stops the batch
                                             help="Files or folders (.txt .md .html .pdf .jsonl, optionally .gz)."),
           db: Optional[str] = DbOption,
           strict: bool = typer.Option(False, "--strict", help="Stop at the first bad input."),
           extractor: str = ExtractorOption,
           workers: int = typer.Option(0, "--workers", min=0, help="Extract in N local Dask worker processes "
                                       "(one thread each); this process writes. 0: no Dask."),
           scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Extract on a running Dask "
                                                   "cluster (tcp://HOST:PORT) instead."),
           min_confidence: Optional[float] = MinConfidenceOption):
    """Read documents, extract their facts and store them (a document already stored is skipped).

    Each bad input gets one line naming the file (and line) and why; the rest of the batch is
    still ingested and the exit code is 2. Each document is stored in one transaction, so an
    interrupted run can simply be run again: it skips what was stored."""
    from rich.markup import escape

    from .extract.llm import LLMNotConfigured, llm_config
    from .ingest import IngestError, iter_sources, read_path
    from .ingest.errors import one_line, printable
    if extractor not in ("rules", "llm", "rules+llm"):
        _fail(f"unknown extractor {extractor!r}: use rules, llm or rules+llm", 2)
    _set_min_confidence(min_confidence)
    if extractor != "rules" and llm_config() is None:
        _fail(str(LLMNotConfigured()), 2)
    try:
        store = _store(db)
    except Exception as exc:  # not a database, no permission, ...
        reason = one_line(getattr(exc, "orig", None) or exc)
        err.print(f"[bold red]error:[/bold red] cannot open the database: {escape(reason)}",
                  soft_wrap=True, highlight=False)
        raise typer.Exit(2)
    added = skipped = bad = 0

    def problem(label: str, message: str) -> None:
        nonlocal bad
        bad += 1
        err.print(f"[yellow]{label}[/yellow] {escape(printable(message))}", soft_wrap=True,
                  highlight=False)
        if strict:
            store.close()
            err.print("[bold red]error:[/bold red] stopped at the first bad input (--strict)")
            raise typer.Exit(2)

    if workers or scheduler:  # Dask: workers extract, this process commits (sabueso/distributed)
        from .distributed import ingest_parallel
        added, skipped = ingest_parallel(paths, store, problem, workers=workers, scheduler=scheduler,
                                         extractor=extractor, max_chars=MAX_EXTRACT_CHARS)
        store.close()
        console.print(f"{added} added, {skipped} already stored, {bad} failed or skipped")
        raise typer.Exit(2 if bad else 0)
    sources = list(iter_sources(paths))
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True) as progress:
        task = progress.add_task("ingesting", total=len(sources))
        for source in sources:
            for item in ([source] if isinstance(source, IngestError) else read_path(source)):
                if isinstance(item, IngestError):
                    problem("skipped", str(item))
                    continue
                if len(item.text) > MAX_EXTRACT_CHARS:
                    problem("skipped", f"{item.path}: text too long to extract ({len(item.text):,} "
                                       f"characters; the limit is {MAX_EXTRACT_CHARS:,}): split it "
                                       "into smaller files")
                    continue
                progress.update(task, description=f"ingesting {escape(printable(Path(item.path or '').name)[:40])}")
                try:
                    if store.has_document(item.id):
                        skipped += 1
                        continue
                    store.save_extraction(_run_extractor(item, extractor))
                    added += 1
                except typer.Exit:
                    raise
                except Exception as exc:  # one bad document never stops the batch
                    cause = getattr(exc, "orig", None) or exc       # SQLAlchemy wraps the driver's
                    problem("failed", f"{item.path}: {type(cause).__name__}: {one_line(cause)}")
            progress.advance(task)
    store.close()
    if not sources:
        problem("skipped", f"no supported files found in {', '.join(map(str, paths))}")
    console.print(f"{added} added, {skipped} already stored, {bad} failed or skipped")
    if bad:
        raise typer.Exit(2)


@app.command()
def entities(type: Optional[str] = typer.Option(None, "--type", help="Only this entity type (e.g. CriminalGroup)."),
             as_json: bool = typer.Option(False, "--json", help="Print JSON."),
             wide: bool = typer.Option(False, "--wide", help="Every alias, and lines as wide as the table needs."),
             db: Optional[str] = DbOption):
    """List stored entities: full ids (for `show`, `merge`), type, name, country and aliases."""
    from .commands.listing import entity_table
    store = _store(db)
    rows = store.list_entities(type)
    if as_json:
        keys = ("id", "type", "name", "aliases", "country", "lat", "lon", "documents")
        sys.stdout.write(json.dumps([{k: r.get(k) for k in keys} for r in rows], ensure_ascii=False, indent=2) + "\n")
        return
    table, width = entity_table(rows, wide)
    (Console(width=max(width, console.width)) if wide else console).print(table)


@app.command()
def show(name: str = typer.Argument(..., help="A name, alias or id (as `entities --json` gives)."),
         db: Optional[str] = DbOption, hide_low: bool = HideLowOption,
         min_confidence: Optional[float] = ShownMinOption):
    """Everything known about one entity, each fact with its evidence sentence and source, and
    how sure the text is of it (according to ..., hedged, denied by ...). A name that is no
    entity's name or alias is an error that names the closest ones."""
    from .commands.outputs import not_found
    from .report.show import render_entity
    store = _store(db)
    exact, closest = store.lookup(name)
    if not exact:
        _fail(escape(not_found(name, closest)))
    render_entity(console, store, exact[0], shown_min(hide_low, min_confidence))
    if len(exact) > 1:
        others = ", ".join(f"{f['name']} ({f['type']}, {f['id']})" for f in exact[1:])
        console.print(f"\n[dim]Also named {escape(repr(name))}: {escape(others)}[/dim]")


@app.command()
def stats(db: Optional[str] = DbOption):
    """Row counts of every table."""
    store = _store(db)
    table = Table("table", "rows")
    for k, v in store.stats().items():
        table.add_row(k, str(v))
    console.print(table)


from .commands import register_all  # noqa: E402  (command groups in sabueso/commands/)

register_all(app)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
