"""Pipeline stage: data cleaning (from DataStack's data-cleaning template).

Reads the first input table, drops duplicate rows, rows without the target and the listed
columns, fills the remaining gaps (median for numbers, most frequent value otherwise) and writes
the first output. DataStack passes inputs, outputs and params as JSON in DATASTACK_STAGE_INPUTS,
DATASTACK_STAGE_OUTPUTS and DATASTACK_STAGE_PARAMS, locally and on Airflow alike.
Params: target, drop_columns (list), drop_duplicates (true), read_options ({sep} of a CSV).
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


def read_table(path, options):
    suffix = Path(path).suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(path)
    if suffix in (".json", ".jsonl", ".ndjson"):
        return pd.read_json(path, lines=suffix != ".json" or bool(options.get("lines")))
    return pd.read_csv(path, sep=options.get("sep", ","))


def write_table(frame, path):
    # Written beside and renamed: a stage stopped mid-write never leaves half a table.
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    if target.suffix.lower() == ".parquet":
        frame.to_parquet(tmp, index=False)
    else:
        frame.to_csv(tmp, index=False)
    os.replace(tmp, target)


def main():
    inputs, outputs, params = stage_io()
    frame = read_table(inputs[0], params.get("read_options", {}))
    rows = len(frame)
    target = params.get("target")
    drop = [c for c in params.get("drop_columns", []) if c in frame.columns and c != target]
    frame = frame.drop(columns=drop)
    if params.get("drop_duplicates", True):
        frame = frame.drop_duplicates()
    if target:
        if target not in frame.columns:
            raise SystemExit(f"target column {target!r} is not in {inputs[0]} (columns: {', '.join(frame.columns)})")
        frame = frame.dropna(subset=[target])
    for column in frame.columns:
        if column == target or not frame[column].isna().any():
            continue
        if pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].fillna(frame[column].median())
        else:
            mode = frame[column].mode(dropna=True)
            frame[column] = frame[column].fillna(mode.iloc[0] if len(mode) else "missing")
    write_table(frame, outputs[0])
    print(f"cleaned {rows} rows -> {len(frame)} rows, {len(frame.columns)} columns; dropped columns: {drop or 'none'}")


if __name__ == "__main__":
    main()
