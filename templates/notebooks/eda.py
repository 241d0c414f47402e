# Exploratory-analysis snippets (Jupytext percent form; see common.py).

# %% missingness
missing = df.isna().mean().sort_values(ascending=False)
missing = missing[missing > 0]
if missing.empty:
    print("No missing values in any column.")
else:
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, max(3, 0.35 * len(missing))))
    (100 * missing).plot.barh(ax=left, color="tab:orange", title="missing values (% of rows)")
    left.invert_yaxis()
    # Which rows miss what: missing values that line up across columns share a cause.
    rows = df[missing.index].isna().sample(n=min(len(df), 400), random_state=SEED).sort_index()
    right.imshow(rows.to_numpy().T, aspect="auto", interpolation="none", cmap="Greys")
    right.set_yticks(range(len(missing)), [str(c)[:30] for c in missing.index])
    right.set_xlabel("rows (sample, in file order)")
    right.set_title("missing cells in black")
    fig.tight_layout()
    plt.show()
(100 * missing).round(2).to_frame("missing %")

# %% numeric
columns = NUMERIC[:24]
ncols = 3
nrows = -(-len(columns) // ncols)
fig, axes = plt.subplots(nrows, ncols, figsize=(13, 2.8 * nrows), squeeze=False)
for ax, column in zip(axes.flat, columns):
    values = plot_df[column].replace([np.inf, -np.inf], np.nan).dropna()
    if not values.empty:
        values.plot.hist(bins=40, ax=ax, color="tab:blue")
    ax.set_title(str(column)[:40])
    ax.set_ylabel("")
for ax in axes.flat[len(columns):]:
    ax.set_visible(False)
fig.tight_layout()
plt.show()
summary = df[NUMERIC].describe(percentiles=[0.05, 0.5, 0.95]).T
summary["skew"] = df[NUMERIC].skew()
summary.round(3)

# %% categorical
columns = CATEGORICAL[:12]
ncols = 2
nrows = -(-len(columns) // ncols)
fig, axes = plt.subplots(nrows, ncols, figsize=(13, 3.2 * nrows), squeeze=False)
for ax, column in zip(axes.flat, columns):
    counts = plot_df[column].astype("string").fillna("(missing)").value_counts().head(20)
    counts.index = [str(v)[:30] for v in counts.index]
    counts.plot.barh(ax=ax, color="tab:green")
    ax.invert_yaxis()
    ax.set_title(f"{str(column)[:40]} ({df[column].nunique():,} distinct)")
for ax in axes.flat[len(columns):]:
    ax.set_visible(False)
fig.tight_layout()
plt.show()

# %% text
STOPWORDS = set("a an and are as at be by for from has have in is it its of on or that the this to was were will with".split())
for column in TEXT:
    values = plot_df[column].dropna().astype(str)
    lengths = pd.DataFrame({"characters": values.str.len(), "words": values.str.split().str.len()})
    tokens = Counter(
        token
        for value in values
        for token in re.findall(r"[a-z][a-z0-9']+", value.lower())
        if token not in STOPWORDS and len(token) > 2
    )
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 3.5))
    lengths["words"].plot.hist(bins=40, ax=left, title=f"{str(column)[:40]}: words per value")
    top = pd.Series(dict(tokens.most_common(20)), dtype=float)
    if not top.empty:
        top.plot.barh(ax=right, title="most frequent tokens", color="tab:purple")
        right.invert_yaxis()
    fig.tight_layout()
    plt.show()
    display(lengths.describe().T.round(1))

# %% correlations
corr = plot_df[NUMERIC].corr()
fig, ax = plt.subplots(figsize=(1.5 + 0.6 * len(corr), 1 + 0.5 * len(corr)))
image = ax.imshow(corr, cmap="RdBu_r", vmin=-1, vmax=1)
labels = [str(c)[:25] for c in corr.columns]
ax.set_xticks(range(len(corr)), labels, rotation=60, ha="right")
ax.set_yticks(range(len(corr)), labels)
if len(corr) <= 12:
    for i in range(len(corr)):
        for j in range(len(corr)):
            value = corr.iloc[i, j]
            if pd.notna(value):
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8)
fig.colorbar(image, ax=ax, shrink=0.8)
ax.set_title("Pearson correlation")
plt.show()
upper = corr.where(np.triu(np.ones(corr.shape, dtype=bool), k=1)).stack().dropna()
upper.abs().sort_values(ascending=False).head(10).rename("|r|").to_frame()

# %% target_classification
counts = df[TARGET].astype("string").fillna("(missing)").value_counts()
fig, ax = plt.subplots(figsize=(8, max(2.5, 0.3 * min(len(counts), 30))))
counts.head(30).plot.barh(ax=ax, color="tab:red", title=f"class balance of {TARGET}")
ax.invert_yaxis()
plt.show()
print((100 * counts / counts.sum()).round(1).head(30).to_string())

labels = plot_df[TARGET].astype("string")
top_classes = counts.drop("(missing)", errors="ignore").index[:8]
features = [c for c in NUMERIC if c != TARGET][:6]
if features:
    fig, axes = plt.subplots(1, len(features), figsize=(4 * len(features), 3.5), squeeze=False)
    for ax, column in zip(axes.flat, features):
        groups = [plot_df.loc[labels == label, column].dropna() for label in top_classes]
        ax.boxplot(groups, showfliers=False)
        ax.set_xticks(range(1, len(top_classes) + 1), [str(c)[:12] for c in top_classes], rotation=45)
        ax.set_title(str(column)[:30])
    fig.suptitle(f"numeric features by {TARGET}")
    fig.tight_layout()
    plt.show()
for column in [c for c in CATEGORICAL if c != TARGET][:4]:
    table = pd.crosstab(plot_df[column].astype("string").fillna("(missing)"), labels, normalize="index")
    display((100 * table).round(1).head(15))

# %% target_regression
target = pd.to_numeric(plot_df[TARGET], errors="coerce")
features = [c for c in NUMERIC if c != TARGET]
strength = plot_df[features].corrwith(target).dropna().sort_values(key=abs, ascending=False)
fig, (left, right) = plt.subplots(1, 2, figsize=(13, 3.5))
target.dropna().plot.hist(bins=40, ax=left, color="tab:red", title=f"distribution of {TARGET}")
if not strength.empty:
    strength.head(15).plot.barh(ax=right, title=f"correlation with {TARGET}")
    right.invert_yaxis()
fig.tight_layout()
plt.show()

top = list(strength.index[:6])
if top:
    points = plot_df.sample(n=min(len(plot_df), 5000), random_state=SEED)
    fig, axes = plt.subplots(1, len(top), figsize=(4 * len(top), 3.5), squeeze=False)
    for ax, column in zip(axes.flat, top):
        ax.scatter(points[column], points[TARGET], s=6, alpha=0.4)
        ax.set_xlabel(str(column)[:30])
        ax.set_ylabel(str(TARGET)[:30])
    fig.tight_layout()
    plt.show()
for column in [c for c in CATEGORICAL if c != TARGET][:4]:
    by_level = target.groupby(plot_df[column].astype("string").fillna("(missing)")).agg(["count", "mean", "median"])
    display(by_level.sort_values("count", ascending=False).head(15).round(3))

# %% time
# A frequency that gives a readable number of points for the span the data covers.
series = df.dropna(subset=[TIME]).set_index(TIME).sort_index()
span = series.index.max() - series.index.min()
steps = [(3, "h"), (120, "D"), (730, "W"), (365 * 30, "MS")]
freq = next((f for days, f in steps if span <= pd.Timedelta(days=days)), "YS")
print(f"{series.index.min()} to {series.index.max()}, resampled by {freq!r}")
columns = [c for c in NUMERIC if c != TARGET][:6]
fig, axes = plt.subplots(1 + len(columns), 1, figsize=(13, 2.4 * (1 + len(columns))), sharex=True, squeeze=False)
series.resample(freq).size().plot(ax=axes[0, 0], title="rows per period", color="black")
for ax, column in zip(axes.flat[1:], columns):
    series[column].resample(freq).mean().plot(ax=ax, title=f"mean {str(column)[:40]}", marker=".")
fig.tight_layout()
plt.show()

# %% time_target_classification
labels = series[TARGET].astype("string").fillna("(missing)")
shares = labels.groupby(pd.Grouper(freq=freq)).value_counts(normalize=True).unstack(fill_value=0)
ax = shares.plot.area(figsize=(13, 3.5), title=f"share of each {TARGET} over time", linewidth=0)
ax.legend(loc="center left", bbox_to_anchor=(1, 0.5))
plt.show()

# %% time_target_regression
ax = pd.to_numeric(series[TARGET], errors="coerce").resample(freq).agg(["mean", "median"]).plot(
    figsize=(13, 3.5), title=f"{TARGET} over time"
)
plt.show()
