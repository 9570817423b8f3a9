import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules, docsUrlFor, parseConfig } from '../../shared-rules/src';

const repo = path.resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const table = require(path.join(repo, 'scripts/rules-table.js')) as {
  rulesTable(r: typeof allRules): string; ruleSettings(r: typeof allRules): object; START: string; END: string;
};

describe('meta: every rule keeps the house promises', () => {
  it('rule ids are family/kebab-name and unique', () => {
    const ids = allRules.map((r) => r.meta.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z]+\/[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('every rule file is registered, and every registered rule has its file', () => {
    const dir = path.join(repo, 'shared-rules/src/rules');
    const files = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())
      .flatMap((d) => fs.readdirSync(path.join(dir, d.name)).filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.startsWith('_')).map((f) => `${d.name}/${f.slice(0, -3)}`));
    assert.deepEqual([...files].sort(), allRules.map((r) => r.meta.id).sort());
  });

  for (const rule of allRules) {
    const id = rule.meta.id;
    it(`${id}: docs page, test file, metadata`, () => {
      const doc = path.join(repo, 'docs/rules', `${id}.md`);
      assert.ok(fs.existsSync(doc), `missing docs/rules/${id}.md`);
      const text = fs.readFileSync(doc, 'utf8');
      assert.ok(text.startsWith(`# ${id}`), 'docs page starts with the rule id');
      for (const section of ['## Why', '## Bad', '## Good', '## Fix']) assert.ok(text.includes(section), `docs page lacks "${section}"`);
      for (const o of rule.meta.owasp) assert.ok(text.includes(o), `docs page does not mention ${o}`);
      for (const c of rule.meta.cwe) assert.ok(text.includes(`CWE-${c}`), `docs page does not mention CWE-${c}`);
      assert.ok(fs.existsSync(path.join(repo, 'test/rules', `${id}.test.ts`)), `missing test/rules/${id}.test.ts`);
      assert.equal(docsUrlFor(id).endsWith(`docs/rules/${id}.md`), true);
      assert.ok(rule.meta.owasp.length > 0, 'OWASP id');
      assert.ok(rule.meta.checklist.length > 0, 'checklist item');
      assert.equal(rule.meta.needsTypes, false, 'no rule uses the type checker yet');
    });
  }

  it('the README rules table is generated from rule metadata and up to date (npm run docs)', () => {
    const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
    const inside = readme.slice(readme.indexOf(table.START) + table.START.length, readme.indexOf(table.END)).trim();
    assert.equal(inside, table.rulesTable(allRules), 'README rules table is stale: run `npm run docs`');
  });

  it('the extension settings list every rule (npm run docs)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.configuration.properties['apiWarden.rules'].properties, table.ruleSettings(allRules), 'package.json settings are stale: run `npm run docs`');
  });

  it('the README configuration example is valid configuration', () => {
    const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(readme);
    assert.ok(example, 'README has a JSON configuration example');
    assert.deepEqual(parseConfig(JSON.parse(example[1]), allRules, '.apiwarden.json').problems, []);
  });
});
