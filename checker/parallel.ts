// Partitions checked in worker threads, biggest first; the first invalid one can stop the rest.
import { Worker } from 'node:worker_threads';
import type { WorkerJob } from './check-worker.ts';
import type { Part } from './partition.ts';
import type { PartitionResult } from './types.ts';

export interface PoolOptions {
  workers: number;
  model: string;
  initial: unknown;
  deadlineEpochMs?: number;
  maxBytesPerWorker?: number;
  stopOnFirstInvalid: boolean;
  partials: boolean;
}

/** Results in the order of `parts`; undefined for parts left unchecked after an invalid one. */
export async function checkInWorkers(parts: Part[], opts: PoolOptions): Promise<(PartitionResult | undefined)[]> {
  const results: (PartitionResult | undefined)[] = new Array(parts.length).fill(undefined);
  const queue = parts.map((_, i) => i).sort((a, b) => parts[b].ops.length - parts[a].ops.length);
  const count = Math.min(opts.workers, parts.length);
  const workers: Worker[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      let stopped = false;
      const stop = () => {
        stopped = true;
        resolve();
      };
      if (opts.deadlineEpochMs !== undefined) {
        // A worker stuck in one search honours the deadline itself; this is the backstop.
        timer = setTimeout(stop, Math.max(0, opts.deadlineEpochMs - Date.now()) + 2000);
      }
      const feed = (w: Worker) => {
        const index = queue.shift();
        if (index === undefined) {
          if (running === 0) stop();
          return;
        }
        running++;
        const job: WorkerJob = {
          index,
          model: opts.model,
          key: parts[index].key,
          ops: parts[index].ops,
          initial: opts.initial,
          ...(opts.deadlineEpochMs !== undefined ? { deadlineEpochMs: opts.deadlineEpochMs } : {}),
          ...(opts.maxBytesPerWorker !== undefined ? { maxBytes: opts.maxBytesPerWorker } : {}),
          partials: opts.partials,
        };
        w.postMessage(job);
      };
      for (let k = 0; k < count; k++) {
        const w = new Worker(new URL('./check-worker-boot.mjs', import.meta.url));
        workers.push(w);
        w.on('message', (msg: { index: number; result: PartitionResult }) => {
          if (stopped) return;
          running--;
          results[msg.index] = msg.result;
          if (msg.result.valid === false && opts.stopOnFirstInvalid) return stop();
          feed(w);
          if (running === 0 && queue.length === 0) stop();
        });
        w.on('error', (err) => {
          if (!stopped) reject(err);
        });
        feed(w);
      }
    });
  } finally {
    if (timer) clearTimeout(timer);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
