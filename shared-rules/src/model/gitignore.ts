import * as path from 'node:path';

/**
 * A `.gitignore` evaluator for when git itself is not available (RULES.md E10): every `.gitignore` from the
 * workspace root down to the file's folder, deeper files win, last matching line wins, `!` re-includes, a trailing
 * `/` matches folders only, a `/` at the start or in the middle anchors the pattern to its `.gitignore`'s folder,
 * and nothing inside an ignored folder can be re-included (as git documents).
 */
interface Rule { re: RegExp; negate: boolean; dirOnly: boolean; base: string }

export function parseGitignore(text: string, base: string): Rule[] {
  const rules: Rule[] = [];
  for (let raw of text.split(/\r?\n/)) {
    if (!raw || raw.startsWith('#')) continue;
    raw = raw.replace(/(?<!\\)\s+$/, '');
    if (!raw) continue;
    let negate = false;
    if (raw.startsWith('!')) { negate = true; raw = raw.slice(1); }
    else if (raw.startsWith('\\!') || raw.startsWith('\\#')) raw = raw.slice(1);
    let dirOnly = false;
    if (raw.endsWith('/')) { dirOnly = true; raw = raw.slice(0, -1); }
    if (!raw) continue;
    const anchored = raw.includes('/');
    if (raw.startsWith('/')) raw = raw.slice(1);
    rules.push({ re: new RegExp(`^${anchored ? '' : '(?:.*/)?'}${globBody(raw)}$`), negate, dirOnly, base });
  }
  return rules;
}

function globBody(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const atStart = i === 0 || glob[i - 1] === '/';
      const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
      if (atStart && atEnd) {
        if (i + 2 === glob.length) { re += '.*'; i++; }
        else { re += '(?:.*/)?'; i += 2; }
        continue;
      }
      re += '[^/]*'; i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) { re += '\\['; continue; }
      let body = glob.slice(i + 1, close);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else if (c === '\\' && i + 1 < glob.length) { re += glob[++i].replace(/[.+^${}()|[\]\\*?]/g, '\\$&'); }
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return re;
}

/** Decides whether `file` is ignored, reading `.gitignore` files through `readText` (open documents included). */
export class GitignoreMatcher {
  private readonly cache = new Map<string, Rule[]>();
  constructor(private readonly root: string, private readonly readText: (f: string) => string | undefined) {}

  private rulesFor(dir: string): Rule[] {
    let r = this.cache.get(dir);
    if (!r) {
      const text = this.readText(path.join(dir, '.gitignore'));
      r = text === undefined ? [] : parseGitignore(text, dir);
      this.cache.set(dir, r);
    }
    return r;
  }

  /** Every `.gitignore` rule that can apply below `dir`, outermost first, plus `extra` lines of the root file. */
  private chain(dir: string, extra?: string): Rule[] {
    const root = path.resolve(this.root);
    const dirs: string[] = [];
    for (let d = path.resolve(dir); ; d = path.dirname(d)) {
      dirs.unshift(d);
      if (d === root || path.dirname(d) === d || !d.startsWith(root)) break;
    }
    const rules: Rule[] = [];
    for (const d of dirs) {
      rules.push(...this.rulesFor(d));
      if (d === root && extra) rules.push(...parseGitignore(extra, root));
    }
    return rules;
  }

  /** `extraRootLines`: lines as if appended to the root `.gitignore` (to check a fix before offering it). */
  isIgnored(file: string, extraRootLines?: string): boolean {
    const abs = path.resolve(file);
    const rules = this.chain(path.dirname(abs), extraRootLines);
    const root = path.resolve(this.root);
    const rel = path.relative(root, abs).split(path.sep);
    // Parent folders first: an ignored folder cannot have its files re-included.
    for (let i = 1; i <= rel.length; i++) {
      const isDir = i < rel.length;
      const target = path.join(root, ...rel.slice(0, i));
      let ignored = false;
      for (const r of rules) {
        if (r.dirOnly && !isDir) continue;
        const relToBase = path.relative(r.base, target).split(path.sep).join('/');
        if (relToBase.startsWith('..') || relToBase === '') continue;
        if (r.re.test(relToBase)) ignored = !r.negate;
      }
      if (ignored) return true;
    }
    return false;
  }
}
