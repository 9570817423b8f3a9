import * as path from 'node:path';
import type { Project } from '../engine/project';

/**
 * Installed-version facts (RULES.md E10) for version-dependent severities: the version a lockfile resolved
 * (package-lock.json, yarn.lock, pnpm-lock.yaml next to the nearest package.json that declares the package),
 * else what the package.json range admits. A range like `^4.0.0` admits both 4.0.0 and 4.0.1, so
 * "older than 4.0.1" is only claimed when every version the range admits is older.
 */
export type Version = [number, number, number];

export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function parseVersion(s: string): Version | undefined {
  const m = /(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(s);
  if (!m) return undefined;
  const n = (x: string | undefined) => (x === undefined || x === 'x' || x === '*' ? 0 : Number(x));
  return [Number(m[1]), n(m[2]), n(m[3])];
}

/** The lowest and highest version a package.json range admits (`Infinity` parts for open ends). */
export function rangeBounds(range: string): { min: Version; max: Version } | undefined {
  const r = range.trim();
  if (r === '' || r === '*' || r === 'latest' || /^(file|link|workspace|git|http|npm):|\//.test(r)) return undefined;
  if (r.includes('||')) {
    const parts = r.split('||').map((p) => rangeBounds(p)).filter((b): b is { min: Version; max: Version } => !!b);
    if (parts.length === 0) return undefined;
    return {
      min: parts.map((p) => p.min).sort(compareVersions)[0],
      max: parts.map((p) => p.max).sort(compareVersions)[parts.length - 1],
    };
  }
  const v = parseVersion(r);
  if (!v) return undefined;
  const INF = Number.POSITIVE_INFINITY;
  if (/^(>=|>)/.test(r)) {
    const upper = /<=?\s*(\d[\w.]*)/.exec(r);
    return { min: v, max: upper ? parseVersion(upper[1])! : [INF, INF, INF] };
  }
  if (r.startsWith('^')) return { min: v, max: v[0] > 0 ? [v[0], INF, INF] : v[1] > 0 ? [0, v[1], INF] : v };
  if (r.startsWith('~')) return { min: v, max: [v[0], v[1], INF] };
  const wild = /^(\d+)(?:\.(x|\*))?$|^(\d+)\.(\d+)(?:\.(x|\*))?$/.exec(r.replace(/^=/, ''));
  if (wild) {
    const parts = r.replace(/^=/, '').split('.');
    if (parts.length === 1 || parts[1] === 'x' || parts[1] === '*') return { min: v, max: [v[0], INF, INF] };
    if (parts.length === 2 || parts[2] === 'x' || parts[2] === '*') return { min: v, max: [v[0], v[1], INF] };
  }
  return { min: v, max: v };
}

/** The version a lockfile next to `dir`'s package.json resolved for `pkg`, if any. */
function lockfileVersion(project: Project, dir: string, pkg: string): Version | undefined {
  const pl = project.readText(path.join(dir, 'package-lock.json'));
  if (pl) {
    try {
      const j = JSON.parse(pl) as { packages?: Record<string, { version?: string }>; dependencies?: Record<string, { version?: string }> };
      const v = j.packages?.[`node_modules/${pkg}`]?.version ?? j.dependencies?.[pkg]?.version;
      if (v) return parseVersion(v);
    } catch { /* not ours to report */ }
  }
  const yl = project.readText(path.join(dir, 'yarn.lock'));
  if (yl) {
    const esc = pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const m = new RegExp(`^"?${esc}@[^\\n]*:\\n\\s+version:? "?([\\d.]+)`, 'm').exec(yl);
    if (m) return parseVersion(m[1]);
  }
  const pn = project.readText(path.join(dir, 'pnpm-lock.yaml'));
  if (pn) {
    const esc = pkg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const m = new RegExp(`^\\s+'?/?${esc}@(\\d+\\.\\d+\\.\\d+)`, 'm').exec(pn);
    if (m) return parseVersion(m[1]);
  }
  return undefined;
}

/**
 * Compares the installed `pkg` with `min`: 'below' when it is certainly older, 'atLeast' when certainly not
 * older, undefined when unknown (no declaration, or a range that admits both).
 */
export function versionVersus(project: Project, pkg: string, fromFile: string, min: Version): 'below' | 'atLeast' | undefined {
  let dir = path.dirname(path.resolve(fromFile));
  const root = path.resolve(project.root);
  for (;;) {
    const text = project.readText(path.join(dir, 'package.json'));
    if (text !== undefined) {
      let range: string | undefined;
      try {
        const pj = JSON.parse(text) as Record<string, Record<string, string> | undefined>;
        range = pj.dependencies?.[pkg] ?? pj.devDependencies?.[pkg] ?? pj.peerDependencies?.[pkg] ?? pj.optionalDependencies?.[pkg];
      } catch { /* ignore */ }
      if (range !== undefined) {
        const locked = lockfileVersion(project, dir, pkg) ?? lockfileVersion(project, root, pkg);
        if (locked) return compareVersions(locked, min) < 0 ? 'below' : 'atLeast';
        const b = rangeBounds(range);
        if (!b) return undefined;
        if (compareVersions(b.max, min) < 0) return 'below';
        if (compareVersions(b.min, min) >= 0) return 'atLeast';
        return undefined;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir || dir === root || !dir.startsWith(root)) return undefined;
    dir = parent;
  }
}
