// Worker-thread entry: checks the partitions it is sent, one message each.
import { parentPort } from 'node:worker_threads';
import { checkPartition } from './check-partition.ts';
import { getModel } from './models/index.ts';
import type { Operation } from './types.ts';

export interface WorkerJob {
  index: number;
  model: string;
  key: string | null;
  ops: Operation[];
  initial: unknown;
  deadlineEpochMs?: number;
  maxBytes?: number;
  partials: boolean;
}

parentPort!.on('message', (job: WorkerJob) => {
  const result = checkPartition(getModel(job.model), job.key, job.ops, job.initial, {
    ...(job.deadlineEpochMs !== undefined ? { deadlineEpochMs: job.deadlineEpochMs } : {}),
    ...(job.maxBytes !== undefined ? { maxBytes: job.maxBytes } : {}),
    ...(job.partials ? {} : { partialsUpTo: 0 }),
  })!;
  parentPort!.postMessage({ index: job.index, result });
});
