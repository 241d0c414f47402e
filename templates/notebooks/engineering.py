# Feature-engineering snippets (Jupytext percent form; see common.py). The transformations
# themselves live in features.py; these cells show what each one does to this dataset.

# %% date_parts
parts = make_features(df.head(2000))
date_columns = [c for c in parts.columns if any(c.startswith(f"{d}_") for d in DATES) and c not in NUMERIC]
pd.concat([df[DATES].head(5), parts[date_columns].head(5)], axis=1)

# %% text_features
from sklearn.feature_extraction.text import TfidfVectorizer

for column in [c for c in TEXT if c != TARGET]:
    values = df[column].astype("string").fillna("")
    vectorizer = TfidfVectorizer(max_features=200, stop_words="english").fit(values)
    weights = pd.Series(np.asarray(vectorizer.transform(values).mean(axis=0)).ravel(), index=vectorizer.get_feature_names_out())
    print(f"{column}: {len(vectorizer.vocabulary_)} terms kept; heaviest:", ", ".join(weights.sort_values(ascending=False).index[:15]))
    display(pd.DataFrame({"chars": values.str.len(), "words": values.str.split().str.len()}).describe().T.round(1))

# %% categorical_encoding
cardinality = pd.DataFrame(
    {
        "distinct": [df[c].nunique() for c in CATEGORICAL],
        "most frequent": [df[c].astype("string").mode().iloc[0] if df[c].notna().any() else None for c in CATEGORICAL],
        "missing": [int(df[c].isna().sum()) for c in CATEGORICAL],
    },
    index=CATEGORICAL,
)
cardinality["encoding"] = np.where(
    cardinality["distinct"] > MAX_CATEGORIES,
    f"one-hot of the {MAX_CATEGORIES - 1} commonest + 'infrequent'",
    "one-hot",
)
cardinality.drop(index=[TARGET], errors="ignore")

# %% numeric_scaling
features = [c for c in NUMERIC if c != TARGET]
shape = pd.DataFrame({"skew": df[features].skew(), "min": df[features].min(), "missing": df[features].isna().sum()})
# Strongly right-skewed, non-negative columns are candidates for log1p before scaling.
shape["log1p candidate"] = (shape["skew"] > 1) & (shape["min"] >= 0)
shape["skew after log1p"] = [
    np.log1p(df[c].clip(lower=0)).skew() if flag else np.nan for c, flag in zip(shape.index, shape["log1p candidate"])
]
shape.round(3)

# %% pipeline
# A sample is enough to see the shape of the matrix; the models refit on the data they get.
sample = df if len(df) <= FIT_ROWS else df.sample(n=FIT_ROWS, random_state=SEED)
X = make_features(sample)
preprocessor = make_preprocessor(X)
matrix = preprocessor.fit_transform(X)
names = preprocessor.get_feature_names_out()
print(f"{X.shape[1]} input columns -> {matrix.shape[1]} model features ({type(matrix).__name__})")
pd.Series(names[:40], name="first model features").to_frame()

# %% feature_scores_classification
from sklearn.feature_selection import f_classif

rows = sample[TARGET].notna().to_numpy()
scores, _ = f_classif(matrix[rows], sample.loc[rows, TARGET].astype(str))
ranked = pd.Series(scores, index=names).replace([np.inf, -np.inf], np.nan).dropna().sort_values(ascending=False)
ax = ranked.head(15).plot.barh(figsize=(8, 4), title=f"ANOVA F score against {TARGET} (higher separates classes better)")
ax.invert_yaxis()
plt.show()

# %% feature_scores_regression
from sklearn.feature_selection import r_regression

rows = sample[TARGET].notna().to_numpy()
scores = r_regression(matrix[rows], sample.loc[rows, TARGET].astype(float))
ranked = pd.Series(np.abs(scores), index=names).dropna().sort_values(ascending=False)
ax = ranked.head(15).plot.barh(figsize=(8, 4), title=f"|correlation| with {TARGET}")
ax.invert_yaxis()
plt.show()
