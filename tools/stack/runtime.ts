/** The StackRuntime of a tool call: paths and ports from the context, nothing global. */
import type { ToolContext } from '../core/types.js';
import { resolvePorts } from './manager.js';
import { defaultCacheDir, stackStateDir } from './paths.js';
import type { StackRuntime } from './service.js';

/**
 * `env` is the process environment by default: services inherit it (PATH, JAVA_HOME, proxies)
 * and the cache dir follows XDG. It is read here, at the edge, and handed down.
 */
export function runtimeFor(ctx: ToolContext, env: NodeJS.ProcessEnv = process.env): StackRuntime {
  return {
    cacheDir: defaultCacheDir(env),
    stateDir: stackStateDir(ctx.workspace.root),
    ports: resolvePorts(ctx.config.stack.ports),
    profile: ctx.config.profile,
    log: ctx.log,
    progress: ctx.progress,
    signal: ctx.signal,
    env,
  };
}
