# Feature snippets (Jupytext percent form; see common.py): the columns a model reads and the
# scikit-learn preprocessing in front of it. The same code is written into the feature-engineering,
# modeling, evaluation and debug notebooks, so a model saved by one is read the same way by another.

# %% make_features
def make_features(frame):
    """Model inputs: date parts instead of raw dates, length counts beside text, categories as text."""
    X = frame[[c for c in NUMERIC + CATEGORICAL + TEXT + DATES if c != TARGET]].copy()
    for column in DATES:
        when = pd.to_datetime(X.pop(column), errors="coerce")
        X[f"{column}_year"] = when.dt.year
        X[f"{column}_month"] = when.dt.month
        X[f"{column}_dayofweek"] = when.dt.day_of_week
        X[f"{column}_dayofyear"] = when.dt.day_of_year
        if column in TIMESTAMPS:
            X[f"{column}_hour"] = when.dt.hour
    for column in CATEGORICAL:
        if column != TARGET:
            X[column] = X[column].astype("string").fillna("missing").astype(object)
    for column in TEXT:
        if column != TARGET:
            X[column] = X[column].astype("string").fillna("").astype(object)
            X[f"{column}_chars"] = X[column].str.len()
            X[f"{column}_words"] = X[column].str.split().str.len()
    return X


# %% make_preprocessor
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def make_preprocessor(X, dense=False):
    """Median-impute and scale numbers, one-hot encode categories (rare ones pooled), TF-IDF text."""
    categorical = [c for c in CATEGORICAL if c in X.columns]
    text = [c for c in TEXT if c in X.columns]
    numeric = [c for c in X.columns if c not in categorical and c not in text]
    parts = []
    if numeric:
        parts.append(("numeric", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric))
    if categorical:
        encoder = OneHotEncoder(handle_unknown="infrequent_if_exist", max_categories=MAX_CATEGORIES)
        parts.append(("categorical", encoder, categorical))
    for column in text:
        # A single column name (not a list): TfidfVectorizer wants one string per row.
        parts.append((f"text_{column}", TfidfVectorizer(max_features=200, stop_words="english"), column))
    # Dense output unless TF-IDF makes it wide: forests are much slower on sparse matrices.
    return ColumnTransformer(parts, remainder="drop", sparse_threshold=0.3 if text and not dense else 0)


# %% model_input
def model_input(model, frame):
    """What a fitted model expects: raw columns, or make_features() of them (DataStack models)."""
    expected = list(getattr(model, "feature_names_in_", []))
    if expected and set(expected) <= set(frame.columns):
        return frame[expected]
    X = make_features(frame)
    missing = [c for c in expected if c not in X.columns]
    if missing:
        raise ValueError(f"The model expects columns this dataset does not have: {missing[:10]}")
    return X[expected] if expected else X
