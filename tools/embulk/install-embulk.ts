import { z } from 'zod';
import { defineTool } from '../core/types.js';
import { EMBULK_PLUGINS, EMBULK_VERSION } from './install.js';

const Input = z.object({});

const Output = z.object({
  version: z.string().describe('Embulk version'),
  dir: z.string().describe('Install folder (classpath in lib/, plugins in the m2/ Maven repository)'),
  plugins: z.array(z.string()).describe('Plugins installed, kind:name:version'),
  seconds: z.number().describe('Wall time (0 when it was already installed)'),
});

export const embulkInstall = defineTool({
  name: 'embulk_install',
  title: 'Install Embulk',
  description: `Install Embulk ${EMBULK_VERSION} and its standard plugins from Maven Central into the user cache (once; other embulk tools do it on first use). Needs Java 11–21 and Maven.`,
  toolset: 'embulk',
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: false, idempotent: true, openWorld: true },
  toText: (o) => `Embulk ${o.version} in ${o.dir} (${o.plugins.length} plugins) in ${o.seconds.toFixed(1)} s`,
  async run(_input, ctx) {
    const started = Date.now();
    const [{ ensureEmbulk }, { findJava }, { runtimeFor }] = await Promise.all([
      import('./runner.js'),
      import('../stack/jvm.js'),
      import('../stack/runtime.js'),
    ]);
    findJava(11, runtimeFor(ctx).env, 21); // fail before the download when it could never run
    const { install } = await ensureEmbulk(ctx);
    return {
      version: EMBULK_VERSION,
      dir: install.dir,
      plugins: EMBULK_PLUGINS.map((p) => `${p.kind}:${p.name}:${p.version}`),
      seconds: (Date.now() - started) / 1000,
    };
  },
});
