// The write-ahead log of one node: an append-only file of checksummed, numbered batches (one per
// group commit, see wal-format.ts), atomic replacement by a snapshot, and recovery on start that
// cuts a torn tail and refuses anything that could be acknowledged data gone bad.
//
// Group commit: append() only queues bytes and returns a sequence number; one flush writes
// everything queued so far and fsyncs once, then reports the highest sequence number now
// durable. Appends arriving while an fsync is in flight ride on the next one, so throughput
// grows with load instead of being capped at one fsync per request.
import { closeSync, existsSync, fsyncSync, lstatSync, openSync, readFileSync, ftruncateSync, unlinkSync, writeSync, writevSync } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { DurableRecord } from '../types.ts';
import { decodeLog, encodeBatch, encodeFileHeader, encodeRecordJson, padded, preallocatedSize, FILE_HEADER_BYTES } from './wal-format.ts';

/**
 * The log cannot be trusted: something that may have been fsynced and acknowledged is damaged,
 * or the file is not a log at all. The node must not start.
 */
export class WalCorruptError extends Error {
  constructor(
    readonly file: string,
    /** 1-based batch number (0: the file header). */
    readonly batchNumber: number,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      `write-ahead log ${file} is corrupt at ${batchNumber === 0 ? 'its header' : `batch ${batchNumber}`} (byte offset ${offset}): ${reason}; ` +
        'refusing to start, because continuing could forget promises or accepted values. ' +
        'The file is left as it is; docs/cluster-api.md says how to recover such a node safely.',
    );
    this.name = 'WalCorruptError';
  }
}

/** The log's path is unusable (a directory, unreadable): a clear message instead of a stack. */
export class WalOpenError extends Error {
  override name = 'WalOpenError';
}

export interface WalOptions {
  /** fsync after each group (default true). false is for throwaway runs only. */
  fsync?: boolean;
  /**
   * Bug `ack-before-fsync`: do not flush when asked; write and fsync only every this many ms.
   * Records still sitting in the user-space queue are lost on SIGKILL, like a power loss.
   */
  lazyFlushMs?: number;
  /**
   * Bug `ignore-fsync-error`: a failed fsync is handed here and otherwise forgotten, and the records
   * count as durable, as in the databases "fsyncgate" caught retrying fsync after an error.
   */
  ignoreSyncError?: (err: Error) => void;
  /**
   * Called when a snapshot's replacement file is written in full and synced, before it is renamed
   * over the log: the moment a crash leaves both files behind (failpoint `snapshot-written`).
   */
  onSnapshotWritten?: () => void;
}

export interface Recovery {
  records: DurableRecord[];
  /** Bytes of a torn last append that were zeroed again. */
  truncatedBytes: number;
  /** A compaction's replacement file, left by a crash before its rename, was removed. */
  droppedUnfinishedSnapshot?: true;
}

type Queued = { kind: 'append'; jsons: string[] } | { kind: 'snapshot'; json: string };

function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class WriteAheadLog {
  private queue: Queued[] = [];
  private appendedSeq = 0;
  private durableSeq = 0;
  private flushing: Promise<void> | null = null;
  private flushScheduled = false;
  private lazyTimer: NodeJS.Timeout | null = null;
  private failed: Error | null = null;
  private closed = false;
  /** Batches in the file so far: the next frame gets batches + 1. */
  private batches = 0;
  /** Where the next frame goes (just past the last one), and the file's size (preallocated). */
  private end = 0;
  private size = 0;
  private readonly durableListeners: ((seq: number) => void)[] = [];
  private readonly errorListeners: ((err: Error) => void)[] = [];
  /** Number of fsyncs done so far (for group-commit statistics). */
  syncCount = 0;

  private constructor(
    readonly path: string,
    private handle: FileHandle,
    private readonly options: WalOptions,
  ) {
    if (options.lazyFlushMs !== undefined) {
      this.lazyTimer = setInterval(() => this.scheduleFlush(), options.lazyFlushMs);
      this.lazyTimer.unref();
    }
  }

  /**
   * Read back the log at `path` (creating it if absent), cut off a torn tail, and open it for
   * appending. Throws WalCorruptError when a record before the last one is damaged.
   */
  static async open(path: string, options: WalOptions = {}): Promise<{ wal: WriteAheadLog; recovery: Recovery }> {
    // A leftover temporary file is a snapshot replacement that never reached its rename:
    // the old log is still the truth.
    const tmp = WriteAheadLog.tmpPath(path);
    const dropped = existsSync(tmp);
    if (dropped) unlinkSync(tmp);
    let recovery: Recovery = { records: [], truncatedBytes: 0 };
    let batches = 0;
    let needsHeader = true;
    let end = FILE_HEADER_BYTES;
    let size = 0;
    if (existsSync(path)) {
      let bytes: Buffer;
      try {
        if (!lstatSync(path).isFile()) throw new WalOpenError(`write-ahead log ${path} is not a regular file (a directory or a link?); refusing to start`);
        bytes = readFileSync(path);
      } catch (err) {
        if (err instanceof WalOpenError) throw err;
        throw new WalOpenError(`write-ahead log ${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const decoded = decodeLog(bytes);
      if (!decoded.ok) throw new WalCorruptError(path, decoded.batchNumber, decoded.offset, decoded.reason);
      if (decoded.tornBytes > 0) {
        // Zeroed rather than cut: the size stays a whole number of steps.
        const fd = openSync(path, 'r+');
        try {
          writeSync(fd, Buffer.alloc(decoded.tornBytes), 0, decoded.tornBytes, decoded.goodBytes);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      }
      recovery = { records: decoded.records, truncatedBytes: decoded.tornBytes };
      batches = decoded.batches;
      needsHeader = decoded.fresh;
      if (!decoded.fresh) {
        end = decoded.goodBytes;
        size = bytes.length;
      }
    }
    const handle = await open(path, needsHeader ? 'w' : 'r+');
    if (needsHeader) {
      // Room first, then the header: a crash in between leaves zeros, which read as a fresh log.
      size = preallocatedSize(FILE_HEADER_BYTES);
      await handle.truncate(size);
      writeSync(handle.fd, encodeFileHeader(), 0, FILE_HEADER_BYTES, 0);
    }
    if (options.fsync !== false) {
      await handle.sync();
      fsyncDirectory(dirname(path));
    }
    const wal = new WriteAheadLog(path, handle, options);
    wal.batches = batches;
    wal.end = end;
    wal.size = size;
    return { wal, recovery: dropped ? { ...recovery, droppedUnfinishedSnapshot: true } : recovery };
  }

  private static tmpPath(path: string): string {
    return join(dirname(path), `.${basename(path)}.tmp`);
  }

  /**
   * Queue records; when `snapshot` is given, the log is first replaced by it. Returns the
   * sequence number that onDurable reports once these records (and all earlier ones) are on disk.
   * With nothing to write, returns the sequence of the last queued write: callers that gate
   * output on it still wait for earlier records their state may depend on.
   */
  append(records: readonly DurableRecord[], snapshot?: DurableRecord): number {
    if (this.failed) throw this.failed;
    if (this.closed) throw new Error(`write-ahead log ${this.path} is closed`);
    if (records.length === 0 && snapshot === undefined) return this.appendedSeq;
    if (snapshot !== undefined) this.queue.push({ kind: 'snapshot', json: encodeRecordJson(snapshot) });
    if (records.length > 0) this.queue.push({ kind: 'append', jsons: records.map(encodeRecordJson) });
    this.appendedSeq++;
    if (this.options.lazyFlushMs === undefined) this.scheduleFlush();
    return this.appendedSeq;
  }

  get durable(): number {
    return this.durableSeq;
  }

  get appended(): number {
    return this.appendedSeq;
  }

  onDurable(listener: (seq: number) => void): void {
    this.durableListeners.push(listener);
  }

  /** A write or fsync failed: the node can no longer keep its promises and must stop. */
  onError(listener: (err: Error) => void): void {
    this.errorListeners.push(listener);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.flushing || this.failed) return;
    this.flushScheduled = true;
    // setImmediate rather than flushing now: every Ready produced in this turn of the event
    // loop joins the same write and fsync.
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  /** Write and fsync everything queued so far. Resolves when it is durable. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.queue.length > 0 ? this.flush() : undefined));
    if (this.queue.length === 0 || this.failed) return Promise.resolve();
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        const target = this.appendedSeq;
        this.queue = [];
        await this.writeBatch(batch);
        this.syncCount++;
        this.durableSeq = target;
        for (const l of this.durableListeners) l(target);
      }
    } catch (err) {
      this.failed = err instanceof Error ? err : new Error(String(err));
      for (const l of this.errorListeners) l(this.failed);
      if (this.errorListeners.length === 0) throw this.failed;
    }
  }

  private async writeBatch(batch: Queued[]): Promise<void> {
    let lastSnapshot = -1;
    for (let i = 0; i < batch.length; i++) if (batch[i]!.kind === 'snapshot') lastSnapshot = i;
    const sync = this.options.fsync !== false;
    const jsonsOf = (items: Queued[]) => items.flatMap((q) => (q.kind === 'append' ? q.jsons : []));
    if (lastSnapshot < 0) {
      // Copying a few kilobytes into the page cache takes microseconds: doing it here rather
      // than on the thread pool saves a thread hop on every group commit. Only the fsync,
      // which waits for the device, goes to the pool. The whole group is one frame: after a
      // crash it is there whole, or it is the torn tail.
      const frame = encodeBatch(this.batches + 1, jsonsOf(batch));
      // Grown ahead of the frame, so an append never reaches past the end: then a file that
      // ends inside a frame was cut, not torn (wal-format.ts).
      const grow = this.end + frame.length > this.size;
      if (grow) {
        this.size = preallocatedSize(this.end + frame.length);
        ftruncateSync(this.handle.fd, this.size);
      }
      const written = writevSync(this.handle.fd, [frame], this.end);
      if (written !== frame.length) throw new Error(`short write to ${this.path}: ${written} of ${frame.length} bytes (disk full?)`);
      this.end += frame.length;
      this.batches++;
      // A new size is metadata: only then does the fsync need more than the data.
      if (sync) await this.synced(() => (grow ? this.handle.sync() : this.handle.datasync()));
      return;
    }
    // Replace the log atomically: the snapshot captures all durable state, so records queued
    // before it are subsumed; write the new file in full, make it durable, then rename it over.
    const snap = batch[lastSnapshot] as Extract<Queued, { kind: 'snapshot' }>;
    const after = jsonsOf(batch.slice(lastSnapshot + 1));
    const frames = [encodeFileHeader(), encodeBatch(1, [snap.json]), ...(after.length ? [encodeBatch(2, after)] : [])];
    const data = Buffer.concat(frames);
    const file = padded(data);
    const tmp = WriteAheadLog.tmpPath(this.path);
    const fresh = await open(tmp, 'w');
    try {
      await fresh.writev([file]);
      if (sync) await this.synced(() => fresh.sync());
    } finally {
      await fresh.close();
    }
    this.options.onSnapshotWritten?.();
    this.batches = frames.length - 1;
    await rename(tmp, this.path);
    if (sync) await this.synced(() => fsyncDirectory(dirname(this.path)));
    const old = this.handle;
    this.handle = await open(this.path, 'r+');
    this.end = data.length;
    this.size = file.length;
    await old.close();
  }

  private async synced(sync: () => Promise<void> | void): Promise<void> {
    try {
      await sync();
    } catch (err) {
      if (!this.options.ignoreSyncError) throw err;
      this.options.ignoreSyncError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Flush what is queued (even in lazy mode) and close the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.lazyTimer) clearInterval(this.lazyTimer);
    if (!this.failed) await this.flush();
    this.closed = true;
    await this.handle.close();
  }
}
