import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import ts = require('typescript');
import { Project } from '../../shared-rules/src';

/** Cross-file caches: an edit drops only the answers of files that looked into the edited file. */
describe('engine: cross-file cache invalidation', () => {
  const root = path.resolve('/virtual/cross-file', String(Math.random()).slice(2));
  const lib = path.join(root, 'src/lib.ts');
  const user = path.join(root, 'src/user.ts');
  const other = path.join(root, 'src/other.ts');
  const callOf = (p: Project, f: string) => {
    const m = p.getModel(f)!;
    const call = m.callNodes().find((c) => ts.isIdentifier(c.expression) && c.expression.text === 'check')!;
    return m.resolveCall(call)?.symbol;
  };

  it('re-resolves a call through a wrapper when the wrapper file is edited, and keeps unrelated files cached', () => {
    const p = new Project(root);
    p.setOverlay(lib, `import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, K);`, 1);
    p.setOverlay(user, `import { check } from './lib';\ncheck(token);`, 1);
    p.setOverlay(other, `const check = (t: string) => t;\ncheck(token);`, 1);
    assert.equal(callOf(p, user), 'jsonwebtoken.verify');
    assert.equal(callOf(p, other), undefined);
    let computed = 0;
    const fact = (f: string) => p.getModel(f)!.perFile('test:fact', () => { computed++; return f; });
    fact(user); fact(other);
    assert.equal(computed, 2);

    // An edit of lib.ts: user.ts consulted it (its caches go), other.ts did not (its per-file fact stays).
    p.setOverlay(lib, `import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.decode(t);`, 2);
    assert.equal(callOf(p, user), 'jsonwebtoken.decode');
    fact(other);
    assert.equal(computed, 2);
    fact(user);
    assert.equal(computed, 3);

    // An edit of other.ts drops nothing elsewhere.
    p.setOverlay(other, `const check = (t: string) => t + 1;\ncheck(token);`, 2);
    fact(user);
    assert.equal(computed, 3);
  });

  it('follows re-export chains transitively', () => {
    const p = new Project(root);
    const mid = path.join(root, 'src/mid.ts');
    p.setOverlay(lib, `import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, K);`, 1);
    p.setOverlay(mid, `export { check } from './lib';`, 1);
    p.setOverlay(user, `import { check } from './mid';\ncheck(token);`, 1);
    assert.equal(callOf(p, user), 'jsonwebtoken.verify');
    p.setOverlay(lib, `import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.sign(t, K);`, 2);
    assert.equal(callOf(p, user), 'jsonwebtoken.sign');
  });

  it('a new file (or any structural change) drops every cache', () => {
    const p = new Project(root);
    p.setOverlay(user, `import { check } from './late';\ncheck(token);`, 1);
    assert.equal(callOf(p, user), undefined);
    p.setOverlay(path.join(root, 'src/late.ts'), `import jwt from 'jsonwebtoken';\nexport const check = (t: string) => jwt.verify(t, K);`, 1);
    assert.equal(callOf(p, user), 'jsonwebtoken.verify');
  });
});
