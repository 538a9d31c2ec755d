// On-disk framing of the write-ahead log: each record is
//   u32 LE payload length | u32 LE CRC32 of the payload | payload (JSON, UTF-8)
// The checksum lets recovery tell a torn tail (crash mid-append: harmless, dropped) from
// corruption in the middle (the disk lied: refusing to start beats silently forgetting a promise).
import { crc32 } from 'node:zlib';
import type { DurableRecord } from '../types.ts';

export const HEADER_BYTES = 8;

export function encodeRecord(record: DurableRecord): Buffer {
  const payload = Buffer.from(JSON.stringify(record), 'utf8');
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  payload.copy(frame, HEADER_BYTES);
  return frame;
}

export type DecodeResult =
  | { ok: true; records: DurableRecord[]; goodBytes: number; tornBytes: number }
  | { ok: false; recordNumber: number; offset: number; reason: string };

function allZero(buf: Buffer, from: number): boolean {
  for (let i = from; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

function parsePayload(payload: Buffer): DurableRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return 'checksum matches but the payload is not JSON';
  }
  if (typeof value !== 'object' || value === null || typeof (value as { type?: unknown }).type !== 'string') {
    return 'checksum matches but the payload is not a record object';
  }
  return value as DurableRecord;
}

/** Whether some intact record starts anywhere in buf after `from` (evidence of later data). */
function intactRecordAfter(buf: Buffer, from: number): boolean {
  for (let at = from + 1; at + HEADER_BYTES < buf.length; at++) {
    const length = buf.readUInt32LE(at);
    if (length === 0 || at + HEADER_BYTES + length > buf.length) continue;
    const payload = buf.subarray(at + HEADER_BYTES, at + HEADER_BYTES + length);
    if (crc32(payload) === buf.readUInt32LE(at + 4) && typeof parsePayload(payload) !== 'string') return true;
  }
  return false;
}

/**
 * Decode a whole log. A bad record counts as a torn tail only when no intact record follows it:
 * that is what an interrupted append (or a file extended without its data) looks like. A bad
 * record followed by an intact one is corruption in the middle, even when its damaged length
 * field points past the end of the file.
 */
export function decodeLog(buf: Buffer): DecodeResult {
  const records: DurableRecord[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const recordNumber = records.length + 1;
    const torn = (): DecodeResult => ({ ok: true, records, goodBytes: offset, tornBytes: buf.length - offset });
    if (buf.length - offset < HEADER_BYTES) return torn();
    const length = buf.readUInt32LE(offset);
    const checksum = buf.readUInt32LE(offset + 4);
    const end = offset + HEADER_BYTES + length;
    // A length running past the end is an append cut short (its header landed, not all its
    // data), unless intact records follow: then the length field itself is damaged.
    if (end > buf.length) {
      if (intactRecordAfter(buf, offset)) return { ok: false, recordNumber, offset, reason: 'record length runs past the end of the file, yet intact records follow' };
      return torn();
    }
    const payload = buf.subarray(offset + HEADER_BYTES, end);
    let problem: string | null = null;
    let record: DurableRecord | null = null;
    if (length === 0) problem = 'zero-length record';
    else if (crc32(payload) !== checksum) problem = 'checksum mismatch';
    else {
      const parsed = parsePayload(payload);
      if (typeof parsed === 'string') problem = parsed;
      else record = parsed;
    }
    if (problem !== null) {
      if (end >= buf.length || allZero(buf, offset) || !intactRecordAfter(buf, offset)) return torn();
      return { ok: false, recordNumber, offset, reason: problem };
    }
    records.push(record!);
    offset = end;
  }
  return { ok: true, records, goodBytes: offset, tornBytes: 0 };
}
