# Cells shared by every DataStack notebook, in Jupytext "percent" form: each `# %% name` starts a
# snippet that `datastack generate notebook` may copy into a code cell. Snippets read only the
# settings of the generated first cell (DATA_PATH, NUMERIC, CATEGORICAL, TEXT, DATES, TARGET, ...),
# which DataStack fills in from the dataset's real columns.

# %% imports
import gzip
import json
import re
import warnings
from collections import Counter
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

pd.set_option("display.max_columns", 50)
pd.set_option("display.width", 160)
plt.rcParams["figure.dpi"] = 72
# Column names are data: a "$" in one must not switch matplotlib into math mode.
plt.rcParams["text.parse_math"] = False
warnings.filterwarnings("ignore", category=FutureWarning)

# %% load
def load_dataset(path, fmt, options):
    if fmt == "parquet":
        return pd.read_parquet(path)
    if fmt == "json":
        # The json module keeps the file's own types (pandas.read_json guesses dates from names).
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as file:
            if options.get("lines"):
                records = [json.loads(line) for line in file if line.strip()]
            else:
                records = json.load(file)
        return pd.DataFrame.from_records(records if isinstance(records, list) else [records])
    return pd.read_csv(path, low_memory=False, **options)


df = load_dataset(DATA_PATH, DATA_FORMAT, READ_OPTIONS)
for column in NUMERIC:
    df[column] = pd.to_numeric(df[column], errors="coerce")
for column in DATES:
    df[column] = pd.to_datetime(df[column], errors="coerce", format=DATE_FORMATS.get(column))

# Plots of very large data draw a random sample: the shapes stay, the drawing stays fast.
plot_df = df.sample(n=PLOT_ROWS, random_state=SEED) if len(df) >= SAMPLE_ABOVE else df
print(f"{len(df):,} rows x {df.shape[1]} columns; plots use {len(plot_df):,} rows")
df.head()

# %% types
roles = {column: "numeric" for column in NUMERIC}
roles.update({column: "categorical" for column in CATEGORICAL})
roles.update({column: "text" for column in TEXT})
roles.update({column: "date/time" for column in DATES})
roles.update({column: "left out" for column in DROPPED})
overview = pd.DataFrame(
    {
        "role": pd.Series(roles),
        "pandas dtype": df.dtypes.astype(str),
        "missing": df.isna().sum(),
        "distinct": df.nunique(),
    }
)
overview.loc[list(df.columns)]

# %% target_rows
data = df.dropna(subset=[TARGET])
print(f"{len(df) - len(data):,} rows without a {TARGET!r} value are left out; {len(data):,} remain")
if TIME:
    data = data.sort_values(TIME)
if len(data) > FIT_ROWS:
    # Fitting on a random sample keeps the notebook interactive; raise FIT_ROWS for the final run.
    data = data.sample(n=FIT_ROWS, random_state=SEED)
    data = data.sort_values(TIME) if TIME else data
    print(f"models are fitted on a sample of {len(data):,} rows")
