// On-disk format of the write-ahead log (version 2):
//
//   file header (16 bytes): "TENRECWL" | u32 LE version (2) | u32 LE CRC32 of the first 12 bytes
//   then one frame per group commit ("batch"), whole or absent:
//     u32 LE payload length | u32 LE CRC32 of (seq + payload) | u32 LE seq | payload
//   where the payload is a JSON array of records and seq counts batches 1, 2, 3 … in the file.
//
// What recovery may cut and what it must refuse. Only what was written after the last fsync can
// be torn, and a torn append looks like one: a frame cut short by the end of the file, or one
// whose bytes end in zeros the disk never filled. Everything else that does not check out (no
// header, a bad checksum on a frame whose bytes are all there, a frame out of sequence, anything
// damaged before an intact frame) could be data that was fsynced and acknowledged: the node
// refuses to start, naming the file and the offset, and leaves the file untouched.
import { crc32 } from 'node:zlib';
import type { DurableRecord } from '../types.ts';
import { decodeEntry } from '../core/wire.ts';

export const MAGIC = Buffer.from('TENRECWL', 'ascii');
export const VERSION = 2;
export const FILE_HEADER_BYTES = 16;
export const FRAME_HEADER_BYTES = 12;

export function encodeFileHeader(): Buffer {
  const h = Buffer.alloc(FILE_HEADER_BYTES);
  MAGIC.copy(h, 0);
  h.writeUInt32LE(VERSION, 8);
  h.writeUInt32LE(crc32(h.subarray(0, 12)), 12);
  return h;
}

/** A record as the frame payload holds it; done at append time, off the flush path. */
export function encodeRecordJson(record: DurableRecord): string {
  return JSON.stringify(record);
}

/** One batch: the frame for records already encoded by encodeRecordJson. */
export function encodeBatch(seq: number, recordJsons: readonly string[]): Buffer {
  const payload = Buffer.from(`[${recordJsons.join(',')}]`, 'utf8');
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(seq, 8);
  payload.copy(frame, FRAME_HEADER_BYTES);
  frame.writeUInt32LE(crc32(frame.subarray(8)), 4);
  return frame;
}

/** A whole log file: the header and one batch per list (for tests and tools). */
export function encodeLog(batches: readonly (readonly DurableRecord[])[]): Buffer {
  return Buffer.concat([encodeFileHeader(), ...batches.map((b, i) => encodeBatch(i + 1, b.map(encodeRecordJson)))]);
}

export type DecodeResult =
  | {
      ok: true;
      records: DurableRecord[];
      /** Batches read whole; the next batch written must be batches + 1. */
      batches: number;
      /** Bytes to keep (header and whole batches); the rest is a torn tail to cut. */
      goodBytes: number;
      tornBytes: number;
      /** The file is empty, or holds only a header torn while the log was being created. */
      fresh: boolean;
    }
  | { ok: false; batchNumber: number; offset: number; reason: string };

function allZero(buf: Buffer, from: number, to = buf.length): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 0) return false;
  return true;
}

/** Index just past the last non-zero byte. */
function zeroTailStart(buf: Buffer): number {
  let i = buf.length;
  while (i > 0 && buf[i - 1] === 0) i--;
  return i;
}

function frameIntact(buf: Buffer, at: number): boolean {
  if (at + FRAME_HEADER_BYTES > buf.length) return false;
  const length = buf.readUInt32LE(at);
  const end = at + FRAME_HEADER_BYTES + length;
  return length > 0 && end <= buf.length && crc32(buf.subarray(at + 8, end)) === buf.readUInt32LE(at + 4);
}

/** Whether an intact frame starts anywhere after `from`: evidence that what is at `from` was not the end. */
function intactFrameAfter(buf: Buffer, from: number): boolean {
  for (let at = from + 1; at + FRAME_HEADER_BYTES < buf.length; at++) if (frameIntact(buf, at)) return true;
  return false;
}

function parseRecords(payload: Buffer): DurableRecord[] | string {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return 'checksum matches but the payload is not JSON';
  }
  if (!Array.isArray(value) || value.length === 0) return 'checksum matches but the payload is not a list of records';
  try {
    return value.map((r) => decodeEntry(r));
  } catch (err) {
    return `checksum matches but a record in it is not a valid record: ${(err as Error).message}`;
  }
}

export function decodeLog(buf: Buffer): DecodeResult {
  const fresh = { ok: true as const, records: [], batches: 0, goodBytes: 0, tornBytes: buf.length, fresh: true };
  if (buf.length === 0) return { ...fresh, tornBytes: 0 };
  const fail = (batchNumber: number, offset: number, reason: string) => ({ ok: false as const, batchNumber, offset, reason });
  if (buf.length < FILE_HEADER_BYTES) {
    // Created, then the crash came before the header's fsync: nothing was ever appended.
    if (allZero(buf, 0) || MAGIC.subarray(0, buf.length).equals(buf.subarray(0, Math.min(buf.length, MAGIC.length)))) return fresh;
    return fail(0, 0, 'too short for a write-ahead log header, and not a torn one');
  }
  if (!buf.subarray(0, 8).equals(MAGIC)) {
    if (allZero(buf, 0)) return fresh;
    return fail(0, 0, 'no TENRECWL header: not a tenrec write-ahead log (or one written by a tenrec older than format 2)');
  }
  if (crc32(buf.subarray(0, 12)) !== buf.readUInt32LE(12)) return fail(0, 0, 'the file header is damaged');
  const version = buf.readUInt32LE(8);
  if (version !== VERSION) return fail(0, 0, `format version ${version}; this tenrec reads version ${VERSION}`);

  const records: DurableRecord[] = [];
  let offset = FILE_HEADER_BYTES;
  let batches = 0;
  const zeroTail = zeroTailStart(buf);
  while (offset < buf.length) {
    const batchNumber = batches + 1;
    const torn = (): DecodeResult => ({ ok: true, records, batches, goodBytes: offset, tornBytes: buf.length - offset, fresh: false });
    // Less than a frame header left, or nothing but zeros: an append that never reached the disk.
    if (buf.length - offset < FRAME_HEADER_BYTES || zeroTail <= offset) return torn();
    const length = buf.readUInt32LE(offset);
    const end = offset + FRAME_HEADER_BYTES + length;
    if (end > buf.length) {
      if (intactFrameAfter(buf, offset)) return fail(batchNumber, offset, 'the batch length runs past the end of the file, yet intact batches follow');
      return torn();
    }
    if (length === 0) return fail(batchNumber, offset, 'zero-length batch before the end of the data');
    const payload = buf.subarray(offset + FRAME_HEADER_BYTES, end);
    if (crc32(buf.subarray(offset + 8, end)) !== buf.readUInt32LE(offset + 4)) {
      // Torn only if it is the last thing in the file and its end never got its bytes (zeros).
      if (!intactFrameAfter(buf, offset) && zeroTail < end && allZero(buf, end)) return torn();
      const where = intactFrameAfter(buf, offset) ? 'before intact batches' : 'in a batch whose bytes are all there (so it may have been fsynced and acknowledged)';
      return fail(batchNumber, offset, `checksum mismatch ${where}`);
    }
    const seq = buf.readUInt32LE(offset + 8);
    if (seq !== batchNumber) return fail(batchNumber, offset, `batch numbered ${seq} where ${batchNumber} was expected (a batch lost, repeated or moved)`);
    const parsed = parseRecords(payload);
    if (typeof parsed === 'string') return fail(batchNumber, offset, parsed);
    records.push(...parsed);
    batches++;
    offset = end;
  }
  return { ok: true, records, batches, goodBytes: offset, tornBytes: 0, fresh: false };
}
