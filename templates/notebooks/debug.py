# Debugging snippets (Jupytext percent form; see common.py): load or refit a model, check its
# predictions for the usual failures, then find the slices of the data where it errs most.

# %% load_model
import joblib

# Unpickling runs code from the file: load only models you trust.
model = joblib.load(MODEL_PATH)
print(type(model).__name__, "loaded from", MODEL_PATH)
steps = getattr(model, "steps", None)
if steps:
    print("pipeline steps:", " -> ".join(f"{name} ({type(step).__name__})" for name, step in steps))
# The model may have been trained on some of these rows: errors here are a floor, not an estimate.
eval_rows = data

# %% fit_described
import importlib

from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

if TIME:
    cut = int(len(data) * 0.8)
    train, eval_rows = data.iloc[:cut], data.iloc[cut:]
else:
    labels = data[TARGET].astype(str) if TASK == "classification" else None
    stratify = labels if labels is not None and labels.value_counts().min() >= 2 else None
    train, eval_rows = train_test_split(data, test_size=0.2, random_state=SEED, stratify=stratify)
estimator = getattr(importlib.import_module(f"sklearn.{ESTIMATOR_MODULE}"), ESTIMATOR)()
known = estimator.get_params()
unknown = sorted(set(PARAMS) - set(known))
if unknown:
    print(f"{ESTIMATOR} has no parameter {unknown}: ignored")
estimator.set_params(**{name: value for name, value in PARAMS.items() if name in known})
X_train = make_features(train)
# Forests on large data: each tree learns from at most TREE_ROWS rows unless PARAMS says otherwise.
if getattr(estimator, "bootstrap", False) and "max_samples" not in PARAMS:
    estimator.set_params(max_samples=min(1.0, TREE_ROWS / len(X_train)))
if "n_jobs" in known and "n_jobs" not in PARAMS:
    estimator.set_params(n_jobs=N_JOBS)
y_train = train[TARGET].astype(str) if TASK == "classification" else train[TARGET].astype(float)
dense = ESTIMATOR.startswith("HistGradientBoosting")
model = Pipeline([("prepare", make_preprocessor(X_train, dense=dense)), ("model", estimator)]).fit(X_train, y_train)
print(f"{ESTIMATOR}({', '.join(f'{k}={v!r}' for k, v in PARAMS.items() if k in known)}) fitted on {len(train):,} rows")

# %% predict
checks = []


def check(name, ok, detail=""):
    checks.append({"check": name, "ok": bool(ok), "detail": detail})


y_eval = eval_rows[TARGET].astype(str) if TASK == "classification" else eval_rows[TARGET].astype(float)
try:
    X_eval = model_input(model, eval_rows)
    check("the data has every column the model expects", True, f"{X_eval.shape[1]} input columns")
except ValueError as error:
    check("the data has every column the model expects", False, str(error))
    display(pd.DataFrame(checks))
    raise
try:
    raw = model.predict(X_eval)
except Exception as error:
    print(f"predict() failed: {type(error).__name__}: {error}")
    raise
raw = np.asarray(raw)
check("one prediction per row", raw.shape[0] == len(X_eval), f"{raw.shape[0]:,} predictions for {len(X_eval):,} rows")
check("predictions are one column", raw.ndim == 1, f"shape {raw.shape}")
predicted = pd.Series(raw.reshape(len(raw), -1)[:, 0], index=eval_rows.index)
check("no missing predictions", predicted.notna().all(), f"{int(predicted.isna().sum()):,} missing")

# %% checks_classification
predicted = predicted.astype(str)
known_labels, seen = set(y_eval), set(predicted)
check("only known classes are predicted", seen <= known_labels, f"unexpected: {sorted(seen - known_labels)[:10]}")
check("every class is predicted at least once", known_labels <= seen, f"never predicted: {sorted(known_labels - seen)[:10]}")
top_share = predicted.value_counts(normalize=True).iloc[0]
check("not stuck on one class", top_share < 0.95 or y_eval.value_counts(normalize=True).iloc[0] >= 0.95, f"{top_share:.0%} of predictions are {predicted.mode()[0]!r}")
if hasattr(model, "predict_proba"):
    proba = np.asarray(model.predict_proba(X_eval), dtype=float)
    check("probabilities are finite", np.isfinite(proba).all())
    check("probabilities sum to 1", np.allclose(proba.sum(axis=1), 1, atol=1e-6))
error = (predicted != y_eval).astype(float)
print(f"error rate {error.mean():.3f} on {len(error):,} rows")
pd.DataFrame(checks)

# %% checks_regression
predicted = pd.to_numeric(predicted, errors="coerce")
check("predictions are finite", np.isfinite(predicted).all(), f"{int((~np.isfinite(predicted)).sum()):,} NaN or infinite")
check("predictions vary", predicted.std() > 0, f"std {predicted.std():.4g}")
low, high = y_eval.min(), y_eval.max()
outside = ((predicted < low - (high - low)) | (predicted > high + (high - low))).mean()
check("predictions stay near the target's range", outside < 0.01, f"{outside:.1%} far outside [{low:.4g}, {high:.4g}]")
error = (y_eval - predicted).abs()
print(f"mean absolute error {error.mean():.4g} on {len(error):,} rows")
pd.DataFrame(checks)

# %% slices
def slice_errors(key, name):
    table = error.groupby(key, observed=True).agg(["count", "mean"])
    table = table[table["count"] >= max(5, len(error) // 200)]
    return table.assign(column=name).reset_index(names="slice")


frames = []
for column in [c for c in CATEGORICAL if c != TARGET][:6]:
    frames.append(slice_errors(eval_rows[column].astype("string").fillna("(missing)"), column))
for column in [c for c in NUMERIC if c != TARGET][:6]:
    values = pd.to_numeric(eval_rows[column], errors="coerce")
    if values.nunique() > 1:
        bins = pd.qcut(values, q=4, duplicates="drop")
        labels = bins.map(lambda b: f"{b.left:.4g} to {b.right:.4g}" if pd.notna(b) else "(missing)")
        frames.append(slice_errors(labels.astype("string").fillna("(missing)"), column))
if TIME:
    frames.append(slice_errors(eval_rows[TIME].dt.to_period("M").astype("string").fillna("(missing)"), TIME))
slices = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["column", "slice", "count", "mean"])
slices["vs overall"] = slices["mean"] / error.mean() if error.mean() else np.nan
worst = slices.sort_values("mean", ascending=False).head(15)
if not worst.empty:
    labels = [f"{str(c)[:20]} = {str(s)[:25]}" for c, s in zip(worst["column"], worst["slice"])]
    ax = pd.Series(worst["mean"].to_numpy(), index=labels).plot.barh(figsize=(9, max(2.5, 0.3 * len(worst))), title="mean error by slice (worst first)")
    ax.axvline(error.mean(), color="black", linewidth=1)
    ax.invert_yaxis()
    plt.show()
worst.round(4)

# %% worst_rows
worst_rows = eval_rows.assign(predicted=predicted, error=error).sort_values("error", ascending=False)
worst_rows.head(10)
