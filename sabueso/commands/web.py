"""``sabueso serve``: the web app (FastAPI + uvicorn), on 127.0.0.1 by default.

``--auth FILE`` / ``--auth-token ROLE:TOKEN`` / ``$SABUESO_TOKENS`` turn the login on (roles
reader, editor, admin; see :mod:`sabueso.web.auth`).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

err = Console(stderr=True)

DB = typer.Option(None, "--db", help="Database URL or SQLite file (default: $SABUESO_DB, else ./sabueso.db).")


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(host: str = typer.Option("127.0.0.1", "--host",
                                       help="Interface to bind (default: loopback only)."),
              port: int = typer.Option(8000, "--port", help="TCP port."),
              db: Optional[str] = DB,
              reviewer: Optional[str] = typer.Option(
                  None, "--reviewer", help="Default reviewer name in the forms (default: $USER)."),
              log_level: str = typer.Option("warning", "--log-level",
                                            help="uvicorn log level (info shows each request)."),
              auth: Optional[Path] = typer.Option(
                  None, "--auth", help="Tokens file: one ROLE:TOKEN or ROLE:TOKEN:NAME per line "
                                       "(roles reader, editor, admin); turns the login on."),
              auth_token: Optional[list[str]] = typer.Option(
                  None, "--auth-token", help="A ROLE:TOKEN[:NAME] (repeatable); also "
                                             "$SABUESO_TOKENS, comma-separated."),
              max_body: int = typer.Option(1024 * 1024, "--max-body", min=1024,
                                           help="Largest request body accepted, in bytes.")):
        """Serve the web app: search, entity profiles with citations, network, map, timeline,
        documents and the review queue; JSON API with OpenAPI docs at /docs."""
        import uvicorn

        from ..store import resolve_db_url
        from ..web.app import create_app, loopback_hosts
        from ..web.auth import ENV_VAR, AuthConfigError, load_tokens
        try:
            tokens = load_tokens(auth, auth_token or (), os.environ.get(ENV_VAR))
        except AuthConfigError as exc:
            err.print(f"[bold red]error:[/bold red] {escape(str(exc))}", soft_wrap=True)
            raise typer.Exit(2)
        url = resolve_db_url(db)
        if tokens is not None:
            err.print(f"Login on: {len(tokens)} token(s) ({', '.join(tokens.roles())}).")
        elif host not in ("127.0.0.1", "localhost", "::1"):
            err.print(f"[yellow]warning:[/yellow] serving on {host} without --auth: anyone who "
                      "can reach it can read the database and record judgements.")
        application = create_app(url, reviewer=reviewer, allowed_hosts=loopback_hosts(host),
                                 auth=tokens, max_body=max_body)
        shown = f"[{host}]" if ":" in host else host
        err.print(f"Sabueso on http://{shown}:{port}/  (database {url}; API docs at /docs; "
                  "Ctrl+C stops)")
        uvicorn.run(application, host=host, port=port, log_level=log_level, server_header=False)
