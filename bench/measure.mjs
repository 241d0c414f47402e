// Shared timing helpers for the benchmarks: interleaved runs, medians, ratios. No absolute goals
// are asserted here; the machines are noisy, so only ratios measured side by side mean anything.
import { spawnSync } from 'node:child_process';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time of one synchronous command, in ms. Fails loudly when the command fails. */
export function timeCommand(command, args, options = {}) {
  const start = performance.now();
  const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  const elapsed = performance.now() - start;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr?.toString().slice(0, 400)}`);
  }
  return elapsed;
}

/** Runs each case `runs` times, interleaved (a, b, a, b…), after `warmup` rounds; returns medians. */
export async function compare(cases, { runs = 15, warmup = 2 } = {}) {
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let round = 0; round < warmup + runs; round++) {
    for (const [name, run] of Object.entries(cases)) {
      const ms = await run();
      if (round >= warmup) samples[name].push(ms);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

/** Prints each median and its ratio to the baseline; `goals` maps a case to its ratio goal. */
export function report(title, medians, baseline, goals = {}) {
  const base = medians[baseline];
  console.log(`\n${title}`);
  const ratios = {};
  for (const [name, ms] of Object.entries(medians)) {
    const ratio = ms / base;
    ratios[name] = ratio;
    const goal = goals[name];
    const verdict = goal === undefined ? '' : ratio <= goal ? ` ✓ goal ≤ ${goal}x` : ` ✗ goal ≤ ${goal}x`;
    const mark = name === baseline ? '(baseline)' : `${ratio.toFixed(2)}x${verdict}`;
    console.log(`  ${name.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  ${mark}`);
  }
  return ratios;
}
