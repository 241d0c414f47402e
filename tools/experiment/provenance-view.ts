/**
 * A run's provenance tags, grouped and labelled for `experiment show`. The tag names are the ones
 * `experiment run` writes (see provenance.ts there); runs logged by other means simply have fewer.
 * Pure: tags in, groups out.
 */
import { z } from 'zod';

const PREFIX_DATA = 'datastack.data.';

/** Label → tag, per group, in the order shown. */
const GROUPS = {
  code: { commit: 'mlflow.source.git.commit', branch: 'datastack.git.branch', dirty: 'datastack.git.dirty' },
  lake: { ref: 'datastack.nessie.ref', hash: 'datastack.nessie.hash' },
  environment: { lock_sha256: 'datastack.env.lock', datastack_version: 'datastack.version' },
  invocation: {
    config: 'datastack.config',
    overrides: 'datastack.overrides',
    command: 'datastack.command',
    reproduces: 'datastack.reproduces',
  },
} as const;

const Group = (what: string) => z.record(z.string(), z.string()).optional().describe(what);

export const Provenance = z.object({
  code: Group('Git: commit (mlflow.source.git.commit), branch, dirty (uncommitted changes when it ran)'),
  data: z
    .array(
      z.object({ path: z.string().describe('DVC-tracked path'), md5: z.string().describe('Its DVC md5') }),
    )
    .describe('Data versions: the DVC md5 of each tracked file or folder (datastack.data.<path>)'),
  lake: Group('Nessie reference and commit hash the data was read at'),
  environment: Group('sha256 of the environment lock, DataStack version'),
  invocation: Group('Experiment config, --set overrides, the training command, the run this one reproduces'),
  missing: z
    .array(z.string())
    .describe('Groups with no tag on this run (e.g. not run through `experiment run`)'),
});
export type Provenance = z.infer<typeof Provenance>;

/** Splits a run's tags into provenance groups and the rest (MLflow's own bookkeeping left out). */
export function provenanceOf(tags: Record<string, string>): {
  provenance: Provenance;
  other: Record<string, string>;
} {
  const used = new Set<string>();
  const group = (labels: Record<string, string>) => {
    const values: Record<string, string> = {};
    for (const [label, tag] of Object.entries(labels)) {
      const value = tags[tag];
      if (value === undefined) continue;
      values[label] = value;
      used.add(tag);
    }
    return Object.keys(values).length ? values : undefined;
  };
  const data = Object.entries(tags)
    .filter(([tag]) => tag.startsWith(PREFIX_DATA))
    .map(([tag, md5]) => {
      used.add(tag);
      return { path: tag.slice(PREFIX_DATA.length), md5 };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
  const groups = {
    code: group(GROUPS.code),
    lake: group(GROUPS.lake),
    environment: group(GROUPS.environment),
    invocation: group(GROUPS.invocation),
  };
  const missing = [
    ...(groups.code ? [] : ['code']),
    ...(data.length ? [] : ['data']),
    ...Object.entries(groups)
      .filter(([name, values]) => name !== 'code' && !values)
      .map(([name]) => name),
  ];
  // Key order is display order: the terminal renders the object as written.
  const provenance: Provenance = {
    ...(groups.code ? { code: groups.code } : {}),
    data,
    ...(groups.lake ? { lake: groups.lake } : {}),
    ...(groups.environment ? { environment: groups.environment } : {}),
    ...(groups.invocation ? { invocation: groups.invocation } : {}),
    missing,
  };
  const other = Object.fromEntries(
    Object.entries(tags).filter(([tag]) => !used.has(tag) && !MLFLOW_BOOKKEEPING.has(tag)),
  );
  return { provenance, other };
}

/** MLflow's own tags: already shown as run fields, or noise next to provenance. */
const MLFLOW_BOOKKEEPING = new Set(['mlflow.runName', 'mlflow.user', 'mlflow.log-model.history']);
