"""Small linear scorers over sparse named features, stored as plain JSON.

Training uses scikit-learn (``DictVectorizer`` + ``LogisticRegression``); the fitted weights are
kept as ``{feature: [weight per class]}``, so that scoring needs no pickle and no scikit-learn,
the files diff and load safely, and a user can read which features count.
"""
from __future__ import annotations

import gzip
import json
import math
from pathlib import Path


class LinearModel:
    """A logistic (two classes) or softmax (several) model over named binary features."""

    def __init__(self, classes: list[str], bias: list[float], weights: dict[str, list[float]],
                 threshold: float = 0.5, meta: dict | None = None):
        self.classes, self.bias, self.weights = list(classes), list(bias), weights
        self.threshold = threshold
        self.meta = meta or {}

    @property
    def binary(self) -> bool:
        return len(self.bias) == 1

    def proba(self, feats: dict[str, float]) -> dict[str, float]:
        """Class probabilities for one feature dict (unknown features are ignored)."""
        z = list(self.bias)
        for f, v in feats.items():
            w = self.weights.get(f)
            if w is not None:
                for k, wk in enumerate(w):
                    z[k] += wk * v
        if self.binary:
            p = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z[0]))))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        top = max(z)
        e = [math.exp(x - top) for x in z]
        s = sum(e)
        return {c: x / s for c, x in zip(self.classes, e)}

    def positive(self, feats: dict[str, float]) -> float:
        """P(positive class) of a binary model."""
        return self.proba(feats)[self.classes[-1]]

    # -- training -----------------------------------------------------------------------
    @classmethod
    def fit(cls, X: list[dict], y: list, C: float = 1.0, class_weight=None, meta: dict | None = None,
            min_weight: float = 1e-4, sample_weight: list[float] | None = None) -> "LinearModel":
        """``sample_weight``: how many times each example counts (None: once each)."""
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
        labels = sorted({str(v) for v in y})
        if len(labels) < 2:
            raise ValueError(f"cannot train a scorer from one class only ({labels})")
        vec = DictVectorizer()
        M = vec.fit_transform(X)
        clf = LogisticRegression(C=C, max_iter=3000, class_weight=class_weight)
        clf.fit(M, [str(v) for v in y], sample_weight=sample_weight)
        coef = clf.coef_
        names = vec.get_feature_names_out()
        weights = {}
        for j, name in enumerate(names):
            w = [float(coef[k, j]) for k in range(coef.shape[0])]
            if max(abs(x) for x in w) >= min_weight:
                weights[str(name)] = [round(x, 5) for x in w]
        return cls([str(c) for c in clf.classes_], [float(b) for b in clf.intercept_], weights,
                   meta=meta)

    # -- files --------------------------------------------------------------------------
    def to_json(self) -> dict:
        return {"classes": self.classes, "bias": self.bias, "threshold": self.threshold,
                "meta": self.meta, "weights": self.weights}

    @classmethod
    def from_json(cls, data: dict) -> "LinearModel":
        return cls(data["classes"], data["bias"], data["weights"], data.get("threshold", 0.5),
                   data.get("meta"))

    def save(self, path: Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            json.dump(self.to_json(), fh, ensure_ascii=False, sort_keys=True)

    @classmethod
    def load(cls, path: Path) -> "LinearModel":
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return cls.from_json(json.load(fh))
