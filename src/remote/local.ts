// The control machine as a Remote: what runs "on a host" runs here. Tests use it to drive the
// remote code paths without SSH, and a system written against Remote runs locally unchanged.
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import type { ExecResult, Held, Remote } from './remote.ts';

export class LocalRemote implements Remote {
  constructor(
    readonly name = 'localhost',
    readonly address = '127.0.0.1',
  ) {}

  exec(command: string, options: { input?: string } = {}): Promise<ExecResult> {
    return new Promise((resolve) => {
      const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', (err) => resolve({ code: 127, stdout, stderr: err.message }));
      child.on('close', (code) => resolve({ code: code ?? 128, stdout, stderr }));
      child.stdin.on('error', () => {});
      child.stdin.end(options.input ?? '');
    });
  }

  async upload(localPath: string, remotePath: string): Promise<void> {
    copyFileSync(localPath, remotePath);
  }

  async download(remotePath: string, localPath: string): Promise<void> {
    copyFileSync(remotePath, localPath);
  }

  async hold(command: string): Promise<Held> {
    const child = spawn('/bin/sh', ['-c', command], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
    child.unref();
    child.stdin.on('error', () => {});
    const exited = new Promise<void>((r) => child.on('close', () => r()));
    return {
      close: async () => {
        child.stdin.end();
        await exited;
      },
    };
  }

  async close(): Promise<void> {}
}
