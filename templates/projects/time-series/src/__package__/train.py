"""Entry point: python -m <package>.train --config configs/experiment.yaml

Holds out the last `horizon` points, forecasts them with the lag model and the seasonal naive
baseline, and reports MAE, RMSE and MAPE of both (the baseline's with a `seasonal_naive_` prefix)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import joblib

from .config import load_config
from .data import load_series, season_length
from .metrics import forecast_metrics
from .model import fit_lag_model, forecast, seasonal_naive
from .tracking import finish_run


def run(config_path: str | Path = "configs/experiment.yaml", output_dir: str | Path | None = None) -> dict[str, float]:
    config = load_config(config_path)
    model_config = config["model"]
    series = load_series(config)
    season = season_length(series, model_config.get("season_length", "auto"))
    lags = int(model_config.get("lags") or max(season, 3))
    horizon = int(model_config.get("horizon") or max(season, 1))
    if len(series) < lags + 2 * horizon:
        raise ValueError(f"{len(series)} points are too few for {lags} lags and a horizon of {horizon}: "
                         "lower model.lags or model.horizon")
    values = series.to_numpy()
    history, actual = values[:-horizon], values[-horizon:]
    model = fit_lag_model(history, lags, float(model_config.get("alpha", 1.0)))
    metrics = forecast_metrics(actual, forecast(model, history, horizon, lags))
    metrics.update(forecast_metrics(actual, seasonal_naive(history, horizon, season), prefix="seasonal_naive_"))
    params = {"lags": lags, "season_length": season, "horizon": horizon, "points": len(series),
              "start": str(series.index[0]), "end": str(series.index[-1])}
    finish_run(config, metrics, params, lambda path: joblib.dump(model, path), output_dir)
    return metrics


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Forecast the held-out horizon and write the metrics.")
    parser.add_argument("--config", default="configs/experiment.yaml", help="experiment YAML")
    parser.add_argument("--output-dir", default=None, help="write metrics and model here instead")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.config, args.output_dir), indent=2))


if __name__ == "__main__":
    main()
