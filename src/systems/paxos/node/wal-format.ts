// On-disk format of the write-ahead log (version 3):
//
//   file header (16 bytes): "TENRECWL" | u32 LE version (3) | u32 LE CRC32 of the first 12 bytes
//   then one frame per group commit ("batch"), whole or absent:
//     u32 LE payload length | u32 LE CRC32 of (seq + payload) | u32 LE seq | payload
//   where the payload is a JSON array of records and seq counts batches 1, 2, 3 … in the file;
//   then zeros up to the file's size, which is always a multiple of PREALLOCATE_BYTES: the writer
//   grows the file a step at a time, ahead of the frames, and never shrinks it.
//
// What recovery may cut and what it must refuse. Only what was written after the last fsync can
// be torn, and since appends land inside the preallocated space, a torn append is a frame whose
// bytes end in zeros the disk never filled. Everything else that does not check out (no header, a
// bad checksum on a frame whose bytes are all there, a frame out of sequence, anything damaged
// before an intact frame) could be data that was fsynced and acknowledged: the node refuses to
// start, naming the file and the offset, and leaves the file untouched. That includes a file cut
// short (Jepsen's truncate fault, a filesystem losing an extent): its size is no longer a multiple
// of the step, or a frame runs past its end, which an append never does. (Version 2 grew with each
// append, so a cut at the end looked like a torn append and was taken for one.)
import { crc32 } from 'node:zlib';
import type { DurableRecord } from '../types.ts';
import { decodeEntry } from '../core/wire.ts';

export const MAGIC = Buffer.from('TENRECWL', 'ascii');
export const VERSION = 3;
/** The file grows in steps of this many bytes; its size is always a multiple of it. */
export const PREALLOCATE_BYTES = 64 * 1024;

/** The file size that holds `bytes` of header and frames. */
export function preallocatedSize(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / PREALLOCATE_BYTES)) * PREALLOCATE_BYTES;
}
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

/** A whole log file: the header, one batch per list and the zeros after them (for tests and tools). */
export function encodeLog(batches: readonly (readonly DurableRecord[])[]): Buffer {
  return padded(Buffer.concat([encodeFileHeader(), ...batches.map((b, i) => encodeBatch(i + 1, b.map(encodeRecordJson)))]));
}

/** Header and frames followed by zeros up to the preallocated size. */
export function padded(data: Buffer): Buffer {
  return Buffer.concat([data, Buffer.alloc(preallocatedSize(data.length) - data.length)]);
}

export type DecodeResult =
  | {
      ok: true;
      records: DurableRecord[];
      /** Batches read whole; the next batch written must be batches + 1. */
      batches: number;
      /** Bytes of header and whole batches: the next batch goes here. */
      goodBytes: number;
      /** Bytes of a torn append after them, to be zeroed again (the zeros beyond are not counted). */
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
    const torn = (): Extract<DecodeResult, { ok: true }> => ({ ok: true, records, batches, goodBytes: offset, tornBytes: Math.max(0, zeroTail - offset), fresh: false });
    // Nothing but zeros from here: the end of the log (or an append that never reached the disk).
    if (zeroTail <= offset) return sizeChecked(buf, torn());
    if (buf.length - offset < FRAME_HEADER_BYTES) return fail(batchNumber, offset, 'the file ends inside a batch header: it was cut short (truncated)');
    const length = buf.readUInt32LE(offset);
    const end = offset + FRAME_HEADER_BYTES + length;
    if (end > buf.length) {
      if (intactFrameAfter(buf, offset)) return fail(batchNumber, offset, 'the batch length runs past the end of the file, yet intact batches follow');
      return fail(batchNumber, offset, 'the batch runs past the end of the file, which an append never does: the file was cut short (truncated)');
    }
    if (length === 0) return fail(batchNumber, offset, 'zero-length batch before the end of the data');
    const payload = buf.subarray(offset + FRAME_HEADER_BYTES, end);
    if (crc32(buf.subarray(offset + 8, end)) !== buf.readUInt32LE(offset + 4)) {
      // Torn only if it is the last thing in the file and its end never got its bytes (zeros).
      if (!intactFrameAfter(buf, offset) && zeroTail < end && allZero(buf, end)) return sizeChecked(buf, torn());
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
  return sizeChecked(buf, { ok: true, records, batches, goodBytes: offset, tornBytes: 0, fresh: false });
}

/** A log whose size is not a whole number of preallocation steps was cut short. */
function sizeChecked(buf: Buffer, r: Extract<DecodeResult, { ok: true }>): DecodeResult {
  if (buf.length % PREALLOCATE_BYTES === 0) return r;
  return {
    ok: false,
    batchNumber: r.batches + 1,
    offset: buf.length,
    reason: `the file is ${buf.length} bytes, not a multiple of the ${PREALLOCATE_BYTES}-byte steps it grows by: it was cut short (truncated), and what was cut may have been acknowledged`,
  };
}
