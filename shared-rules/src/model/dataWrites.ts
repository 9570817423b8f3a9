import ts = require('typescript');
import { evaluate } from './constEval';
import type { FileModel } from './fileModel';
import { skipOuter } from './imports';
import { findDeclaration } from './scope';

const { SyntaxKind } = ts;

/**
 * Database writes (the sinks of `apikey/plaintext-storage`, also "persisted" evidence for key-like names):
 * Prisma, Mongoose, the MongoDB driver, TypeORM, Sequelize, Drizzle, Knex, raw SQL (`INSERT`/`UPDATE` with
 * parameters or tagged templates) and Redis. Recognised syntactically; each ORM only where the file imports it
 * or the nearest package.json depends on it, so look-alike `create()`/`set()` methods elsewhere are ignored.
 */
export type Orm = 'prisma' | 'mongoose' | 'mongodb' | 'typeorm' | 'sequelize' | 'drizzle' | 'knex' | 'sql' | 'redis';

export interface WrittenValue {
  /** Column/field name, when known. */
  column?: string;
  /** The node naming the column (property name), when there is one. */
  columnNode?: ts.Node;
  value: ts.Expression;
}

export interface DataWrite {
  orm: Orm;
  call: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression;
  values: WrittenValue[];
  /** Model/table/collection name when visible (`prisma.apiKey` → `apiKey`, `knex('api_keys')` → `api_keys`). */
  target?: string;
  /** Object literals that are written as rows (for "unknown spread" checks). */
  payloads: ts.ObjectLiteralExpression[];
  /** Redis `SET … NX` (a lock: the value is an owner token, not data). */
  lock?: boolean;
}

const ORM_MODULES: Record<Orm, RegExp> = {
  prisma: /^(@prisma\/client|prisma|\.prisma\/client)$/,
  mongoose: /^mongoose$/,
  mongodb: /^mongodb$/,
  typeorm: /^(typeorm|@nestjs\/typeorm|@mikro-orm\/core|@mikro-orm\/postgresql|@mikro-orm\/mysql)$/,
  sequelize: /^(sequelize|sequelize-typescript|@nestjs\/sequelize)$/,
  drizzle: /^drizzle-orm(\/.*)?$/,
  knex: /^knex$/,
  sql: /^(pg|mysql|mysql2|mysql2\/promise|sqlite3|better-sqlite3|sqlite|postgres|@vercel\/postgres|@neondatabase\/serverless|slonik|mssql|oracledb|@planetscale\/database|@libsql\/client|pg-promise|@databases\/pg|kysely)$/,
  redis: /^(redis|ioredis|@upstash\/redis|@redis\/client|@vercel\/kv)$/,
};

const cache = new WeakMap<FileModel, Set<Orm>>();

/** The ORMs/drivers this file may use: imported here, or a dependency of the nearest package.json. */
export function ormsInScope(model: FileModel): Set<Orm> {
  let s = cache.get(model);
  if (s) return s;
  s = new Set();
  const mods = [...model.importedModules()];
  let deps: string[] | undefined;
  for (const [orm, re] of Object.entries(ORM_MODULES) as [Orm, RegExp][]) {
    if (mods.some((m) => re.test(m))) { s.add(orm); continue; }
    deps ??= depsOf(model); // once per file, not once per ORM
    if (deps.some((d) => re.test(d))) s.add(orm);
  }
  if (s.has('prisma') || s.has('typeorm') || s.has('sequelize') || s.has('knex') || s.has('drizzle')) s.add('sql'); // raw queries through the ORM
  cache.set(model, s);
  return s;
}

function depsOf(model: FileModel): string[] {
  const names = ['@prisma/client', 'prisma', 'mongoose', 'mongodb', 'typeorm', '@nestjs/typeorm', '@mikro-orm/core', 'sequelize', 'sequelize-typescript', '@nestjs/sequelize',
    'drizzle-orm', 'knex', 'pg', 'mysql', 'mysql2', 'sqlite3', 'better-sqlite3', 'postgres', '@vercel/postgres', '@neondatabase/serverless', 'slonik', 'mssql', 'oracledb',
    '@planetscale/database', '@libsql/client', 'pg-promise', 'kysely', 'redis', 'ioredis', '@upstash/redis', '@vercel/kv'];
  return names.filter((n) => model.project.hasDependency(n, model.fileName));
}

const PRISMA_WRITES = new Set(['create', 'update', 'upsert', 'createMany', 'updateMany', 'createManyAndReturn', 'updateManyAndReturn']);
const MONGOOSE_STATIC = new Set(['create', 'insertMany', 'updateOne', 'updateMany', 'findOneAndUpdate', 'findByIdAndUpdate', 'replaceOne', 'findOneAndReplace', 'bulkWrite']);
const MONGODB_WRITES = new Set(['insertOne', 'insertMany', 'updateOne', 'updateMany', 'replaceOne', 'findOneAndUpdate', 'findOneAndReplace']);
const TYPEORM_WRITES = new Set(['save', 'insert', 'update', 'upsert', 'create', 'persist', 'persistAndFlush', 'merge', 'preload']);
const SEQUELIZE_STATIC = new Set(['create', 'update', 'bulkCreate', 'upsert', 'findOrCreate', 'build']);
const REDIS_WRITES: Record<string, number[]> = { set: [1], setex: [2], setEx: [2], psetex: [2], pSetEx: [2], setnx: [1], setNX: [1], getset: [1], getSet: [1], hset: [2], hSet: [2], hsetnx: [2], hSetNX: [2], hmset: [1], hMSet: [1], mset: [], lpush: [1], rpush: [1], sadd: [1], sAdd: [1], lPush: [1], rPush: [1] };
const SQL_METHODS = new Set(['query', 'execute', 'run', 'exec', 'none', 'one', 'oneOrNone', 'many', 'any', 'manyOrNone', 'result', 'all', 'get', '$executeRaw', '$executeRawUnsafe', '$queryRaw', '$queryRawUnsafe', 'raw', 'unsafe']);

/** The database write a call performs, or undefined. */
export function dataWriteOf(model: FileModel, node: ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression): DataWrite | undefined {
  if (ts.isTaggedTemplateExpression(node)) return taggedSql(model, node);
  const orms = ormsInScope(model);
  if (orms.size === 0) return undefined;
  const args = node.arguments ?? ts.factory.createNodeArray<ts.Expression>();
  if (ts.isNewExpression(node)) {
    // Mongoose `new User({...})`, Sequelize/TypeORM entities are saved later (see savedObject)
    if ((orms.has('mongoose') || orms.has('sequelize')) && args[0] && isModelIdentifier(model, node.expression, orms)) {
      return objectWrite(model, orms.has('mongoose') ? 'mongoose' : 'sequelize', node, args[0], targetName(node.expression));
    }
    return undefined;
  }
  const callee = skipOuter(node.expression);
  if (!ts.isPropertyAccessExpression(callee)) return undefined;
  const method = callee.name.text;
  const recv = skipOuter(callee.expression);

  if (orms.has('prisma') && PRISMA_WRITES.has(method) && ts.isPropertyAccessExpression(recv) && args[0]) {
    const opts = objectLiteralOf(args[0]);
    if (opts) {
      const out: DataWrite = { orm: 'prisma', call: node, values: [], payloads: [], target: recv.name.text };
      for (const key of method === 'upsert' ? ['create', 'update'] : ['data']) {
        const p = propInit(opts, key);
        if (p) addPayload(out, p);
      }
      if (out.values.length || out.payloads.length) return out;
    }
  }
  if (orms.has('mongodb') && MONGODB_WRITES.has(method) && isMongoCollection(recv)) {
    const docArg = method.startsWith('insert') ? args[0] : args[1];
    if (docArg) return objectWrite(model, 'mongodb', node, docArg, collectionName(recv));
  }
  if (orms.has('mongoose') && (MONGOOSE_STATIC.has(method) && isModelIdentifier(model, recv, orms) || MONGOOSE_STATIC.has(method) && isMongooseModelInstance(model, recv))) {
    const docArg = method === 'create' || method === 'insertMany' ? args[0] : method === 'findByIdAndUpdate' || method.endsWith('Update') || method.startsWith('update') || method.includes('Replace') || method === 'replaceOne' ? args[1] : undefined;
    if (docArg) return objectWrite(model, 'mongoose', node, docArg, targetName(recv));
  }
  if (orms.has('typeorm') && TYPEORM_WRITES.has(method) && isRepository(model, recv)) {
    // save(entity) / save(Entity, {...}) / update(criteria, {...}) / insert({...})
    const docArg = method === 'update' ? args[1] : args.length >= 2 && isEntityClassRef(args[0]) ? args[1] : args[0];
    if (docArg) return objectWrite(model, 'typeorm', node, docArg, repositoryTarget(model, recv));
  }
  if (orms.has('sequelize') && SEQUELIZE_STATIC.has(method) && isModelIdentifier(model, recv, orms) && args[0]) {
    const docArg = method === 'findOrCreate' ? (objectLiteralOf(args[0]) && propInit(objectLiteralOf(args[0])!, 'defaults')) : args[0];
    if (docArg) return objectWrite(model, 'sequelize', node, docArg, targetName(recv));
  }
  if (orms.has('drizzle') && (method === 'values' || method === 'set') && ts.isCallExpression(recv) && ts.isPropertyAccessExpression(recv.expression)
    && (recv.expression.name.text === (method === 'values' ? 'insert' : 'update')) && args[0]) {
    return objectWrite(model, 'drizzle', node, args[0], recv.arguments[0]?.getText());
  }
  if (orms.has('knex') && (method === 'insert' || method === 'update' || method === 'upsert') && args[0] && knexTable(recv) !== undefined) {
    return objectWrite(model, 'knex', node, args[0], knexTable(recv) || undefined);
  }
  if (orms.has('redis') && method in REDIS_WRITES && isRedisClient(model, recv)) {
    const out: DataWrite = { orm: 'redis', call: node, values: [], payloads: [], target: args[0] ? keyPrefix(args[0]) : undefined };
    out.lock = method.toLowerCase() === 'setnx' || args.some((a) => { const x = skipOuter(a); return ts.isStringLiteralLike(x) && /^nx$/i.test(x.text) || ts.isObjectLiteralExpression(x) && /\b(nx|NX)\s*:\s*true/.test(x.getText()); });
    for (const i of REDIS_WRITES[method]) { const a = args[i]; if (a) out.values.push({ value: a, column: method.toLowerCase().startsWith('h') && args[i - 1] ? literalText(args[i - 1]) : undefined }); }
    if ((method === 'hSet' || method === 'hset' || method === 'hmset' || method === 'hMSet') && args[1]) {
      const obj = objectLiteralOf(args[1]);
      if (obj) addPayload(out, obj);
    }
    return out.values.length || out.payloads.length ? out : undefined;
  }
  if (orms.has('sql') && SQL_METHODS.has(method) && args[0]) return sqlCall(model, node, args);
  return undefined;
}

function objectWrite(model: FileModel, orm: Orm, call: ts.CallExpression | ts.NewExpression, arg: ts.Expression, target?: string): DataWrite | undefined {
  const out: DataWrite = { orm, call, values: [], payloads: [], target };
  addPayload(out, arg, model);
  return out.values.length || out.payloads.length ? out : undefined;
}

/** Adds the columns of a row expression: an object literal (following `$set`), an array of them, or a local holding one. */
function addPayload(out: DataWrite, arg: ts.Expression, _model?: FileModel, depth = 0): void {
  if (depth > 4) return;
  const e = skipOuter(arg);
  if (ts.isArrayLiteralExpression(e)) { for (const el of e.elements) if (!ts.isSpreadElement(el)) addPayload(out, el, _model, depth + 1); return; }
  const obj = objectLiteralOf(e);
  if (!obj) return;
  const set = propInit(obj, '$set') ?? propInit(obj, '$setOnInsert');
  if (set) { addPayload(out, set, _model, depth + 1); return; }
  out.payloads.push(obj);
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p)) {
      const name = p.name.getText().replace(/^['"`]|['"`]$/g, '');
      out.values.push({ column: name, columnNode: p.name, value: p.initializer });
    } else if (ts.isShorthandPropertyAssignment(p)) {
      out.values.push({ column: p.name.text, columnNode: p.name, value: p.name });
    }
  }
}

/** An object literal, directly or through a `const` in the same file. */
export function objectLiteralOf(e: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const x = skipOuter(e);
  if (ts.isObjectLiteralExpression(x)) return x;
  if (ts.isIdentifier(x)) {
    const d = findDeclaration(x);
    if (d && d.kind === 'variable' && d.initializer && !d.path) {
      const init = skipOuter(d.initializer);
      if (ts.isObjectLiteralExpression(init)) return init;
      // repo.create({...}) returns an entity built from the literal
      if (ts.isCallExpression(init) && ts.isPropertyAccessExpression(init.expression) && init.expression.name.text === 'create' && init.arguments[0]) {
        const inner = skipOuter(init.arguments[init.arguments.length - 1]);
        if (ts.isObjectLiteralExpression(inner)) return inner;
      }
    }
  }
  return undefined;
}

function propInit(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && p.name.getText().replace(/^['"]|['"]$/g, '') === name) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
  }
  return undefined;
}

function targetName(e: ts.Expression): string | undefined {
  const x = skipOuter(e);
  if (ts.isIdentifier(x)) return x.text;
  if (ts.isPropertyAccessExpression(x)) return x.name.text;
  return undefined;
}

const NOT_MODELS = /^(Error|TypeError|Map|Set|WeakMap|Date|Promise|URL|URLSearchParams|Response|Request|Headers|Object|Array|Buffer|RegExp|Proxy|Intl|JSON|Math|Reflect|Symbol|Number|String|Boolean|Event|EventEmitter|Worker|Blob|File|FormData|AbortController|TextEncoder|TextDecoder|Logger|Router|Hono|Koa|Schema|HttpException|NextResponse)$/;

/** A Mongoose/Sequelize model class: defined with `model()`/`define()`/`extends Model`, or imported from a models/entities module. */
function isModelIdentifier(model: FileModel, e: ts.Expression, orms: Set<Orm>, depth = 0): boolean {
  const x = skipOuter(e);
  if (ts.isPropertyAccessExpression(x)) {
    // db.User, models.User, this.userModel (typed Model<...>)
    if (/^[A-Z]/.test(x.name.text) && !NOT_MODELS.test(x.name.text) && /\b(db|models?|sequelize)\b/i.test(x.expression.getText())) return true;
    return isMongooseModelInstance(model, x);
  }
  if (!ts.isIdentifier(x) || !/^[A-Z]/.test(x.text) || NOT_MODELS.test(x.text)) return false;
  const ref = model.resolveRef(x);
  if (ref?.kind === 'library') return /^(mongoose|sequelize)\.Model$/.test(ref.symbol);
  const d = findDeclaration(x);
  if (!d) return false;
  if (d.kind === 'import') {
    if (ref?.kind === 'declaration' && depth < 3) return declaresModel(ref.model, ref.declaration.declaration, depth);
    if (ref?.kind === 'node' && depth < 3) return declaresModel(ref.model, ref.node, depth);
    // unresolvable import (path alias): trust a models/entities/schemas path
    const st = d.declaration;
    const spec = ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : '';
    return /(^|[/@])(models?|entit(y|ies)|schemas?|db)([/.]|$)/i.test(spec) || /\.(model|entity|schema)$/i.test(spec);
  }
  return declaresModel(model, d.declaration, depth);
}

function declaresModel(model: FileModel, decl: ts.Node, _depth: number): boolean {
  if (ts.isClassDeclaration(decl) || ts.isClassExpression(decl)) {
    return (decl.heritageClauses ?? []).some((h) => h.types.some((t) => /\bModel\b/.test(t.expression.getText())))
      || (ts.getDecorators(decl) ?? []).some((d) => /^(Table|Entity|Schema)\b/.test(d.expression.getText()));
  }
  if (ts.isVariableDeclaration(decl) && decl.initializer) {
    const init = skipOuter(decl.initializer);
    if (ts.isCallExpression(init)) {
      const sym = model.resolveCall(init)?.symbol ?? '';
      if (/^mongoose\.(model|default\.model|Model)$/.test(sym) || /^mongoose\.default$/.test(sym)) return true;
      const t = init.expression.getText();
      return /(^|\.)(model|define)$/.test(t) && /mongoose|sequelize|models?|connection|conn|db/i.test(t) || /^model$/.test(t);
    }
  }
  if (ts.isExportAssignment(decl) || ts.isCallExpression(decl)) {
    const e = ts.isExportAssignment(decl) ? decl.expression : decl;
    return ts.isCallExpression(skipOuter(e)) && /(^|\.)(model|define)$/.test((skipOuter(e) as ts.CallExpression).expression.getText());
  }
  return false;
}

function isMongooseModelInstance(model: FileModel, e: ts.Expression): boolean {
  const cls = model.instanceClass(e);
  return cls === 'mongoose.Model' || cls === 'mongoose.default.Model';
}

function isMongoCollection(e: ts.Expression): boolean {
  const x = skipOuter(e);
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'collection') return true;
  if (ts.isIdentifier(x)) {
    const d = findDeclaration(x);
    if (d?.initializer && !d.path) return isMongoCollection(d.initializer);
    return /collection$/i.test(x.text);
  }
  if (ts.isPropertyAccessExpression(x)) return /collection$/i.test(x.name.text);
  return false;
}

function collectionName(e: ts.Expression): string | undefined {
  const x = skipOuter(e);
  if (ts.isCallExpression(x) && x.arguments[0] && ts.isStringLiteralLike(x.arguments[0])) return x.arguments[0].text;
  if (ts.isIdentifier(x)) { const d = findDeclaration(x); if (d?.initializer && !d.path) return collectionName(d.initializer); }
  return undefined;
}

/** A TypeORM/MikroORM repository or entity manager. */
function isRepository(model: FileModel, e: ts.Expression): boolean {
  const x = skipOuter(e);
  const cls = model.instanceClass(x);
  if (cls && /^(typeorm|@mikro-orm\/\w+)\.(Repository|EntityManager|MongoRepository|TreeRepository|EntityRepository)$/.test(cls)) return true;
  if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && /^(getRepository|getCustomRepository|getMongoRepository|getTreeRepository)$/.test(x.expression.name.text)) return true;
  if (ts.isCallExpression(x) && ts.isIdentifier(x.expression) && /^(getRepository|getManager)$/.test(x.expression.text)) return true;
  const text = ts.isPropertyAccessExpression(x) ? x.name.text : ts.isIdentifier(x) ? x.text : '';
  if (/(repo|repository|Repo|Repository)$/.test(text) || /^(manager|entityManager|em|transactionalEntityManager)$/.test(text)) return true;
  if (ts.isPropertyAccessExpression(x) && x.name.text === 'manager') return true;
  if (ts.isIdentifier(x)) {
    const d = findDeclaration(x);
    if (d?.initializer && !d.path && d.kind === 'variable') return isRepository(model, d.initializer);
  }
  return false;
}

function repositoryTarget(model: FileModel, e: ts.Expression): string | undefined {
  const x = skipOuter(e);
  if (ts.isCallExpression(x) && x.arguments[0]) return x.arguments[0].getText();
  const t = ts.isPropertyAccessExpression(x) ? x.name.text : ts.isIdentifier(x) ? x.text : undefined;
  return t?.replace(/(Repo|Repository|repo|repository)$/, '') || undefined;
}

function isEntityClassRef(e: ts.Expression): boolean {
  const x = skipOuter(e);
  return ts.isIdentifier(x) && /^[A-Z]/.test(x.text) && !ts.isObjectLiteralExpression(x);
}

/** `knex('users')`, `db('users')`, `trx('t')`, `knex.table('t')`, `knex.insert(x).into('t')` (returns '' when the table is unknown). */
function knexTable(e: ts.Expression): string | undefined {
  const x = skipOuter(e);
  if (ts.isCallExpression(x)) {
    const c = skipOuter(x.expression);
    if (ts.isIdentifier(c) && /^(knex|db|trx|k|pg|database|qb)$/i.test(c.text) && x.arguments[0]) return literalText(x.arguments[0]) ?? '';
    if (ts.isPropertyAccessExpression(c) && /^(table|from|into|withSchema|where|whereIn|andWhere|orWhere|returning|onConflict|merge)$/.test(c.name.text)) {
      if (/^(table|from|into)$/.test(c.name.text) && x.arguments[0]) return literalText(x.arguments[0]) ?? '';
      return knexTable(c.expression);
    }
  }
  if (ts.isIdentifier(x) && /^(knex|trx)$/.test(x.text)) return '';
  return undefined;
}

function isRedisClient(model: FileModel, e: ts.Expression): boolean {
  const x = skipOuter(e);
  const cls = model.instanceClass(x);
  if (cls && /^(ioredis|redis|@upstash\/redis|@redis\/client)\./.test(cls)) return true;
  const text = ts.isPropertyAccessExpression(x) ? x.name.text : ts.isIdentifier(x) ? x.text : '';
  if (/redis|^kv$|^cache$/i.test(text)) return true;
  if (ts.isIdentifier(x)) {
    const d = findDeclaration(x);
    if (d?.initializer && !d.path) {
      const init = skipOuter(d.initializer);
      const sym = ts.isCallExpression(init) || ts.isNewExpression(init) ? model.resolveCall(init)?.symbol ?? '' : '';
      return /^(redis|ioredis|@upstash\/redis|@redis\/client)\./.test(sym);
    }
  }
  return false;
}

function keyPrefix(e: ts.Expression): string | undefined {
  const x = skipOuter(e);
  if (ts.isStringLiteralLike(x)) return x.text;
  if (ts.isTemplateExpression(x)) return x.head.text;
  return undefined;
}

function literalText(e: ts.Expression): string | undefined {
  const x = skipOuter(e);
  return ts.isStringLiteralLike(x) ? x.text : undefined;
}

/** `client.query('INSERT INTO t (a, b) VALUES ($1, $2)', [x, y])`, `db.run(sql, a, b)`, `prisma.$executeRaw(...)`. */
function sqlCall(model: FileModel, node: ts.CallExpression, args: ts.NodeArray<ts.Expression>): DataWrite | undefined {
  let sqlArg = args[0];
  let params: ts.Expression[] = [];
  // mysql2/libsql `execute({ sql, args })`
  const obj = objectLiteralOf(sqlArg);
  if (obj) {
    const s = propInit(obj, 'sql') ?? propInit(obj, 'text');
    if (!s) return undefined;
    sqlArg = s;
    const pa = propInit(obj, 'args') ?? propInit(obj, 'values');
    if (pa) params = arrayElements(pa);
  } else if (args[1]) {
    params = ts.isArrayLiteralExpression(skipOuter(args[1])) ? arrayElements(args[1]) : [...args.slice(1)].filter((a) => !ts.isArrowFunction(a) && !ts.isFunctionExpression(a));
  }
  // prepared: db.prepare(sql).run(a, b)
  const sqlText = sqlTextOf(model, sqlArg);
  if (sqlText === undefined || !/^\s*(insert|update|replace|upsert|merge)\b/i.test(sqlText)) return undefined;
  if (ts.isTemplateExpression(skipOuter(sqlArg)) && params.length === 0) {
    // values interpolated into the SQL string
    const t = skipOuter(sqlArg) as ts.TemplateExpression;
    return templateWrite(node, t, 'sql');
  }
  const columns = sqlColumns(sqlText);
  const out: DataWrite = { orm: 'sql', call: node, values: [], payloads: [], target: sqlTable(sqlText) };
  params.forEach((p, i) => out.values.push({ value: p, column: columns[i] }));
  return out.values.length ? out : undefined;
}

function arrayElements(e: ts.Expression): ts.Expression[] {
  const x = skipOuter(e);
  if (ts.isArrayLiteralExpression(x)) return x.elements.filter((el) => !ts.isSpreadElement(el)) as ts.Expression[];
  return [];
}

function sqlTextOf(model: FileModel, e: ts.Expression): string | undefined {
  const x = skipOuter(e);
  if (ts.isTemplateExpression(x)) return x.head.text + x.templateSpans.map((s) => '?' + s.literal.text).join('');
  const v = evaluate(model, x);
  return v.kind === 'string' ? v.value : undefined;
}

/** sql`INSERT INTO keys (user_id, key) VALUES (${id}, ${key})` (postgres.js, @vercel/postgres, Prisma `$executeRaw`). */
function taggedSql(model: FileModel, node: ts.TaggedTemplateExpression): DataWrite | undefined {
  const tag = node.tag.getText();
  if (!/(^|\.)(sql|\$executeRaw|\$queryRaw|query|execute)$/i.test(tag)) return undefined;
  if (ormsInScope(model).size === 0) return undefined;
  if (!ts.isTemplateExpression(node.template)) return undefined;
  return templateWrite(node, node.template, 'sql');
}

function templateWrite(call: DataWrite['call'], t: ts.TemplateExpression, orm: Orm): DataWrite | undefined {
  const text = t.head.text + t.templateSpans.map((s) => '?' + s.literal.text).join('');
  if (!/^\s*(insert|update|replace|upsert)\b/i.test(text)) return undefined;
  const columns = sqlColumns(text);
  const out: DataWrite = { orm, call, values: [], payloads: [], target: sqlTable(text) };
  let before = t.head.text;
  t.templateSpans.forEach((s, i) => {
    const set = /([A-Za-z_"`][\w"`]*)\s*=\s*$/.exec(before);
    out.values.push({ value: s.expression, column: set ? set[1].replace(/["`]/g, '') : columns[i] });
    before += '?' + s.literal.text;
  });
  return out;
}

/** Column names by parameter position: `INSERT INTO t (a, b) VALUES (?, ?)` or `UPDATE t SET a = $1, b = $2`. */
export function sqlColumns(sql: string): (string | undefined)[] {
  const ins = /insert\s+(?:or\s+\w+\s+)?into\s+[\w."`[\]]+\s*\(([^)]*)\)\s*values\s*\(([^)]*)\)/i.exec(sql);
  if (ins) {
    const cols = ins[1].split(',').map((c) => c.trim().replace(/["`[\]]/g, ''));
    const vals = ins[2].split(',').map((v) => v.trim());
    const out: (string | undefined)[] = [];
    vals.forEach((v, i) => {
      const n = /^\$(\d+)$/.exec(v);
      if (n) out[Number(n[1]) - 1] = cols[i];
      else if (v === '?' || /^:\w+$/.test(v) || /^@\w+$/.test(v)) out.push(cols[i]);
    });
    return out;
  }
  const upd = /update\s+[\w."`[\]]+\s+set\s+([\s\S]*?)(\bwhere\b|$)/i.exec(sql);
  if (upd) {
    const out: (string | undefined)[] = [];
    const re = /([\w"`]+)\s*=\s*(\$(\d+)|\?)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(upd[1]))) {
      const col = m[1].replace(/["`]/g, '');
      if (m[3]) out[Number(m[3]) - 1] = col; else out.push(col);
    }
    return out;
  }
  return [];
}

function sqlTable(sql: string): string | undefined {
  const m = /(?:insert\s+(?:or\s+\w+\s+)?into|update|replace\s+into)\s+([\w."`[\]]+)/i.exec(sql);
  return m ? m[1].replace(/["`[\]]/g, '') : undefined;
}

/**
 * `obj.prop = v` is persisted when the same function later saves `obj`: `obj.save()`, `repo.save(obj)`,
 * `em.persist(obj)`, `obj.update()`. Returns the saving call.
 */
export function savedObject(model: FileModel, assignment: ts.BinaryExpression): ts.CallExpression | undefined {
  const left = skipOuter(assignment.left);
  if (!ts.isPropertyAccessExpression(left) && !ts.isElementAccessExpression(left)) return undefined;
  const obj = skipOuter(left.expression);
  if (!ts.isIdentifier(obj) && !(ts.isPropertyAccessExpression(obj) && obj.expression.kind === SyntaxKind.ThisKeyword)) return undefined;
  const objText = obj.getText();
  const orms = ormsInScope(model);
  if (orms.size === 0) return undefined;
  let fn: ts.Node | undefined;
  for (let p: ts.Node | undefined = assignment.parent; p; p = p.parent) if (ts.isFunctionLike(p) || ts.isSourceFile(p)) { fn = p; break; }
  if (!fn) return undefined;
  let found: ts.CallExpression | undefined;
  const after = assignment.getEnd();
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && n.getStart() >= after && ts.isPropertyAccessExpression(n.expression)) {
      const m = n.expression.name.text;
      const recv = skipOuter(n.expression.expression);
      if ((m === 'save' || m === 'update' && n.arguments.length === 0) && recv.getText() === objText) found = n;
      else if (/^(save|persist|persistAndFlush|insert|upsert)$/.test(m) && n.arguments.some((a) => skipOuter(a).getText() === objText) && (isRepository(model, recv) || /\b(manager|em|repo|repository)\b/i.test(recv.getText()))) found = n;
    }
    ts.forEachChild(n, visit);
  };
  visit(fn);
  return found;
}

/**
 * The declaration of a written column on its entity, for a related location: a TypeORM/MikroORM entity property
 * (through `Repository<Entity>` or `getRepository(Entity)`), or a Mongoose schema path (through
 * `model('Name', schema)`). Undefined when the entity cannot be seen.
 */
export function entityField(model: FileModel, write: DataWrite, column: string): ts.Node | undefined {
  const call = write.call;
  if (ts.isTaggedTemplateExpression(call)) return undefined;
  if (write.orm === 'typeorm' && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression)) {
    const entity = repositoryEntity(model, skipOuter(call.expression.expression));
    return entity && classMember(entity.model, entity.node, column);
  }
  if (write.orm === 'mongoose') {
    const target = ts.isNewExpression(call) ? call.expression : ts.isPropertyAccessExpression(call.expression) ? call.expression.expression : undefined;
    if (!target) return undefined;
    const schema = mongooseSchema(model, skipOuter(target));
    if (!schema) return undefined;
    return schema.properties.find((p) => p.name && p.name.getText().replace(/^['"]|['"]$/g, '') === column);
  }
  return undefined;
}

function repositoryEntity(model: FileModel, recv: ts.Expression): { model: FileModel; node: ts.ClassLikeDeclaration } | undefined {
  let typeArg: ts.Expression | undefined;
  if (ts.isCallExpression(recv) && recv.arguments[0]) typeArg = recv.arguments[0];
  else {
    const typeNode = declaredType(recv);
    if (typeNode && ts.isTypeReferenceNode(typeNode) && typeNode.typeArguments?.[0] && ts.isTypeReferenceNode(typeNode.typeArguments[0]) && ts.isIdentifier(typeNode.typeArguments[0].typeName)) {
      typeArg = typeNode.typeArguments[0].typeName;
    }
  }
  if (!typeArg || !ts.isIdentifier(skipOuter(typeArg))) return undefined;
  return classOf(model, skipOuter(typeArg) as ts.Identifier);
}

function declaredType(e: ts.Expression): ts.TypeNode | undefined {
  if (ts.isIdentifier(e)) {
    const d = findDeclaration(e);
    return d && !d.path ? (d.declaration as { type?: ts.TypeNode }).type : undefined;
  }
  if (ts.isPropertyAccessExpression(e) && e.expression.kind === SyntaxKind.ThisKeyword) {
    for (let p: ts.Node | undefined = e.parent; p; p = p.parent) {
      if (!ts.isClassLike(p)) continue;
      for (const m of p.members) {
        if (ts.isPropertyDeclaration(m) && m.name.getText() === e.name.text && m.type) return m.type;
        if (ts.isConstructorDeclaration(m)) for (const prm of m.parameters) if (prm.name.getText() === e.name.text && prm.type) return prm.type;
      }
      return undefined;
    }
  }
  return undefined;
}

function classOf(model: FileModel, id: ts.Identifier): { model: FileModel; node: ts.ClassLikeDeclaration } | undefined {
  const ref = model.resolveRef(id);
  if (ref?.kind === 'declaration' && ts.isClassDeclaration(ref.declaration.declaration)) return { model: ref.model, node: ref.declaration.declaration };
  if (ref?.kind === 'node' && ts.isClassDeclaration(ref.node)) return { model: ref.model, node: ref.node };
  return undefined;
}

function classMember(_model: FileModel, cls: ts.ClassLikeDeclaration, name: string): ts.Node | undefined {
  return cls.members.find((m) => ts.isPropertyDeclaration(m) && m.name.getText() === name);
}

function mongooseSchema(model: FileModel, target: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const ref = ts.isIdentifier(target) ? model.resolveRef(target) : undefined;
  const decl = ref?.kind === 'declaration' ? ref.declaration : undefined;
  const m = ref?.kind === 'declaration' ? ref.model : model;
  const init = decl?.initializer && skipOuter(decl.initializer);
  if (!init || !ts.isCallExpression(init) || !init.arguments[1]) return undefined;
  let schemaExpr = skipOuter(init.arguments[1]);
  if (ts.isIdentifier(schemaExpr)) {
    const d = findDeclaration(schemaExpr);
    if (!d?.initializer) return undefined;
    schemaExpr = skipOuter(d.initializer);
  }
  if (ts.isNewExpression(schemaExpr) && schemaExpr.arguments?.[0]) {
    const lit = skipOuter(schemaExpr.arguments[0]);
    return ts.isObjectLiteralExpression(lit) ? lit : undefined;
  }
  void m;
  return undefined;
}
