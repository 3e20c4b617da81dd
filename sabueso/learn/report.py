"""Plain-text tables of a cross-validation run."""
from __future__ import annotations

PARTS = ("entities", "relations", "events", "quantities")


def _row(name: str, r: dict) -> str:
    cells = [f"{r[p]['precision']:.2f}/{r[p]['recall']:.2f}/{r[p]['f1']:.2f}" for p in PARTS]
    return f"{name:<16}" + "".join(f"{c:>17}" for c in cells) + f"{r['modality_accuracy']:>10.2f}"


def format_cv(report: dict) -> str:
    lines = [f"cross-validation by article, {len(report['folds'])} folds "
             f"({sum(len(f['test']) for f in report['folds'])} articles); each figure is on held-out articles only",
             f"{'':<16}" + "".join(f"{p + ' P/R/F1':>17}" for p in PARTS) + f"{'modality':>10}"]
    for system in ("learned", "rules"):
        for lang in ("en", "es", "all"):
            if lang in report.get(system, {}):
                label = {"learned": "learned", "rules": "rules only"}[system]
                lines.append(_row(f"{label} {lang}", report[system][lang]))
    lines.append("")
    lines.append("relation F1 per type (learned, all languages):")
    for t, v in report["learned"]["all"]["relation_types"].items():
        lines.append(f"  {t:<16} F1 {v['f1']:.2f}  (tp {v['tp']}, pred {v['pred']}, gold {v['gold']})")
    lines.append("")
    for f in report["folds"]:
        lines.append(f"fold {f['fold']} (threshold {f['threshold']}): " + ", ".join(f["test"]))
    return "\n".join(lines)
