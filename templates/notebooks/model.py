# Modeling and evaluation snippets (Jupytext percent form; see common.py).

# %% xy
from sklearn.exceptions import ConvergenceWarning, UndefinedMetricWarning

warnings.filterwarnings("ignore", category=UndefinedMetricWarning)
warnings.filterwarnings("ignore", category=ConvergenceWarning)
# Time-ordered folds may hold classes a training fold never saw; the scores already show it.
warnings.filterwarnings("ignore", message="y_pred contains classes not in y_true")
X = make_features(data)
y = data[TARGET].astype(str) if TASK == "classification" else data[TARGET].astype(float)
# Fewer folds on large data: each fold is big enough, and the notebook stays quick.
FOLDS = 5 if len(X) <= 50_000 else 3
print(f"X: {X.shape[0]:,} rows x {X.shape[1]} feature columns; {FOLDS} folds")

# %% candidates_classification
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, TimeSeriesSplit

forest = dict(n_estimators=TREES, min_samples_leaf=2, max_samples=min(1.0, TREE_ROWS / len(X)), n_jobs=N_JOBS, random_state=SEED)
candidates = {
    "majority class (dummy)": DummyClassifier(strategy="most_frequent"),
    "logistic regression": LogisticRegression(max_iter=2000),
    "random forest": RandomForestClassifier(**forest),
}
scoring = {"f1_macro": "f1_macro", "balanced_accuracy": "balanced_accuracy", "accuracy": "accuracy"}
PRIMARY = "f1_macro"
smallest_class = int(y.value_counts().min())
if TIME:
    splitter = TimeSeriesSplit(n_splits=FOLDS)
else:
    splitter = StratifiedKFold(n_splits=max(2, min(FOLDS, smallest_class)), shuffle=True, random_state=SEED)

# %% candidates_regression
from sklearn.dummy import DummyRegressor
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, TimeSeriesSplit

forest = dict(n_estimators=TREES, min_samples_leaf=2, max_samples=min(1.0, TREE_ROWS / len(X)), n_jobs=N_JOBS, random_state=SEED)
candidates = {
    "mean (dummy)": DummyRegressor(strategy="mean"),
    "ridge regression": Ridge(alpha=1.0),
    "random forest": RandomForestRegressor(**forest),
}
scoring = {"r2": "r2", "rmse": "neg_root_mean_squared_error", "mae": "neg_mean_absolute_error"}
PRIMARY = "r2"
splitter = TimeSeriesSplit(n_splits=FOLDS) if TIME else KFold(n_splits=FOLDS, shuffle=True, random_state=SEED)

# %% cross_validate
from sklearn.model_selection import cross_validate
from sklearn.pipeline import Pipeline

rows = []
for name, estimator in candidates.items():
    pipeline = Pipeline([("prepare", make_preprocessor(X)), ("model", estimator)])
    scores = cross_validate(pipeline, X, y, cv=splitter, scoring=scoring, error_score=np.nan)
    row = {"model": name, "fit seconds": scores["fit_time"].mean()}
    for metric in scoring:
        values = scores[f"test_{metric}"]
        # scikit-learn maximises, so error metrics come negated: show them as errors.
        values = -values if scoring[metric].startswith("neg_") else values
        row[metric] = np.nanmean(values)
        row[f"{metric} std"] = np.nanstd(values)
    rows.append(row)
results = pd.DataFrame(rows).set_index("model").sort_values(PRIMARY, ascending=False)
ax = results[PRIMARY].plot.barh(xerr=results[f"{PRIMARY} std"], figsize=(8, 2.5), title=f"cross-validated {PRIMARY}")
ax.invert_yaxis()
plt.show()
results.round(4)

# %% save_model
import joblib

best_name = results.index[0]
best = Pipeline([("prepare", make_preprocessor(X)), ("model", candidates[best_name])]).fit(X, y)
Path(MODEL_OUT).parent.mkdir(parents=True, exist_ok=True)
joblib.dump(best, MODEL_OUT)
print(f"{best_name} refitted on all {len(X):,} rows and saved to {MODEL_OUT}")

# %% holdout
from sklearn.model_selection import train_test_split

if TIME:
    # Time-ordered data: the newest fifth is the test set, as the model would meet the future.
    cut = int(len(data) * 0.8)
    train, test = data.iloc[:cut], data.iloc[cut:]
else:
    stratify = data[TARGET].astype(str) if TASK == "classification" else None
    if stratify is not None and stratify.value_counts().min() < 2:
        stratify = None
    train, test = train_test_split(data, test_size=0.2, random_state=SEED, stratify=stratify)
X_train, X_test = make_features(train), make_features(test)
as_target = (lambda s: s.astype(str)) if TASK == "classification" else (lambda s: s.astype(float))
y_train, y_test = as_target(train[TARGET]), as_target(test[TARGET])
print(f"train {len(train):,} rows, test {len(test):,} rows")

# %% fit_baseline_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import Pipeline

model = Pipeline(
    [
        ("prepare", make_preprocessor(X_train)),
        ("model", RandomForestClassifier(
            n_estimators=TREES, min_samples_leaf=2, max_samples=min(1.0, TREE_ROWS / len(X_train)), n_jobs=N_JOBS, random_state=SEED
        )),
    ]
).fit(X_train, y_train)

# %% fit_baseline_regression
from sklearn.ensemble import RandomForestRegressor
from sklearn.pipeline import Pipeline

model = Pipeline(
    [
        ("prepare", make_preprocessor(X_train)),
        ("model", RandomForestRegressor(
            n_estimators=TREES, min_samples_leaf=2, max_samples=min(1.0, TREE_ROWS / len(X_train)), n_jobs=N_JOBS, random_state=SEED
        )),
    ]
).fit(X_train, y_train)

# %% load_model
import joblib

# Unpickling runs code from the file: load only models you trust.
model = joblib.load(MODEL_PATH)
print(type(model).__name__, "loaded from", MODEL_PATH)
X_test = model_input(model, test)
X_train = model_input(model, train)

# %% metrics_classification
from sklearn.metrics import ConfusionMatrixDisplay, balanced_accuracy_score, classification_report, f1_score

predicted = pd.Series(model.predict(X_test), index=y_test.index).astype(str)
metrics = {
    "accuracy": (predicted == y_test).mean(),
    "balanced accuracy": balanced_accuracy_score(y_test, predicted),
    "f1 (macro)": f1_score(y_test, predicted, average="macro"),
}
if hasattr(model, "predict_proba") and len(getattr(model, "classes_", [])) == 2 and y_test.nunique() == 2:
    from sklearn.metrics import roc_auc_score

    positive = str(model.classes_[1])
    metrics[f"ROC AUC ({positive} positive)"] = roc_auc_score(y_test == positive, model.predict_proba(X_test)[:, 1])
IMPORTANCE_SCORING = "f1_macro"
print(pd.Series(metrics).round(4).to_string())
print(classification_report(y_test, predicted, zero_division=0))
shown = y_test.value_counts().index[:15]
fig, ax = plt.subplots(figsize=(1.5 + 0.6 * len(shown), 1 + 0.5 * len(shown)))
ConfusionMatrixDisplay.from_predictions(y_test, predicted, labels=list(shown), ax=ax, colorbar=False, xticks_rotation=45)
ax.set_title("confusion matrix (rows: true class)")
plt.show()

# %% metrics_regression
from sklearn.metrics import mean_absolute_error, r2_score, root_mean_squared_error

predicted = pd.Series(model.predict(X_test), index=y_test.index).astype(float)
residuals = y_test - predicted
metrics = {
    "R²": r2_score(y_test, predicted),
    "RMSE": root_mean_squared_error(y_test, predicted),
    "MAE": mean_absolute_error(y_test, predicted),
    "baseline MAE (predict the train mean)": mean_absolute_error(y_test, np.full(len(y_test), y_train.mean())),
}
IMPORTANCE_SCORING = "r2"
print(pd.Series(metrics).round(4).to_string())
fig, (left, middle, right) = plt.subplots(1, 3, figsize=(14, 3.8))
left.scatter(y_test, predicted, s=6, alpha=0.4)
low, high = float(min(y_test.min(), predicted.min())), float(max(y_test.max(), predicted.max()))
left.plot([low, high], [low, high], color="black", linewidth=1)
left.set_xlabel(f"true {str(TARGET)[:30]}")
left.set_ylabel("predicted")
middle.scatter(predicted, residuals, s=6, alpha=0.4)
middle.axhline(0, color="black", linewidth=1)
middle.set_xlabel("predicted")
middle.set_ylabel("residual (true - predicted)")
residuals.plot.hist(bins=40, ax=right, title="residuals")
fig.tight_layout()
plt.show()

# %% importance
from sklearn.inspection import permutation_importance

sample = X_test.sample(n=min(len(X_test), 2000), random_state=SEED)
result = permutation_importance(
    model, sample, y_test.loc[sample.index], n_repeats=5, random_state=SEED, scoring=IMPORTANCE_SCORING
)
importance = pd.DataFrame(
    {"importance": result.importances_mean, "std": result.importances_std}, index=sample.columns
).sort_values("importance", ascending=False)
top = importance.head(20)
ax = top["importance"].plot.barh(xerr=top["std"], figsize=(8, max(2.5, 0.3 * len(top))), title="permutation importance (test set)")
ax.invert_yaxis()
plt.show()
importance.head(20).round(4)
