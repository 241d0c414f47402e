"""The baseline: an RBF support vector machine on the pixels (or logistic regression, a random forest)."""
from __future__ import annotations

from typing import Any

from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

MODELS = {
    "svm": lambda seed, params: SVC(**{"C": 10.0, "gamma": "scale", "random_state": seed, **params}),
    "logistic_regression": lambda seed, params: LogisticRegression(**{"max_iter": 2000, "random_state": seed, **params}),
    "random_forest": lambda seed, params: RandomForestClassifier(**{"n_estimators": 300, "random_state": seed, "n_jobs": -1, **params}),
}


def build_model(config: dict[str, Any]) -> Pipeline:
    model = config["model"]
    kind = model.get("type", "svm")
    if kind not in MODELS:
        raise ValueError(f"model.type {kind!r} is not one of {', '.join(MODELS)}")
    return Pipeline([("scale", StandardScaler()), ("model", MODELS[kind](config["seed"], dict(model.get("params") or {})))])
