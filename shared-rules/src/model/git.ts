import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * What git says about workspace files (RULES.md E10): tracked (`git ls-files`) and ignored (`git check-ignore`).
 * No shell, a timeout, and never a throw: undefined when git is missing or the folder is not a work tree.
 */
export interface GitFacts { tracked: Set<string>; ignored: Set<string> }

const TIMEOUT_MS = 5000;

function git(root: string, args: string[], okStatuses: number[] = [0], input?: string): string | undefined {
  try {
    return execFileSync('git', ['-C', root, ...args], {
      encoding: 'utf8', timeout: TIMEOUT_MS, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'ignore'], input, windowsHide: true, maxBuffer: 16 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as { status?: number; stdout?: string };
    if (typeof err.status === 'number' && okStatuses.includes(err.status) && typeof err.stdout === 'string') return err.stdout;
    return undefined;
  }
}

/** Tracked and ignored status of `files` (absolute paths under `root`), or undefined without a usable git. */
export function gitFacts(root: string, files: string[]): GitFacts | undefined {
  const inside = git(root, ['rev-parse', '--is-inside-work-tree']);
  if (inside === undefined || inside.trim() !== 'true') return undefined;
  const rootAbs = path.resolve(root);
  const rel = files.map((f) => path.relative(rootAbs, f).split(path.sep).join('/'));
  if (rel.length === 0) return { tracked: new Set(), ignored: new Set() };
  const back = (r: string) => path.join(rootAbs, ...r.split('/'));
  // Without --full-name, ls-files prints paths relative to the folder it runs in (the workspace root).
  const lsOut = git(root, ['ls-files', '-z', '--', ...rel.map((r) => `:(literal)${r}`)]);
  if (lsOut === undefined) return undefined;
  const tracked = new Set(lsOut.split('\0').filter(Boolean).map(back));
  const ciOut = git(root, ['check-ignore', '-z', '--stdin'], [0, 1], rel.join('\0') + '\0');
  if (ciOut === undefined) return undefined;
  const ignored = new Set(ciOut.split('\0').filter(Boolean).map(back));
  return { tracked, ignored };
}
