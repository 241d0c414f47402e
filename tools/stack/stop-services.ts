import { z } from 'zod';
import { defineTool, type ToolContext } from '../core/types.js';
import { downServices, withDependents } from './shutdown.js';
import { runtimeFor } from './runtime.js';
import { ServiceList } from './schemas.js';
import { readRecord } from './state.js';
import { servicesInPlay } from './inspect.js';

const Input = z.object({
  services: ServiceList,
  dry_run: z.boolean().optional().describe('Only say what would be stopped'),
});

const Row = z.object({
  name: z.string().describe('Service name'),
  state: z
    .enum(['stopped', 'not_running', 'hosted', 'would_stop'])
    .describe(
      'stopped now; was not running (or not ours); hosted by another service; would_stop in a dry run',
    ),
  pid: z.number().optional().describe('Process id that was stopped'),
  detail: z.string().optional().describe('Why it was left alone'),
});

const Output = z.object({
  services: z.array(Row).describe('One row per service, in the order they were stopped'),
});

type DownInput = z.infer<typeof Input>;
type DownOutput = z.infer<typeof Output>;

export const stackDown = defineTool({
  name: 'stack_down',
  title: 'Stop local services',
  description:
    'Stop local services that `stack up` started in this project (by recorded pid; anything else is left alone). Services that depend on a stopped one stop too. The in-memory Nessie and S3 lose all their data.',
  toolset: 'stack',
  action: 'down',
  positional: ['services'],
  input: Input,
  output: Output,
  annotations: { readOnly: false, destructive: true, idempotent: true, openWorld: false },
  confirmSummary: (input, ctx) => {
    const rt = runtimeFor(ctx);
    const running = withDependents(
      input.services?.length ? input.services : servicesInPlay(rt.stateDir),
    ).filter((s) => !s.hostedBy && readRecord(rt.stateDir, s.name));
    if (running.length === 0)
      return 'No service started by datastack is recorded here; nothing will be stopped.';
    const warnings = running.map((s) => s.stopWarning).filter(Boolean);
    return `Stop ${running.map((s) => s.name).join(', ')}. ${warnings.join('; ')}.`;
  },
  run: runDown,
  toText: (output) =>
    output.services
      .map(
        (s) =>
          `${s.name}: ${s.state.replace('_', ' ')}${s.pid ? ` (pid ${s.pid})` : ''}${s.detail ? `: ${s.detail}` : ''}`,
      )
      .join('\n'),
});

async function runDown(input: DownInput, ctx: ToolContext): Promise<DownOutput> {
  const rt = runtimeFor(ctx);
  const names = input.services?.length ? input.services : servicesInPlay(rt.stateDir);
  if (input.dry_run) {
    return {
      services: withDependents(names).map((s) => {
        const record = s.hostedBy ? undefined : readRecord(rt.stateDir, s.name);
        return record
          ? { name: s.name, state: 'would_stop' as const, pid: record.pid }
          : { name: s.name, state: s.hostedBy ? ('hosted' as const) : ('not_running' as const) };
      }),
    };
  }
  return { services: await downServices(names, rt) };
}
