import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import ts = require('typescript');
import { Project } from '../../shared-rules/src';
import { evaluate, possibilities } from '../../shared-rules/src/model/constEval';

/** Resolves every call in `code` (file src/app.ts of a virtual workspace) to canonical symbols. */
function symbols(code: string, files: Record<string, string> = {}, fileName = 'src/app.ts'): string[] {
  const root = path.resolve('/virtual/resolution', String(Math.random()).slice(2));
  const project = new Project(root);
  const main = path.join(root, fileName);
  project.setOverlay(main, code, 1);
  for (const [rel, text] of Object.entries(files)) project.setOverlay(path.join(root, rel), text, 1);
  const model = project.getModel(main)!;
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) { const c = model.resolveCall(n); if (c) out.push(c.symbol); }
    ts.forEachChild(n, visit);
  };
  visit(model.sourceFile);
  return out;
}

describe('engine: library symbol resolution (E1, syntactic)', () => {
  const cases: [string, string, string][] = [
    ['default import', `import jwt from 'jsonwebtoken';\njwt.verify(t, k);`, 'jsonwebtoken.verify'],
    ['namespace import', `import * as jwt from 'jsonwebtoken';\njwt.verify(t, k);`, 'jsonwebtoken.verify'],
    ['named import', `import { verify } from 'jsonwebtoken';\nverify(t, k);`, 'jsonwebtoken.verify'],
    ['aliased named import', `import { verify as check } from 'jsonwebtoken';\ncheck(t, k);`, 'jsonwebtoken.verify'],
    ['import = require', `import jwt = require('jsonwebtoken');\njwt.verify(t, k);`, 'jsonwebtoken.verify'],
    ['const require', `const jwt = require('jsonwebtoken');\njwt.verify(t, k);`, 'jsonwebtoken.verify'],
    ['var require (CommonJS)', `var jwt = require('jsonwebtoken');\njwt.verify(t, k);`, 'jsonwebtoken.verify'],
    ['destructured require with alias', `const { verify: v } = require('jsonwebtoken');\nv(t, k);`, 'jsonwebtoken.verify'],
    ['require(...).member', `const verify = require('jsonwebtoken').verify;\nverify(t, k);`, 'jsonwebtoken.verify'],
    ['local alias of a member', `import jwt from 'jsonwebtoken';\nconst v = jwt.verify;\nv(t, k);`, 'jsonwebtoken.verify'],
    ['destructured from the namespace', `import * as jwt from 'jsonwebtoken';\nconst { sign } = jwt;\nsign(p, k);`, 'jsonwebtoken.sign'],
    ['node: prefix stripped', `import { createHash } from 'node:crypto';\ncreateHash('md5');`, 'crypto.createHash'],
    ['dynamic import destructured', `async function f() { const { jwtVerify } = await import('jose');\n await jwtVerify(t, k); }`, 'jose.jwtVerify'],
    ['class via new', `import { SignJWT } from 'jose';\nnew SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(key);`, 'jose.SignJWT#sign'],
    ['called default export', `import expressJwt from 'express-jwt';\nexpressJwt({ secret: s });`, 'express-jwt.default'],
    ['instance via constructor parameter type', `import { JwtService } from '@nestjs/jwt';\nclass S { constructor(private readonly jwt: JwtService) {}\n m() { return this.jwt.verifyAsync(t); } }`, '@nestjs/jwt.JwtService#verifyAsync'],
  ];
  for (const [name, code, expected] of cases) {
    it(name, () => assert.ok(symbols(code).includes(expected), `${expected} not in ${JSON.stringify(symbols(code))}`));
  }

  it('a shadowing local binding is not the library', () => {
    assert.deepEqual(symbols(`import jwt from 'jsonwebtoken';\nfunction f(jwt: { verify(a: string): void }) { jwt.verify('x'); }`).filter((s) => s.startsWith('jsonwebtoken')), []);
  });

  it('re-exports inside the project', () => {
    const files = {
      'src/lib/index.ts': `export { verify as verifyJwt } from 'jsonwebtoken';\nexport * from './more';`,
      'src/lib/more.ts': `export { default as jose } from 'jsonwebtoken';`,
    };
    assert.deepEqual(symbols(`import { verifyJwt, jose } from './lib';\nverifyJwt(t, k);\njose.sign(p, k);`, files), ['jsonwebtoken.verify', 'jsonwebtoken.sign']);
  });

  it('CommonJS module.exports in a project file', () => {
    const files = { 'src/jwt.js': `const jwt = require('jsonwebtoken');\nmodule.exports = { jwt, verify: jwt.verify };` };
    assert.deepEqual(symbols(`const { verify } = require('./jwt');\nverify(t, k);`, files), ['jsonwebtoken.verify']);
  });

  it('thin project wrappers count as the library call with the call-site arguments', () => {
    const files = { 'src/auth.ts': `import jwt from 'jsonwebtoken';\nexport const verifyToken = (t: string) => jwt.verify(t, KEY);\nexport async function signToken(p: object, o?: object) { return jwt.sign(p, KEY, o); }` };
    const root = path.resolve('/virtual/wrappers');
    const project = new Project(root);
    const main = path.join(root, 'src/app.ts');
    project.setOverlay(main, `import { verifyToken, signToken } from './auth';\nverifyToken(req.token);\nsignToken({ sub: 1 }, { expiresIn: '1h' });`, 1);
    for (const [rel, text] of Object.entries(files)) project.setOverlay(path.join(root, rel), text, 1);
    const model = project.getModel(main)!;
    const calls = model.sourceFile.statements.slice(1).map((s) => model.resolveCall((s as ts.ExpressionStatement).expression as ts.CallExpression)!);
    assert.equal(calls[0].symbol, 'jsonwebtoken.verify');
    assert.equal(calls[0].args[0]!.getText(), 'req.token');
    assert.equal(calls[0].args[1]!.getText(), 'KEY');
    assert.equal(calls[0].wrapper?.name, 'verifyToken');
    assert.equal(calls[1].symbol, 'jsonwebtoken.sign');
    assert.equal(calls[1].args[2]!.getText(), `{ expiresIn: '1h' }`);
  });

  it('injected types: a library class through a project re-export resolves; a plain project class is known without parsing its module', () => {
    const svc = `import { Injectable } from '@nestjs/common';\nimport { Tokens, UsersService } from './deps';\n@Injectable()\nexport class AuthService {\n  constructor(private readonly jwt: Tokens, private readonly users: UsersService) {}\n  login(u: object) { this.users.find(u); return this.jwt.sign(u); }\n}`;
    const deps = `export { JwtService as Tokens } from '@nestjs/jwt';\nexport { UsersService } from './users.service';`;
    const users = `import { Injectable } from '@nestjs/common';\n@Injectable()\nexport class UsersService {\n  find(u: object) { return u; }\n}`;
    assert.deepEqual(symbols(svc, { 'src/deps.ts': deps, 'src/users.service.ts': users }), ['@nestjs/common.Injectable', '@nestjs/jwt.JwtService#sign']);
    // imported straight from the module that declares it: answered from the text, the module is not parsed
    const root = path.resolve('/virtual/injected', String(Math.random()).slice(2));
    const project = new Project(root);
    const main = path.join(root, 'src/auth.ts');
    project.setOverlay(main, `import { UsersService } from './users.service';\nexport class A {\n  constructor(private users: UsersService) {}\n  run() { return this.users.find({}); }\n}`, 1);
    project.setOverlay(path.join(root, 'src/users.service.ts'), users, 1);
    const model = project.getModel(main)!;
    const run = (model.sourceFile.statements[1] as ts.ClassDeclaration).members[1] as ts.MethodDeclaration;
    const call = (run.body!.statements[0] as ts.ReturnStatement).expression as ts.CallExpression;
    assert.equal(model.resolveCall(call), undefined);
    assert.equal(project.hasModel(path.join(root, 'src/users.service.ts')), false);
    // a module that also re-exports wholesale, or mentions the name again, is resolved the usual way
    project.setOverlay(path.join(root, 'src/users.service.ts'), `export * from '@nestjs/jwt';\n${users}`, 2);
    assert.equal(model.resolveCall(call), undefined);
    assert.equal(project.hasModel(path.join(root, 'src/users.service.ts')), true);
  });
});

describe('engine: constant and options evaluation (E2, E3)', () => {
  function value(code: string, files: Record<string, string> = {}) {
    const root = path.resolve('/virtual/eval', String(Math.random()).slice(2));
    const project = new Project(root);
    const main = path.join(root, 'src/app.ts');
    project.setOverlay(main, code, 1);
    for (const [rel, text] of Object.entries(files)) project.setOverlay(path.join(root, rel), text, 1);
    const model = project.getModel(main)!;
    const last = model.sourceFile.statements[model.sourceFile.statements.length - 1] as ts.ExpressionStatement;
    return evaluate(model, last.expression);
  }
  it('consts across files', () => {
    const v = value(`import { SECRET } from './config';\nSECRET;`, { 'src/config.ts': `const base = 'abc';\nexport const SECRET = base + '-def';` });
    assert.deepEqual([v.kind, (v as { value: string }).value], ['string', 'abc-def']);
  });
  it('|| and ?? fallbacks keep every possibility', () => {
    const v = value(`const s = process.env.JWT_SECRET || 'dev';\ns;`);
    assert.deepEqual(possibilities(v).map((p) => p.kind === 'env' ? `env:${p.name}` : p.kind === 'string' ? p.value : p.kind), ['env:JWT_SECRET', 'dev']);
  });
  it('destructuring default from process.env', () => {
    const v = value(`const { API_KEY = 'fallback' } = process.env;\nAPI_KEY;`);
    assert.deepEqual(possibilities(v).map((p) => p.kind), ['env', 'string']);
  });
  it('spreads merge (later wins) and unknown spreads are flagged', () => {
    const v = value(`const base = { algorithms: ['HS256'], issuer: 'a' };\n({ ...base, issuer: 'b', ...other });`);
    assert.equal(v.kind, 'object');
    if (v.kind !== 'object') return;
    assert.ok(v.props.has('algorithms'));
    assert.equal(v.hasUnknownSpread, true);
  });
  it('arithmetic and durations', () => {
    const v = value(`60 * 60 * 24 * 365;`);
    assert.deepEqual([v.kind, (v as { value: number }).value], ['number', 31536000]);
  });
  it('a function returning a literal (one level)', () => {
    const v = value(`function opts() { return { algorithms: ['RS256'] }; }\nopts();`);
    assert.equal(v.kind, 'object');
  });
  it('Buffer.from and TextEncoder keep the literal', () => {
    const v = value(`new TextEncoder().encode(Buffer.from('k').toString() + 'x');`);
    assert.ok(v.kind === 'unknown' || v.kind === 'string');
    const w = value(`Buffer.from('secret');`);
    assert.equal(w.kind, 'string');
  });
});

describe('engine: relative module resolution agrees with path.resolve and TypeScript extension rules', () => {
  it('resolves dotted, parent, nested, index, .js → .ts and unusual specifiers as path.resolve would', () => {
    const fs = require('node:fs') as typeof import('node:fs');
    const os = require('node:os') as typeof import('node:os');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'api-warden-resolve-'));
    try {
      const files = ['src/a/b/app.ts', 'src/a/util.ts', 'src/a/b/c/index.ts', 'src/shared/token.service.ts', 'src/x.ts', 'lib.mts', 'src/a/b/plain.js'];
      for (const f of files) { fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true }); fs.writeFileSync(path.join(root, f), 'export {};\n'); }
      const project = new Project(root);
      const from = path.join(root, 'src/a/b/app.ts');
      const cases: [string, string | undefined][] = [
        ['../util', 'src/a/util.ts'], ['./c', 'src/a/b/c/index.ts'], ['./c/index', 'src/a/b/c/index.ts'], ['../../shared/token.service', 'src/shared/token.service.ts'],
        ['../../shared/token.service.js', 'src/shared/token.service.ts'], ['./../util', 'src/a/util.ts'], ['../b/../util', 'src/a/util.ts'], ['./c/../../util.ts', 'src/a/util.ts'],
        ['../../../lib.mjs', 'lib.mts'], ['../../../lib', 'lib.mts'], ['../../x', 'src/x.ts'], ['.//c', 'src/a/b/c/index.ts'], ['./plain.js', 'src/a/b/plain.js'],
        ['./plain', 'src/a/b/plain.js'], ['..', undefined], ['./missing', undefined], ['../../../../../../../../../../nowhere', undefined],
      ];
      for (const [spec, expected] of cases) assert.equal(project.resolveModule(from, spec), expected && path.join(root, expected), spec);
      // An open, unsaved document counts as a file.
      project.setOverlay(path.join(root, 'src/a/b/draft.ts'), 'export const d = 1;', 1);
      assert.equal(project.resolveModule(from, './draft'), path.join(root, 'src/a/b/draft.ts'));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
