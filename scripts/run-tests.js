// Runs every compiled test file with mocha and ends with the plain line CI reads: "N passed, N failed".
const mochaModule = require('mocha');
const Mocha = mochaModule.Mocha ?? mochaModule; // mocha 12 exports { Mocha, ... }
const fs = require('node:fs');
const path = require('node:path');

function findTests(dir) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(full));
    else if (e.name.endsWith('.test.js')) out.push(full);
  }
  return out.sort();
}

const grep = process.argv.slice(2).find((a) => !a.startsWith('-'));
const mocha = new Mocha({ reporter: 'spec', timeout: 60000, grep });
const files = findTests(path.join(__dirname, '..', 'out', 'test'));
for (const f of files) mocha.addFile(f);
const runner = mocha.run((failures) => {
  const s = runner.stats;
  if (s.tests === 0) { console.log('0 passed, 1 failed'); console.error('no tests ran'); process.exitCode = 1; return; }
  console.log(`\n${s.passes} passed, ${s.failures} failed${s.pending ? `, ${s.pending} skipped` : ''}`);
  process.exitCode = failures ? 1 : 0;
});
