/**
 * The model registry over REST: registered models, their versions and aliases. Functions over the
 * client, as in run-data.ts. MLflow answers a missing alias with INVALID_PARAMETER_VALUE, not
 * RESOURCE_DOES_NOT_EXIST: it is turned into `not_found` here so callers can tell the two apart.
 */
import { ToolError } from '../core/errors.js';
import type { MlflowClient } from './client.js';
import type { ApiModelVersion, ApiRegisteredModel } from './model.js';

const LIST_MODELS = 'See the versions with `datastack mlflow list-model-versions NAME`';

export async function getRegisteredModel(
  client: MlflowClient,
  name: string,
  signal?: AbortSignal,
): Promise<ApiRegisteredModel | undefined> {
  try {
    const body = await client.request<{ registered_model: ApiRegisteredModel }>(
      'GET',
      'registered-models/get',
      {
        query: { name },
        signal,
      },
    );
    return body.registered_model;
  } catch (error) {
    if (error instanceof ToolError && error.code === 'not_found') return undefined;
    throw error;
  }
}

/** The registered model, created when missing; `created` says which. */
export async function ensureRegisteredModel(
  client: MlflowClient,
  name: string,
  signal?: AbortSignal,
): Promise<{ model: ApiRegisteredModel; created: boolean }> {
  const found = await getRegisteredModel(client, name, signal);
  if (found) return { model: found, created: false };
  try {
    const body = await client.request<{ registered_model: ApiRegisteredModel }>(
      'POST',
      'registered-models/create',
      {
        body: { name },
        signal,
      },
    );
    return { model: body.registered_model, created: true };
  } catch (error) {
    // Someone registered it between our read and our create: theirs is as good.
    if (error instanceof ToolError && error.code === 'conflict') {
      const model = await getRegisteredModel(client, name, signal);
      if (model) return { model, created: false };
    }
    throw error;
  }
}

export async function createModelVersion(
  client: MlflowClient,
  input: { name: string; source: string; runId: string; description?: string | undefined },
  signal?: AbortSignal,
): Promise<ApiModelVersion> {
  const body = await client.request<{ model_version: ApiModelVersion }>('POST', 'model-versions/create', {
    body: {
      name: input.name,
      source: input.source,
      run_id: input.runId,
      ...(input.description ? { description: input.description } : {}),
    },
    signal,
  });
  return body.model_version;
}

/** Versions of one model, newest first. */
export async function searchModelVersions(
  client: MlflowClient,
  name: string,
  options: { limit: number; pageToken?: string | undefined; signal?: AbortSignal | undefined },
): Promise<{ versions: ApiModelVersion[]; nextPageToken?: string }> {
  const page = await client.request<{ model_versions?: ApiModelVersion[]; next_page_token?: string }>(
    'GET',
    'model-versions/search',
    {
      query: {
        filter: `name = '${name.replace(/'/g, "\\'")}'`,
        max_results: options.limit,
        order_by: 'version_number DESC',
        page_token: options.pageToken,
      },
      signal: options.signal,
    },
  );
  const versions = page.model_versions ?? [];
  return page.next_page_token ? { versions, nextPageToken: page.next_page_token } : { versions };
}

export async function setAlias(
  client: MlflowClient,
  input: { name: string; alias: string; version: string },
  signal?: AbortSignal,
): Promise<void> {
  await client.request('POST', 'registered-models/alias', { body: input, signal, notFoundHint: LIST_MODELS });
}

export async function getVersionByAlias(
  client: MlflowClient,
  name: string,
  alias: string,
  signal?: AbortSignal,
): Promise<ApiModelVersion> {
  try {
    const body = await client.request<{ model_version: ApiModelVersion }>('GET', 'registered-models/alias', {
      query: { name, alias },
      signal,
      notFoundHint: 'List registered models with `datastack mlflow list-model-versions NAME`',
    });
    return body.model_version;
  } catch (error) {
    throw aliasNotFound(error, name, alias);
  }
}

export async function deleteAlias(
  client: MlflowClient,
  name: string,
  alias: string,
  signal?: AbortSignal,
): Promise<void> {
  // This DELETE takes its arguments in a JSON body: MLflow ignores the query string here.
  try {
    await client.request('DELETE', 'registered-models/alias', { body: { name, alias }, signal });
  } catch (error) {
    throw aliasNotFound(error, name, alias);
  }
}

function aliasNotFound(error: unknown, name: string, alias: string): unknown {
  if (
    error instanceof ToolError &&
    error.code === 'invalid_input' &&
    /alias .* not found/i.test(error.message)
  ) {
    return new ToolError('not_found', `Model "${name}" has no alias "${alias}"`, {
      hint: `${LIST_MODELS.replace('NAME', name)}; set one with \`datastack mlflow set-alias\``,
    });
  }
  return error;
}
