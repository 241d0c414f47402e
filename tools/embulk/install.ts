/**
 * Embulk 0.11 assembled from Maven Central. The self-executable `embulk-X.jar` is published only on
 * GitHub, so we build its equivalent: embulk-core + embulk-deps + Logback on a plain classpath
 * (`<install>/lib`), and the standard plugins in a private Maven repository (`<install>/m2`) that
 * Embulk loads them from (`-X m2_repo=… -X plugins.parser.csv=maven:org.embulk:csv:0.11.6`).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../core/errors.js';
import { withFileLock } from '../stack/lock.js';
import { CommandFailed, runCommand } from '../stack/processes.js';
import type { ProgressReporter } from '../core/types.js';

/** 0.11.4: the newest release whose embulk-deps Maven Central serves (0.11.5 has no embulk-deps). */
export const EMBULK_VERSION = '0.11.4';

/** Plugin kind, name and version: the set the official 0.11 executable embeds, less bzip2 and filters. */
export const EMBULK_PLUGINS = [
  { kind: 'input', name: 'file', version: '0.11.1' },
  { kind: 'output', name: 'file', version: '0.11.1' },
  { kind: 'output', name: 'stdout', version: '0.11.1' },
  { kind: 'parser', name: 'csv', version: '0.11.6' },
  { kind: 'parser', name: 'json', version: '0.11.2' },
  { kind: 'formatter', name: 'csv', version: '0.11.2' },
  { kind: 'guess', name: 'csv', version: '0.11.6' },
  { kind: 'guess', name: 'json', version: '0.11.2' },
  { kind: 'guess', name: 'gzip', version: '0.11.1' },
  { kind: 'decoder', name: 'gzip', version: '0.11.1' },
  { kind: 'encoder', name: 'gzip', version: '0.11.1' },
] as const;

export type PluginKind = (typeof EMBULK_PLUGINS)[number]['kind'];

export interface EmbulkInstall {
  dir: string;
  lib: string;
  m2: string;
  home: string;
}

export function embulkInstallDir(cacheDir: string): string {
  return join(cacheDir, `embulk-${EMBULK_VERSION}`);
}

export function installLayout(dir: string): EmbulkInstall {
  return { dir, lib: join(dir, 'lib'), m2: join(dir, 'm2'), home: join(dir, 'home') };
}

/** The marker is written last: a half-finished install never looks complete. */
const MARKER = 'installed.json';

export function isInstalled(dir: string): boolean {
  return existsSync(join(dir, MARKER));
}

/** The `-X` properties that load every plugin from the private repository. */
export function pluginProperties(install: EmbulkInstall): string[] {
  return [
    `m2_repo=${install.m2}`,
    `embulk_home=${install.home}`,
    // The official jar names these in its manifest; without it `guess` tries no plugin.
    'guess_plugins=gzip,json,csv',
    ...EMBULK_PLUGINS.map((p) => `plugins.${p.kind}.${p.name}=maven:org.embulk:${p.name}:${p.version}`),
  ].flatMap((property) => ['-X', property]);
}

const dependency = (artifactId: string, version: string, groupId = 'org.embulk') =>
  `<dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>`;

const pom = (artifactId: string, dependencies: string[]) =>
  `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>datastack</groupId><artifactId>${artifactId}</artifactId><version>1</version><packaging>pom</packaging>
<dependencies>
${dependencies.join('\n')}
</dependencies></project>
`;

export const RUNTIME_POM = pom('embulk-runtime', [
  dependency('embulk-core', EMBULK_VERSION),
  dependency('embulk-deps', EMBULK_VERSION),
  // Logback 1.3: what the official 0.11 executable bundles (Java 8 and javax.*).
  dependency('logback-classic', '1.3.14', 'ch.qos.logback'),
]);

// Kind-less: one artifact serves each plugin name of a kind (embulk-parser-csv, embulk-guess-csv…).
export const PLUGINS_POM = pom(
  'embulk-plugins',
  EMBULK_PLUGINS.map((p) => dependency(`embulk-${p.kind}-${p.name}`, p.version)),
);

export interface InstallOptions {
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  progress: ProgressReporter;
}

/** Installs into `dir` once (under a lock: two test workers may ask together). */
export async function installEmbulk(dir: string, options: InstallOptions): Promise<EmbulkInstall> {
  const install = installLayout(dir);
  if (isInstalled(dir)) return install;
  mkdirSync(dir, { recursive: true });
  await withFileLock(
    join(dir, '.install.lock'),
    'installing Embulk',
    async () => {
      if (isInstalled(dir)) return;
      const started = Date.now();
      const staging = join(dir, `.staging-${process.pid}`);
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      const steps: [string, string, string[]][] = [
        [
          'runtime',
          RUNTIME_POM,
          ['dependency:copy-dependencies', `-DoutputDirectory=${join(staging, 'lib')}`],
        ],
        ['plugins', PLUGINS_POM, ['dependency:resolve']],
      ];
      try {
        for (const [index, [what, text, goals]] of steps.entries()) {
          options.progress({
            done: index,
            total: steps.length,
            message: `installing Embulk ${EMBULK_VERSION}: ${what} from Maven (first time only)`,
          });
          const project = join(staging, what);
          mkdirSync(project, { recursive: true });
          writeFileSync(join(project, 'pom.xml'), text);
          await runCommand('mvn', ['-B', '-q', ...goals, `-Dmaven.repo.local=${join(staging, 'm2')}`], {
            cwd: project,
            env: options.env,
            signal: options.signal,
          });
        }
        renameSync(join(staging, 'lib'), install.lib);
        rmSync(install.m2, { recursive: true, force: true });
        renameSync(join(staging, 'm2'), install.m2);
        mkdirSync(install.home, { recursive: true });
        const jars = readdirSync(install.lib).length;
        writeFileSync(
          join(dir, MARKER),
          JSON.stringify({ version: EMBULK_VERSION, jars, seconds: (Date.now() - started) / 1000 }),
        );
        options.progress({
          done: steps.length,
          total: steps.length,
          message: `Embulk ${EMBULK_VERSION} installed in ${dir}`,
        });
      } catch (error) {
        throw installError(error, options.signal);
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    },
    { signal: options.signal },
  );
  return install;
}

export const INSTALL_HINT =
  'Install it with `datastack embulk install` (needs Maven and Maven Central or a mirror)';

function installError(error: unknown, signal: AbortSignal): ToolError {
  if (signal.aborted) return new ToolError('aborted', 'Cancelled', { cause: error });
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    return new ToolError(
      'config',
      `Embulk ${EMBULK_VERSION} is not installed, and Maven (mvn), which installs it, was not found`,
      {
        hint: 'Install Maven 3 (Debian: `apt-get install maven`; macOS: `brew install maven`), then run `datastack embulk install`',
        cause: error,
      },
    );
  }
  const lines =
    error instanceof CommandFailed
      ? error.output
          .split('\n')
          .filter((l) => l.includes('ERROR'))
          .slice(0, 3)
      : [];
  return new ToolError(
    'unavailable',
    `Maven could not fetch Embulk ${EMBULK_VERSION}${lines.length ? `:\n${lines.join('\n')}` : ''}`,
    {
      hint: 'Check that Maven Central (or your mirror in ~/.m2/settings.xml) is reachable, then run `datastack embulk install`',
      cause: error,
    },
  );
}
