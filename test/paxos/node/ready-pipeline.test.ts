import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReadyPipeline, type Outputs } from '../../../src/systems/paxos/driver/ready-pipeline.ts';
import { WriteAheadLog } from '../../../src/systems/paxos/node/wal.ts';
import type { PeerMessage, Ready } from '../../../src/systems/paxos/types.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tenrec-pipe-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

let seq = 0;
const msg = (id: string): { to: string; message: PeerMessage } => ({ to: 'n2', message: { type: 'forward-reply', id, result: { ok: true, value: 0 } } });
const ready = (id: string, persist: boolean, extra: Partial<Ready> = {}): Ready => ({
  seq: ++seq,
  persist: persist ? [{ type: 'promise', ballot: { round: 1, node: id } }] : [],
  messages: [msg(id)],
  replies: [],
  unsynced: [],
  ...extra,
});

/** What left the node, in order: message ids, and reply ids marked "reply:". */
function recorder(wal: WriteAheadLog) {
  const sent: string[] = [];
  const deliver = (o: Outputs) => {
    const when = wal.durable >= 1 ? 'after fsync' : 'before fsync';
    for (const m of o.messages) sent.push(`${(m.message as unknown as { id: string }).id} ${when}`);
    for (const r of o.replies) sent.push(`reply:${r.id} ${when}`);
  };
  return { sent, deliver };
}

describe('ready pipeline', () => {
  it('holds messages until their records are fsynced, and keeps Ready order', async () => {
    const { wal } = await WriteAheadLog.open(join(dir, 'wal.log'));
    const { sent, deliver } = recorder(wal);
    const durable: number[] = [];
    const pipe = new ReadyPipeline(wal, { deliver }, false, (through) => durable.push(through));
    const a = ready('a', true);
    pipe.handle(a);
    // b wrote nothing, but its message may rest on a's record: it must not overtake it.
    pipe.handle(ready('b', false));
    expect(sent).toEqual([]);
    expect(pipe.pending).toBe(2);
    await wal.flush();
    expect(sent).toEqual(['a after fsync', 'b after fsync']);
    // The core hears that a (the last Ready that wrote) is durable.
    expect(durable).toEqual([a.seq]);
    // Nothing pending and nothing to write: goes out at once.
    pipe.handle(ready('c', false));
    expect(sent.at(-1)).toBe('c after fsync');
    await wal.close();
  });

  it('sends replies and unsynced messages at once, ahead of outputs waiting for an fsync', async () => {
    const { wal } = await WriteAheadLog.open(join(dir, 'wal.log'));
    const { sent, deliver } = recorder(wal);
    const pipe = new ReadyPipeline(wal, { deliver });
    pipe.handle(ready('a', true));
    pipe.handle(ready('b', true, { messages: [], unsynced: [msg('ack')], replies: [{ id: 'r1', result: { ok: true, value: 1 } }] }));
    expect(sent).toEqual(['ack before fsync', 'reply:r1 before fsync']);
    await wal.flush();
    expect(sent).toEqual(['ack before fsync', 'reply:r1 before fsync', 'a after fsync']);
    await wal.close();
  });

  it('with ack-before-fsync releases outputs, and reports them durable, before anything is durable', async () => {
    const { wal } = await WriteAheadLog.open(join(dir, 'wal.log'), { lazyFlushMs: 10_000 });
    const { sent, deliver } = recorder(wal);
    const durable: number[] = [];
    const pipe = new ReadyPipeline(wal, { deliver }, true, (through) => durable.push(through));
    const a = ready('a', true);
    pipe.handle(a);
    expect(sent).toEqual(['a before fsync']);
    await Promise.resolve();
    expect(durable).toEqual([a.seq]);
    expect(wal.durable).toBe(0);
    await wal.close();
  });
});
