import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeAction, CodeActionKind, createConnection, Diagnostic, DiagnosticSeverity, DidChangeConfigurationNotification, DocumentDiagnosticReportKind,
  FileChangeType, InitializeResult, MessageType, ShowMessageNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isSourceFileName, type Finding } from '../../shared-rules/src';
import { AnalysisState } from './analysisState';
import { actionsFor, findingsForDiagnostics, FIX_ALL_KIND, fixAllAction, OPEN_DOCS_COMMAND } from './codeActions';
import { skippedDiagnostic, toDiagnostic } from './diagnostics';
import { EditorSettings, resolveSettings } from './settings';
import { VERSION } from './version';

// Wiring only: documents in, diagnostics and code actions out. Analysis lives in shared-rules.
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const DEBOUNCE_MS = Number(process.env.API_WARDEN_DEBOUNCE_MS ?? 150);

let hasConfigurationCapability = false;
let hasPullDiagnostics = false;
let workspaceRoots: string[] = [];
const states = new Map<string, AnalysisState>();
const settingsCache = new Map<string, Promise<{ enable: boolean }>>();
const timers = new Map<string, NodeJS.Timeout>();
const reportedConfigProblems = new Set<string>();
let shuttingDown = false;

const log = (msg: string) => connection.console.log(`[api-warden] ${msg}`);

connection.onInitialize((params): InitializeResult => {
  const caps = params.capabilities;
  hasConfigurationCapability = !!caps.workspace?.configuration;
  hasPullDiagnostics = !!caps.textDocument?.diagnostic;
  const folders = params.workspaceFolders?.map((f) => fileURLToPath(f.uri))
    ?? (params.rootUri ? [fileURLToPath(params.rootUri)] : params.rootPath ? [params.rootPath] : []);
  workspaceRoots = folders.sort((a, b) => b.length - a.length);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      executeCommandProvider: { commands: [OPEN_DOCS_COMMAND] },
      ...(hasPullDiagnostics ? { diagnosticProvider: { identifier: 'api-warden', interFileDependencies: true, workspaceDiagnostics: false } } : {}),
    },
    serverInfo: { name: 'api-warden', version: VERSION },
  };
});

connection.onInitialized(() => {
  if (hasConfigurationCapability) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'apiWarden' });
  log(`API Warden ${VERSION} started (${hasPullDiagnostics ? 'pull' : 'push'} diagnostics; workspace: ${workspaceRoots.join(', ') || 'none'})`);
  for (const root of workspaceRoots) void indexInBackground(root);
});

function rootFor(file: string): string {
  return workspaceRoots.find((r) => file === r || file.startsWith(r + path.sep)) ?? path.dirname(file);
}

async function stateFor(file: string): Promise<AnalysisState> {
  const root = rootFor(file);
  let state = states.get(root);
  if (!state) {
    const editor = await editorSettings(root);
    const resolved = resolveSettings(root, editor);
    reportProblems(root, resolved.problems);
    state = new AnalysisState(root, resolved.config, log);
    states.set(root, state);
  }
  return state;
}

async function editorSettings(root: string): Promise<EditorSettings | undefined> {
  if (!hasConfigurationCapability) return undefined;
  try {
    return (await connection.workspace.getConfiguration({ scopeUri: pathToFileURL(root).href, section: 'apiWarden' })) ?? undefined;
  } catch {
    return undefined;
  }
}

async function enabledFor(uri: string): Promise<boolean> {
  if (!hasConfigurationCapability) return true;
  let p = settingsCache.get(uri);
  if (!p) {
    p = connection.workspace.getConfiguration({ scopeUri: uri, section: 'apiWarden' })
      .then((s: EditorSettings | null) => ({ enable: s?.enable !== false }), () => ({ enable: true }));
    settingsCache.set(uri, p);
  }
  return (await p).enable;
}

function reportProblems(root: string, problems: { key: string; message: string }[]): void {
  for (const p of problems) {
    const msg = `API Warden configuration: ${p.key}: ${p.message}`;
    if (reportedConfigProblems.has(root + msg)) continue;
    reportedConfigProblems.add(root + msg);
    log(msg);
    void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: msg });
  }
}

async function indexInBackground(root: string): Promise<void> {
  const state = await stateFor(path.join(root, 'index.ts'));
  const n = await state.indexWorkspace(() => shuttingDown);
  log(`indexed ${n} file(s) under ${root} for workspace-level rules`);
  publishProjectFindings(state, true);
}

function toFile(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try { return fileURLToPath(uri); } catch { return undefined; }
}

/** Findings of an open document at its current version (analysed now if needed). */
async function findingsOf(doc: TextDocument): Promise<{ findings: Finding[]; skipped?: string } | undefined> {
  const file = toFile(doc.uri);
  if (!file || !isSourceFileName(file)) return undefined;
  if (!(await enabledFor(doc.uri))) return { findings: [] };
  const state = await stateFor(file);
  const result = state.analyse(file, doc.getText(), doc.version);
  return { findings: [...result.findings, ...state.projectFindingsFor(file)], skipped: result.skipped };
}

function diagnosticsOf(doc: TextDocument, r: { findings: Finding[]; skipped?: string }): Diagnostic[] {
  if (r.skipped) return [skippedDiagnostic(r.skipped)];
  return r.findings.map((f) => toDiagnostic(f, doc));
}

function schedule(doc: TextDocument): void {
  const prev = timers.get(doc.uri);
  if (prev) clearTimeout(prev);
  timers.set(doc.uri, setTimeout(() => { timers.delete(doc.uri); void validate(doc.uri); }, DEBOUNCE_MS));
}

async function validate(uri: string, scheduleProject = true): Promise<void> {
  const doc = documents.get(uri);
  if (!doc) return;
  const version = doc.version;
  const r = await findingsOf(doc); // this file's findings + the latest workspace-level ones for it
  if (!r) return;
  const file = toFile(uri)!;
  const state = await stateFor(file);
  const current = documents.get(uri);
  if (!current || current.version !== version) return; // a newer version is on its way: never publish stale results
  if (!hasPullDiagnostics) void connection.sendDiagnostics({ uri, version, diagnostics: diagnosticsOf(doc, r) });
  if (r.skipped) log(`${file}: ${r.skipped}`);
  if (scheduleProject) scheduleProjectRules(state);
}

// Workspace-level rules run off the keystroke path: after a pause in typing, from cached per-file facts.
const PROJECT_DEBOUNCE_MS = Number(process.env.API_WARDEN_PROJECT_DEBOUNCE_MS ?? 600);
const projectTimers = new Map<AnalysisState, NodeJS.Timeout>();
const lastProjectResult = new Map<AnalysisState, string>();

function scheduleProjectRules(state: AnalysisState): void {
  const prev = projectTimers.get(state);
  if (prev) clearTimeout(prev);
  projectTimers.set(state, setTimeout(() => { projectTimers.delete(state); publishProjectFindings(state); }, PROJECT_DEBOUNCE_MS));
}

function publishProjectFindings(state: AnalysisState, force = false): void {
  const byFile = state.runProjectRules();
  const signature = JSON.stringify([...byFile].map(([f, fs]) => [f, fs.map((x) => `${x.ruleId}@${x.start}:${x.end}:${x.severity}:${x.message}`)]));
  if (!force && lastProjectResult.get(state) === signature) return;
  const before = lastProjectResult.get(state);
  lastProjectResult.set(state, signature);
  if (hasPullDiagnostics) { void connection.languages.diagnostics.refresh(); return; }
  for (const doc of documents.all()) {
    const file = toFile(doc.uri);
    if (file && state.contains(file)) void validate(doc.uri, false);
  }
  // Project findings on files that are not open (e.g. a .env file) are published too, and cleared when gone.
  const previousFiles: string[] = before ? (JSON.parse(before) as [string, string[]][]).map(([f]) => f) : [];
  for (const file of new Set([...byFile.keys(), ...previousFiles])) {
    const uri = pathToFileURL(file).href;
    if (documents.get(uri)) continue;
    void connection.sendDiagnostics({ uri, diagnostics: (byFile.get(file) ?? []).map((f) => toDiagnostic(f, undefined)) });
  }
}

documents.onDidOpen((e) => schedule(e.document));
documents.onDidChangeContent((e) => schedule(e.document));
documents.onDidClose(async (e) => {
  const file = toFile(e.document.uri);
  if (file) (await stateFor(file)).close(file);
  settingsCache.delete(e.document.uri);
  if (!hasPullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

connection.languages.diagnostics.on(async (params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
  const r = await findingsOf(doc);
  return { kind: DocumentDiagnosticReportKind.Full, items: r ? diagnosticsOf(doc, r) : [] };
});

connection.onCodeAction(async (params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const r = await findingsOf(doc);
  if (!r) return [];
  const only = params.context.only;
  const actions: CodeAction[] = [];
  if (!only || only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k))) {
    const ours = params.context.diagnostics.filter((d) => d.source === 'api-warden' && d.severity !== DiagnosticSeverity.Hint);
    const state = await stateFor(toFile(doc.uri)!);
    const readText = (f: string) => documents.get(pathToFileURL(f).href)?.getText() ?? state.project.readText(f);
    for (const { finding, diagnostic } of findingsForDiagnostics(r.findings, ours, params.range, doc)) actions.push(...actionsFor(finding, doc, diagnostic, readText));
  }
  if (!only || only.some((k) => FIX_ALL_KIND.startsWith(k) || k === CodeActionKind.Source || k === CodeActionKind.SourceFixAll)) {
    const all = fixAllAction(r.findings, doc);
    if (all && (only || actions.some((a) => a.isPreferred))) actions.push(all);
  }
  return actions;
});

connection.onExecuteCommand(async (params) => {
  if (params.command === OPEN_DOCS_COMMAND && typeof params.arguments?.[0] === 'string') {
    await connection.window.showDocument({ uri: params.arguments[0], external: true });
  }
});

async function reloadConfiguration(): Promise<void> {
  settingsCache.clear();
  reportedConfigProblems.clear();
  for (const [root, state] of states) {
    const resolved = resolveSettings(root, await editorSettings(root));
    reportProblems(root, resolved.problems);
    state.setConfig(resolved.config);
  }
  if (hasPullDiagnostics) void connection.languages.diagnostics.refresh();
  else for (const doc of documents.all()) schedule(doc);
}

connection.onDidChangeConfiguration(() => { void reloadConfiguration(); });

connection.onDidChangeWatchedFiles((params) => {
  const touched = new Set<AnalysisState>();
  let configChanged = false;
  for (const change of params.changes) {
    const file = toFile(change.uri);
    if (!file) continue;
    for (const state of states.values()) {
      if (!state.contains(file)) continue;
      if (/(^|[\\/])(\.apiwarden\.json|package\.json)$/.test(file)) configChanged = true;
      state.fileChangedOnDisk(file, change.type === FileChangeType.Deleted ? 'deleted' : change.type === FileChangeType.Created ? 'created' : 'changed');
      touched.add(state);
    }
  }
  if (configChanged) void reloadConfiguration();
  for (const s of touched) {
    void s.indexWorkspace(() => shuttingDown).then(() => publishProjectFindings(s));
  }
});

connection.onShutdown(() => { shuttingDown = true; });

process.on('uncaughtException', (e) => log(`internal error (server keeps running): ${e.stack ?? e}`));

documents.listen(connection);
connection.listen();
