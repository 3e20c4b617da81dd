"""``sabueso check``: the database's integrity (see :mod:`sabueso.analyze.integrity`).

Exit codes: 0 no errors (warnings may be printed), 1 errors found, 2 the database cannot be
opened (missing file, not a database).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

console = Console()
err = Console(stderr=True)

DB = typer.Option(None, "--db", help="Database URL or SQLite file (default: $SABUESO_DB, else ./sabueso.db).")


def _sqlite_file(url: str) -> Path | None:
    from sqlalchemy.engine import make_url
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check(db: Optional[str] = DB,
              as_json: bool = typer.Option(False, "--json", help="Print the report as JSON.")):
        """Check the database: SQLite's own integrity check, rows whose document or entity is
        missing (orphans, dangling ids), documents with no mention and no claim, claim spans
        outside their text, and the web app's full-text index. Exit code 1 on errors."""
        from ..analyze.integrity import check_store
        from ..store import Store, resolve_db_url
        url = resolve_db_url(db)
        path = _sqlite_file(url)
        if path is not None and not path.is_file():
            err.print(f"[bold red]error:[/bold red] no database at {escape(str(path))}",
                      soft_wrap=True)
            raise typer.Exit(2)
        try:
            store = Store.open(url)
        except Exception as exc:  # not a database, corrupt header, no permission...
            reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
            err.print(f"[bold red]error:[/bold red] cannot open {escape(url)}: {escape(reason)}",
                      soft_wrap=True)
            raise typer.Exit(2)
        try:
            report = check_store(store)
        finally:
            store.close()
        if as_json:
            sys.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
        else:
            counts = ", ".join(f"{v} {k}" for k, v in report.counts.items())
            console.print(f"{escape(report.database)}: {counts}", soft_wrap=True, highlight=False)
            for f in report.findings:
                colour = "red" if f.level == "error" else "yellow"
                console.print(f"[{colour}]{escape(f.line())}[/{colour}]", soft_wrap=True,
                              highlight=False)
            console.print(f"checks: {', '.join(report.checks)}; {len(report.errors)} error(s), "
                          f"{len(report.warnings)} warning(s)", highlight=False)
        if report.errors:
            raise typer.Exit(1)
