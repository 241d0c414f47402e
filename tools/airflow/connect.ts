/**
 * The Airflow a tool talks to: the profile's `airflow` section (the local standalone fills it in
 * the "stack" profile). One client per URL and user lives in the client pool, so every call of a
 * session shares one token.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import type { AirflowClient } from './client.js';

export async function airflowClient(ctx: ToolContext): Promise<AirflowClient> {
  const section = ctx.config.airflow;
  const url = section?.url;
  if (!url) {
    throw new ToolError('config', `No Airflow is configured in profile "${ctx.config.profile}"`, {
      hint: 'Run `datastack stack up airflow` and use `--profile stack`, or set airflow.url, airflow.username and airflow.password in datastack.yaml (AIRFLOW_URL, AIRFLOW_USERNAME, AIRFLOW_PASSWORD)',
    });
  }
  if (!/^https?:\/\//i.test(url)) {
    throw new ToolError(
      'config',
      `airflow.url is "${url}": DataStack talks to Airflow over its REST API (http://…)`,
      {
        hint: 'Use the API server URL, e.g. http://127.0.0.1:8080',
      },
    );
  }
  const { AirflowClient } = await import('./client.js');
  // Configured by the user, not given by the model: it may lie outside the workspace.
  const dagsFolder = section.dags_folder ? resolve(ctx.config.root, section.dags_folder) : undefined;
  return ctx.clients.get(`airflow:${url}:${section.username ?? 'token'}`, () =>
    Promise.resolve(
      new AirflowClient({
        url,
        username: section.username,
        password: section.password ?? passwordFromFile(section.passwords_file, section.username, ctx),
        token: section.token,
        dagsFolder,
      }),
    ),
  );
}

/** The user's password from a `{user: password}` JSON file (Airflow's simple auth manager format). */
function passwordFromFile(
  file: string | undefined,
  username: string | undefined,
  ctx: ToolContext,
): string | undefined {
  if (!file || !username) return undefined;
  const path = resolve(ctx.config.root, file);
  let passwords: Record<string, unknown>;
  try {
    passwords = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new ToolError('config', `Cannot read airflow.passwords_file ${path}: ${(error as Error).message}`, {
      hint: 'Start the local Airflow once (`datastack stack up airflow`), or set airflow.password (AIRFLOW_PASSWORD)',
    });
  }
  const password = passwords[username];
  return typeof password === 'string' ? password : undefined;
}
