// The command-line faces: `tenrec cluster start/stop` as a user runs them (separate processes,
// nodes outliving the start command), and `tenrec node` refusing bad input with exit 3.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { procState, signalGroup } from '../../src/process/processes.ts';
import { encodeBatch, encodeLog, encodeRecordJson, FILE_HEADER_BYTES } from '../../src/systems/paxos/node/wal-format.ts';
import { freePorts } from '../../src/net/free-port.ts';

const BIN = join(import.meta.dirname, '../../bin/tenrec.js');
const NODE_MAIN = join(import.meta.dirname, '../../src/systems/paxos/node/main.ts');
const dirs: string[] = [];
const pids: number[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tenrec-cli-'));
  dirs.push(d);
  return d;
}

afterAll(() => {
  // Belt and braces: whatever a failed step left running dies here.
  for (const pid of pids) if (procState(pid) !== 'dead') signalGroup(pid, 'SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Processes whose command line mentions `text` (our node processes carry their data dir). */
function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text) && procState(Number(entry)) !== 'dead') found.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

describe('tenrec cluster', () => {
  it('start prints the nodes and returns while they keep serving; stop leaves no process behind', async () => {
    const dir = tempDir();
    const started = await execa(process.execPath, [BIN, 'cluster', 'start', '--nodes', '3', '--dir', dir], { timeout: 60_000 });
    const out = JSON.parse(started.stdout) as { dir: string; nodes: { id: string; pid: number; url: string }[] };
    pids.push(...out.nodes.map((n) => n.pid));
    expect(out.dir).toBe(dir);
    expect(out.nodes.map((n) => n.id)).toEqual(['n1', 'n2', 'n3']);
    // The start command has exited; its nodes still answer.
    const inc = await fetch(`${out.nodes[0]!.url}/kv/k/inc`, { method: 'POST', body: '{"delta": 5}' });
    expect(inc.status).toBe(200);
    expect(await inc.json()).toEqual({ value: 5 });

    const status = await execa(process.execPath, [BIN, 'cluster', 'status', '--json', '--dir', dir]);
    const s = JSON.parse(status.stdout) as { nodes: { process: string; status: { role: string } | null }[] };
    expect(s.nodes.map((n) => n.process)).toEqual(['running', 'running', 'running']);
    expect(s.nodes.filter((n) => n.status?.role === 'leader')).toHaveLength(1);

    await execa(process.execPath, [BIN, 'cluster', 'stop', '--dir', dir]);
    for (const n of out.nodes) expect(procState(n.pid)).toBe('dead');
    expect(processesMentioning(dir)).toEqual([]);
  });

  it('add and remove members through the log: X = X + 1 twice, add n4, remove the leader, kill another, read 2 through n4', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const cli = (...args: string[]) => execa(process.execPath, [BIN, 'cluster', ...args, '--dir', dir], { timeout: 60_000, reject: false });
    const started = await cli('start', '--nodes', '3', '--spares', '1');
    expect(started.exitCode).toBe(0);
    const out = JSON.parse(started.stdout) as { nodes: { id: string; pid?: number; url: string; spare?: boolean }[] };
    expect(out.nodes.map((n) => [n.id, n.spare ?? false])).toEqual([['n1', false], ['n2', false], ['n3', false], ['n4', true]]);
    pids.push(...out.nodes.flatMap((n) => (n.pid ? [n.pid] : [])));
    const url = (id: string) => out.nodes.find((n) => n.id === id)!.url;
    for (const want of [1, 2]) expect(await (await fetch(`${url('n1')}/kv/x/inc`, { method: 'POST', body: '{}' })).json()).toEqual({ value: want });
    // A spare is listed but not running, and cannot be removed; a member cannot be added twice.
    expect((await cli('status')).stdout).toMatch(/n4\s+-\s+spare/);
    expect((await cli('remove', 'n4')).stderr).toContain('n4 is not a member');

    const add = await cli('add', 'n4');
    expect(add.exitCode, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/^add n4: done in \d+ ms; voters n1,n2,n3,n4 \(since slot \d+\)/);
    expect((await cli('add', 'n4')).stderr).toContain('n4 is already a member');
    const status = async () => JSON.parse((await cli('status', '--json')).stdout) as { nodes: { id: string; pid: number; status: { role: string; configuration: { voters: string[] } } | null }[] };
    const before = await status();
    pids.push(...before.nodes.map((n) => n.pid));
    const leader = before.nodes.find((n) => n.status?.role === 'leader')!.id;
    expect(before.nodes.find((n) => n.id === 'n4')!.status!.configuration.voters).toEqual(['n1', 'n2', 'n3', 'n4']);

    const remove = await cli('remove', leader);
    expect(remove.exitCode, remove.stderr).toBe(0);
    expect(procState(before.nodes.find((n) => n.id === leader)!.pid)).toBe('dead');
    const another = ['n1', 'n2', 'n3'].find((id) => id !== leader)!;
    expect((await cli('kill', another)).exitCode).toBe(0);
    let value: unknown;
    for (let i = 0; i < 100 && value === undefined; i++) {
      const r = await fetch(`${url('n4')}/kv/x`).catch(() => null);
      if (r?.status === 200) value = ((await r.json()) as { value: number }).value;
      else await new Promise((res) => setTimeout(res, 100));
    }
    expect(value).toBe(2);
    await cli('stop');
    expect(processesMentioning(dir)).toEqual([]);
  });

  it('names a missing cluster without a stack trace (exit 3)', async () => {
    const dir = tempDir();
    const none = await execa(process.execPath, [BIN, 'cluster', 'kill', 'n1', '--dir', dir], { reject: false });
    expect(none.exitCode).toBe(3);
    expect(none.stderr).toContain('no cluster in');
    expect(none.stderr).not.toContain('    at ');
  });
});

describe('tenrec node', () => {
  const nodeArgs = (dir: string, ports: number[]) => [
    '--id', 'n1', '--members', 'n1,n2', '--http-port', String(ports[0]), '--peer-port', String(ports[1]),
    '--peer', `n2=127.0.0.1:${ports[2]}`, '--dir', dir,
  ];

  it('refuses to start on a WAL corrupt in the middle, naming file and record (exit 3)', async () => {
    const dir = tempDir();
    const promise = { type: 'promise', ballot: { round: 1, node: 'n2' } } as const;
    const log = encodeLog([[promise], [promise], [promise]]);
    log[FILE_HEADER_BYTES + encodeBatch(1, [encodeRecordJson(promise)]).length + 20] ^= 0xff; // inside batch 2
    writeFileSync(join(dir, 'wal.log'), log);
    const r = await execa(process.execPath, ['--import', 'tsx', NODE_MAIN, ...nodeArgs(dir, await freePorts(3))], { reject: false, timeout: 30_000 });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(join(dir, 'wal.log'));
    expect(r.stderr).toContain('corrupt at batch 2');
    expect(r.stderr).not.toContain('    at ');
  });
});
