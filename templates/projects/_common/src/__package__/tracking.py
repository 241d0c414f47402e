"""Where a run's results go: metrics.json always, the fitted model to a file, and MLflow when
MLFLOW_TRACKING_URI is set (mlflow is imported only then: `pip install '.[tracking]'`)."""
from __future__ import annotations

import json
import math
import os
import warnings
from pathlib import Path
from typing import Any, Callable

from .config import project_path


def output_paths(config: dict[str, Any], output_dir: str | Path | None = None) -> dict[str, Path]:
    output = config.get("output", {})
    metrics = Path(output.get("metrics", "metrics.json"))
    model = Path(output.get("model", "models/model.joblib"))
    if output_dir is not None:
        base = Path(output_dir)
        return {"metrics": base / metrics.name, "model": base / model.name}
    return {"metrics": project_path(metrics), "model": project_path(model)}


def write_metrics(metrics: dict[str, float], path: Path) -> None:
    for key, value in metrics.items():
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"metric {key} is not a finite number: {value!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    rounded = {key: round(float(value), 6) for key, value in sorted(metrics.items())}
    path.write_text(json.dumps(rounded, indent=2) + "\n", encoding="utf-8")


def finish_run(
    config: dict[str, Any],
    metrics: dict[str, float],
    params: dict[str, Any],
    save_model: Callable[[Path], None] | None = None,
    output_dir: str | Path | None = None,
) -> dict[str, Path]:
    """Writes metrics (and the model), then logs the run to MLflow when a tracking URI is set."""
    paths = output_paths(config, output_dir)
    write_metrics(metrics, paths["metrics"])
    if save_model is not None:
        paths["model"].parent.mkdir(parents=True, exist_ok=True)
        save_model(paths["model"])
    log_to_mlflow(config, metrics, params, [p for p in paths.values() if p.exists()])
    return paths


def log_to_mlflow(config: dict[str, Any], metrics: dict[str, float], params: dict[str, Any], artifacts: list[Path]) -> str | None:
    uri = os.environ.get("MLFLOW_TRACKING_URI")
    if not uri:
        return None
    try:
        import mlflow
    except ImportError:
        warnings.warn("MLFLOW_TRACKING_URI is set but mlflow is not installed: pip install '.[tracking]'")
        return None
    mlflow.set_tracking_uri(uri)
    run_id = os.environ.get("MLFLOW_RUN_ID")
    if run_id:
        return _log_to_owned_run(run_id, metrics, params, artifacts)
    mlflow.set_experiment(config.get("mlflow", {}).get("experiment") or config["name"])
    with mlflow.start_run(run_name=config["name"]) as run:
        mlflow.log_params(_flatten(params))
        mlflow.log_metrics(metrics)
        for artifact in artifacts:
            mlflow.log_artifact(str(artifact))
        return run.info.run_id


def _log_to_owned_run(run_id: str, metrics: dict[str, float], params: dict[str, Any], artifacts: list[Path]) -> str:
    """`datastack experiment run` created the run (MLFLOW_RUN_ID) and closes it: log into it by id,
    whatever experiment the config names, and leave its status alone. Params already there (the
    config DataStack logged) are skipped: MLflow refuses to change a param's value."""
    import time

    from mlflow.entities import Metric, Param
    from mlflow.tracking import MlflowClient

    client = MlflowClient()
    existing = client.get_run(run_id).data.params
    now = int(time.time() * 1000)
    client.log_batch(
        run_id,
        metrics=[Metric(key, float(value), now, 0) for key, value in metrics.items()],
        params=[Param(key, str(value)) for key, value in _flatten(params).items() if key not in existing],
    )
    for artifact in artifacts:
        client.log_artifact(run_id, str(artifact))
    return run_id


def _flatten(params: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in params.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value if isinstance(value, (int, float, str, bool)) else json.dumps(value)
    return flat
