// Length-prefixed JSON frames on a byte stream: u32 BE length, then that many bytes of JSON.
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

export function encodeFrame(value: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

/** Reassembles frames from arbitrary chunks. Throws on an oversized frame or bad JSON. */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): unknown[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: unknown[] = [];
    if (this.buffered < 4) return out;
    let buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    let offset = 0;
    while (buf.length - offset >= 4) {
      const length = buf.readUInt32BE(offset);
      if (length > MAX_FRAME_BYTES) throw new Error(`peer frame of ${length} bytes exceeds the ${MAX_FRAME_BYTES}-byte limit`);
      if (buf.length - offset - 4 < length) break;
      out.push(JSON.parse(buf.toString('utf8', offset + 4, offset + 4 + length)));
      offset += 4 + length;
    }
    buf = buf.subarray(offset);
    this.chunks = buf.length > 0 ? [buf] : [];
    this.buffered = buf.length;
    return out;
  }
}
