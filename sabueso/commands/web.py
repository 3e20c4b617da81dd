"""``sabueso serve``: the web app (FastAPI + uvicorn), on 127.0.0.1 by default."""
from __future__ import annotations

from typing import Optional

import typer
from rich.console import Console

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
                                            help="uvicorn log level (info shows each request).")):
        """Serve the web app: search, entity profiles with citations, network, map, timeline,
        documents and the review queue; JSON API with OpenAPI docs at /docs."""
        import uvicorn

        from ..store import resolve_db_url
        from ..web.app import create_app, loopback_hosts
        url = resolve_db_url(db)
        if host not in ("127.0.0.1", "localhost", "::1"):
            err.print(f"[yellow]warning:[/yellow] serving on {host}: anyone who can reach it can "
                      "read the database and record judgements (there is no login).")
        application = create_app(url, reviewer=reviewer, allowed_hosts=loopback_hosts(host))
        shown = f"[{host}]" if ":" in host else host
        err.print(f"Sabueso on http://{shown}:{port}/  (database {url}; API docs at /docs; "
                  "Ctrl+C stops)")
        uvicorn.run(application, host=host, port=port, log_level=log_level)
