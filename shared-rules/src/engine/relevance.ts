import { exportsOnlyClasses, exportsReach } from '../model/exportReach';
import { isRelativeModule } from '../model/imports';
import { splitName } from '../model/sensitiveNames';
import type { Project } from './project';
import type { Anchor, RuleRelevance } from './types';
import { Needle, WordFinder } from './wordFinder';

/**
 * Per-file relevance, decided before the file is parsed (see `RuleRelevance`): the file's own text (`words`,
 * `anchors`, `nameWords`, `pattern`, `mentions`), the modules it imports (`modules`: through what they export, see
 * `reaches`; `importsMention`), combined with `all` and `any`. A file no rule is relevant to is never parsed for its
 * own analysis.
 */

/** Levels below an imported module that `importsMention` looks at: its imports, then re-exports only (barrels). */
export const RELEVANCE_DEPTH = 8;

interface TextInfo {
  text: string;
  /** Resolved relative imports/requires/re-exports, valid for `structure`. */
  imports?: string[];
  /** The subset written as `export … from` (barrels), valid with `imports`. */
  reExports?: string[];
  structure: number;
  /** pattern → own text matches (an answer for this text: it never changes). */
  own: Map<RegExp, boolean>;
  /** word → `hasNameWord` for this text. */
  nameWords?: Map<string, boolean>;
  /** Module specifier ranges (start, end pairs) of this text. */
  specifiers?: number[];
  /** Vocabulary needles present in the text (by index), for a vocabulary of `foundCount` needles. */
  found?: Uint8Array;
  foundCount?: number;
  /** needle-set key → relevant through the import graph, valid for project generation `generation`. */
  deep: Map<string, { generation: number; value: boolean }>;
  /** The modules this file imports, with their facts, for a project generation (`importedInfos`). */
  imported?: Imported[];
  importedGeneration?: number;
  /** Every export is a class/interface/enum/type (`exportsOnlyClasses`), for this text. */
  onlyClasses?: boolean;
  /** needle-set key → `mayExportReach`, for a project generation. */
  reach?: Map<string, boolean>;
  reachGeneration?: number;
  /** This file and what it imports (see `filesBelow`), for a project generation. */
  below?: TextInfo[];
  belowGeneration?: number;
}

const stores = new WeakMap<Project, Map<string, TextInfo>>();

/** The cached facts of one file's current text (a new text starts afresh). */
function infoOf(project: Project, fileName: string, text: string): TextInfo {
  let store = stores.get(project);
  if (!store) { store = new Map(); stores.set(project, store); }
  let i = store.get(fileName);
  if (!i || i.text !== text) { i = { text, structure: -1, own: new Map(), deep: new Map() }; store.set(fileName, i); }
  return i;
}

/**
 * Module specifiers written after `from`, `import`, `require(` or `import(` (a superset of what symbol resolution
 * follows: import/export declarations, `import x = require()`, `require()`/`import()` anywhere in the file).
 */
const SPECIFIER = /(?:\bfrom|\bimport|\brequire\s*\(|\bimport\s*\()\s*(?:\/\*[\s\S]*?\*\/\s*)*(['"`])([^'"`\r\n]*)\1/g;

function importsOf(project: Project, fileName: string, info: TextInfo): string[] {
  if (!info.imports || info.structure !== project.structureGeneration) {
    info.imports = relativeTargets(project, fileName, info.text, SPECIFIER);
    info.reExports = undefined;
    info.structure = project.structureGeneration;
  }
  return info.imports;
}

function reExportsOf(project: Project, fileName: string, info: TextInfo): string[] {
  importsOf(project, fileName, info);
  return info.reExports ??= relativeTargets(project, fileName, info.text, RE_EXPORT);
}

interface Imported { fileName: string; info: TextInfo }

/** The modules a file imports, with their current texts' facts (per project generation: any edit may change them). */
function importedInfos(project: Project, fileName: string, info: TextInfo): Imported[] {
  if (info.imported && info.importedGeneration === project.generation) return info.imported;
  const out: Imported[] = [];
  for (const f of importsOf(project, fileName, info)) {
    const text = project.readText(f);
    if (text !== undefined) out.push({ fileName: f, info: infoOf(project, f, text) });
  }
  info.imported = out;
  info.importedGeneration = project.generation;
  return out;
}

function onlyClasses(info: TextInfo): boolean {
  return info.onlyClasses ??= exportsOnlyClasses(info.text);
}

/** `export * from '…'`, `export * as ns from '…'`, `export { a, b as c } from '…'`. */
const RE_EXPORT = /\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*(['"`])([^'"`\r\n]*)\1/g;

function relativeTargets(project: Project, fileName: string, text: string, re: RegExp): string[] {
  const out = new Set<string>();
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const raw = m[2];
    const spec = raw.startsWith('node:') ? raw.slice(5) : raw;
    if (!isRelativeModule(spec)) continue;
    const target = project.resolveModule(fileName, spec);
    if (target && target !== fileName) out.add(target);
  }
  return [...out];
}

/**
 * Needles of every relevance — `words` and `nameWords` (case-insensitive), `mentions` and `modules` (as written),
 * `anchors` (with their contexts) — are found in one pass over each file (`WordFinder`). A relevance's needles join
 * the vocabulary the first time it is evaluated (`prepare`), so in a scan the vocabulary is complete after the first
 * file; a later addition makes each file's next lookup search its text again.
 */
const vocabulary: Needle[] = [];
const vocabularyIndex = new Map<string, number>();
let finder: WordFinder | undefined;

function needleIndex(text: string, caseSensitive: boolean, then?: RegExp, before?: RegExp): number {
  const context = (r: RegExp | undefined) => (r ? `/${r.source}/${r.flags}` : '');
  const key = `${caseSensitive ? 'm' : 'w'}:${text}\0${context(then)}\0${context(before)}`;
  let i = vocabularyIndex.get(key);
  if (i === undefined) {
    i = vocabulary.length;
    vocabulary.push({ text, caseSensitive, then, before });
    vocabularyIndex.set(key, i);
    finder = undefined;
  }
  return i;
}

const wordIds = new WeakMap<readonly string[], number[]>();
const mentionIds = new WeakMap<readonly string[], number[]>();

/** Vocabulary indices of a word list (lower-case, matched case-insensitively), registering new words. */
function idsOfWords(words: readonly string[]): number[] {
  let ids = wordIds.get(words);
  if (!ids) { ids = words.map((w) => needleIndex(w, false)); wordIds.set(words, ids); }
  return ids;
}

/** Vocabulary indices of needles matched as written (`mentions`, `modules`), registering new ones. */
function idsOfMentions(needles: readonly string[]): number[] {
  let ids = mentionIds.get(needles);
  if (!ids) { ids = needles.map((n) => needleIndex(n, true)); mentionIds.set(needles, ids); }
  return ids;
}

const anchorIds = new WeakMap<readonly Anchor[], number[]>();

/** Vocabulary indices of anchors, registering new ones. */
function idsOfAnchors(anchors: readonly Anchor[]): number[] {
  let ids = anchorIds.get(anchors);
  if (!ids) { ids = anchors.map((a) => needleIndex(a.text, a.caseSensitive, a.then, a.before)); anchorIds.set(anchors, ids); }
  return ids;
}

/** Registers words ahead of the first file (text gates do so when they are defined). */
export function registerWords(words: readonly string[]): void {
  idsOfWords(words);
}

const prepared = new WeakSet<RuleRelevance>();

/** Registers every needle of a relevance (and of its parts) before any file is searched for them. */
function prepare(r: RuleRelevance): void {
  if (prepared.has(r)) return;
  prepared.add(r);
  if (r.words) idsOfWords(r.words);
  if (r.nameWords) idsOfWords(r.nameWords);
  if (r.mentions) idsOfMentions(r.mentions);
  if (r.modules) idsOfMentions(r.modules);
  if (r.anchors) idsOfAnchors(r.anchors);
  if (r.importsMention) for (const list of r.importsMention) idsOfWords(list);
  for (const part of [...(r.all ?? []), ...(r.any ?? [])]) prepare(part);
}

/** Whether the text contains one of the needles (by vocabulary index). */
function hasAny(info: TextInfo, ids: readonly number[]): boolean {
  if (info.foundCount !== vocabulary.length) {
    finder ??= new WordFinder(vocabulary.slice());
    const found = new Uint8Array(vocabulary.length);
    for (const i of finder.find(info.text)) found[i] = 1;
    info.found = found;
    info.foundCount = vocabulary.length;
  }
  const found = info.found!;
  for (let i = 0; i < ids.length; i++) if (found[ids[i]] === 1) return true;
  return false;
}

function hasWord(info: TextInfo, words: readonly string[]): boolean {
  return hasAny(info, idsOfWords(words));
}

function hasMention(info: TextInfo, needles: readonly string[]): boolean {
  return hasAny(info, idsOfMentions(needles));
}

const wordRes = new Map<string, RegExp>();

/**
 * Whether `word` is a whole word (sensitiveNames.ts `splitName`) of some name-like token of the text — an identifier,
 * a property name, string contents — outside module specifiers. Looks only where the word occurs (case-insensitively)
 * and splits the token around each occurrence; answers are cached per text.
 */
function hasNameWord(info: TextInfo, word: string): boolean {
  const cache = info.nameWords ??= new Map();
  const hit = cache.get(word);
  if (hit !== undefined) return hit;
  let re = wordRes.get(word);
  if (!re) { re = new RegExp(word.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'), 'gi'); wordRes.set(word, re); }
  const text = info.text;
  let found = false;
  re.lastIndex = 0;
  for (let m = re.exec(text); m && !found; m = re.exec(text)) {
    let start = m.index, end = m.index + m[0].length;
    while (start > 0 && isTokenChar(text.charCodeAt(start - 1))) start--;
    while (end < text.length && isTokenChar(text.charCodeAt(end))) end++;
    if (splitName(text.slice(start, end)).includes(word) && !inSpecifier(info, m.index)) found = true;
  }
  cache.set(word, found);
  return found;
}

function isTokenChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

/** Whether an offset is inside a module specifier (`from '…'`, `require('…')`, `import('…')`). */
function inSpecifier(info: TextInfo, offset: number): boolean {
  if (!info.specifiers) {
    const ranges: number[] = [];
    SPECIFIER.lastIndex = 0;
    for (let m = SPECIFIER.exec(info.text); m; m = SPECIFIER.exec(info.text)) ranges.push(m.index + m[0].length - 1 - m[2].length, m.index + m[0].length - 1);
    info.specifiers = ranges;
  }
  const r = info.specifiers;
  for (let i = 0; i < r.length; i += 2) if (offset >= r[i] && offset < r[i + 1]) return true;
  return false;
}

/** Whether `info`'s text matches a pattern (cached per pattern). */
function ownMatch(info: TextInfo, pattern: RegExp): boolean {
  let v = info.own.get(pattern);
  if (v === undefined) { pattern.lastIndex = 0; v = pattern.test(info.text); info.own.set(pattern, v); }
  return v;
}

const keys = new WeakMap<readonly string[], string>();
function keyOf(needles: readonly string[]): string {
  let k = keys.get(needles);
  if (k === undefined) { k = needles.join('\0'); keys.set(needles, k); }
  return k;
}

/**
 * True when a rule with this relevance can matter in `fileName` (whose current text is `text`). The parts that depend
 * only on the text are cached with it, those that depend on other files per project generation.
 */
export function isRelevant(project: Project, fileName: string, text: string, relevance: RuleRelevance): boolean {
  return relevanceChecker(project, fileName, text)(relevance);
}

/**
 * `isRelevant` for one file and many relevances: the file's cached facts are looked up once, and rules sharing a
 * relevance object (or a part of one) share its answer.
 */
export function relevanceChecker(project: Project, fileName: string, text: string): (relevance: RuleRelevance) => boolean {
  const check: Check = { project, fileName, info: infoOf(project, fileName, text), answers: new Map() };
  return (relevance) => relevantTo(check, relevance);
}

interface Check { project: Project; fileName: string; info: TextInfo; answers: Map<RuleRelevance, boolean> }

function relevantTo(check: Check, relevance: RuleRelevance): boolean {
  let v = check.answers.get(relevance);
  if (v === undefined) {
    v = compiledTest(relevance)(check);
    check.answers.set(relevance, v);
  }
  return v;
}

type Test = (check: Check) => boolean;
const compiled = new WeakMap<RuleRelevance, Test>();

/** A relevance as one function, compiled at first use: needle indices looked up once, only its own conditions tested. */
function compiledTest(relevance: RuleRelevance): Test {
  let test = compiled.get(relevance);
  if (!test) {
    prepare(relevance);
    test = compile(relevance);
    compiled.set(relevance, test);
  }
  return test;
}

/** Every part of `all`, then any one of the rest, tried cheapest first (text before other files). */
function compile(relevance: RuleRelevance): Test {
  const { all, words, nameWords, pattern, mentions, anchors, modules, any, importsMention } = relevance;
  const conjuncts = all ?? [];
  // Only `all`: the conjunction. Nothing at all (a rule without per-file work): never.
  if (!words && !nameWords && !pattern && !mentions && !anchors && !modules && !any && !importsMention) {
    const value = !!all;
    return (check) => conjuncts.every((r) => relevantTo(check, r)) && value;
  }
  const tests: Test[] = [];
  if (words) { const ids = idsOfWords(words); tests.push((c) => hasAny(c.info, ids)); }
  if (anchors) { const ids = idsOfAnchors(anchors); tests.push((c) => hasAny(c.info, ids)); }
  // Whole words of names: only where the word occurs at all (the one-pass search says so).
  if (nameWords) { const ids = idsOfWords(nameWords); tests.push((c) => hasAny(c.info, ids) && nameWords.some((w) => hasNameWord(c.info, w))); }
  if (pattern) tests.push((c) => ownMatch(c.info, pattern));
  if (mentions) { const ids = idsOfMentions(mentions); tests.push((c) => hasAny(c.info, ids)); }
  if (any) for (const part of any) tests.push((c) => relevantTo(c, part));
  if (importsMention) tests.push((c) => deep(c.project, c.info, importsMention, () => importedMentions(c.project, c.fileName, c.info, importsMention)));
  if (modules && modules.length > 0) {
    const key = keyOf(modules);
    tests.push((c) => deep(c.project, c.info, modules, () => reaches(c.project, c.fileName, c.info, key, modules)));
  }
  return (check) => {
    for (let i = 0; i < conjuncts.length; i++) if (!relevantTo(check, conjuncts[i])) return false;
    for (let i = 0; i < tests.length; i++) if (tests[i](check)) return true;
    return false;
  };
}

const deepKeys = new WeakMap<object, string>();
let deepKeyCount = 0;
/** An answer that depends on other files: cached per file text under `key`'s identity, for the project generation. */
function deep(project: Project, info: TextInfo, key: object, compute: () => boolean): boolean {
  let k = deepKeys.get(key);
  if (k === undefined) { k = `#${deepKeyCount++}`; deepKeys.set(key, k); }
  const hit = info.deep.get(k);
  if (hit && hit.generation === project.generation) return hit.value;
  const value = compute();
  info.deep.set(k, { generation: project.generation, value });
  return value;
}

/**
 * Some module the file imports, other than one exporting only classes, has below it (itself, its imports, barrels)
 * a word of every list: e.g. a credential name and an environment read a function of it may return.
 */
function importedMentions(project: Project, fileName: string, info: TextInfo, lists: readonly (readonly string[])[]): boolean {
  for (const t of importedInfos(project, fileName, info)) {
    if (onlyClasses(t.info)) continue;
    const below = filesBelow(project, t.fileName, t.info);
    if (lists.every((list) => below.some((i) => hasWord(i, list)))) return true;
  }
  return false;
}

/**
 * Relevant through an import: some module the file imports exports something resolution can follow to a needle
 * module's symbol (a re-exported binding, a thin wrapper, an object holding one: `exportsReach`).
 */
function reaches(project: Project, fileName: string, start: TextInfo, key: string, needles: readonly string[]): boolean {
  if (hasMention(start, needles)) return true;
  for (const t of importedInfos(project, fileName, start)) {
    if (mayExportReach(project, t.fileName, t.info, key, needles, { visiting: new Set([fileName]), no: new Set(), cut: false })) return true;
  }
  return false;
}

/**
 * `exportsReach` of a module, parsing only modules that can answer yes: those that mention a needle themselves, and
 * those that import (or re-export from) a module that reaches one — a wrapper can only wrap what it imports. Modules
 * that export only classes answer no unparsed. Cached per needle set and project generation.
 */
function mayExportReach(project: Project, fileName: string, info: TextInfo, key: string, needles: readonly string[],
  walk: { visiting: Set<string>; no: Set<string>; cut: boolean }): boolean {
  if (info.reachGeneration !== project.generation) { info.reach = new Map(); info.reachGeneration = project.generation; }
  const hit = info.reach!.get(key);
  if (hit !== undefined) return hit;
  if (walk.visiting.has(fileName)) { walk.cut = true; return false; } // an import cycle: not an answer to keep
  if (walk.no.has(fileName)) return false; // answered no earlier in this walk (after a cycle: not kept across walks)
  walk.visiting.add(fileName);
  const cutBefore = walk.cut;
  walk.cut = false;
  let value = false;
  if (!onlyClasses(info)) {
    const candidate = hasMention(info, needles)
      || importedInfos(project, fileName, info).some((t) => mayExportReach(project, t.fileName, t.info, key, needles, walk));
    const model = candidate ? project.getModel(fileName) : undefined;
    value = !!model && exportsReach(model, needles, key);
  }
  walk.visiting.delete(fileName);
  // A "no" that met an import cycle on the way may be wrong from another starting point: keep only sure answers.
  if (value || !walk.cut) info.reach!.set(key, value);
  else walk.no.add(fileName);
  walk.cut = cutBefore || walk.cut;
  return value;
}

/** `file`, the modules it imports, and the modules those re-export from (barrels of any depth), per generation. */
function filesBelow(project: Project, fileName: string, start: TextInfo): TextInfo[] {
  if (start.below && start.belowGeneration === project.generation) return start.below;
  const out = [start];
  const seen = new Set<string>([fileName]);
  let level: [string, TextInfo][] = [[fileName, start]];
  for (let d = 0; d < RELEVANCE_DEPTH && level.length; d++) {
    const next: [string, TextInfo][] = [];
    for (const [file, info] of level) {
      if (d === 0) {
        for (const t of importedInfos(project, file, info)) if (!seen.has(t.fileName)) { seen.add(t.fileName); out.push(t.info); next.push([t.fileName, t.info]); }
        continue;
      }
      for (const f of reExportsOf(project, file, info)) {
        if (seen.has(f)) continue;
        seen.add(f);
        const text = project.readText(f);
        if (text === undefined) continue;
        const other = infoOf(project, f, text);
        out.push(other);
        next.push([f, other]);
      }
    }
    level = next;
  }
  start.below = out;
  start.belowGeneration = project.generation;
  return out;
}
