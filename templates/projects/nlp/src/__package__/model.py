"""The baseline: TF-IDF of words and word pairs, then a linear classifier."""
from __future__ import annotations

from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

MODELS = {
    "logistic_regression": lambda seed, params: LogisticRegression(**{"C": 10.0, "max_iter": 2000, "random_state": seed, **params}),
    "linear_svm": lambda seed, params: LinearSVC(**{"random_state": seed, **params}),
}


def build_model(config: dict[str, Any]) -> Pipeline:
    model = config["model"]
    kind = model.get("type", "logistic_regression")
    if kind not in MODELS:
        raise ValueError(f"model.type {kind!r} is not one of {', '.join(MODELS)}")
    vectorizer = TfidfVectorizer(
        ngram_range=tuple(model.get("ngram_range", (1, 2))),
        min_df=model.get("min_df", 2),
        sublinear_tf=True,
        strip_accents="unicode",
    )
    return Pipeline([("tfidf", vectorizer), ("model", MODELS[kind](config["seed"], dict(model.get("params") or {})))])
