/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...s].length;
  for (const c of counts.values()) { const p = c / n; h -= p * Math.log2(p); }
  return h;
}

/** Values people write instead of a real secret (dictionary of RULES.md, lower-cased). */
const PLACEHOLDERS = /^(secret|jwt[_-]?secret|changeme|change[_-]?me|your[_-]?(jwt[_-]?)?secret([_-]?key)?|shh+|keyboard cat|my[_-]?secret|super[_-]?secret|supersecretkey|test|dev|default|password|secretkey|secret[_-]?key|xxx+|todo|replace[_-]?me|placeholder|example|sample|dummy|fake|foo|bar|abc(123)?|123456(78)?|qwerty|admin|root|s3cr3t)$/i;

export function isPlaceholderValue(s: string): boolean {
  const v = s.trim();
  if (PLACEHOLDERS.test(v)) return true;
  if (/^(<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%[A-Z_]+%|\[[A-Z_ ]+\])$/.test(v)) return true;
  if (/^(x+|\*+|\.+|0+|1+|-+|_+)$/i.test(v)) return true;
  if (/^(change|replace|insert|put|set|your|enter)[_ -]/i.test(v) || /[_-](here|me|placeholder)$/i.test(v)) return true;
  if (/\b(example|dummy|placeholder|changeme|redacted|not[_-]?a[_-]?real)\b/i.test(v)) return true;
  return false;
}

/** True when every character is the same or the string is a short repeating pattern (`abcabcabc`). */
export function isRepetitive(s: string): boolean {
  for (let len = 1; len <= Math.min(4, s.length / 2); len++) {
    const unit = s.slice(0, len);
    if (unit.repeat(Math.ceil(s.length / len)).slice(0, s.length) === s) return true;
  }
  return false;
}
