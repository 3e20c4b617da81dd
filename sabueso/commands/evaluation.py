"""``sabueso eval``: score the extractor against gold files, or cross-validate it by article
(``--cv``). Option parsing and printing only; the work lives in ``learn/`` and ``analyze/``."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

console = Console()
err = Console(stderr=True)


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/bold red] {escape(message)}", soft_wrap=True, highlight=False)
    raise typer.Exit(code)


def _progress():
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=err, transient=True)


def register(app: typer.Typer) -> None:
    @app.command("eval")
    def evaluate(gold: list[Path] = typer.Argument(..., help="*.gold.json files or folders of them (each beside its .txt)."),
                 cv: bool = typer.Option(False, "--cv", help="Cross-validate by article: train the learned scorers on "
                                                             "the other folds and score each held-out fold."),
                 folds: int = typer.Option(5, "--folds", help="Number of folds for --cv."),
                 as_json: bool = typer.Option(False, "--json", help="Print JSON.")):
        """Score the extractor against gold-annotated texts (precision, recall and F1, as score.py).

        Without --cv the shipped models are used, so an article they were trained on scores too
        well; --cv gives the honest figure, on articles the models never saw."""
        if cv:
            from ..learn.corpus import find_gold, parse
            from ..learn.crossval import cross_validate
            from ..learn.report import format_cv
            try:
                docs = find_gold(gold)
            except FileNotFoundError as exc:
                _fail(str(exc))
            with _progress() as bar:
                task = bar.add_task("parsing articles", total=len(docs))
                parse(docs, progress=lambda d: bar.advance(task))
            report = cross_validate(docs, folds, log=lambda m: err.print(f"[dim]{m}[/dim]"))
            if as_json:
                sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
            else:
                console.print(format_cv(report), highlight=False, markup=False, soft_wrap=True)
            return
        from ..analyze.evaluate import evaluate_paths, format_report
        if len(gold) != 1:
            _fail("without --cv, give one *.gold.json file or one folder")
        report = evaluate_paths(gold[0])
        if not report["documents"]:
            _fail(f"{gold[0]}: no *.gold.json files found")
        if as_json:
            sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        else:
            console.print(format_report(report), highlight=False)
