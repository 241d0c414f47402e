/** Workspaces with the vega seattle-weather CSV, and a semicolon-separated copy derived from it. */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VEGA_DATA } from '../query/fixtures.js';
import { makeWorkspace, type TempWorkspace } from '../helpers/workspace.js';

export const WEATHER = join(VEGA_DATA, 'seattle-weather.csv');
export const WEATHER_LINES = readFileSync(WEATHER, 'utf8').trim().split('\n');
/** Data rows (the file has one header line). */
export const WEATHER_ROWS = WEATHER_LINES.length - 1;

export function weatherWorkspace(files: Record<string, string> = {}): TempWorkspace {
  const ws = makeWorkspace(files);
  mkdirSync(join(ws.root, 'data'), { recursive: true });
  copyFileSync(WEATHER, join(ws.root, 'data', 'seattle-weather.csv'));
  // The same rows with ';' between fields: the sniffer must find the delimiter.
  writeFileSync(
    join(ws.root, 'data', 'weather-semicolon.txt'),
    `${WEATHER_LINES.map((l) => l.replaceAll(',', ';')).join('\n')}\n`,
  );
  return ws;
}
