// The sweep after a cluster stop kills what carries the cluster's token, even paused, and
// nothing else: not a process whose command line merely names a path inside the cluster dir
// (a `tail -f D/n1/node.log`), not another cluster's node.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { procState } from '../../src/process/processes.ts';
import { killProcessesWithToken, newToken, ownsProcess, processStartTime, TOKEN_ENV } from '../../src/process/ownership.ts';

const until = async (f: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!f() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return f();
};

const idle = (env: Record<string, string>, ...argv: string[]) =>
  spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ...argv], { stdio: 'ignore', env: { ...process.env, ...env } });

describe('killProcessesWithToken', () => {
  it('kills a stray node of the cluster, even paused, and spares a bystander naming the cluster dir', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-sweep-'));
    const token = newToken();
    const stray = idle({ [TOKEN_ENV]: token }, path.join(dir, 'n2'));
    const tail = idle({}, path.join(dir, 'n1', 'node.log'));
    const otherCluster = idle({ [TOKEN_ENV]: newToken() }, path.join(dir, 'n3'));
    try {
      await until(() => [stray, tail, otherCluster].every((c) => procState(c.pid!) === 'running'), 2000);
      expect(ownsProcess(stray.pid!, token, processStartTime(stray.pid!))).toBe(true);
      expect(ownsProcess(stray.pid!, token, '1')).toBe(false); // a reused pid: another start time
      expect(ownsProcess(tail.pid!, token)).toBe(false);
      process.kill(stray.pid!, 'SIGSTOP');
      expect(killProcessesWithToken(token)).toBe(1);
      expect(await until(() => stray.exitCode !== null || stray.signalCode !== null, 3000)).toBe(true);
      expect(procState(tail.pid!)).toBe('running');
      expect(procState(otherCluster.pid!)).toBe('running');
      // A malformed token (an empty one from a crafted file) matches nothing.
      expect(killProcessesWithToken('')).toBe(0);
    } finally {
      for (const c of [stray, tail, otherCluster]) c.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
