import type { FileModel } from '../model/fileModel';
import { isRelativeModule } from '../model/imports';
import type { Project } from './project';
import type { RuleRelevance } from './types';

/**
 * Per-file relevance (computed once per file and needle set by the engine): a rule that declares
 * `relevance.modules` can only report in a file whose text mentions one of them, or that imports a project module
 * (followed `RELEVANCE_DEPTH` relative imports deep) whose text mentions one. `relevance.mentions` are needles
 * looked for in the file's own text only.
 */
export const RELEVANCE_DEPTH = 2;

interface ModelInfo {
  /** Resolved relative imports/requires/re-exports, valid for `structure`. */
  imports?: string[];
  structure: number;
  /** needle-set key → own text mentions one of them (the text of a model never changes). */
  own: Map<string, boolean>;
  /** needle-set key → relevant through the import graph, valid for project generation `generation`. */
  deep: Map<string, { generation: number; value: boolean }>;
}

const infos = new WeakMap<FileModel, ModelInfo>();

function infoOf(model: FileModel): ModelInfo {
  let i = infos.get(model);
  if (!i) { i = { structure: -1, own: new Map(), deep: new Map() }; infos.set(model, i); }
  return i;
}

/**
 * Module specifiers written after `from`, `import`, `require(` or `import(` (a superset of what symbol resolution
 * follows: import/export declarations, `import x = require()`, `require()`/`import()` anywhere in the file).
 */
const SPECIFIER = /(?:\bfrom|\bimport|\brequire\s*\(|\bimport\s*\()\s*(?:\/\*[\s\S]*?\*\/\s*)*(['"`])([^'"`\r\n]*)\1/g;

function importsOf(project: Project, model: FileModel): string[] {
  const info = infoOf(model);
  if (info.imports && info.structure === project.structureGeneration) return info.imports;
  const out = new Set<string>();
  const text = model.sourceFile.text;
  SPECIFIER.lastIndex = 0;
  for (let m = SPECIFIER.exec(text); m; m = SPECIFIER.exec(text)) {
    const raw = m[2];
    const spec = raw.startsWith('node:') ? raw.slice(5) : raw;
    if (!isRelativeModule(spec)) continue;
    const target = project.resolveModule(model.fileName, spec);
    if (target && target !== model.fileName) out.add(target);
  }
  info.imports = [...out];
  info.structure = project.structureGeneration;
  return info.imports;
}

function ownMentions(model: FileModel, key: string, needles: readonly string[]): boolean {
  const info = infoOf(model);
  let v = info.own.get(key);
  if (v === undefined) {
    const text = model.sourceFile.text;
    v = needles.some((n) => text.includes(n));
    info.own.set(key, v);
  }
  return v;
}

function keyOf(r: RuleRelevance): string {
  return r.modules.join('\0');
}

/** True when a rule with this relevance can matter in `model`'s file (see RELEVANCE_DEPTH). */
export function isRelevant(project: Project, model: FileModel, relevance: RuleRelevance): boolean {
  if (relevance.mentions) {
    const text = model.sourceFile.text;
    for (const n of relevance.mentions) if (text.includes(n)) return true;
  }
  const key = keyOf(relevance);
  const info = infoOf(model);
  const hit = info.deep.get(key);
  if (hit && hit.generation === project.generation) return hit.value;
  const value = reaches(project, model, key, relevance.modules);
  info.deep.set(key, { generation: project.generation, value });
  return value;
}

/** Breadth-first over relative imports, RELEVANCE_DEPTH levels: each file is looked at once, at its shallowest depth. */
function reaches(project: Project, model: FileModel, key: string, needles: readonly string[]): boolean {
  if (ownMentions(model, key, needles)) return true;
  const seen = new Set<string>([model.fileName]);
  let level: FileModel[] = [model];
  for (let d = 0; d < RELEVANCE_DEPTH && level.length; d++) {
    const next: FileModel[] = [];
    for (const m of level) {
      for (const f of importsOf(project, m)) {
        if (seen.has(f)) continue;
        seen.add(f);
        const other = project.getModel(f);
        if (!other) continue;
        if (ownMentions(other, key, needles)) return true;
        next.push(other);
      }
    }
    level = next;
  }
  return false;
}
