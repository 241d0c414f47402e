"""Pipeline stage: feature engineering (from DataStack's feature-engineering template).

Turns the first input table into model features: date columns become year, month, day of week
(and hour for timestamps), categorical columns are one-hot encoded (rare values pooled into
"other"), numeric columns are kept; the target column passes through unchanged.
Params: target, date_columns, categorical (lists; guessed from the data when absent),
max_categories (30).
"""
import json
import os
from pathlib import Path

import pandas as pd


def stage_io():
    inputs = json.loads(os.environ.get("DATASTACK_STAGE_INPUTS", "[]"))
    outputs = json.loads(os.environ.get("DATASTACK_STAGE_OUTPUTS", "[]"))
    params = json.loads(os.environ.get("DATASTACK_STAGE_PARAMS", "{}"))
    if not inputs or not outputs:
        raise SystemExit("this stage needs one input and one output (DATASTACK_STAGE_INPUTS/OUTPUTS)")
    return inputs, outputs, params


def read_table(path):
    suffix = Path(path).suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path)


def write_table(frame, path):
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    if target.suffix.lower() == ".parquet":
        frame.to_parquet(tmp, index=False)
    else:
        frame.to_csv(tmp, index=False)
    os.replace(tmp, target)


def looks_like_date(series):
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    # pandas 3 reads text as its str dtype, older pandas as object.
    if not (pd.api.types.is_string_dtype(series) or series.dtype == object):
        return False
    sample = series.dropna().astype(str).head(200)
    parsed = pd.to_datetime(sample, errors="coerce", format="mixed")
    return len(sample) > 0 and parsed.notna().mean() > 0.95


def main():
    inputs, outputs, params = stage_io()
    frame = read_table(inputs[0])
    target = params.get("target")
    features = frame.drop(columns=[target]) if target in frame.columns else frame
    dates = params.get("date_columns")
    if dates is None:
        dates = [c for c in features.columns if looks_like_date(features[c])]
    categorical = params.get("categorical")
    if categorical is None:
        categorical = [c for c in features.columns if c not in dates and not pd.api.types.is_numeric_dtype(features[c])]
    max_categories = int(params.get("max_categories", 30))

    parts = [features.select_dtypes("number")]
    for column in dates:
        when = pd.to_datetime(features[column], errors="coerce", format="mixed")
        parts.append(pd.DataFrame({f"{column}_year": when.dt.year, f"{column}_month": when.dt.month, f"{column}_dayofweek": when.dt.dayofweek}))
        if (when.dt.hour.fillna(0) != 0).any():
            parts.append(pd.DataFrame({f"{column}_hour": when.dt.hour}))
    for column in categorical:
        values = features[column].astype(str)
        keep = values.value_counts().index[:max_categories]
        values = values.where(values.isin(keep), "other")
        parts.append(pd.get_dummies(values, prefix=column, dtype=int))
    result = pd.concat(parts, axis=1)
    if target in frame.columns:
        result[target] = frame[target].values
    write_table(result, outputs[0])
    print(f"features: {len(result)} rows, {len(result.columns) - (1 if target else 0)} features from {len(dates)} date and {len(categorical)} categorical columns")


if __name__ == "__main__":
    main()
