"""`sabueso train ner` (train the Spanish pipeline), `sabueso train extractor` (the learned
scorers, from gold files and reviewers' judgements) and `sabueso eval-ner` (score NER on CoNLL
data)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

train_app = typer.Typer(help="Train Sabueso's own statistical models.", no_args_is_help=True)
err = Console(stderr=True)


def _default(lang: str, key: str) -> Optional[Path]:
    from ..nlp.train import default_paths
    try:
        return default_paths(lang)[key]
    except ValueError:
        return None


@train_app.command("ner")
def train_ner_command(
        lang: str = typer.Option("es", "--lang", help="Language of the pipeline (es)."),
        train: Optional[Path] = typer.Option(None, "--train", help="CoNLL training file (default ../shared/data/conll2002/esp.train)."),
        dev: Optional[Path] = typer.Option(None, "--dev", help="CoNLL development file, used to pick the best checkpoint (default esp.testa)."),
        test: Optional[Path] = typer.Option(None, "--test", help="CoNLL test file, scored once at the end (default esp.testb when present)."),
        output: Optional[Path] = typer.Option(None, "--output", help="Model folder (default sabueso/models/es_ner)."),
        max_epochs: int = typer.Option(40, "--max-epochs", help="Stop after this many epochs."),
        max_minutes: float = typer.Option(45.0, "--max-minutes", help="Stop after this much wall-clock time (0: no limit)."),
        seed: int = typer.Option(0, "--seed", help="Random seed."),
        silver: Optional[list[Path]] = typer.Option(None, "--silver", help="Extra training data (CoNLL or .spacy), repeatable."),
        config: Optional[Path] = typer.Option(None, "--config", help="spaCy config (default sabueso/configs/ner_es.cfg)."),
        settings: Optional[list[str]] = typer.Option(None, "--set", help="Config override KEY=VALUE (JSON value), e.g. training.optimizer.learn_rate=0.0005; repeatable."),
        resume_from: Optional[Path] = typer.Option(None, "--resume-from", help="Start from this trained pipeline's weights (a second training stage)."),
        keep: str = typer.Option("best", "--keep", help="best: the checkpoint with the best dev F1; last: the model at the end "
                                                      "(a final fit with the dev file added via --silver and a fixed training.max_steps)."),
        encoding: str = typer.Option("latin-1", "--encoding", help="Encoding of the CoNLL files.")):
    """Train the tagger + NER pipeline on CoNLL data; writes the model and TRAINING.md."""
    from ..nlp.train import DEFAULT_OUTPUT, train_ner
    train = train or _default(lang, "train")
    dev = dev or _default(lang, "dev")
    if test is None:
        test = _default(lang, "test")
        test = test if test is not None and test.exists() else None
    for name, path in (("train", train), ("dev", dev)):
        if path is None or not Path(path).exists():
            err.print(f"[bold red]error:[/bold red] {name} file not found: {path}")
            raise typer.Exit(1)
    output = output or DEFAULT_OUTPUT
    if keep not in ("best", "last"):
        err.print(f"[bold red]error:[/bold red] --keep must be best or last, got {keep!r}")
        raise typer.Exit(1)
    overrides = {}
    for item in settings or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            err.print(f"[bold red]error:[/bold red] --set expects KEY=VALUE, got {item!r}")
            raise typer.Exit(1)
        try:
            overrides[key.strip()] = json.loads(value)
        except json.JSONDecodeError:
            overrides[key.strip()] = value

    def on_event(kind: str, info: dict) -> None:
        if kind == "start":
            err.print(f"[bold]training[/bold] {info['pipeline']} on {info['train_docs']} sentences, "
                      f"dev {info['dev_docs']} sentences; config {info['config']}")
            err.print(f"{'epoch':>5} {'step':>7} {'min':>6} {'ents_p':>7} {'ents_r':>7} {'ents_f':>7} {'tag_acc':>7}  losses")
        elif kind == "eval":
            losses = " ".join(f"{k}={v:.0f}" for k, v in info["losses"].items())
            mark = "[green]*[/green]" if info["best"] else " "
            err.print(f"{info['epoch']:>5} {info['step']:>7} {info['minutes']:>6.1f} {info['ents_p'] or 0:>7.4f} "
                      f"{info['ents_r'] or 0:>7.4f} {info['ents_f'] or 0:>7.4f} {info['tag_acc'] or 0:>7.4f} {mark} {losses}",
                      highlight=False)

    summary = train_ner(lang, train, dev, output, max_epochs=max_epochs, max_minutes=max_minutes or None,
                        seed=seed, silver=silver or None, test_path=test, config_path=config,
                        encoding=encoding, resume_from=resume_from, keep=keep, overrides=overrides, on_event=on_event)
    table = Table("split", "precision", "recall", "F1", title=f"{output} ({summary['train_seconds'] / 60:.1f} min, "
                                                              f"{summary['epochs']} epochs, {summary['stopped']})")
    for name, key in (("dev", "dev_scores"), ("test", "test_scores")):
        if summary.get(key):
            s = summary[key]
            table.add_row(name, f"{s['precision']:.4f}", f"{s['recall']:.4f}", f"{s['f1']:.4f}")
    err.print(table)
    err.print(f"summary: {Path(output) / 'TRAINING.md'}")


def eval_ner_command(
        file: Path = typer.Argument(..., help="A CoNLL file (word ... IOB-tag a line)."),
        lang: str = typer.Option("es", "--lang", help="Language of the model (es)."),
        model: Optional[Path] = typer.Option(None, "--model", help="Model folder (default sabueso/models/es_ner)."),
        as_json: bool = typer.Option(False, "--json", help="Print only {\"precision\", \"recall\", \"f1\"} as JSON."),
        encoding: str = typer.Option("latin-1", "--encoding", help="Encoding of the CoNLL file.")):
    """Entity-level precision, recall and F1 (exact span and type) of an NER model on a CoNLL file."""
    import spacy

    from ..nlp.conll import evaluate_file
    from ..nlp.train import DEFAULT_OUTPUT
    model = model or DEFAULT_OUTPUT
    if not file.exists():
        err.print(f"[bold red]error:[/bold red] {file}: not found")
        raise typer.Exit(1)
    if not (Path(model) / "meta.json").exists():
        err.print(f"[bold red]error:[/bold red] no trained {lang} model in {model}; run `sabueso train ner --lang {lang}`")
        raise typer.Exit(1)
    from ..nlp.vectors import load_pipeline
    nlp = load_pipeline(model)
    scores = evaluate_file(nlp, file, encoding=encoding)
    if as_json:
        sys.stdout.write(json.dumps({k: scores[k] for k in ("precision", "recall", "f1")}) + "\n")
        return
    table = Table("type", "precision", "recall", "F1", "gold", "predicted", title=f"{file.name} ({model})")
    for label, s in scores["per_label"].items():
        table.add_row(label, f"{s['precision']:.4f}", f"{s['recall']:.4f}", f"{s['f1']:.4f}", str(s["gold"]), str(s["predicted"]))
    table.add_row("[bold]all[/bold]", f"{scores['precision']:.4f}", f"{scores['recall']:.4f}", f"{scores['f1']:.4f}",
                  str(scores["gold"]), str(scores["predicted"]))
    Console().print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(train_app, name="train")
    app.command("eval-ner")(eval_ner_command)


@train_app.command("extractor")
def train_extractor_command(
        gold: list[Path] = typer.Argument(..., help="Folders (or files) of *.gold.json annotations, each beside its .txt."),
        output: Optional[Path] = typer.Option(None, "--output", help="Where to write the models (default: $SABUESO_MODELS, "
                                                                     "else the package's sabueso/models/extractor)."),
        tune: bool = typer.Option(True, "--tune/--no-tune", help="Choose the relation threshold by an inner "
                                                                 "cross-validation over the same articles (slower)."),
        judgements: Optional[list[Path]] = typer.Option(None, "--judgements", help=(
            "Reviewers' judgements written by `sabueso judgements export` (repeatable): a rejected claim "
            "becomes a negative example, a confirmed one a positive, a corrected type or modality the label.")),
        judgement_weight: float = typer.Option(20.0, "--judgement-weight", min=0.0, help=(
            "How many gold examples one judged claim counts for (enough for one judgement to change "
            "its own sentence's outcome)."))):
    """Train the entity typer, the relation scorer and the figure scorer from gold files (and
    reviewers' judgements).

    The extractor uses the new models at once (set SABUESO_MODELS to the output folder when it
    is not the default). Measure them first with `sabueso eval --cv` on the same folders."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from ..extract.learned import models_folder
    from ..learn.corpus import find_gold, parse
    from ..learn.fit import fit
    from ..learn.judged import JudgementFileError, parse_judged, read_judgements
    try:
        docs = find_gold(gold)
        judged, read = read_judgements(judgements) if judgements else ([], None)
    except (FileNotFoundError, JudgementFileError) as exc:
        from ..ingest.errors import printable
        err.print(f"[bold red]error:[/bold red] {escape(printable(str(exc)))}", soft_wrap=True,
                  highlight=False)
        raise typer.Exit(1)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err,
                  transient=True) as bar:
        task = bar.add_task("parsing articles", total=len(docs) + len(judged))
        parse(docs, progress=lambda d: bar.advance(task))
        parse_judged(judged, progress=lambda d: bar.advance(task))
    err.print(f"training on {len(docs)} articles "
              f"({sum(d.lang == 'en' for d in docs)} English, {sum(d.lang == 'es' for d in docs)} Spanish)"
              + (f" and {read['claims']} judged claims from {len(judged)} documents"
                 + (f" ({read['entity_pairs']} merge / not-same judgements teach the extractor nothing)"
                    if read["entity_pairs"] else "") if read else "") + " ...")
    models = fit(docs, tune=tune, log=lambda m: err.print(f"[dim]{m}[/dim]"), judged=judged or None,
                 judgement_weight=judgement_weight)
    folder = output or models_folder()
    for name in ("typer", "relations", "activities", "quantities", "modality"):
        m = getattr(models, name)
        if m is not None:
            m.meta["articles"] = len(docs)
    models.save(folder)
    err.print(f"models written to {folder}: entity typer ({models.typer.meta['examples']} entities), "
              f"relation scorer ({models.relations.meta['examples']} candidates, threshold "
              f"{models.relations.threshold})"
              + (f", activity scorer ({models.activities.meta['examples']} candidates, threshold "
                 f"{models.relations.meta.get('activity_threshold')})" if models.activities else "")
              + ", figure scorer" + (", modality scorer" if models.modality else "")
              + f"; trained with {models.relations.meta.get('judgements', 0)} reviewer judgements"
              + (f" (each counting {judgement_weight:g} times)" if judged else ""))
