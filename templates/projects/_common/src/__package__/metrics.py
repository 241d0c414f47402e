"""The metrics of each kind of task, as plain floats for metrics.json and MLflow."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn import metrics as skm


def classification_metrics(y_true, y_pred, proba=None, classes: Sequence | None = None) -> dict[str, float]:
    """accuracy and macro F1; ROC AUC (one-vs-rest for several classes) when probabilities are given."""
    result = {
        "accuracy": float(skm.accuracy_score(y_true, y_pred)),
        "f1_macro": float(skm.f1_score(y_true, y_pred, average="macro")),
    }
    if proba is not None and classes is not None and len(classes) >= 2:
        try:
            if len(classes) == 2:
                result["roc_auc"] = float(skm.roc_auc_score(np.asarray(y_true) == classes[1], proba[:, 1]))
            else:
                result["roc_auc"] = float(skm.roc_auc_score(y_true, proba, multi_class="ovr", labels=list(classes)))
        except ValueError:
            pass  # a class missing from the test split: AUC is undefined
    return result


def regression_metrics(y_true, y_pred) -> dict[str, float]:
    return {
        "rmse": float(np.sqrt(skm.mean_squared_error(y_true, y_pred))),
        "mae": float(skm.mean_absolute_error(y_true, y_pred)),
        "r2": float(skm.r2_score(y_true, y_pred)),
    }


def forecast_metrics(y_true, y_pred, prefix: str = "") -> dict[str, float]:
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    nonzero = y_true != 0
    return {
        f"{prefix}mae": float(np.mean(np.abs(y_true - y_pred))),
        f"{prefix}rmse": float(np.sqrt(np.mean((y_true - y_pred) ** 2))),
        # In percent, over the points where the truth is not zero.
        f"{prefix}mape": float(np.mean(np.abs((y_true[nonzero] - y_pred[nonzero]) / y_true[nonzero])) * 100),
    }
