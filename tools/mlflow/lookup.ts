/** Finding runs and experiments by what a person types: ids or names. */
import { ToolError } from '../core/errors.js';
import type { MlflowClient } from './client.js';
import type { ApiRun } from './model.js';

/** Runs by id, a few requests at a time; an unknown id fails the whole call with its id named. */
export async function getRuns(
  client: MlflowClient,
  ids: readonly string[],
  signal?: AbortSignal,
): Promise<ApiRun[]> {
  const unique = [...new Set(ids)];
  const runs: ApiRun[] = new Array<ApiRun>(unique.length);
  let next = 0;
  const worker = async () => {
    while (next < unique.length) {
      const index = next++;
      runs[index] = await client.getRun(unique[index] ?? '', signal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, unique.length) }, worker));
  return runs;
}

/**
 * Experiment ids for names or ids: a name is looked up first (names may be digits too), and a
 * string of digits that names nothing is taken as an id.
 */
export async function experimentIds(
  client: MlflowClient,
  refs: readonly string[],
  signal?: AbortSignal,
): Promise<string[]> {
  return Promise.all(
    refs.map(async (ref) => {
      const found = await client.getExperimentByName(ref, signal);
      if (found) return found.experiment_id;
      if (/^\d+$/.test(ref)) return ref;
      throw new ToolError('not_found', `MLflow at ${client.base} has no experiment named "${ref}"`, {
        hint: 'List experiments with `datastack mlflow list-experiments`',
      });
    }),
  );
}
