import * as path from 'node:path';
import ts = require('typescript');
import type { FileModel } from './fileModel';
import type { Project } from '../engine/project';

const { SyntaxKind } = ts;

/**
 * What kind of file this is, for code actions and rule scoping (RULES.md 0.1, E10): its module style
 * (`import` vs `require`), whether it runs on an edge runtime (no `node:crypto`), and whether it is front-end code.
 */
export type ModuleStyle = 'esm' | 'commonjs';

export function moduleStyle(model: FileModel): ModuleStyle {
  const sf = model.sourceFile;
  const ext = path.extname(sf.fileName).toLowerCase();
  if (ext === '.cjs' || ext === '.cts') return 'commonjs';
  if (ext === '.mjs' || ext === '.mts') return 'esm';
  if (ext === '.ts' || ext === '.tsx') return 'esm';
  let esm = false;
  let cjs = false;
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || ts.isExportDeclaration(st) || ts.isExportAssignment(st)) esm = true;
    else if (ts.canHaveModifiers(st) && (ts.getModifiers(st) ?? []).some((m) => m.kind === SyntaxKind.ExportKeyword)) esm = true;
  }
  if (esm) return 'esm';
  if (/\brequire\s*\(|\bmodule\.exports\b|\bexports\.[A-Za-z_$]/.test(sf.text)) cjs = true;
  if (cjs) return 'commonjs';
  return packageType(model) === 'module' ? 'esm' : 'commonjs';
}

function packageType(model: FileModel): string | undefined {
  const root = path.resolve(model.project.root);
  for (let dir = path.dirname(path.resolve(model.fileName)); ; dir = path.dirname(dir)) {
    const text = model.project.readText(path.join(dir, 'package.json'));
    if (text !== undefined) {
      try { return (JSON.parse(text) as { type?: string }).type; } catch { return undefined; }
    }
    if (dir === root || path.dirname(dir) === dir || !dir.startsWith(root)) return undefined;
  }
}

/**
 * True when the file runs on an edge runtime (no `node:crypto`, no `Buffer`): a Next.js file exporting
 * `runtime = 'edge'`, a Next.js `middleware.ts` at the root or in `src/` (unless it exports `runtime: 'nodejs'`),
 * or a Cloudflare Workers project (`wrangler.toml|json|jsonc`, or an import of `cloudflare:workers`).
 */
export function isEdgeRuntime(model: FileModel): boolean {
  const sf = model.sourceFile;
  let runtime: string | undefined;
  for (const st of sf.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer) continue;
      if (d.name.text === 'runtime' && ts.isStringLiteralLike(d.initializer)) runtime = d.initializer.text;
      if (d.name.text === 'config' && ts.isObjectLiteralExpression(d.initializer)) {
        for (const p of d.initializer.properties) {
          if (ts.isPropertyAssignment(p) && p.name.getText(sf) === 'runtime' && ts.isStringLiteralLike(p.initializer)) runtime = p.initializer.text;
        }
      }
    }
  }
  if (runtime === 'edge' || runtime === 'experimental-edge') return true;
  if (runtime === 'nodejs') return false;
  const rel = path.relative(path.resolve(model.project.root), path.resolve(sf.fileName)).split(path.sep).join('/');
  if (/^(src\/)?middleware\.[cm]?[jt]sx?$/.test(rel) && model.project.hasDependency('next', sf.fileName)) return true;
  if (model.importedModules().has('cloudflare:workers')) return true;
  const root = path.resolve(model.project.root);
  return ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc'].some((f) => model.project.readText(path.join(root, f)) !== undefined);
}

/**
 * Front-end code (E10): a `'use client'` module, or a `.tsx/.jsx` file that imports `react-dom` or touches
 * `window`/`document`/`localStorage`. Back-end rules skip these files.
 */
export function isFrontEndFile(model: FileModel): boolean {
  const sf = model.sourceFile;
  const first = sf.statements[0];
  if (first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === 'use client') return true;
  if (/\.(vue|svelte)$/i.test(sf.fileName)) return true;
  if (/\.[jt]sx$/i.test(sf.fileName)) {
    // Next.js pages router components (not pages/api)
    const rel = path.relative(path.resolve(model.project.root), path.resolve(sf.fileName)).split(path.sep).join('/');
    if (/(^|\/)pages\/(?!api\/)/.test(rel)) return true;
    const mods = model.importedModules();
    if ([...mods].some((m) => m === 'react-dom' || m.startsWith('react-dom/'))) return true;
    if (/\b(window|document|localStorage|sessionStorage)\s*\./.test(sf.text)) return true;
  }
  return frontEndPackage(model);
}

const SERVER_FRAMEWORKS = ['express', 'fastify', 'koa', '@nestjs/core', 'hono', 'next', 'nuxt', '@sveltejs/kit', '@remix-run/node', '@hapi/hapi', 'restify', 'h3', 'elysia', '@trpc/server', 'apollo-server', '@apollo/server', 'micro', 'polka'];
const UI_FRAMEWORKS = ['vue', 'react-dom', 'svelte', '@angular/core', 'solid-js', 'preact', 'react-native', 'expo'];

/**
 * E10: files under `src/` of a Vite/CRA project (a `vite.config.*` next to the package.json, or `react-scripts`),
 * or of a package that depends on a browser UI framework, when the package has no server framework.
 */
const frontEndCache = new WeakMap<FileModel, { generation: number; value: boolean }>();

function frontEndPackage(model: FileModel): boolean {
  // Asked per log call / per rule: answered once per file and project structure generation (package.json and
  // other non-source files, files created or deleted: an edit of a source file cannot change the answer).
  const hit = frontEndCache.get(model);
  if (hit && hit.generation === model.project.structureGeneration) return hit.value;
  const value = computeFrontEndPackage(model);
  frontEndCache.set(model, { generation: model.project.structureGeneration, value });
  return value;
}

function computeFrontEndPackage(model: FileModel): boolean {
  // The answer is the same for every file of a directory: computed once per directory.
  const project = model.project;
  const dir = path.dirname(path.resolve(model.fileName));
  let cache = frontEndDirCache.get(project);
  if (!cache || cache.generation !== project.structureGeneration) { cache = { generation: project.structureGeneration, byDir: new Map() }; frontEndDirCache.set(project, cache); }
  let value = cache.byDir.get(dir);
  if (value === undefined) { value = frontEndDirectory(project, dir); cache.byDir.set(dir, value); }
  return value;
}

const frontEndDirCache = new WeakMap<Project, { generation: number; byDir: Map<string, boolean> }>();

function frontEndDirectory(project: Project, dir: string): boolean {
  const pkg = nearestPackage(project, dir);
  if (!pkg || pkg.invalid || pkg.server) return false;
  // The package directory is an ancestor: a prefix cut is path.relative here, without its cost.
  const rel = (dir === pkg.dir ? '' : dir.startsWith(pkg.dir + path.sep) ? dir.slice(pkg.dir.length + 1) : path.relative(pkg.dir, dir)).split(path.sep).join('/');
  if (!(rel + '/').startsWith('src/')) return false;
  return pkg.ui || pkg.vite;
}

/** What the nearest package.json says (E10), per directory; recomputed when the project structure generation changes. */
interface PackageFacts { dir: string; invalid: boolean; server: boolean; ui: boolean; vite: boolean }
const packageCache = new WeakMap<Project, { generation: number; byDir: Map<string, PackageFacts | null> }>();

function nearestPackage(project: Project, dir: string): PackageFacts | null {
  let cache = packageCache.get(project);
  if (!cache || cache.generation !== project.structureGeneration) { cache = { generation: project.structureGeneration, byDir: new Map() }; packageCache.set(project, cache); }
  const hit = cache.byDir.get(dir);
  if (hit !== undefined) return hit;
  const root = path.resolve(project.root);
  let result: PackageFacts | null;
  const text = project.readText(path.join(dir, 'package.json'));
  if (text !== undefined) {
    let pj: { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; peerDependencies?: Record<string, string> } | undefined;
    try { pj = JSON.parse(text); } catch { pj = undefined; }
    if (!pj) result = { dir, invalid: true, server: false, ui: false, vite: false };
    else {
      const deps = { ...pj.peerDependencies, ...pj.devDependencies, ...pj.dependencies };
      const server = SERVER_FRAMEWORKS.some((d) => d in deps);
      const ui = UI_FRAMEWORKS.some((d) => d in deps) || 'react-scripts' in deps;
      const vite = !server && !ui && ['vite.config.ts', 'vite.config.js', 'vite.config.mts', 'vite.config.mjs'].some((f) => project.readText(path.join(dir, f)) !== undefined);
      result = { dir, invalid: false, server, ui, vite };
    }
  } else if (dir === root || path.dirname(dir) === dir || !dir.startsWith(root)) result = null;
  else result = nearestPackage(project, path.dirname(dir));
  cache.byDir.set(dir, result);
  return result;
}

