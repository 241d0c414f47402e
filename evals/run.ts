/**
 * Runs every scenario through the real `datastack ask --json` with a real model, each in a fresh
 * workspace, and prints a pass/fail table. Needs ANTHROPIC_API_KEY (and builds first: `npm run eval`).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCENARIOS, type EvalRun, type EvalScenario } from './scenarios.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repo, 'dist', 'agent', 'bin.js');

function prepare(scenario: EvalScenario): string {
  const root = mkdtempSync(join(tmpdir(), 'datastack-eval-'));
  writeFileSync(join(root, 'datastack.yaml'), 'profile: local\n');
  const place = (target: string) => {
    const full = join(root, target);
    mkdirSync(dirname(full), { recursive: true });
    return full;
  };
  for (const [target, source] of Object.entries(scenario.files)) copyFileSync(join(repo, source), place(target));
  for (const [target, content] of Object.entries(scenario.write ?? {})) writeFileSync(place(target), content);
  return root;
}

function runScenario(scenario: EvalScenario): { failures: string[]; turns: number; cost: number | null } {
  const root = prepare(scenario);
  try {
    const child = spawnSync(process.execPath, [bin, 'ask', '--json', ...(scenario.args ?? []), scenario.prompt], {
      cwd: root,
      encoding: 'utf8',
      timeout: 300_000,
    });
    const result = JSON.parse(child.stdout || '{}') as {
      answer?: string;
      turns?: number;
      cost_usd?: number | null;
      tool_calls?: EvalRun['toolCalls'];
    };
    const run: EvalRun = { root, exitCode: child.status ?? -1, answer: result.answer ?? '', toolCalls: result.tool_calls ?? [] };
    const failures = child.status === 0 ? scenario.check(run) : [`exit ${child.status}: ${child.stderr.slice(0, 300)}`];
    return { failures, turns: result.turns ?? 0, cost: result.cost_usd ?? null };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (!process.env.ANTHROPIC_API_KEY) {
  console.error('error: evals run a real model: set ANTHROPIC_API_KEY (the tests in test/ need none)');
  process.exit(3);
}
let failed = 0;
for (const scenario of SCENARIOS) {
  const { failures, turns, cost } = runScenario(scenario);
  failed += failures.length > 0 ? 1 : 0;
  const mark = failures.length === 0 ? '✓' : '✗';
  console.log(`${mark} ${scenario.name}  (${turns} turns, $${cost?.toFixed(4) ?? '?'})`);
  for (const failure of failures) console.log(`    ${failure}`);
}
console.log(`\n${SCENARIOS.length - failed}/${SCENARIOS.length} scenarios passed`);
process.exitCode = failed > 0 ? 1 : 0;
