"""Pipeline stage: model training (from DataStack's train template).

Splits the first input table (features plus the target column) into train and test sets, fits
the chosen algorithm and writes the fitted model (pickle) to the first output and the held-out
test rows to the second, for the evaluate stage. An output named metrics.json gets the training
scores. Params: target, algorithm (random-forest, logistic-regression, gradient-boosting),
task (classification, regression or auto), test_size (0.2), seed (42), model_params (dict).
"""
import json
import os
import pickle
from pathlib import Path

import pandas as pd
from sklearn.ensemble import (
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split

MODELS = {
    ("random-forest", "classification"): lambda p: RandomForestClassifier(**{"n_estimators": 100, **p}),
    ("random-forest", "regression"): lambda p: RandomForestRegressor(**{"n_estimators": 100, **p}),
    ("gradient-boosting", "classification"): lambda p: GradientBoostingClassifier(**p),
    ("gradient-boosting", "regression"): lambda p: GradientBoostingRegressor(**p),
    ("logistic-regression", "classification"): lambda p: LogisticRegression(**{"max_iter": 1000, **p}),
    # Logistic regression has no regression form: a linear model is its counterpart.
    ("logistic-regression", "regression"): lambda p: LinearRegression(**p),
}


def stage_io():
    inputs = json.loads(os.environ.get("DATASTACK_STAGE_INPUTS", "[]"))
    outputs = json.loads(os.environ.get("DATASTACK_STAGE_OUTPUTS", "[]"))
    params = json.loads(os.environ.get("DATASTACK_STAGE_PARAMS", "{}"))
    if not inputs or len(outputs) < 2:
        raise SystemExit("this stage needs one input and two outputs: the model and the test rows")
    return inputs, outputs, params


def write_atomic(path, write):
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    write(tmp)
    os.replace(tmp, target)


def decide_task(y, wanted):
    if wanted in ("classification", "regression"):
        return wanted
    if not pd.api.types.is_numeric_dtype(y) or (pd.api.types.is_integer_dtype(y) and y.nunique() <= 20):
        return "classification"
    return "regression"


def main():
    inputs, outputs, params = stage_io()
    frame = pd.read_parquet(inputs[0]) if inputs[0].endswith(".parquet") else pd.read_csv(inputs[0])
    target = params.get("target")
    if not target or target not in frame.columns:
        raise SystemExit(f"param target must name a column of {inputs[0]} (got {target!r})")
    X = frame.drop(columns=[target]).select_dtypes("number").fillna(0)
    y = frame[target]
    task = decide_task(y, params.get("task", "auto"))
    algorithm = params.get("algorithm", "random-forest")
    if (algorithm, task) not in MODELS:
        raise SystemExit(f"unknown algorithm {algorithm!r}: use random-forest, logistic-regression or gradient-boosting")
    seed = int(params.get("seed", 42))
    model_params = dict(params.get("model_params", {}))
    if algorithm != "logistic-regression":
        model_params.setdefault("random_state", seed)
    stratify = y if task == "classification" and y.value_counts().min() >= 2 else None
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=float(params.get("test_size", 0.2)), random_state=seed, stratify=stratify
    )
    model = MODELS[(algorithm, task)](model_params)
    model.fit(X_train, y_train)
    score = float(model.score(X_train, y_train))

    write_atomic(outputs[0], lambda tmp: tmp.write_bytes(pickle.dumps({"model": model, "features": list(X.columns), "target": target, "task": task})))
    test = X_test.copy()
    test[target] = y_test.values
    write_atomic(outputs[1], lambda tmp: test.to_csv(tmp, index=False))
    for extra in outputs[2:]:
        if extra.endswith("metrics.json"):
            metrics = {"train_score": score, "train_rows": len(X_train), "test_rows": len(X_test)}
            write_atomic(extra, lambda tmp: tmp.write_text(json.dumps(metrics, indent=2)))
    print(f"trained {algorithm} ({task}) on {len(X_train)} rows, {X.shape[1]} features; train score {score:.4f}; {len(X_test)} test rows kept")


if __name__ == "__main__":
    main()
