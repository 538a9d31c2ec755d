import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WalCorruptError, WriteAheadLog } from '../../../src/systems/paxos/node/wal.ts';
import { decodeLog, encodeBatch, encodeFileHeader, encodeLog, encodeRecordJson, PREALLOCATE_BYTES } from '../../../src/systems/paxos/node/wal-format.ts';

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tenrec-wal-'));
  path = join(dir, 'wal.log');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const snap = { type: 'snapshot' as const, snapshot: { index: 4, machine: { registers: [['k4', 4]] as [string, number][], dedup: [] } }, promised: { round: 1, node: 'n1' }, accepted: [] };
const rec = (n: number) => ({ type: 'accept' as const, slot: n, ballot: { round: 1, node: 'n1' }, value: { kind: 'batch' as const, cmds: [{ command: { op: 'write' as const, key: `k${n}`, value: n } }] } });

/** Where the next batch would go: the end of the whole batches, inside the preallocated zeros. */
function dataEnd(): number {
  const d = decodeLog(readFileSync(path));
  if (!d.ok) throw new Error(d.reason);
  return d.goodBytes;
}

/** Bytes written at the end of the log's batches, as an append would (the file keeps its size). */
function writeAtEnd(bytes: Buffer): void {
  const buf = readFileSync(path);
  bytes.copy(buf, dataEnd());
  writeFileSync(path, buf);
}

async function reopen() {
  const { wal, recovery } = await WriteAheadLog.open(path);
  await wal.close();
  return recovery;
}

describe('write-ahead log', () => {
  it('round-trips records across a reopen', async () => {
    const { wal, recovery } = await WriteAheadLog.open(path);
    expect(recovery.records).toEqual([]);
    wal.append([rec(1), rec(2)]);
    wal.append([rec(3)]);
    await wal.flush();
    await wal.close();
    expect((await reopen()).records).toEqual([rec(1), rec(2), rec(3)]);
  });

  it('grows in whole preallocation steps, and appends land inside them', async () => {
    const { wal } = await WriteAheadLog.open(path);
    expect(statSync(path).size).toBe(PREALLOCATE_BYTES);
    // More than one step of records: the file grows ahead of them, a step at a time.
    for (let i = 1; i <= 1000; i++) wal.append([rec(i)]);
    await wal.close();
    expect(statSync(path).size % PREALLOCATE_BYTES).toBe(0);
    expect(statSync(path).size).toBeGreaterThan(PREALLOCATE_BYTES);
    expect((await reopen()).records).toHaveLength(1000);
  });

  it('zeroes a torn last append (its end never reached the disk) back to the last whole batch', async () => {
    const { wal } = await WriteAheadLog.open(path);
    wal.append([rec(1), rec(2)]);
    await wal.close();
    const goodSize = statSync(path).size;
    const goodEnd = dataEnd();
    // A crash in the middle of an append: the frame header and part of the payload reached the
    // disk; the rest of the frame is the preallocated zeros.
    const torn = encodeBatch(2, [encodeRecordJson(rec(3))]);
    writeAtEnd(torn.subarray(0, torn.length - 5));
    const recovery = await reopen();
    expect(recovery.records).toEqual([rec(1), rec(2)]);
    expect(recovery.truncatedBytes).toBe(torn.length - 5);
    expect(statSync(path).size).toBe(goodSize);
    expect(readFileSync(path).subarray(goodEnd).every((b) => b === 0)).toBe(true);
    // And the next append goes where the torn one was.
    const again = await WriteAheadLog.open(path);
    again.wal.append([rec(4)]);
    await again.wal.close();
    expect((await reopen()).records).toEqual([rec(1), rec(2), rec(4)]);
  });

  it('zeroes a last batch whose end the disk never filled (zeros)', async () => {
    const { wal } = await WriteAheadLog.open(path);
    wal.append([rec(1)]);
    await wal.close();
    const batch2 = encodeBatch(2, [encodeRecordJson(rec(2))]);
    batch2.fill(0, batch2.length - 10);
    writeAtEnd(batch2);
    expect((await reopen()).records).toEqual([rec(1)]);
  });

  it('refuses a log cut short (truncated), which an append cannot leave: acknowledged batches may be gone', async () => {
    const { wal } = await WriteAheadLog.open(path);
    wal.append([rec(1)]);
    await wal.flush();
    wal.append([rec(2)]);
    await wal.close();
    const whole = readFileSync(path);
    for (const cut of [1, 100, whole.length - dataEnd() + 7]) {
      const buf = whole.subarray(0, whole.length - cut);
      writeFileSync(path, buf);
      const e = await WriteAheadLog.open(path).then(() => null, (x: unknown) => x as WalCorruptError);
      expect(e, `cut ${cut}`).toBeInstanceOf(WalCorruptError);
      expect(e!.message).toContain('cut short (truncated)');
      expect(readFileSync(path)).toEqual(buf); // left as it was
    }
    // A whole step cut off leaves a batch running past the end of the file.
    const big = Buffer.concat([whole, Buffer.alloc(PREALLOCATE_BYTES)]);
    const frame = encodeBatch(3, [encodeRecordJson(rec(3))]);
    frame.copy(big, PREALLOCATE_BYTES - 10);
    const d = decodeLog(big.subarray(0, PREALLOCATE_BYTES));
    expect(d.ok).toBe(false);
  });

  it('refuses a bit flip in the last batch when all its bytes are there: it may have been acknowledged', async () => {
    const { wal } = await WriteAheadLog.open(path);
    wal.append([rec(1)]);
    await wal.flush();
    wal.append([rec(2)]);
    await wal.close();
    const buf = readFileSync(path);
    buf[dataEnd() - 3] ^= 0x01;
    writeFileSync(path, buf);
    const e = await WriteAheadLog.open(path).then(() => null, (x: unknown) => x as WalCorruptError);
    expect(e).toBeInstanceOf(WalCorruptError);
    expect(e!.batchNumber).toBe(2);
    expect(e!.message).toContain('may have been fsynced and acknowledged');
    expect(readFileSync(path)).toEqual(buf);
  });

  it('refuses a file of random bytes, one whose first batch is damaged, and an old-format log', async () => {
    let seed = 7;
    const random = Buffer.from(Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff));
    const firstDamaged = encodeLog([[rec(1)], [rec(2)]]);
    firstDamaged[16 + 14] ^= 0x40;
    const v1 = Buffer.concat([Buffer.from([10, 0, 0, 0, 1, 2, 3, 4]), Buffer.from('{"type":1}')]);
    for (const [bytes, want] of [[random, /no TENRECWL header/], [firstDamaged, /batch 1 .*checksum mismatch before intact batches/], [v1, /older than format 2/]] as const) {
      writeFileSync(path, bytes);
      await expect(WriteAheadLog.open(path)).rejects.toThrow(want);
      expect(readFileSync(path)).toEqual(bytes);
    }
  });

  it('refuses a log with a batch missing, repeated or moved (numbers out of sequence)', async () => {
    const one = encodeBatch(1, [encodeRecordJson(rec(1))]);
    const three = encodeBatch(3, [encodeRecordJson(rec(3))]);
    writeFileSync(path, Buffer.concat([encodeFileHeader(), one, three]));
    await expect(WriteAheadLog.open(path)).rejects.toThrow(/batch 2 .*numbered 3 where 2 was expected/);
  });

  it('refuses to open a log with a corrupt batch in the middle, naming file, batch and offset', async () => {
    const { wal } = await WriteAheadLog.open(path);
    for (let i = 1; i <= 3; i++) {
      wal.append([rec(i)]);
      await wal.flush();
    }
    await wal.close();
    const buf = readFileSync(path);
    const second = 16 + encodeBatch(1, [encodeRecordJson(rec(1))]).length; // batch 2 starts here
    buf[second + 14] ^= 0x20;
    writeFileSync(path, buf);
    const err = await WriteAheadLog.open(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WalCorruptError);
    const e = err as WalCorruptError;
    expect(e.batchNumber).toBe(2);
    expect(e.offset).toBe(second);
    expect(e.message).toContain(path);
    expect(e.message).toContain('batch 2');
    expect(e.message).toContain(`offset ${second}`);
    // Refusing must not have touched the evidence.
    expect(readFileSync(path)).toEqual(buf);
  });

  it('refuses a log whose middle batch has a damaged length pointing past the end of the file', async () => {
    writeFileSync(path, encodeLog([[rec(1)], [rec(2)], [rec(3)]]));
    const buf = readFileSync(path);
    const second = 16 + encodeBatch(1, [encodeRecordJson(rec(1))]).length;
    buf.writeUInt32LE(0x7fffffff, second);
    writeFileSync(path, buf);
    const err = await WriteAheadLog.open(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WalCorruptError);
    expect((err as WalCorruptError).batchNumber).toBe(2);
    expect(readFileSync(path)).toEqual(buf);
  });

  it('a path that is a directory is a clear error, not a stack trace', async () => {
    mkdirSync(path);
    await expect(WriteAheadLog.open(path)).rejects.toThrow(/is not a regular file/);
  });

  it('shares one fsync among appends queued in the same turn (group commit)', async () => {
    const { wal } = await WriteAheadLog.open(path);
    const durable: number[] = [];
    wal.onDurable((seq) => durable.push(seq));
    const seqs = Array.from({ length: 50 }, (_, i) => wal.append([rec(i + 1)]));
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(wal.durable).toBe(0);
    await wal.flush();
    expect(wal.durable).toBe(50);
    expect(wal.syncCount).toBe(1);
    expect(durable).toEqual([50]);
    await wal.close();
    expect((await reopen()).records).toHaveLength(50);
  });

  it('groups appends that arrive while an fsync is in flight into the next one', async () => {
    const { wal } = await WriteAheadLog.open(path);
    wal.append([rec(0)]);
    const first = wal.flush();
    for (let i = 1; i <= 20; i++) wal.append([rec(i)]);
    await first;
    await wal.flush();
    expect(wal.durable).toBe(21);
    expect(wal.syncCount).toBeLessThanOrEqual(2);
    await wal.close();
  });

  it('an empty append returns the last queued sequence, so callers wait for earlier records', async () => {
    const { wal } = await WriteAheadLog.open(path);
    const s1 = wal.append([rec(1)]);
    expect(wal.append([])).toBe(s1);
    await wal.close();
  });

  it('a snapshot atomically replaces the log, and later appends follow it', async () => {
    const { wal } = await WriteAheadLog.open(path);
    wal.append([rec(1), rec(2)]);
    await wal.flush();
    wal.append([rec(3)]);
    wal.append([rec(4)], snap);
    wal.append([rec(5)]);
    await wal.flush();
    await wal.close();
    expect((await reopen()).records).toEqual([snap, rec(4), rec(5)]);
    expect(readdirSync(dir)).toEqual(['wal.log']);
  });

  it('ignores a leftover temporary file from a snapshot that never reached its rename', async () => {
    const { wal } = await WriteAheadLog.open(path);
    wal.append([rec(1)]);
    await wal.close();
    writeFileSync(join(dir, '.wal.log.tmp'), encodeLog([[{ type: 'snapshot', upTo: 99 } as never]]));
    expect((await reopen()).records).toEqual([rec(1)]);
    expect(existsSync(join(dir, '.wal.log.tmp'))).toBe(false);
  });

  it('in lazy mode (bug ack-before-fsync) nothing reaches the file until the timer or close', async () => {
    const { wal } = await WriteAheadLog.open(path, { lazyFlushMs: 10_000 });
    wal.append([rec(1)]);
    await new Promise((r) => setTimeout(r, 30));
    expect(statSync(path).size).toBe(PREALLOCATE_BYTES); // the file header and zeros only
    expect(decodeLog(readFileSync(path))).toMatchObject({ ok: true, records: [], goodBytes: 16 });
    await wal.close();
    expect((await reopen()).records).toEqual([rec(1)]);
  });
});
