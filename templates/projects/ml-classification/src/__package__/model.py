"""The baseline: scaling and one-hot encoding, then logistic regression or a random forest."""
from __future__ import annotations

from typing import Any

from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

MODELS = {
    "logistic_regression": lambda seed, params: LogisticRegression(**{"max_iter": 2000, "random_state": seed, **params}),
    "random_forest": lambda seed, params: RandomForestClassifier(**{"n_estimators": 200, "random_state": seed, "n_jobs": -1, **params}),
}


def preprocessor(numeric: list[str], categorical: list[str]) -> ColumnTransformer:
    return ColumnTransformer(
        [
            ("numeric", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), numeric),
            ("categorical", OneHotEncoder(handle_unknown="ignore"), categorical),
        ]
    )


def build_model(config: dict[str, Any], numeric: list[str], categorical: list[str]) -> Pipeline:
    model = config["model"]
    kind = model.get("type", "logistic_regression")
    if kind not in MODELS:
        raise ValueError(f"model.type {kind!r} is not one of {', '.join(MODELS)}")
    estimator = MODELS[kind](config["seed"], dict(model.get("params") or {}))
    return Pipeline([("features", preprocessor(numeric, categorical)), ("model", estimator)])
