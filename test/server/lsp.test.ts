import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyLspEdits, LspClient } from '../support/lspClient';

const APP = `import jwt from 'jsonwebtoken';

export function authenticate(token: string, secret: string) {
  return jwt.verify(token, secret);
}
`;

function workspace(): { root: string; uri: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-lsp-'));
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'ws', dependencies: { jsonwebtoken: '^9.0.2' } }));
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'src', 'auth.ts'), APP);
  return { root, uri: pathToFileURL(path.join(root, 'src', 'auth.ts')).href };
}

async function start(root: string, capabilities: object, settings?: unknown): Promise<LspClient> {
  const client = new LspClient(['--stdio'], { API_WARDEN_DEBOUNCE_MS: '20' });
  if (settings !== undefined) client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  client.onRequest('client/registerCapability', () => null);
  client.onRequest('workspace/diagnostic/refresh', () => null);
  const init = await client.request('initialize', { processId: process.pid, rootUri: pathToFileURL(root).href, capabilities, workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'ws' }] });
  assert.ok(init.capabilities.codeActionProvider, 'server offers code actions');
  client.notify('initialized', {});
  return client;
}

const JWT_RULE = 'jwt/verify-without-algorithms';

describe('language server over stdio (real JSON-RPC conversation)', function () {
  this.timeout(60000);

  it('push: didOpen → diagnostics → codeAction → apply edit → didChange → diagnostics clear', async () => {
    const { root, uri } = workspace();
    const client = await start(root, { textDocument: { publishDiagnostics: { versionSupport: true } } });
    try {
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: APP } });
      const published = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.some((d: any) => d.code === JWT_RULE));
      const diag = published.diagnostics.find((d: any) => d.code === JWT_RULE);
      assert.ok(diag, `expected ${JWT_RULE}, got ${JSON.stringify(published.diagnostics)}`);
      assert.equal(diag.source, 'api-warden');
      assert.equal(diag.range.start.line, 3);
      assert.match(diag.codeDescription.href, /docs\/rules\/jwt\/verify-without-algorithms\.md$/);
      assert.equal(published.version, 1);
      // Workspace-level findings (one per workspace) arrive on the same document, never twice.
      assert.ok(published.diagnostics.filter((d: any) => d.code === 'jwt/no-revocation-path').length <= 1);

      const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
      const titles = actions.map((a: any) => a.title);
      assert.ok(titles.some((t: string) => t.startsWith('Ignore jwt/verify-without-algorithms for this line')), titles.join('\n'));
      assert.ok(titles.some((t: string) => t.startsWith('Ignore jwt/verify-without-algorithms for this file')));
      assert.ok(titles.some((t: string) => t.startsWith('Show documentation')));
      const suggestion = actions.find((a: any) => /algorithms/.test(a.title) && a.edit);
      assert.ok(suggestion, 'a suggestion that pins algorithms');
      assert.notEqual(suggestion.isPreferred, true, 'suggestions are never preferred');

      const edits = suggestion.edit.changes[uri];
      const fixed = applyLspEdits(APP, edits);
      assert.match(fixed, /jwt\.verify\(token, secret, \{ algorithms: \['HS256'\] \}\)/);
      client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: edits.map((e: any) => ({ range: e.range, text: e.newText })) });
      const cleared = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 2);
      assert.deepEqual(cleared.diagnostics.filter((d: any) => d.code === JWT_RULE), []);
    } finally { await client.shutdown(); }
  });

  it('push: rapid edits publish only the newest version', async () => {
    const { root, uri } = workspace();
    const client = await start(root, { textDocument: { publishDiagnostics: { versionSupport: true } } });
    try {
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: APP } });
      await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.some((d: any) => d.code === JWT_RULE));
      const since = client.notifications.length;
      for (let v = 2; v <= 6; v++) {
        client.notify('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text: APP + `\n// edit ${v}\n` }] });
      }
      const last = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === 6, 15000, since);
      assert.ok(last.diagnostics.some((d: any) => d.code === JWT_RULE));
      const stale = client.notifications.slice(since).filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri && n.params.version < 6);
      assert.deepEqual(stale.map((n) => n.params.version), [], 'no diagnostics were published for superseded versions');
    } finally { await client.shutdown(); }
  });

  it('pull: textDocument/diagnostic returns the findings; ignore-next-line merges into an existing comment', async () => {
    const { root, uri } = workspace();
    const client = await start(root, { textDocument: { diagnostic: { dynamicRegistration: false } } });
    try {
      const text = APP.replace('  return jwt.verify', '  // api-warden-ignore-next-line jwt/none-algorithm -- tokens come from our gateway\n  return jwt.verify');
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
      const report = await client.request('textDocument/diagnostic', { textDocument: { uri } });
      assert.equal(report.kind, 'full');
      const diag = report.items.find((d: any) => d.code === JWT_RULE);
      assert.ok(diag, JSON.stringify(report.items));
      const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
      const ignore = actions.find((a: any) => a.title.startsWith('Ignore jwt/verify-without-algorithms for this line'));
      const merged = applyLspEdits(text, ignore.edit.changes[uri]);
      assert.match(merged, /\/\/ api-warden-ignore-next-line jwt\/none-algorithm, jwt\/verify-without-algorithms -- tokens come from our gateway\n {2}return jwt\.verify/);
      client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: merged }] });
      const after = await client.request('textDocument/diagnostic', { textDocument: { uri } });
      assert.deepEqual(after.items.filter((d: any) => d.code === JWT_RULE), [], 'the suppression silences the finding');
      // No push notifications for this document in pull mode.
      assert.equal(client.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri).length, 0);
    } finally { await client.shutdown(); }
  });

  it('settings are pulled with workspace/configuration: a rule turned off, and invalid keys reported by name', async () => {
    const { root, uri } = workspace();
    const client = await start(root, { workspace: { configuration: true }, textDocument: { publishDiagnostics: {} } },
      { enable: true, rules: { [JWT_RULE]: 'off', 'jwt/no-such-rule': 'error' } });
    try {
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: APP } });
      const warning = await client.waitFor('window/showMessage', (p) => /apiWarden\.rules\.jwt\/no-such-rule/.test(p.message));
      assert.match(warning.message, /unknown rule/);
      const published = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri);
      assert.deepEqual(published.diagnostics.filter((d: any) => d.code === JWT_RULE), []);
    } finally { await client.shutdown(); }
  });

  it('a suggestion that also edits another file (.env.example) positions that edit in that file', async () => {
    const { root } = workspace();
    fs.writeFileSync(path.join(root, '.env.example'), 'PORT=3000\nLOG_LEVEL=info\n');
    // Built at test time (no provider-format literal in the repo): 32 pseudo-random alphanumerics.
    let seed = 42;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    const key = 'sk_' + 'live_' + Array.from({ length: 32 }, () => alphabet[(seed = (seed * 1103515245 + 12345) % 2147483648) % 62]).join('');
    const file = path.join(root, 'src', 'billing.ts');
    const text = `import Stripe from 'stripe';\nexport const stripe = new Stripe('${key}');\n`;
    fs.writeFileSync(file, text);
    const uri = pathToFileURL(file).href;
    const client = await start(root, { textDocument: { publishDiagnostics: {} } });
    try {
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
      const published = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.some((d: any) => d.code === 'secrets/known-token-format'));
      const diag = published.diagnostics.find((d: any) => d.code === 'secrets/known-token-format');
      assert.ok(!JSON.stringify(published).includes(key), 'the key never leaves the server');
      const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
      const envAction = actions.find((a: any) => a.edit && Object.keys(a.edit.changes).some((u) => u.endsWith('.env.example')));
      assert.ok(envAction, JSON.stringify(actions.map((a: any) => a.title)));
      const envUri = Object.keys(envAction.edit.changes).find((u) => u.endsWith('.env.example'))!;
      const envText = applyLspEdits(fs.readFileSync(path.join(root, '.env.example'), 'utf8'), envAction.edit.changes[envUri]);
      assert.equal(envText, 'PORT=3000\nLOG_LEVEL=info\nSTRIPE_SECRET_KEY=\n');
      const fixed = applyLspEdits(text, envAction.edit.changes[uri]);
      assert.match(fixed, /new Stripe\(requireEnv\('STRIPE_SECRET_KEY'\)\)/);
      assert.ok(!fixed.includes(key));
    } finally { await client.shutdown(); }
  });

  it('workspace-level rules publish after indexing, on files that are not open (.env not ignored)', async () => {
    const { root, uri } = workspace();
    fs.writeFileSync(path.join(root, '.env'), `JWT_SECRET=${'q8Vw3nX1'.split('').reverse().join('')}Lr5Tz2Kp9Hs4Md7Fb6\n`);
    const client = await start(root, { textDocument: { publishDiagnostics: {} } });
    try {
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: APP } });
      const envUri = pathToFileURL(path.join(root, '.env')).href;
      const published = await client.waitFor('textDocument/publishDiagnostics', (p) => p.uri === envUri && p.diagnostics.length > 0);
      assert.equal(published.diagnostics[0].code, 'secrets/env-file-not-ignored');
      assert.ok(!JSON.stringify(published).includes('Lr5Tz2Kp9Hs4Md7Fb6'), 'values of .env files are never echoed');
    } finally { await client.shutdown(); }
  });
});

