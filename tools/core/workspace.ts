/**
 * File arguments resolve inside the workspace root. `..` escapes and absolute paths outside it are
 * refused unless the config allows that folder, so a model cannot read ~/.ssh through a tool.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ToolError } from './errors.js';

export interface Workspace {
  readonly root: string;
  /** Absolute path for a user-given path; throws `outside_workspace` on an escape. */
  resolve(path: string): string;
  /** Path relative to the root when inside it, for display. */
  display(absolutePath: string): string;
  /** Folders outside the root that are allowed too (absolute). */
  readonly allowed: readonly string[];
}

export function createWorkspace(root: string, allowOutside: readonly string[] = []): Workspace {
  const absoluteRoot = resolve(root);
  const allowed = [absoluteRoot, ...allowOutside.map((p) => resolve(absoluteRoot, p))];
  return {
    root: absoluteRoot,
    allowed,
    resolve(path: string): string {
      if (!path || path.includes('\0')) {
        throw new ToolError('invalid_input', 'A file path is required', { hint: 'Give a path inside the workspace' });
      }
      const target = resolve(absoluteRoot, path);
      if (allowed.some((dir) => isInside(dir, target)) && allowed.some((dir) => isInside(dir, realTarget(target)))) {
        return target;
      }
      throw new ToolError('outside_workspace', `Path "${path}" is outside the workspace ${absoluteRoot}`, {
        hint: 'Use a path inside the workspace, or add its folder to workspace.allow_outside in datastack.yaml',
      });
    },
    display(absolutePath: string): string {
      return isInside(absoluteRoot, absolutePath) ? relative(absoluteRoot, absolutePath) || '.' : absolutePath;
    },
  };
}

function isInside(dir: string, target: string): boolean {
  const rel = relative(dir, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** Follows symlinks of the existing part of the path, so a link cannot smuggle a way out. */
function realTarget(target: string): string {
  try {
    return realpathSync(target);
  } catch {
    return target;
  }
}
