/**
 * Java services: find a JDK new enough (Nessie needs 21+ while the machine default may be 17),
 * and fetch runner jars from Maven Central with the user's own `mvn` (its proxy and mirror
 * settings apply) into `<cache>/jars`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../core/errors.js';
import { withFileLock } from './lock.js';
import { jarsDir } from './paths.js';
import { CommandFailed, runCommand } from './processes.js';
import type { StackRuntime } from './service.js';

export interface JavaHome {
  java: string;
  home: string;
  major: number;
}

/**
 * JAVA_HOME when new enough, else the newest JDK in the usual folders, else a clear error.
 * `maxMajor` bounds it for runtimes that do not start on newer JDKs (Spark 4.0: 17 and 21).
 */
export function findJava(minMajor: number, env: NodeJS.ProcessEnv, maxMajor = Infinity): JavaHome {
  const seen: JavaHome[] = [];
  const candidates = [
    ...(env.JAVA_HOME ? [env.JAVA_HOME] : []),
    ...listDirs('/usr/lib/jvm'),
    ...listDirs('/Library/Java/JavaVirtualMachines').map((dir) => join(dir, 'Contents', 'Home')),
  ];
  for (const home of candidates) {
    const java = join(home, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
    const major = javaMajor(home);
    if (major === undefined || !existsSync(java)) continue;
    // JAVA_HOME wins when it is new enough: the user chose it.
    if (home === env.JAVA_HOME && major >= minMajor && major <= maxMajor) return { java, home, major };
    seen.push({ java, home, major });
  }
  const best = seen
    .filter((j) => j.major >= minMajor && j.major <= maxMajor)
    .sort((a, b) => b.major - a.major)[0];
  if (best) return best;
  const found = seen.length ? ` (found: ${seen.map((j) => `Java ${j.major} in ${j.home}`).join(', ')})` : '';
  const wanted = maxMajor === Infinity ? `Java ${minMajor} or newer` : `Java ${minMajor} to ${maxMajor}`;
  throw new ToolError('config', `${wanted} is needed and none was found${found}`, {
    hint: `Install a JDK ${minMajor}+ (e.g. Eclipse Temurin, or your OS package openjdk-${minMajor}-jre-headless) and set JAVA_HOME to it`,
  });
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() || entry.isSymbolicLink())
      .map((entry) => join(dir, entry.name));
  } catch {
    return [];
  }
}

/** The major version from the JDK's `release` file: no JVM start needed. */
function javaMajor(home: string): number | undefined {
  try {
    const release = readFileSync(join(home, 'release'), 'utf8');
    const version = /JAVA_VERSION="([^"]+)"/.exec(release)?.[1];
    if (!version) return undefined;
    const parts = version.split('.');
    const major = Number(parts[0] === '1' ? parts[1] : parts[0]);
    return Number.isInteger(major) ? major : undefined;
  } catch {
    return undefined;
  }
}

export interface MavenArtifact {
  groupId: string;
  artifactId: string;
  version: string;
  classifier?: string;
}

export function jarName(artifact: MavenArtifact): string {
  return `${artifact.artifactId}-${artifact.version}${artifact.classifier ? `-${artifact.classifier}` : ''}.jar`;
}

/** Path of the jar in the cache, fetching it with `mvn dependency:copy` the first time. */
export async function ensureJar(rt: StackRuntime, artifact: MavenArtifact, label: string): Promise<string> {
  const dir = jarsDir(rt.cacheDir);
  const target = join(dir, jarName(artifact));
  if (existsSync(target)) return target;
  await withFileLock(
    join(dir, `${jarName(artifact)}.lock`),
    `downloading ${label}`,
    async () => {
      if (existsSync(target)) return;
      // Copy into a private folder, then rename: an interrupted download never looks complete.
      const staging = join(dir, `.staging-${process.pid}`);
      mkdirSync(staging, { recursive: true });
      const coords = [artifact.groupId, artifact.artifactId, artifact.version, 'jar', artifact.classifier]
        .filter(Boolean)
        .join(':');
      rt.progress({ done: 0, message: `downloading ${label} (${coords}) with Maven (first time only)` });
      const started = Date.now();
      const ticker = setInterval(() => {
        rt.progress({
          done: Math.round((Date.now() - started) / 1000),
          message: `downloading ${label}: ${Math.round((Date.now() - started) / 1000)} s`,
        });
      }, 2000);
      try {
        await runCommand(
          'mvn',
          ['-B', '-q', 'dependency:copy', `-Dartifact=${coords}`, `-DoutputDirectory=${staging}`],
          {
            env: rt.env,
            signal: rt.signal,
          },
        );
        renameSync(join(staging, jarName(artifact)), target);
      } catch (error) {
        throw mavenError(error, coords, rt.signal);
      } finally {
        clearInterval(ticker);
        rmSync(staging, { recursive: true, force: true });
      }
    },
    { signal: rt.signal },
  );
  return target;
}

function mavenError(error: unknown, coords: string, signal: AbortSignal): ToolError {
  if (signal.aborted) return new ToolError('aborted', 'Cancelled', { cause: error });
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
    return new ToolError('config', 'Maven (mvn) is needed to download the service jars and was not found', {
      hint: 'Install Maven 3 (Debian: `apt-get install maven`; macOS: `brew install maven`)',
      cause: error,
    });
  }
  const output =
    error instanceof CommandFailed
      ? error.output
          .split('\n')
          .filter((l) => l.includes('ERROR'))
          .slice(0, 3)
          .join('\n')
      : '';
  return new ToolError('unavailable', `Maven could not fetch ${coords}${output ? `:\n${output}` : ''}`, {
    hint: 'Check that Maven Central (or your mirror in ~/.m2/settings.xml) is reachable, then run it again',
    cause: error,
  });
}
