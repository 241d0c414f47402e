/**
 * Which MLflow a tool talks to: the profile's tracking server, or, on the embedded default, the
 * project's own local server (SQLite store in `.datastack/mlflow/`), started on first use by the
 * same code as `datastack stack up mlflow`. One client per server lives in the client pool.
 */
import { ToolError } from '../core/errors.js';
import type { ToolContext } from '../core/types.js';
import type { MlflowClient } from './client.js';

export async function mlflowClient(ctx: ToolContext): Promise<MlflowClient> {
  const section = ctx.config.mlflow;
  const configured = section?.tracking_uri;
  const { MlflowClient } = await import('./client.js');
  if (configured) {
    if (!/^https?:\/\//i.test(configured)) {
      throw new ToolError(
        'config',
        `mlflow.tracking_uri is "${configured}": DataStack talks to MLflow over its REST API (http://…)`,
        {
          hint: "Point it at a tracking server, or unset it (and MLFLOW_TRACKING_URI) to use the project's local one",
        },
      );
    }
    return ctx.clients.get(`mlflow:${configured}`, () =>
      Promise.resolve(
        new MlflowClient({
          url: configured,
          token: section.token,
          username: section.username,
          password: section.password,
        }),
      ),
    );
  }
  return ctx.clients.get('mlflow:local', async () => {
    const [{ upServices }, { runtimeFor }] = await Promise.all([
      import('../stack/manager.js'),
      import('../stack/runtime.js'),
    ]);
    const [report] = await upServices(['mlflow'], runtimeFor(ctx));
    if (!report) throw new ToolError('internal', 'The local MLflow server did not report back');
    if (report.state === 'started') {
      ctx.log.info(
        `Started the project's MLflow server at ${report.url} (store: .datastack/mlflow); ` +
          '`datastack stack down mlflow` stops it',
      );
    }
    return new MlflowClient({ url: report.url });
  });
}

/** The tracking URI a training process is given: the same server the tools read. */
export async function trackingUri(ctx: ToolContext): Promise<string> {
  return (await mlflowClient(ctx)).base;
}
