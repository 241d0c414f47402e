"""Tabular data: the target and the feature columns named in the config (or inferred from the
frame's dtypes when none are named), and a train/test split."""
from __future__ import annotations

from typing import Any

import pandas as pd
from sklearn.model_selection import train_test_split

from .datasets import load_frame


def load_xy(config: dict[str, Any]) -> tuple[pd.DataFrame, pd.Series, list[str], list[str]]:
    data = config["data"]
    frame = load_frame(data["source"])
    target = data["target"]
    if target not in frame.columns:
        raise KeyError(f"target column {target!r} is not in the data; columns: {', '.join(map(str, frame.columns))}")
    frame = frame.dropna(subset=[target])
    numeric = list(data.get("numeric_features") or [])
    categorical = list(data.get("categorical_features") or [])
    if not numeric and not categorical:
        numeric, categorical = infer_features(frame.drop(columns=[target]))
    missing = [c for c in numeric + categorical if c not in frame.columns]
    if missing:
        raise KeyError(f"feature columns not in the data: {', '.join(missing)}")
    features = frame[numeric + categorical].copy()
    for column in numeric:
        features[column] = pd.to_numeric(features[column], errors="coerce").astype("float64")
    for column in categorical:
        # One type per column for the encoder; a missing value is a category of its own.
        features[column] = features[column].astype("object").where(features[column].notna(), "missing").astype(str)
    return features, frame[target], numeric, categorical


def infer_features(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    numeric, categorical = [], []
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series):
            categorical.append(column)
        elif pd.api.types.is_numeric_dtype(series):
            numeric.append(column)
        elif pd.api.types.is_datetime64_any_dtype(series):
            continue
        elif series.nunique(dropna=True) <= max(50, len(series) // 20):
            categorical.append(column)
    return numeric, categorical


def split(features: pd.DataFrame, target: pd.Series, config: dict[str, Any], stratify: bool):
    data = config["data"]
    counts = target.value_counts()
    can_stratify = stratify and len(counts) > 1 and counts.min() >= 2
    return train_test_split(
        features,
        target,
        test_size=data.get("test_size", 0.2),
        random_state=config["seed"],
        stratify=target if can_stratify else None,
    )
