"""Two forecasters over the same horizon: a seasonal naive one (the value one season earlier) and a
ridge regression on lags and a time index, forecasting recursively (each prediction becomes a lag)."""
from __future__ import annotations

import numpy as np
from sklearn.linear_model import Ridge
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler


def seasonal_naive(history: np.ndarray, horizon: int, season: int) -> np.ndarray:
    season = max(1, min(season, len(history)))
    last_season = history[-season:]
    return np.array([last_season[h % season] for h in range(horizon)])


def lag_matrix(values: np.ndarray, lags: int, start: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rows = [np.r_[values[t - lags : t][::-1], start + t] for t in range(lags, len(values))]
    return np.asarray(rows, dtype=float), values[lags:]


def fit_lag_model(history: np.ndarray, lags: int, alpha: float = 1.0) -> Pipeline:
    features, target = lag_matrix(history, lags)
    return make_pipeline(StandardScaler(), Ridge(alpha=alpha)).fit(features, target)


def forecast(model: Pipeline, history: np.ndarray, horizon: int, lags: int) -> np.ndarray:
    values = list(history[-lags:])
    predictions = []
    for h in range(horizon):
        row = np.r_[np.asarray(values[-lags:])[::-1], len(history) + h].reshape(1, -1)
        prediction = float(model.predict(row)[0])
        predictions.append(prediction)
        values.append(prediction)
    return np.asarray(predictions)
