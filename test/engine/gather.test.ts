import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import ts = require('typescript');
import { Project } from '../../shared-rules/src';

describe('engine: Project.gather (workspace facts from per-file parts)', () => {
  const root = path.resolve('/virtual/gather');
  const a = path.join(root, 'src/a.ts');
  const b = path.join(root, 'src/b.ts');
  const names = (project: Project) => project.gather('test:redact', ['redact'], (m) =>
    m.sourceFile.statements.filter(ts.isVariableStatement).map((s) => s.getText()));

  it('merges parts of the files that mention a needle, in order, and recomputes only what changed', () => {
    const project = new Project(root);
    project.setOverlay(a, `const x = 'redact a';`, 1);
    project.setOverlay(b, `const y = 1; // nothing`, 1);
    let computed = 0;
    const counted = () => project.gather('test:count', ['redact'], (m) => { computed++; return [m.fileName]; });
    assert.deepEqual(names(project), [`const x = 'redact a';`]);
    assert.deepEqual(counted(), [a]);
    // Same set of mentioning files, new content: the fact follows the content (no stale answer).
    project.setOverlay(a, `const x = 'redact a2';`, 2);
    assert.deepEqual(names(project), [`const x = 'redact a2';`]);
    // A second file starts to mention the needle: its part is added; a's part is reused.
    project.setOverlay(b, `const y = 'redact b';`, 2);
    computed = 0;
    assert.deepEqual(counted().sort(), [a, b].sort());
    assert.equal(computed, 2, 'a changed since the last count, b is new');
    assert.deepEqual(counted().sort(), [a, b].sort());
    assert.equal(computed, 2, 'nothing changed: no part recomputed');
  });
});
