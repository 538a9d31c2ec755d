// The primary-backup server (server.ts) as a tenrec system, written only against the documented
// interface (`tenrec/system`, docs/systems.md):
//
//   npx tenrec test --db ./examples/primary-backup/system.ts --nemesis kill
//
// Its DB runs N server processes on 127.0.0.1 and can kill, restart, pause and resume them; it
// offers no network to cut, so `--nemesis partition` is refused before the run. Its client
// speaks the server's small HTTP API and classifies every outcome as ok, fail or info.
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { LocalNodes, freePorts, type Client, type ClientOp, type Completion, type DB, type DbNode, type System } from 'tenrec/system';

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));

class PrimaryBackupDb implements DB {
  private readonly local: LocalNodes;
  private list: DbNode[] = [];

  constructor(private readonly o: { nodes: number; dir: string; token: string }) {
    this.local = new LocalNodes(o.dir, o.token);
  }

  async setup(): Promise<void> {
    const ports = await freePorts(this.o.nodes);
    const ids = ports.map((_, i) => `n${i + 1}`);
    const peers = ids.map((id, i) => `${id}=${ports[i]}`).join(',');
    this.list = ids.map((id, i) => ({ id, url: `http://127.0.0.1:${ports[i]}` }));
    ids.forEach((id, i) => {
      this.local.start(id, { command: process.execPath, args: ['--import', 'tsx', SERVER, '--id', id, '--port', String(ports[i]), '--peers', peers] });
    });
    if (!(await this.waitHealthy(20_000))) throw new Error('the primary-backup servers did not come up');
  }

  /** Every node answers and all name the same primary. */
  async waitHealthy(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const views = await Promise.all(this.list.map(async (n) => {
        const r = await get(`${n.url}/ping`, 500);
        return r.status === 200 ? (JSON.parse(r.text) as { primary?: string }).primary : undefined;
      }));
      if (views[0] !== undefined && views.every((v) => v === views[0])) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  nodes = () => this.list;
  logFiles = () => this.local.logFiles();
  startedPids = () => this.local.startedPids();
  teardown = () => this.local.stopAll();
  kill = (id: string) => this.local.kill(id);
  restart = (id: string) => this.local.restart(id);
  pause = (id: string) => this.local.pause(id);
  resume = (id: string) => this.local.resume(id);

  async leader(): Promise<string | null> {
    for (const n of this.list) {
      const r = await get(`${n.url}/ping`, 300);
      if (r.status === 200) return (JSON.parse(r.text) as { primary?: string }).primary ?? null;
    }
    return null;
  }
}

/** One request; status 0 when nothing came back (refused: `refused` is set). */
function get(url: string, timeoutMs: number, method = 'GET'): Promise<{ status: number; text: string; refused?: boolean; timedOut?: boolean }> {
  return new Promise((resolve) => {
    const r = http.request(url, { method, timeout: timeoutMs }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', () => resolve({ status: 0, text: '' }));
    });
    r.on('timeout', () => {
      r.destroy();
      resolve({ status: 0, text: '', timedOut: true });
    });
    r.on('error', (e: NodeJS.ErrnoException) => resolve({ status: 0, text: '', refused: e.code === 'ECONNREFUSED' }));
    r.end();
  });
}

function path(op: ClientOp): { method: string; path: string } {
  const key = encodeURIComponent(op.key ?? 'default');
  switch (op.f) {
    case 'read':
      return { method: 'GET', path: `/get?key=${key}` };
    case 'write':
      return { method: 'POST', path: `/put?key=${key}&value=${Number(op.value)}` };
    case 'inc':
      return { method: 'POST', path: `/inc?key=${key}` };
    case 'cas': {
      const [from, to] = op.value as [number, number];
      return { method: 'POST', path: `/cas?key=${key}&from=${from}&to=${to}` };
    }
  }
  throw new Error(`primary-backup cannot ${op.f}`);
}

function client(node: DbNode, nodes: () => DbNode[]): Client {
  return {
    async invoke(op, ctx): Promise<Completion> {
      const req = path(op);
      let r = await get(`${node.url}${req.path}`, ctx.timeoutMs, req.method);
      // A backup names the primary it follows: go there once, as a client library would.
      if (r.status === 503) {
        const primary = nodes().find((n) => n.id === (JSON.parse(r.text) as { primary?: string }).primary);
        if (primary && primary.id !== node.id) r = await get(`${primary.url}${req.path}`, ctx.timeoutMs, req.method);
      }
      // Definite failures: refused before sending, a backup saying no, a compare that missed.
      if (r.refused) return { type: 'fail', value: op.value, error: 'connection-refused' };
      if (r.status === 503) return { type: 'fail', value: op.value, error: 'not-primary' };
      if (r.status === 409) return { type: 'fail', value: op.value, error: 'compare-failed' };
      if (r.status === 200) {
        const value = (JSON.parse(r.text) as { value: number }).value;
        return { type: 'ok', value: op.f === 'cas' ? op.value : op.f === 'write' ? op.value : value };
      }
      // Anything else (a timeout, a reset, a 5xx) may have happened.
      return { type: 'info', value: op.value, error: r.timedOut ? 'timeout' : `status-${r.status}` };
    },
    close() {},
  };
}

const system: System = {
  name: 'primary-backup',
  summary: 'an example primary-backup KV server with asynchronous replication (examples/primary-backup)',
  workloads: ['counter', 'register', 'cas-register'],
  bugs: [],
  db: (o) => new PrimaryBackupDb(o),
  clients: (run) => ({ open: (node) => client(node, () => run.db.nodes()) }),
};

export default system;
