import { isPlaceholderValue } from './entropy';
import { findUriCredentials } from './secretValues';
import { isCredentialName } from './sensitiveNames';
import { findKnownTokens } from './tokenFormats';

/**
 * `.env` files (RULES.md `secrets/env-file-not-ignored`): which files are environment files, what they hold,
 * and the Next.js/Vite conventions about which of them are meant to be committed.
 */

/** `.env`, `.env.local`, `.env.production`… but not templates (`.env.example`, `.sample`, `.template`, `.dist`, `.defaults`) or encrypted vaults. */
export function isEnvFileName(base: string): boolean {
  if (!/^\.env(\.[\w.-]+)?$/.test(base)) return false;
  return !/\.(example|examples|sample|samples|template|tpl|dist|defaults|default|schema|vault|ci\.example)(\.|$)/i.test(base.slice(4));
}

/** Files the Next.js and Vite docs say to commit as non-secret defaults. */
export function isConventionDefaultsFile(base: string): boolean {
  return /^\.env(\.(development|production|test))?$/.test(base);
}

/** `.env.test`, `.env.testing`, `.env.ci`, `.env.e2e`: test configuration, committed on purpose with dummy values. */
export function isTestEnvFile(base: string): boolean {
  return /^\.env\.(test|testing|ci|e2e|spec)(\.|$)/.test(base);
}

/** `.env.local`, `.env.production.local`: where those frameworks expect secrets. */
export function isLocalEnvFile(base: string): boolean {
  return /^\.env(\.[\w-]+)?\.local$/.test(base);
}

export interface EnvEntry { key: string; value: string; line: number }

/** KEY=VALUE lines (dotenv syntax: `export`, quotes, inline comments, multi-line quoted values). */
export function parseDotenv(text: string): EnvEntry[] {
  const out: EnvEntry[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*(.*)$/.exec(lines[i]);
    if (!m) continue;
    let v = m[2];
    const q = v[0];
    if (q === '"' || q === "'" || q === '`') {
      let body = v.slice(1);
      let j = i;
      while (!body.includes(q) && j + 1 < lines.length) body += '\n' + lines[++j];
      const end = body.indexOf(q);
      v = end >= 0 ? body.slice(0, end) : body;
      out.push({ key: m[1], value: v, line: i });
      i = j;
      continue;
    }
    v = v.replace(/\s+#.*$/, '').trim();
    out.push({ key: m[1], value: v, line: i });
  }
  return out;
}

const PUBLIC_PREFIX = /^(NEXT_PUBLIC_|VITE_|PUBLIC_|EXPO_PUBLIC_|NUXT_PUBLIC_|GATSBY_)/;
const NON_SECRET_KEYS = /^(PORT|HOST|NODE_ENV|LOG_LEVEL|DEBUG|TZ|APP_ENV|ENV|ENVIRONMENT)$/;

/** A value that carries nothing: empty, a placeholder, or a reference to another variable (`${OTHER}`). */
export function isEmptyOrPlaceholder(v: string): boolean {
  const t = v.trim();
  return t === '' || isPlaceholderValue(t) || /^\d{1,6}$/.test(t) || t.length < 4 || /^\$\{?[A-Z_][A-Z0-9_]*\}?$/.test(t) || /^(your|my|insert|put|enter|replace|add)[-_ ]/i.test(t) || /^<.*>$/.test(t) || /^\*+$/.test(t);
}

/** The secret-holding keys of a file: secret-named keys with real values, credentials in URIs, provider tokens. */
export function secretKeys(entries: EnvEntry[]): string[] {
  const keys: string[] = [];
  for (const e of entries) {
    if (PUBLIC_PREFIX.test(e.key) || NON_SECRET_KEYS.test(e.key) || isEmptyOrPlaceholder(e.value)) continue;
    if (isCredentialName(e.key) || findKnownTokens(e.value).length > 0) { keys.push(e.key); continue; }
    if (findUriCredentials(e.value).some((c) => !isEmptyOrPlaceholder(c.password) && !/^\$\{/.test(c.password))) keys.push(e.key);
  }
  return keys;
}

/** Keys with a non-empty value (public and harmless ones included). */
export function valuedKeys(entries: EnvEntry[]): string[] {
  return entries.filter((e) => e.value.trim() !== '').map((e) => e.key);
}
