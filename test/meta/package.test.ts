import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '../../..');

/** Lists a zip's entries from its central directory (no unzip dependency). */
function zipEntries(file: string): string[] {
  const buf = fs.readFileSync(file);
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(eocd + 10);
  let off = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const nameLen = buf.readUInt16LE(off + 28);
    const extra = buf.readUInt16LE(off + 30);
    const comment = buf.readUInt16LE(off + 32);
    names.push(buf.toString('utf8', off + 46, off + 46 + nameLen));
    off += 46 + nameLen + extra + comment;
  }
  return names;
}

describe('packaging: the .vsix carries only what .vscodeignore lets through', function () {
  this.timeout(120000);
  it('vsce package → bundles, docs, README, LICENSE, manifest; no sources, maps or node_modules', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-vsix-')), 'api-warden.vsix');
    execFileSync(process.execPath, [path.join(repo, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '-o', out], { cwd: repo, stdio: 'pipe' });
    const entries = zipEntries(out).filter((e) => e.startsWith('extension/'));
    for (const must of ['extension/dist/extension.js', 'extension/dist/server.js', 'extension/package.json', 'extension/readme.md', 'extension/LICENSE.txt']) {
      assert.ok(entries.includes(must), `${must} missing from ${entries.join(', ')}`);
    }
    const unexpected = entries.filter((e) => !/^extension\/(dist\/(extension|server)\.js|docs\/.+\.md|package\.json|readme\.md|LICENSE\.txt|changelog\.md)$/.test(e));
    assert.deepEqual(unexpected, []);
    assert.ok(entries.some((e) => e === 'extension/docs/rules/jwt/verify-without-algorithms.md'));
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
    assert.equal(manifest.bin['api-warden'], 'dist/cli.js');
    assert.equal(manifest.bin['api-warden-server'], 'dist/server.js');
  });
});
