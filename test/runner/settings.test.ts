import { describe, it, expect } from 'vitest';
import { etcdSerializable, parseNemesis, rerunCommand, resolveSettings } from '../../src/runner/settings.ts';
import { countHistory, runTest } from '../../src/runner/run-test.ts';
import fs from 'node:fs';
import { tempResults } from './helpers.ts';
import { UserError } from '../../src/errors/user-error.ts';
import type { HistoryEvent } from '../../checker/types.ts';

describe('test settings', () => {
  it('fill the defaults of the CLI contract', () => {
    const s = resolveSettings({ seed: 5 });
    expect(s).toMatchObject({ workload: 'counter', nodes: 3, concurrency: 10, nemesis: ['kill', 'partition'], timeLimit: 30, name: 'counter', seed: 5 });
    expect(resolveSettings({ bug: 'local-read', seed: 1 }).name).toBe('counter-local-read');
  });

  it('reject nonsense with a UserError naming the flag', () => {
    expect(() => resolveSettings({ nodes: 0 })).toThrow(/--nodes/);
    expect(() => resolveSettings({ rate: -1 })).toThrow(UserError);
    expect(() => resolveSettings({ workload: 'x' as never })).toThrow(/--workload/);
    expect(() => resolveSettings({ bug: 'x' as never })).toThrow(/--bug/);
    expect(() => resolveSettings({ name: '../etc' })).toThrow(/--name/);
    expect(() => parseNemesis('kill,meteor')).toThrow(/meteor/);
    expect(parseNemesis('none')).toEqual([]);
    expect(parseNemesis('all')).toEqual(['kill', 'pause', 'partition', 'power-loss']);
    expect(parseNemesis('pause, kill,pause')).toEqual(['pause', 'kill']);
  });

  it('spell a rerun command with every setting that changes the run', () => {
    const s = resolveSettings({ seed: 42, bug: 'no-dedup', nemesis: ['pause'], keys: 2, resultsDir: '/tmp/my results' });
    const cmd = rerunCommand(s);
    for (const part of ['--seed 42', '--bug no-dedup', '--nemesis pause', '--keys 2', "--results-dir '/tmp/my results'", '--workload counter']) {
      expect(cmd).toContain(part);
    }
  });
});

describe('run counts', () => {
  it('count completions, faults, reads after the first fault and final reads', () => {
    const e = (process: number | 'nemesis', type: HistoryEvent['type'], f: string, time: number, value: unknown = null): HistoryEvent =>
      ({ process, type, f, key: 'k0', value, time });
    const h: HistoryEvent[] = [
      e(0, 'invoke', 'read', 1), e(0, 'ok', 'read', 2, 0),
      e('nemesis', 'info', 'start-kill', 3), e('nemesis', 'info', 'stop-kill', 4),
      e(0, 'invoke', 'inc', 5, 1), e(0, 'info', 'inc', 6, 1),
      e(10, 'invoke', 'read', 7), e(10, 'ok', 'read', 8, 1),
      e(1, 'invoke', 'read', 9), e(1, 'fail', 'read', 10),
      // final reads start at index 10
      e(1, 'invoke', 'read', 11), e(1, 'ok', 'read', 12, 1),
    ];
    const c = countHistory(h, 10, 1);
    expect(c).toMatchObject({ ops: 5, ok: 2 + 1, fail: 1, info: 1, faults: { kill: 1 }, okReadsAfterFaults: 2, finalReadsOk: 1, finalReadsPlanned: 1 });
  });
});

describe('a bug brings what catches it', () => {
  it('--bug without --nemesis takes the faults and load that catch it best; what the user set wins', () => {
    expect(resolveSettings({ bug: 'local-read' })).toMatchObject({ nemesis: ['partition'], concurrency: 30, rate: 1000 });
    expect(resolveSettings({ bug: 'ack-before-fsync' })).toMatchObject({ nemesis: ['power-loss'] });
    expect(resolveSettings({ bug: 'local-read', nemesis: ['kill'], rate: 50 })).toMatchObject({ nemesis: ['kill'], concurrency: 30, rate: 50 });
    expect(resolveSettings({})).toMatchObject({ nemesis: ['kill', 'partition'], concurrency: 10, rate: 200 });
    // A bug may bring a shorter op timeout too; one the user gave wins.
    expect(resolveSettings({ bug: 'lease-wall-clock' })).toMatchObject({ nemesis: ['clock'], nemesisInterval: 1.5, opTimeoutMs: 200 });
    expect(resolveSettings({ bug: 'lease-wall-clock', opTimeoutMs: 1000 }).opTimeoutMs).toBe(1000);
  });

  it('--failpoints aims the failpoint nemesis; promise-not-persisted brings promise-sent', async () => {
    const s = resolveSettings({ bug: 'promise-not-persisted', seed: 1 });
    expect(s).toMatchObject({ nemesis: ['failpoint'], failpoints: ['promise-sent'], nemesisInterval: 1.5, concurrency: 10, rate: 200 });
    expect(rerunCommand(s)).toContain('--nemesis failpoint --nemesis-interval 1.5 --failpoints promise-sent');
    expect(resolveSettings({ seed: 1 }).failpoints).toEqual([]);
    expect(rerunCommand(resolveSettings({ seed: 1 }))).not.toContain('--failpoints');
    expect(() => resolveSettings({ failpoints: ['promise-sent'] })).toThrow('--failpoints aims --nemesis failpoint, which this run does not have: add failpoint to --nemesis');
    expect(() => resolveSettings({ nemesis: ['failpoint'], failpoints: ['../x'] })).toThrow(/--failpoints must name failpoints/);
    // A name the system does not have is refused once the system is known, before anything starts.
    const resultsDir = tempResults();
    try {
      await expect(runTest({ nemesis: ['failpoint'], failpoints: ['promise-sent', 'nowhere'], timeLimit: 5, resultsDir, progress: false })).rejects.toThrow(
        '--failpoints nowhere: --db paxos has no such failpoint (it has promise-sent, leader-elected, reply-sent, snapshot-written, before-apply)',
      );
    } finally {
      fs.rmSync(resultsDir, { recursive: true, force: true });
    }
  });

  it('--db-option turns on a switch the system declares, and names the choices otherwise', () => {
    const s = resolveSettings({ dbOptions: ['leases', 'leases'], seed: 1 });
    expect(s.dbOptions).toEqual(['leases']);
    expect(rerunCommand(s)).toContain('--db-option leases');
    expect(resolveSettings({ seed: 1 }).dbOptions).toEqual([]);
    expect(() => resolveSettings({ dbOptions: ['turbo'] })).toThrow('unknown --db-option "turbo" for --db paxos (choose from leases)');
    expect(() => resolveSettings({ db: 'etcd', dbOptions: ['leases'] })).toThrow('--db etcd has no --db-option switches');
  });

  it('--etcd-serializable-reads is --db etcd --bug serializable-reads, and refuses any other --db or --bug, paxos too', () => {
    expect(etcdSerializable({ 'etcd-serializable-reads': true })).toEqual({ db: 'etcd', bug: 'serializable-reads' });
    expect(etcdSerializable({ 'etcd-serializable-reads': true, db: 'etcd' })).toEqual({ db: 'etcd', bug: 'serializable-reads' });
    expect(() => etcdSerializable({ 'etcd-serializable-reads': true, db: 'paxos' })).toThrow(UserError);
    expect(() => etcdSerializable({ 'etcd-serializable-reads': true, bug: 'local-read' })).toThrow(/drop the other --db or --bug/);
    expect(etcdSerializable({})).toEqual({ db: 'paxos', bug: null });
  });
});
