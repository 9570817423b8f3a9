import * as fs from 'node:fs';
import * as path from 'node:path';
import ts = require('typescript');
import { FileModel } from '../model/fileModel';
import { skipReason } from './fileFilter';

interface Entry { key: string; model: FileModel | null; skipped?: string }

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/**
 * The files of one workspace: open documents (overlays) over the disk, parsed once per version and shared by
 * every file that imports them. Knows the workspace's dependencies (package.json) for version facts.
 */
export class Project {
  private readonly entries = new Map<string, Entry>();
  private readonly overlays = new Map<string, { text: string; version: number }>();
  private packageJsonCache = new Map<string, Record<string, string> | null>();

  /** Bumped whenever any file's content changes: workspace memos are recomputed then. */
  generation = 0;

  /**
   * Bumped when what every file can see may have changed: which files exist (module resolution), package.json and
   * other non-source files, a file changed on disk. Every file model's cross-file caches are dropped then. A plain edit
   * of an open source document does not bump it: only the models that consulted that file (transitively) drop theirs.
   */
  structureGeneration = 0;

  /** file → files whose models consulted it (followed an import into it), for targeted cache invalidation. */
  private readonly dependents = new Map<string, Set<string>>();

  /** Records that `from`'s model looked into `to` (an import, re-export or `require` followed into that file). */
  noteDependency(from: string, to: string): void {
    if (from === to) return;
    let s = this.dependents.get(to);
    if (!s) { s = new Set(); this.dependents.set(to, s); }
    s.add(from);
  }

  /** Drops the cross-file caches of every model that consulted `file`, directly or through other files. */
  private invalidateDependents(file: string): void {
    const seen = new Set<string>([file]);
    const queue = [file];
    while (queue.length) {
      const f = queue.pop()!;
      for (const d of this.dependents.get(f) ?? []) {
        if (seen.has(d)) continue;
        seen.add(d);
        queue.push(d);
        this.entries.get(d)?.model?.dropCrossFileCaches();
      }
    }
  }

  private memos = new Map<string, unknown>();
  private memoGeneration = -1;

  constructor(readonly root: string) {}

  /**
   * Workspace-wide facts computed once per project generation (any file change recomputes them): e.g. every
   * `jwt.sign` algorithm by key, or every `JwtModule.register` options object. Rules ask per call; this keeps
   * that O(1) instead of a walk of other files per call.
   */
  memo<T>(key: string, compute: () => T): T {
    if (this.memoGeneration !== this.generation) { this.memos.clear(); this.memoGeneration = this.generation; }
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const v = compute();
    this.memos.set(key, v);
    return v;
  }
  /**
   * A workspace fact merged from per-file parts: the parts of every file whose text mentions one of `needles`, in
   * that order, each part cached with its file's parse (`FileModel.perFile`), so an edit recomputes one part and
   * the merge, not a walk of every file.
   */
  gather<P>(key: string, needles: readonly string[], part: (model: FileModel) => P[]): P[] {
    return this.memo(`gather:${key}`, () => {
      const out: P[] = [];
      for (const file of new Set(needles.flatMap((n) => this.filesMentioning(n)))) {
        const m = this.getModel(file);
        if (m) out.push(...m.perFile(key, () => part(m)));
      }
      return out;
    });
  }


  setOverlay(fileName: string, text: string, version: number): void {
    const f = path.resolve(fileName);
    const prev = this.overlays.get(f);
    if (!prev) this.clearResolution();
    this.overlays.set(f, { text, version });
    if (prev?.text !== text) {
      this.generation++;
      if (!prev || !isSourceFileName(f)) this.structureGeneration++;
      else this.invalidateDependents(f);
      // Keep text-filter caches exact without rescanning the workspace on every keystroke.
      for (const [needle, files] of this.mentionCache) {
        const has = text.includes(needle);
        const i = files.indexOf(f);
        if (has && i < 0) files.push(f);
        else if (!has && i >= 0) files.splice(i, 1);
      }
    }
  }

  removeOverlay(fileName: string): void {
    this.generation++;
    this.structureGeneration++;
    this.clearResolution();
    this.overlays.delete(path.resolve(fileName));
    this.entries.delete(path.resolve(fileName));
  }

  /** Forget a disk file's parse (it changed on disk). */
  invalidate(fileName: string): void {
    this.generation++;
    this.structureGeneration++;
    this.pendingText.delete(this.abs(fileName));
    this.clearResolution();
    const f = path.resolve(fileName);
    if (!this.overlays.has(f)) this.entries.delete(f);
    if (path.basename(f) === 'package.json') this.packageJsonCache.clear();
  }

  /** The model of a file, parsing it if its version changed; undefined when it cannot be read or is skipped. */
  getModel(fileName: string): FileModel | undefined {
    return this.getEntry(fileName).model ?? undefined;
  }

  /** Whether the current version of a file is parsed already (asking costs nothing). */
  hasModel(fileName: string): boolean {
    const f = this.abs(fileName);
    const e = this.entries.get(f);
    const overlay = this.overlays.get(f);
    return !!e && e.key === (overlay ? `v${overlay.version}` : 'disk') && !!e.model;
  }

  /** Why a file is not analysed (too big, binary, minified), if it is not. */
  getSkipReason(fileName: string): string | undefined {
    return this.getEntry(fileName).skipped;
  }

  /** A file's current text and why it would be skipped, without parsing it (relevance is decided on text). */
  peek(fileName: string): { text?: string; skipped?: string } {
    const f = this.abs(fileName);
    const overlay = this.overlays.get(f);
    const cached = this.entries.get(f);
    if (cached && cached.key === (overlay ? `v${overlay.version}` : 'disk')) {
      return cached.model ? { text: cached.model.sourceFile.text } : { skipped: cached.skipped };
    }
    const text = overlay ? overlay.text : this.diskText(f);
    if (text === undefined) return { skipped: 'file cannot be read' };
    const skipped = skipReason(f, text);
    return skipped ? { skipped } : { text };
  }

  private readonly absCache = new Map<string, string>();
  /** Disk texts read before their file was parsed (by text filters): parsed from here, not read twice. */
  private readonly pendingText = new Map<string, string | null>();

  private abs(fileName: string): string {
    let f = this.absCache.get(fileName);
    if (f === undefined) { f = path.resolve(fileName); this.absCache.set(fileName, f); }
    return f;
  }

  private diskText(f: string): string | undefined {
    const cached = this.entries.get(f);
    if (cached?.key === 'disk' && cached.model) return cached.model.sourceFile.text;
    if (this.pendingText.has(f)) return this.pendingText.get(f) ?? undefined;
    const t = this.diskFileExists(f) ? safeRead(f) ?? null : null;
    this.pendingText.set(f, t);
    return t ?? undefined;
  }

  private getEntry(fileName: string): Entry {
    const f = this.abs(fileName);
    const overlay = this.overlays.get(f);
    const key = overlay ? `v${overlay.version}` : 'disk';
    const cached = this.entries.get(f);
    if (cached && cached.key === key) return cached;
    let text: string | undefined;
    if (overlay) text = overlay.text;
    else { text = this.diskText(f); this.pendingText.delete(f); }
    let entry: Entry;
    if (text === undefined) entry = { key, model: null, skipped: 'file cannot be read' };
    else {
      const reason = skipReason(f, text);
      if (reason) entry = { key, model: null, skipped: reason };
      else {
        const sf = parse(f, text, overlay ? cached?.model?.sourceFile : undefined);
        entry = { key, model: new FileModel(sf, this) };
      }
    }
    this.entries.set(f, entry);
    return entry;
  }

  private fileList: string[] | undefined;
  private readonly mentionCache = new Map<string, string[]>();

  /** Every source file of the workspace (node_modules, build output and VCS folders excluded). Cached. */
  listFiles(): string[] {
    if (!this.fileList) {
      const rootAbs = path.resolve(this.root);
      this.fileList = isFile(rootAbs) ? (isSourceFileName(rootAbs) ? [rootAbs] : []) : this.workspaceFiles().filter((f) => isSourceFileName(f));
    }
    return this.fileList;
  }

  private allFiles: string[] | undefined;

  /** Every file below the root (dependency, output and VCS folders and ignore globs skipped), from one walk. */
  private workspaceFiles(): string[] {
    this.allFiles ??= walkWorkspace(path.resolve(this.root), this.ignore, () => true, (dir, l) => { if (!this.listings.has(dir)) this.listings.set(dir, l); });
    return this.allFiles;
  }

  /** Extra ignore globs from configuration (matched against workspace-relative paths). */
  ignore: RegExp[] = [];

  /** A file was created or deleted: the file list is rebuilt on next use. */
  filesChanged(): void {
    this.generation++;
    this.structureGeneration++;
    this.fileList = undefined;
    this.allFiles = undefined;
    this.clearResolution();
    this.mentionCache.clear();
    this.namedFilesCache.clear();
  }

  /** Workspace files whose text contains `needle` (a module name, say): cheap text filter before parsing. */
  filesMentioning(needle: string): string[] {
    const cached = this.mentionCache.get(needle);
    if (cached) return cached;
    const out: string[] = [];
    const files = new Set([...this.listFiles(), ...this.overlays.keys()]);
    for (const f of files) {
      const text = this.overlays.get(f)?.text ?? this.diskText(f);
      if (text && text.includes(needle)) out.push(f);
    }
    this.mentionCache.set(needle, out);
    return out;
  }

  private readonly namedFilesCache = new Map<string, string[]>();

  /**
   * Workspace files of any kind (`.env`, `.gitignore`) whose base name passes `test`, on disk (dependency, output and
   * VCS folders skipped, as for source files) plus open documents; `key` names the cache entry (cleared by filesChanged).
   */
  listFilesNamed(key: string, test: (baseName: string) => boolean): string[] {
    let disk = this.namedFilesCache.get(key);
    if (!disk) {
      disk = this.workspaceFiles().filter((f) => test(path.basename(f)));
      this.namedFilesCache.set(key, disk);
    }
    const out = new Set(disk);
    for (const f of this.overlays.keys()) if (f.startsWith(path.resolve(this.root) + path.sep) && test(path.basename(f))) out.add(f);
    return [...out].sort();
  }

  /** Reads a file's current text (open document first). */
  readText(fileName: string): string | undefined {
    const f = this.abs(fileName);
    return this.overlays.get(f)?.text ?? this.diskText(f);
  }

  /**
   * Module resolutions (directory + specifier → file or null). Cleared by every event that can change which files
   * exist (filesChanged, invalidate, a new or removed overlay): resolution stats up to 20 candidate paths, and call
   * resolution asks again after every edit.
   */
  private readonly resolveCache = new Map<string, string | null>();
  /** Directory listings (name → 1 file, 2 directory, 3 other), cleared with the module resolutions. */
  private readonly listings = new Map<string, Map<string, number> | null>();

  private clearResolution(): void {
    this.resolveCache.clear();
    this.listings.clear();
  }

  private listing(dir: string): Map<string, number> | null {
    let l = this.listings.get(dir);
    if (l !== undefined) return l;
    try {
      l = new Map();
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) l.set(e.name, e.isFile() ? 1 : e.isDirectory() ? 2 : 3);
    } catch { l = null; }
    this.listings.set(dir, l);
    return l;
  }

  /**
   * Whether a file exists on disk, from cached directory listings: one readdir per directory instead of a stat or a
   * failed read per candidate path (module resolution tries up to 20; package.json lookups walk up directories).
   */
  private diskFileExists(f: string): boolean {
    const slash = f.lastIndexOf(path.sep);
    return this.inListing(slash > 0 ? f.slice(0, slash) : path.dirname(f), f.slice(slash + 1));
  }

  /** Whether `name` is a file in directory `dir` on disk (from the directory's cached listing). */
  private inListing(dir: string, name: string): boolean {
    const kind = this.listing(dir)?.get(name);
    if (kind === 1) return true;
    if (kind === 2) return false;
    // Symbolic links, and other spellings on case-insensitive file systems: ask the file system.
    if (kind === 3 || process.platform !== 'linux') return !!fs.statSync(path.join(dir, name), { throwIfNoEntry: false })?.isFile();
    return false;
  }

  /** Resolves a relative import from `fromFile` to a project file, trying TypeScript's extension rules. */
  resolveModule(fromFile: string, spec: string): string | undefined {
    const dir = this.dirOf(fromFile);
    const key = `${dir}\0${spec}`;
    const cached = this.resolveCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const resolved = this.computeResolveModule(dir, spec);
    this.resolveCache.set(key, resolved ?? null);
    return resolved;
  }

  /**
   * TypeScript's candidates in order: the path itself, `.js` → `.ts` variants, each extension, then `index.*`. The
   * candidates of each step share a directory: its listing is looked up once.
   */
  private computeResolveModule(fromDir: string, spec: string): string | undefined {
    const base = joinRelative(fromDir, spec);
    const slash = base.lastIndexOf(path.sep);
    const dir = slash > 0 ? base.slice(0, slash) : path.dirname(base);
    const name = base.slice(slash + 1);
    const exists = (d: string, n: string) => {
      try { return (this.overlays.size > 0 && this.overlays.has(d.endsWith(path.sep) ? d + n : d + path.sep + n)) || this.inListing(d, n); } catch { return false; }
    };
    if (name && exists(dir, name)) return base;
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 ? name.slice(dot) : '';
    if (ext === '.js' || ext === '.mjs' || ext === '.cjs' || ext === '.jsx') {
      const stem = name.slice(0, -ext.length);
      for (const e of ['.ts', '.tsx', '.mts', '.cts']) if (exists(dir, stem + e)) return base.slice(0, -ext.length) + e;
    }
    if (name) for (const e of EXTENSIONS) if (exists(dir, name + e)) return base + e;
    for (const e of EXTENSIONS) if (exists(base, 'index' + e)) return base + path.sep + 'index' + e;
    return undefined;
  }

  /** Declared dependency range (dependencies, devDependencies, peerDependencies) of the nearest package.json. */
  dependencyVersion(pkg: string, fromFile?: string): string | undefined {
    const deps = this.packageDeps(fromFile ? this.dirOf(fromFile) : this.root);
    return deps?.[pkg];
  }

  private readonly dirCache = new Map<string, string>();
  /** The absolute directory of a file (asked per call by version and ORM checks: cached). */
  private dirOf(fileName: string): string {
    let d = this.dirCache.get(fileName);
    if (d === undefined) { d = path.dirname(path.resolve(fileName)); this.dirCache.set(fileName, d); }
    return d;
  }

  hasDependency(pkg: string, fromFile?: string): boolean {
    return this.dependencyVersion(pkg, fromFile) !== undefined;
  }

  private packageDeps(dir: string): Record<string, string> | undefined {
    const cached = this.packageJsonCache.get(dir);
    if (cached !== undefined) return cached ?? undefined;
    let result: Record<string, string> | null = null;
    const text = this.readText(path.join(dir, 'package.json'));
    let pj: { dependencies?: object; devDependencies?: object; peerDependencies?: object } | undefined;
    try { pj = text === undefined ? undefined : JSON.parse(text); } catch { pj = undefined; }
    if (pj) result = { ...pj.peerDependencies, ...pj.devDependencies, ...pj.dependencies } as Record<string, string>;
    else {
      const parent = path.dirname(dir);
      if (parent !== dir && dir.startsWith(path.resolve(this.root))) result = this.packageDeps(parent) ?? null;
    }
    this.packageJsonCache.set(dir, result);
    return result ?? undefined;
  }
}

/**
 * Parses a file version. For an edit of an open document the previous tree is updated incrementally
 * (`ts.updateSourceFile` with the changed span found by a prefix/suffix comparison): about 1 ms instead of a
 * full parse on a 2,500-line file. Unchanged subtrees are shared with the previous version.
 */
export function parse(fileName: string, text: string, previous?: ts.SourceFile): ts.SourceFile {
  if (previous && previous.text !== text && text.length > 4000) {
    const old = previous.text;
    let start = 0;
    const max = Math.min(old.length, text.length);
    while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
    let endOld = old.length;
    let endNew = text.length;
    while (endOld > start && endNew > start && old.charCodeAt(endOld - 1) === text.charCodeAt(endNew - 1)) { endOld--; endNew--; }
    try {
      return ts.updateSourceFile(previous, text, { span: { start, length: endOld - start }, newLength: endNew - start });
    } catch {
      // fall through to a full parse
    }
  }
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
}

export function scriptKind(fileName: string): ts.ScriptKind {
  const ext = path.extname(fileName).toLowerCase();
  switch (ext) {
    case '.tsx': return ts.ScriptKind.TSX;
    case '.jsx': return ts.ScriptKind.JSX;
    case '.js': case '.mjs': case '.cjs': return ts.ScriptKind.JS;
    default: return ts.ScriptKind.TS;
  }
}

export function isSourceFileName(fileName: string): boolean {
  return EXTENSIONS.includes(path.extname(fileName).toLowerCase()) && !fileName.endsWith('.d.ts');
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.nuxt', '.turbo', '.cache', '.vscode-test', '.svelte-kit']);

/**
 * `path.resolve(dir, spec)` for an absolute directory and a relative specifier, by string operations when the
 * specifier is plain (`./a/b`, `../c`): resolution asks for tens of thousands of these in a workspace scan.
 */
function joinRelative(dir: string, spec: string): string {
  if (path.sep !== '/' || spec.includes('//') || spec.endsWith('/') || spec.endsWith('/.') || spec.endsWith('/..') || spec === '.' || spec === '..'
    || /(^|\/)\.\.?(?=\/|$)/.test(spec.replace(/^(?:\.\.?\/)+/, ''))) return path.resolve(dir, spec);
  let d = dir;
  let rest = spec;
  for (;;) {
    if (rest.startsWith('./')) rest = rest.slice(2);
    else if (rest.startsWith('../')) { rest = rest.slice(3); const i = d.lastIndexOf('/'); d = i > 0 ? d.slice(0, i) : '/'; }
    else break;
  }
  return d === '/' ? '/' + rest : d + '/' + rest;
}

function safeRead(f: string): string | undefined {
  try { return fs.readFileSync(f, 'utf8'); } catch { return undefined; }
}

/**
 * The one workspace walk: files below `rootAbs` whose base name passes `test`, skipping dependency, output and VCS
 * folders and paths matching the ignore globs (workspace-relative, `/`-separated). Sorted.
 */
function walkWorkspace(rootAbs: string, ignore: RegExp[], test: (baseName: string) => boolean,
  onListing?: (dir: string, names: Map<string, number>) => void): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    if (onListing) onListing(dir, new Map(entries.map((e) => [e.name, e.isFile() ? 1 : e.isDirectory() ? 2 : 3])));
    for (const e of entries) {
      const full = dir.endsWith(path.sep) ? dir + e.name : dir + path.sep + e.name;
      if (ignore.length) {
        const rel = path.relative(rootAbs, full).split(path.sep).join('/');
        if (ignore.some((r) => r.test(rel))) continue;
      }
      if (e.isDirectory()) { if (!SKIP_DIRS.has(e.name)) walk(full); }
      else if (e.isFile() && test(e.name)) out.push(full);
    }
  };
  walk(rootAbs);
  return out.sort();
}

/** Source files of a directory (or the file itself), skipping dependency, output and VCS folders and ignored globs. */
export function listSourceFiles(root: string, ignore: RegExp[] = []): string[] {
  const rootAbs = path.resolve(root);
  if (!fs.existsSync(rootAbs)) return [];
  if (isFile(rootAbs)) return isSourceFileName(rootAbs) ? [rootAbs] : [];
  return walkWorkspace(rootAbs, ignore, isSourceFileName);
}

function isFile(f: string): boolean {
  return !!fs.statSync(f, { throwIfNoEntry: false })?.isFile();
}

/** Turns a glob (`**`, `*`, `?`) into a RegExp over workspace-relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') { re += '.*'; i++; if (glob[i + 1] === '/') i++; }
    else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}(/.*)?$`);
}
