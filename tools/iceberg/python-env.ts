/**
 * The Python the Iceberg writer runs in: the stack's shared venv (`<cache>/venv`, cache =
 * $XDG_CACHE_HOME/datastack or ~/.cache/datastack), with pyiceberg installed on first use, with
 * progress, through the same code as `datastack stack up`. Checked once per process.
 */
import type { ToolContext } from '../core/types.js';

/** The venv's python, with pyiceberg and pyarrow importable; installs them the first time. */
export function ensurePyiceberg(ctx: ToolContext): Promise<string> {
  return ctx.clients.get('iceberg:python', async () => {
    // Loaded here: tool modules stay cheap to import.
    const [{ ensurePythonPackages }, { PYICEBERG_SPEC }] = await Promise.all([
      import('../stack/python.js'),
      import('../stack/services/nessie.js'),
    ]);
    // The same spec `stack up` installs, so pip runs once for both.
    const env = await ensurePythonPackages([PYICEBERG_SPEC], {
      progress: ctx.progress,
      log: ctx.log,
      signal: ctx.signal,
    });
    return env.python;
  });
}
