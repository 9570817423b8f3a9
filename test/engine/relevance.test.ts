import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import ts = require('typescript');
import { allRules, analyzeFile, defaultConfig, defineRule, Project, Rule } from '../../shared-rules/src';
import { isRelevant } from '../../shared-rules/src/engine/relevance';
import { declaresOnlyClass, exportsOnlyClasses } from '../../shared-rules/src/model/exportReach';
import { JWT_DECODE_RELEVANCE, JWT_RELEVANCE } from '../../shared-rules/src/model/jwtRelevance';

/** Per-file relevance: rules declaring `relevance` are skipped in files that cannot matter to them. */
describe('engine: per-file rule relevance', () => {
  const newRoot = () => path.resolve('/virtual/relevance', String(Math.random()).slice(2));

  it('follows imports to what they export: re-exports, wrappers, objects holding them (import, require, dynamic import, barrels)', () => {
    const root = newRoot();
    const f = (n: string) => path.join(root, 'src', n);
    const p = new Project(root);
    p.setOverlay(f('tokens.ts'), `import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, K);`, 1);
    p.setOverlay(f('index.ts'), `export * from './tokens';`, 1);
    p.setOverlay(f('a.ts'), `import { check } from './index';\ncheck(token);`, 1);
    p.setOverlay(f('b.ts'), `const { check } = require('./index');\ncheck(token);`, 1);
    p.setOverlay(f('c.ts'), `async function g() { const m = await import(/* lazy */ './index'); m.check(t); }`, 1);
    p.setOverlay(f('d.ts'), `import { check } from './a';\ncheck(token);`, 1); // a.ts exports nothing
    p.setOverlay(f('deep1.ts'), `export * from './index';`, 1);
    p.setOverlay(f('deep2.ts'), `export { check as verifyToken } from './deep1';`, 1);
    p.setOverlay(f('e.ts'), `import { verifyToken } from './deep2';\nverifyToken(t);`, 1); // three re-export levels
    p.setOverlay(f('auth.ts'), `import jwt from 'jsonwebtoken';\nexport function authenticate(req, res, next) {\n  const t = req.headers.authorization;\n  if (!t) return res.status(401).end();\n  req.user = jwt.verify(t, K, { algorithms: ['HS256'] });\n  next();\n}\nexport const ROLE = 'admin';`, 1);
    p.setOverlay(f('routes.ts'), `import { authenticate, ROLE } from './auth';\nrouter.get('/', authenticate, (req, res) => res.json(ROLE));`, 1);
    p.setOverlay(f('lib.js'), `const jwt = require('jsonwebtoken');\nmodule.exports = { tokens: { verify: jwt.verify } };`, 1);
    p.setOverlay(f('g.js'), `const lib = require('./lib');\nlib.tokens.verify(t, k);`, 1);
    p.setOverlay(f('plain.ts'), `import { x } from './other';\nexport const y = x + 1;`, 1);
    p.setOverlay(f('other.ts'), `export const x = 1;`, 1);
    const rel = (n: string) => isRelevant(p, f(n), p.readText(f(n))!, JWT_RELEVANCE);
    for (const n of ['tokens.ts', 'index.ts', 'a.ts', 'b.ts', 'c.ts', 'e.ts', 'g.js']) assert.equal(rel(n), true, n);
    // routes.ts imports a middleware that verifies inside a longer body (not a wrapper) and a constant: nothing to resolve to jsonwebtoken
    for (const n of ['d.ts', 'routes.ts', 'plain.ts']) assert.equal(rel(n), false, n);
  });

  it('a module that exports only classes, interfaces, enums or types (or nothing) is not parsed to check its exports', () => {
    for (const t of [`export class A {}\nexport interface B {}\nexport enum C { X }\nexport type D = string;\nexport default class E {}`,
      `import jwt from 'jsonwebtoken';\nexport abstract class Guard { check(t: string) { return jwt.verify(t, K); } }\nexport type Claims = { sub: string };`,
      `const x = 1; // no exports`]) assert.equal(exportsOnlyClasses(t), true, t);
    for (const t of [`export const verify = (t: string) => jwt.verify(t, K);`, `export function f() {}`, `export { verify } from 'jsonwebtoken';`,
      `export * from './tokens';`, `export default verify;`, `module.exports = { verify };`, `exports.verify = verify;`, `export class A {}\nexport const B = 1;`,
      `export = verify;`, `export const enum E { X }`, `export type { Claims } from './claims';`]) assert.equal(exportsOnlyClasses(t), false, t);
    const root = newRoot();
    const p = new Project(root);
    const f = (n: string) => path.join(root, n);
    p.setOverlay(f('guard.ts'), `import jwt from 'jsonwebtoken';\nexport class JwtGuard { canActivate(t: string) { return !!jwt.verify(t, K, { algorithms: ['HS256'] }); } }`, 1);
    p.setOverlay(f('users.controller.ts'), `import { JwtGuard } from './guard';\n@UseGuards(JwtGuard)\nexport class UsersController {}`, 1);
    p.setOverlay(f('app.module.ts'), `import { UsersController } from './users.controller';\n@Module({ controllers: [UsersController] })\nexport class AppModule {}`, 1);
    assert.equal(isRelevant(p, f('app.module.ts'), p.readText(f('app.module.ts'))!, JWT_RELEVANCE), false);
    assert.equal(p.hasModel(f('users.controller.ts')), false);
  });

  it('an imported name is a project class when the module mentions it once, in its class declaration', () => {
    for (const t of [`export class UsersService {}`, `import { Repo } from './repo';\nexport abstract class UsersService { constructor(private r: Repo) {} }`,
      `export default class UsersService {}`, `export interface UsersService { find(): void }`]) assert.equal(declaresOnlyClass(t, 'UsersService'), true, t);
    for (const t of [`export * from './users';\nexport class UsersService {}`, `export class UsersService {}\nexport { UsersService as Users };`,
      `export const UsersService = JwtService;`, `class UsersService {}\nexport { UsersService };`, `export class UsersServiceImpl {}`]) assert.equal(declaresOnlyClass(t, 'UsersService'), false, t);
  });

  it('type-only re-exports count: a library class re-exported with `export type` still types an injected instance', () => {
    const root = newRoot();
    const p = new Project(root);
    const f = (n: string) => path.join(root, n);
    p.setOverlay(f('types.ts'), `export type { JwtService as Tokens } from '@nestjs/jwt';`, 1);
    p.setOverlay(f('auth.service.ts'), `import { Tokens } from './types';\nexport class AuthService {\n  constructor(private readonly tokens: Tokens) {}\n  login(u: object) { return this.tokens.sign(u); }\n}`, 1);
    assert.equal(isRelevant(p, f('auth.service.ts'), p.readText(f('auth.service.ts'))!, JWT_RELEVANCE), true);
    assert.equal(exportsOnlyClasses(`export type { JwtService } from '@nestjs/jwt';`), false);
    assert.equal(exportsOnlyClasses(`export type * from './claims';`), false);
    assert.equal(exportsOnlyClasses(`export type Claims = { sub: string };`), true);
  });

  it('answers again after an edit of an imported file', () => {
    const root = newRoot();
    const lib = path.join(root, 'lib.ts');
    const user = path.join(root, 'user.ts');
    const p = new Project(root);
    p.setOverlay(lib, `export const check = (t: string) => t;`, 1);
    p.setOverlay(user, `import { check } from './lib';\ncheck(token);`, 1);
    assert.equal(isRelevant(p, user, p.readText(user)!, JWT_RELEVANCE), false);
    p.setOverlay(lib, `import { jwtVerify } from 'jose';\nexport const check = (t: string) => jwtVerify(t, K);`, 2);
    assert.equal(isRelevant(p, user, p.readText(user)!, JWT_RELEVANCE), true);
  });

  it('`mentions` are looked for in the file itself only; @fastify/jwt decorations count through `jwt`', () => {
    const root = newRoot();
    const p = new Project(root);
    const a = path.join(root, 'a.ts');
    const b = path.join(root, 'b.ts');
    const c = path.join(root, 'c.ts');
    p.setOverlay(a, `const claims = JSON.parse(Buffer.from(t.split('.')[1], 'base64').toString());`, 1);
    p.setOverlay(b, `import './a';\nexport const n = 1;`, 1);
    p.setOverlay(c, `app.get('/me', async (request) => { await request.jwtVerify(); });`, 1);
    assert.equal(isRelevant(p, a, p.readText(a)!, JWT_RELEVANCE), false);
    assert.equal(isRelevant(p, a, p.readText(a)!, JWT_DECODE_RELEVANCE), true);
    assert.equal(isRelevant(p, b, p.readText(b)!, JWT_DECODE_RELEVANCE), false);
    assert.equal(isRelevant(p, c, p.readText(c)!, JWT_RELEVANCE), true);
  });

  it('analyzeFile skips create() of an irrelevant rule, which adds no facts', () => {
    const root = newRoot();
    const file = path.join(root, 'x.ts');
    const p = new Project(root);
    p.setOverlay(file, `export const x = 1;`, 1);
    let created = 0;
    const probe: Rule = defineRule({
      meta: {
        id: 'jwt/relevance-probe', title: 'probe', description: 'probe', defaultSeverity: 'warning', checklist: [], owasp: [], cwe: [],
        scope: 'file', needsTypes: false, fixable: 'none', relevance: { modules: ['jsonwebtoken'] },
      },
      create(context) {
        created++;
        return { nodes: { SourceFile: (n) => context.report({ node: n, message: 'seen' }) } };
      },
    });
    const config = defaultConfig([probe]);
    const r1 = analyzeFile(p, file, [probe], config);
    assert.equal(created, 0);
    assert.deepEqual(r1.findings, []);
    assert.equal(r1.facts.get('jwt/relevance-probe'), undefined);
    p.setOverlay(file, `import * as jwt from 'jsonwebtoken';\nexport const x = 1;`, 2);
    const r2 = analyzeFile(p, file, [probe], config);
    assert.equal(created, 1);
    assert.equal(r2.findings.length, 1);
  });

  it('every rule declares relevance (so a file no rule can report in is not parsed); no-revocation-path also takes evidence from non-JWT files', () => {
    for (const r of allRules) assert.ok(r.meta.relevance, `${r.meta.id} has no relevance`);
    const root = newRoot();
    const p = new Project(root);
    const store = path.join(root, 'store.ts');
    p.setOverlay(store, `export async function logout(sessionId: string) { await redis.del('sess:' + sessionId); }`, 1);
    const r = analyzeFile(p, store, allRules, defaultConfig(allRules));
    assert.ok((r.facts.get('jwt/no-revocation-path') ?? []).length > 0, 'revocation evidence from a file without JWT imports');
  });

  it('a file no enabled rule is relevant to is analysed without being parsed; suppression comments still are', () => {
    const root = newRoot();
    const p = new Project(root);
    const plain = path.join(root, 'dto.ts');
    const sup = path.join(root, 'sup.ts');
    p.setOverlay(plain, `export interface OrderDto { items: string[]; total: number }\nexport const sum = (o: OrderDto) => o.total;`, 1);
    p.setOverlay(sup, `// api-warden-ignore-next-line jwt/no-such-rule -- test\nexport const n = 1;`, 1);
    let parsed = 0;
    const getModel = p.getModel.bind(p);
    p.getModel = (f: string) => { parsed++; return getModel(f); };
    const r = analyzeFile(p, plain, allRules, defaultConfig(allRules));
    assert.equal(parsed, 0);
    assert.equal(r.skipped, undefined);
    assert.deepEqual(r.findings, []);
    const s = analyzeFile(p, sup, allRules, defaultConfig(allRules));
    assert.equal(parsed, 1);
    assert.deepEqual(s.findings.map((f) => f.ruleId), ['api-warden/invalid-suppression']);
  });
});
