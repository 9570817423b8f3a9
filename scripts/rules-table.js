// Builds the README's rules table and the extension's per-rule settings from rule metadata (one source).
const path = require('node:path');

function loadRules() {
  return require(path.join(__dirname, '..', 'out', 'shared-rules', 'src')).allRules;
}

function rulesTable(rules) {
  const rows = rules.map((r) => {
    const m = r.meta;
    const fix = { fix: 'fix', suggestion: 'suggestion', both: 'fix + suggestion', none: '–' }[m.fixable];
    return `| [\`${m.id}\`](docs/rules/${m.id}.md) | ${m.title} | ${m.defaultSeverity} | ${m.owasp.join(', ')} | ${m.cwe.map((c) => `CWE-${c}`).join(', ')} | ${fix} |`;
  });
  return ['| Rule | What it catches | Default | OWASP API 2023 | CWE | Code action |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

function ruleSettings(rules) {
  const properties = {};
  for (const r of rules) {
    properties[r.meta.id] = {
      description: `${r.meta.title}. Default: ${r.meta.defaultSeverity}.`,
      anyOf: [
        { type: 'string', enum: ['error', 'warning', 'info', 'off'] },
        { type: 'object', properties: { severity: { type: 'string', enum: ['error', 'warning', 'info', 'off'] }, options: { type: 'object' } }, additionalProperties: false },
      ],
    };
  }
  return properties;
}

const START = '<!-- rules-table:start -->';
const END = '<!-- rules-table:end -->';

function replaceTable(readme, table) {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < 0) throw new Error('README.md lacks the rules-table markers');
  return readme.slice(0, a + START.length) + '\n' + table + '\n' + readme.slice(b);
}

module.exports = { loadRules, rulesTable, ruleSettings, replaceTable, START, END };

if (require.main === module) {
  const fs = require('node:fs');
  const rules = loadRules();
  const readmePath = path.join(__dirname, '..', 'README.md');
  fs.writeFileSync(readmePath, replaceTable(fs.readFileSync(readmePath, 'utf8'), rulesTable(rules)));
  const pkgPath = path.join(__dirname, '..', 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8'));
  pkg.contributes.configuration.properties['apiWarden.rules'].properties = ruleSettings(rules);
  fs.writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
  console.log(`rules table and settings updated for ${rules.length} rules`);
}
