"""The baseline: scaling and one-hot encoding, then ridge regression, a random forest or gradient boosting."""
from __future__ import annotations

from typing import Any

from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

MODELS = {
    "ridge": lambda seed, params: Ridge(**{"alpha": 1.0, **params}),
    "random_forest": lambda seed, params: RandomForestRegressor(**{"n_estimators": 200, "random_state": seed, "n_jobs": -1, **params}),
    "gradient_boosting": lambda seed, params: HistGradientBoostingRegressor(**{"random_state": seed, **params}),
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
    kind = model.get("type", "ridge")
    if kind not in MODELS:
        raise ValueError(f"model.type {kind!r} is not one of {', '.join(MODELS)}")
    estimator = MODELS[kind](config["seed"], dict(model.get("params") or {}))
    return Pipeline([("features", preprocessor(numeric, categorical)), ("model", estimator)])
