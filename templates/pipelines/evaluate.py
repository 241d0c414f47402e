"""Pipeline stage: evaluation (from DataStack's evaluate template).

Loads the model the train stage pickled (first input) and scores it on the held-out rows (second
input): accuracy, balanced accuracy and weighted F1 for classification; RMSE, MAE and R² for
regression. Writes them as JSON to the first output (a metrics.json, which `pipeline run
--track-all` logs to MLflow). Params: none needed (the model records its target and task).
"""
import json
import os
import pickle
from pathlib import Path

import pandas as pd
from sklearn import metrics as m


def stage_io():
    inputs = json.loads(os.environ.get("DATASTACK_STAGE_INPUTS", "[]"))
    outputs = json.loads(os.environ.get("DATASTACK_STAGE_OUTPUTS", "[]"))
    params = json.loads(os.environ.get("DATASTACK_STAGE_PARAMS", "{}"))
    if len(inputs) < 2 or not outputs:
        raise SystemExit("this stage needs two inputs (the model and the test rows) and one output")
    return inputs, outputs, params


def main():
    inputs, outputs, _params = stage_io()
    saved = pickle.loads(Path(inputs[0]).read_bytes())
    model, features, target, task = saved["model"], saved["features"], saved["target"], saved["task"]
    test = pd.read_csv(inputs[1])
    X = test.reindex(columns=features, fill_value=0)
    y = test[target]
    predicted = model.predict(X)
    if task == "classification":
        scores = {
            "accuracy": m.accuracy_score(y, predicted),
            "balanced_accuracy": m.balanced_accuracy_score(y, predicted),
            "f1_weighted": m.f1_score(y, predicted, average="weighted"),
        }
    else:
        scores = {
            "rmse": m.mean_squared_error(y, predicted) ** 0.5,
            "mae": m.mean_absolute_error(y, predicted),
            "r2": m.r2_score(y, predicted),
        }
    scores = {name: round(float(value), 6) for name, value in scores.items()}
    scores["test_rows"] = len(test)
    target_file = Path(outputs[0])
    target_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = target_file.with_name(f".{target_file.name}.tmp")
    tmp.write_text(json.dumps(scores, indent=2))
    os.replace(tmp, target_file)
    print(" ".join(f"{name}={value}" for name, value in scores.items()))


if __name__ == "__main__":
    main()
