// Cold start of the CLI against a bare `node -e 0`, measured side by side.
// Goals (issue 2): `datastack --version` ≤ 1.5x, `datastack tools list --json` ≤ 2x.
import { fileURLToPath } from 'node:url';
import { compare, report, timeCommand } from './measure.mjs';

const bin = fileURLToPath(new URL('../dist/agent/bin.js', import.meta.url));
const node = process.execPath;
const runs = Number(process.env.BENCH_RUNS ?? 20);

export async function coldStart() {
  const medians = await compare(
    {
      'node -e 0': () => timeCommand(node, ['-e', '0']),
      'datastack --version': () => timeCommand(node, [bin, '--version']),
      'datastack tools list --json': () => timeCommand(node, [bin, 'tools', 'list', '--json']),
    },
    { runs },
  );
  return report('Cold start (median wall time)', medians, 'node -e 0', {
    'datastack --version': 1.5,
    'datastack tools list --json': 2,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await coldStart();
