import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** Activation only: start the bundled server over IPC, a status bar item, and the docs command. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const output = vscode.window.createOutputChannel('API Warden', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: ['typescript', 'typescriptreact', 'javascript', 'javascriptreact'].map((language) => ({ scheme: 'file', language })),
    outputChannel: output,
    synchronize: { configurationSection: 'apiWarden', fileEvents: vscode.workspace.createFileSystemWatcher('**/{package.json,.apiwarden.json,*.ts,*.js,*.mts,*.cts,*.mjs,*.cjs,*.tsx,*.jsx}') },
  };
  client = new LanguageClient('apiWarden', 'API Warden', serverOptions, clientOptions);

  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  status.text = '$(shield) API Warden';
  status.tooltip = 'API Warden: API-security checks are running';
  status.command = 'apiWarden.showOutput';
  status.show();
  context.subscriptions.push(status, output);

  context.subscriptions.push(
    vscode.commands.registerCommand('apiWarden.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('apiWarden.showRuleDocumentation', async (urlOrRule?: string) => {
      let target = urlOrRule;
      if (!target) {
        const diag = vscode.window.activeTextEditor && vscode.languages.getDiagnostics(vscode.window.activeTextEditor.document.uri)
          .find((d) => d.source === 'api-warden' && d.range.contains(vscode.window.activeTextEditor!.selection.active));
        const code = diag?.code;
        target = typeof code === 'object' && code ? String(code.target) : undefined;
      }
      if (!target) { void vscode.window.showInformationMessage('API Warden: place the cursor on an API Warden diagnostic to open its rule documentation.'); return; }
      const uri = /^https?:/.test(target) ? vscode.Uri.parse(target) : vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${target}.md`);
      if (uri.scheme === 'file') await vscode.commands.executeCommand('markdown.showPreview', uri);
      else await vscode.env.openExternal(uri);
    }),
  );
  await client.start();
  status.tooltip = 'API Warden: running';
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
}
