import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { allRules, analyzeFile, defaultConfig, Project } from '../../shared-rules/src';

/** A realistic file over the incremental-parse threshold, with findings spread through it. */
function bigFile(): string {
  const parts = [`import jwt from 'jsonwebtoken';\nimport { createHash } from 'node:crypto';\n`];
  for (let i = 0; i < 120; i++) {
    parts.push(`export function handler${i}(req: any, res: any) {\n  const token = String(req.headers.authorization ?? '').slice(7);\n  const claims = jwt.verify(token, process.env.JWT_SECRET!${i % 3 === 0 ? `, { algorithms: ['HS256'] }` : ''});\n  res.json({ ok: true, claims, n: ${i} });\n}\n`);
  }
  return parts.join('\n');
}

describe('engine: incremental parsing on the keystroke path', () => {
  it('updating the previous tree gives the same findings as a full parse, edit after edit', () => {
    const root = path.resolve('/virtual/incremental');
    const file = path.join(root, 'src/big.ts');
    const config = defaultConfig(allRules);
    const incremental = new Project(root);
    let text = bigFile();
    incremental.setOverlay(file, text, 1);
    analyzeFile(incremental, file, allRules, config);
    let seed = 7;
    const rand = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const snippets = [`, { algorithms: ['RS256'] }`, 'x', '\n', '', `jwt.verify(a, b);\n`, '{', '}'];
    for (let v = 2; v < 40; v++) {
      const at = rand(text.length);
      const del = rand(3);
      text = text.slice(0, at) + snippets[rand(snippets.length)] + text.slice(at + del);
      incremental.setOverlay(file, text, v);
      const a = analyzeFile(incremental, file, allRules, config);
      const full = new Project(root);
      full.setOverlay(file, text, 1);
      const b = analyzeFile(full, file, allRules, config);
      const key = (r: typeof a) => r.findings.map((f) => `${f.ruleId}@${f.start}-${f.end}:${f.message}`).sort();
      assert.deepEqual(key(a), key(b), `edit ${v} at ${at}`);
      assert.equal(incremental.getModel(file)!.sourceFile.text, text);
    }
  });
});
