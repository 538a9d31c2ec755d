import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReadyPipeline, type Outputs } from '../../../src/paxos/node/ready-pipeline.ts';
import { WriteAheadLog } from '../../../src/paxos/node/wal.ts';
import type { Ready } from '../../../src/paxos/types.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tenrec-pipe-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ready = (id: string, persist: boolean): Ready => ({
  persist: persist ? [{ type: 'promise', id }] : [],
  messages: [{ to: 'n2', message: { type: 'p1b', id } }],
  replies: [{ id, result: { ok: true, value: 1 } }],
});

describe('ready pipeline', () => {
  it('holds outputs until their records are fsynced, and keeps Ready order', async () => {
    const { wal } = await WriteAheadLog.open(join(dir, 'wal.log'));
    const delivered: string[] = [];
    const seenDurable: number[] = [];
    const pipe = new ReadyPipeline(wal, (o: Outputs) => {
      delivered.push(o.replies[0]!.id);
      seenDurable.push(wal.durable);
    });
    pipe.handle(ready('a', true));
    // b wrote nothing, but its answer may rest on a's record: it must not overtake it.
    pipe.handle(ready('b', false));
    expect(delivered).toEqual([]);
    expect(pipe.pending).toBe(2);
    await wal.flush();
    expect(delivered).toEqual(['a', 'b']);
    expect(seenDurable.every((s) => s >= 1)).toBe(true);
    // Nothing pending and nothing to write: goes out at once.
    pipe.handle(ready('c', false));
    expect(delivered).toEqual(['a', 'b', 'c']);
    await wal.close();
  });

  it('with ack-before-fsync releases outputs before anything is durable', async () => {
    const { wal } = await WriteAheadLog.open(join(dir, 'wal.log'), { lazyFlushMs: 10_000 });
    const delivered: string[] = [];
    const pipe = new ReadyPipeline(wal, (o) => delivered.push(o.replies[0]!.id), true);
    pipe.handle(ready('a', true));
    expect(delivered).toEqual(['a']);
    expect(wal.durable).toBe(0);
    await wal.close();
  });
});
