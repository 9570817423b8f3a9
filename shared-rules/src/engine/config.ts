import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Rule, Severity, SeveritySetting } from './types';

/**
 * The one configuration schema, read from `.apiwarden.json`, package.json `apiWarden`, or editor settings. Treated as
 * immutable once files are analysed with it (the enabled-rule list is computed once per configuration object).
 */
export interface WardenConfig {
  rules: Record<string, { severity: SeveritySetting; options: Record<string, unknown> }>;
  /** Path globs (relative to the workspace) that are not scanned, on top of node_modules, dist, build, .git. */
  ignore: string[];
}

export interface ConfigProblem { key: string; message: string }

const SEVERITIES: SeveritySetting[] = ['error', 'warning', 'info', 'off'];

/** Validates raw configuration; every problem names the key that is wrong. Valid parts still apply. */
export function parseConfig(raw: unknown, rules: readonly Rule[], source: string): { config: WardenConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const config = defaultConfig(rules);
  if (raw === undefined || raw === null) return { config, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ key: source, message: `${source} must be an object` });
    return { config, problems };
  }
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (key !== 'rules' && key !== 'ignore' && key !== '$schema') problems.push({ key, message: `unknown key "${key}" (expected "rules" or "ignore")` });
  }
  if (obj.ignore !== undefined) {
    if (!Array.isArray(obj.ignore) || obj.ignore.some((g) => typeof g !== 'string')) problems.push({ key: 'ignore', message: '"ignore" must be an array of glob strings' });
    else config.ignore = obj.ignore as string[];
  }
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== 'object' || obj.rules === null || Array.isArray(obj.rules)) {
      problems.push({ key: 'rules', message: '"rules" must be an object mapping rule ids to a severity or { severity, options }' });
    } else {
      const byId = new Map(rules.map((r) => [r.meta.id, r]));
      for (const [id, setting] of Object.entries(obj.rules as Record<string, unknown>)) {
        const key = `rules.${id}`;
        const rule = byId.get(id);
        if (!rule) { problems.push({ key, message: `unknown rule "${id}"${closest(id, [...byId.keys()])}` }); continue; }
        const entry = config.rules[id];
        if (typeof setting === 'string') {
          if (!SEVERITIES.includes(setting as SeveritySetting)) problems.push({ key, message: `severity must be one of ${SEVERITIES.join(', ')} (got "${setting}")` });
          else entry.severity = setting as SeveritySetting;
          continue;
        }
        if (typeof setting !== 'object' || setting === null || Array.isArray(setting)) { problems.push({ key, message: 'must be a severity string or { "severity": ..., "options": {...} }' }); continue; }
        const s = setting as Record<string, unknown>;
        for (const k of Object.keys(s)) if (k !== 'severity' && k !== 'options') problems.push({ key: `${key}.${k}`, message: `unknown key "${k}" (expected "severity" or "options")` });
        if (s.severity !== undefined) {
          if (!SEVERITIES.includes(s.severity as SeveritySetting)) problems.push({ key: `${key}.severity`, message: `severity must be one of ${SEVERITIES.join(', ')}` });
          else entry.severity = s.severity as SeveritySetting;
        }
        if (s.options !== undefined) {
          if (typeof s.options !== 'object' || s.options === null || Array.isArray(s.options)) { problems.push({ key: `${key}.options`, message: 'options must be an object' }); continue; }
          const schema = rule.meta.options ?? {};
          for (const [ok, ov] of Object.entries(s.options as Record<string, unknown>)) {
            const spec = schema[ok];
            if (!spec) { problems.push({ key: `${key}.options.${ok}`, message: `unknown option "${ok}"${Object.keys(schema).length ? ` (known: ${Object.keys(schema).join(', ')})` : ' (this rule has no options)'}` }); continue; }
            const okType = spec.type === 'string[]' ? Array.isArray(ov) && ov.every((x) => typeof x === 'string') : typeof ov === spec.type;
            if (!okType) problems.push({ key: `${key}.options.${ok}`, message: `must be a ${spec.type}` });
            else entry.options[ok] = ov;
          }
        }
      }
    }
  }
  return { config, problems };
}

export function defaultConfig(rules: readonly Rule[]): WardenConfig {
  const out: WardenConfig = { rules: {}, ignore: [] };
  for (const r of rules) {
    const options: Record<string, unknown> = {};
    for (const [k, spec] of Object.entries(r.meta.options ?? {})) options[k] = spec.default;
    out.rules[r.meta.id] = { severity: r.meta.defaultSeverity, options };
  }
  return out;
}

/** Reads `.apiwarden.json` or package.json `apiWarden` from a directory; JSON syntax errors are problems too. */
export function loadConfigFile(dir: string, rules: readonly Rule[]): { config: WardenConfig; problems: ConfigProblem[]; source?: string } {
  const file = path.join(dir, '.apiwarden.json');
  if (fs.existsSync(file)) {
    let raw: unknown;
    try { raw = JSON.parse(fs.readFileSync(file, 'utf8')); } catch (e) {
      return { config: defaultConfig(rules), problems: [{ key: '.apiwarden.json', message: `not valid JSON: ${(e as Error).message}` }], source: file };
    }
    return { ...parseConfig(raw, rules, '.apiwarden.json'), source: file };
  }
  const pj = path.join(dir, 'package.json');
  if (fs.existsSync(pj)) {
    try {
      const raw = JSON.parse(fs.readFileSync(pj, 'utf8'));
      if (raw && raw.apiWarden !== undefined) {
        const r = parseConfig(raw.apiWarden, rules, 'apiWarden');
        return { config: r.config, problems: r.problems.map((p) => ({ ...p, key: p.key === 'apiWarden' ? p.key : `apiWarden.${p.key}` })), source: pj };
      }
    } catch { /* a broken package.json is not ours to report */ }
  }
  return { config: defaultConfig(rules), problems: [] };
}

/**
 * The severity a finding is shown with. Left at the rule's default, the rule's own per-finding severity
 * (confidence split, version facts) wins; a severity the user configured applies to every finding of the rule.
 */
export function effectiveSeverity(setting: SeveritySetting, ruleDefault: SeveritySetting, reported: Severity | undefined): Severity | undefined {
  if (setting === 'off') return undefined;
  if (setting !== ruleDefault || !reported) return setting;
  return reported;
}

function closest(id: string, ids: string[]): string {
  const tail = id.split('/').pop() ?? id;
  const hit = ids.find((x) => x.endsWith('/' + tail) || x.includes(tail));
  return hit ? ` (did you mean "${hit}"?)` : '';
}
