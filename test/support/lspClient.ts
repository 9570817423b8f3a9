import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

type Handler = (params: any) => unknown;

/**
 * A minimal JSON-RPC client speaking LSP's framing over a child process's stdio: what an editor does,
 * with no access to the server's internals.
 */
export class LspClient {
  private readonly proc: ChildProcess;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  private readonly requestHandlers = new Map<string, Handler>();
  readonly notifications: { method: string; params: any }[] = [];
  private waiters: { test: (n: { method: string; params: any }) => boolean; resolve: (n: any) => void }[] = [];
  stderr = '';

  constructor(args: string[] = ['--stdio'], env: Record<string, string> = {}) {
    const server = path.resolve(__dirname, '../../../dist/server.js');
    this.proc = spawn(process.execPath, [server, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.proc.stdout!.on('data', (d: Buffer) => this.onData(d));
    this.proc.stderr!.on('data', (d: Buffer) => { this.stderr += d.toString(); });
  }

  onRequest(method: string, handler: Handler): void { this.requestHandlers.set(method, handler); }

  request<T = any>(method: string, params: unknown, timeoutMs = 15000): Promise<T> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${method} timed out`)), timeoutMs);
      this.pending.set(id, { resolve: (v) => { clearTimeout(t); resolve(v); }, reject: (e) => { clearTimeout(t); reject(e); } });
    });
  }

  notify(method: string, params: unknown): void { this.send({ jsonrpc: '2.0', method, params }); }

  /** Resolves with the first notification (already received or future) that passes the test. */
  waitFor(method: string, test: (params: any) => boolean = () => true, timeoutMs = 15000, since = 0): Promise<any> {
    const seen = this.notifications.slice(since).find((n) => n.method === method && test(n.params));
    if (seen) return Promise.resolve(seen.params);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ${method} matching within ${timeoutMs} ms; got: ${JSON.stringify(this.notifications.map((n) => n.method))}\nstderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ test: (n) => n.method === method && test(n.params), resolve: (p) => { clearTimeout(t); resolve(p); } });
    });
  }

  async shutdown(): Promise<void> {
    try { await this.request('shutdown', null, 5000); this.notify('exit', null); } catch { /* already gone */ }
    await new Promise<void>((res) => { if (this.proc.exitCode !== null) res(); else { this.proc.once('exit', () => res()); setTimeout(() => { this.proc.kill(); res(); }, 3000); } });
  }

  private send(msg: unknown): void {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.proc.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin!.write(body);
  }

  private onData(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const len = Number(/Content-Length: (\d+)/i.exec(header)?.[1]);
      if (this.buffer.length < headerEnd + 4 + len) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + len).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + len);
      this.dispatch(JSON.parse(body));
    }
  }

  private dispatch(msg: any): void {
    if (msg.id !== undefined && msg.method === undefined) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (!p) return;
      if (msg.error) p.reject(new Error(msg.error.message)); else p.resolve(msg.result);
      return;
    }
    if (msg.id !== undefined) {
      const h = this.requestHandlers.get(msg.method);
      Promise.resolve(h ? h(msg.params) : null).then((result) => this.send({ jsonrpc: '2.0', id: msg.id, result: result ?? null }));
      return;
    }
    const n = { method: msg.method, params: msg.params };
    this.notifications.push(n);
    const ready = this.waiters.filter((w) => w.test(n));
    this.waiters = this.waiters.filter((w) => !w.test(n));
    for (const w of ready) w.resolve(n.params);
  }
}

/** Applies LSP TextEdits (line/character positions) to a text. */
export function applyLspEdits(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const offset = (p: { line: number; character: number }) => {
    let o = 0;
    for (let l = 0; l < p.line; l++) o = text.indexOf('\n', o) + 1;
    return o + p.character;
  };
  const sorted = edits.map((e) => ({ s: offset(e.range.start), e: offset(e.range.end), t: e.newText })).sort((a, b) => b.s - a.s);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}
