// Bundles the three shells into dist/ with esbuild: the extension client, the language server and the CLI.
const esbuild = require('esbuild');
const path = require('node:path');
const { version } = require('../package.json');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  define: { __API_WARDEN_VERSION__: JSON.stringify(version) },
};

async function main() {
  const root = path.join(__dirname, '..');
  await Promise.all([
    esbuild.build({ ...common, entryPoints: [path.join(root, 'client/src/extension.ts')], outfile: path.join(root, 'dist/extension.js'), external: ['vscode'] }),
    esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/server.ts')], outfile: path.join(root, 'dist/server.js'), banner: { js: '#!/usr/bin/env node' } }),
    esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/cli.ts')], outfile: path.join(root, 'dist/cli.js'), banner: { js: '#!/usr/bin/env node' } }),
  ]);
}

main().catch((e) => { console.error(e); process.exit(1); });
