// The sweep after a cluster stop: a process naming a path inside the cluster dir dies, others live.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killProcessesUnder, procState } from '../../src/cluster/processes.ts';

const until = async (f: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!f() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return f();
};

describe('killProcessesUnder', () => {
  it('kills a stray node of the cluster dir, even paused, and spares the rest', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-sweep-'));
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-sweep-other-'));
    const stray = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', path.join(dir, 'n2')], { stdio: 'ignore' });
    const bystander = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', path.join(other, 'n2')], { stdio: 'ignore' });
    try {
      await until(() => procState(stray.pid!) === 'running' && procState(bystander.pid!) === 'running', 2000);
      process.kill(stray.pid!, 'SIGSTOP');
      expect(killProcessesUnder(dir)).toBe(1);
      expect(await until(() => stray.exitCode !== null || stray.signalCode !== null, 3000)).toBe(true);
      expect(procState(bystander.pid!)).toBe('running');
    } finally {
      stray.kill('SIGKILL');
      bystander.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(other, { recursive: true, force: true });
    }
  });
});
