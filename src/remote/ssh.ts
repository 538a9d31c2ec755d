// A host reached over SSH (the ssh2 package: pure JavaScript, no ssh binary needed on the
// control machine). Authentication as users expect: an agent (SSH_AUTH_SOCK) or a key file;
// the host's key must be in known_hosts (~/.ssh/known_hosts, or the file a hosts.json names),
// and a refusal says which line would make it known.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { ExecResult, Held, Remote } from './remote.ts';
import { RemoteError } from './remote.ts';
import { isKnownKey, knownHostsLine, readKnownHosts } from './known-hosts.ts';

export interface SshTarget {
  name: string;
  /** Where to connect (and where the host's nodes listen). */
  address: string;
  port: number;
  user: string;
  /** A private key file; without one the agent, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa. */
  key?: string;
  /** known_hosts files to trust; default ~/.ssh/known_hosts. */
  knownHosts?: string[];
}

function defaultKey(): string | undefined {
  for (const f of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
    try {
      return readFileSync(join(homedir(), '.ssh', f), 'utf8');
    } catch {
      /* next */
    }
  }
  return undefined;
}

export class SshRemote implements Remote {
  private sftpSession?: Promise<ssh2.SFTPWrapper>;

  private constructor(
    private readonly client: ssh2.Client,
    private readonly target: SshTarget,
  ) {
    // A connection lost later shows up as failed commands, not as a crash of the runner.
    client.on('error', () => {});
  }

  get name(): string {
    return this.target.name;
  }

  get address(): string {
    return this.target.address;
  }

  static connect(target: SshTarget, timeoutMs = 10_000): Promise<SshRemote> {
    const known = readKnownHosts(target.knownHosts ?? [join(homedir(), '.ssh', 'known_hosts')]);
    let privateKey: string | undefined;
    if (target.key) {
      try {
        privateKey = readFileSync(target.key, 'utf8');
      } catch (err) {
        return Promise.reject(new RemoteError(`${target.name}: cannot read the SSH key ${target.key}: ${(err as Error).message}`));
      }
    }
    const agent = !privateKey ? process.env.SSH_AUTH_SOCK : undefined;
    if (!privateKey && !agent) privateKey = defaultKey();
    if (!privateKey && !agent) {
      return Promise.reject(new RemoteError(`${target.name}: no SSH key: give --ssh-key FILE, run an ssh-agent, or put a key in ~/.ssh`));
    }
    const where = `${target.user}@${target.address}:${target.port}`;
    return new Promise((resolve, reject) => {
      const client = new ssh2.Client();
      let unknownKey: string | undefined;
      client.once('ready', () => resolve(new SshRemote(client, target)));
      client.once('error', (err: Error & { level?: string }) => {
        if (unknownKey) reject(new RemoteError(`${target.name}: the host key of ${where} is not in known_hosts; if it is the right host, add this line: ${unknownKey}`));
        else if (err.level === 'client-authentication') reject(new RemoteError(`${target.name}: ${where} refused our key (${target.key ?? (agent ? 'the agent' : '~/.ssh')})`));
        else reject(new RemoteError(`${target.name}: cannot connect to ${where}: ${err.message}`));
      });
      client.connect({
        host: target.address,
        port: target.port,
        username: target.user,
        ...(privateKey ? { privateKey } : { agent }),
        readyTimeout: timeoutMs,
        keepaliveInterval: 2000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          if (isKnownKey(known, target.address, target.port, key)) return true;
          const type = key.subarray(4, 4 + key.readUInt32BE(0)).toString();
          unknownKey = knownHostsLine(target.address, target.port, type, key);
          return false;
        },
      });
    });
  }

  exec(command: string, options: { input?: string } = {}): Promise<ExecResult> {
    return new Promise((resolve) => {
      this.client.exec(command, (err, stream) => {
        if (err) return resolve({ code: 255, stdout: '', stderr: `${this.name}: ${err.message}` });
        let stdout = '';
        let stderr = '';
        stream.on('data', (d: Buffer) => (stdout += d.toString()));
        stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        stream.on('close', (code: number | null) => resolve({ code: code ?? 255, stdout, stderr }));
        stream.end(options.input ?? '');
      });
    });
  }

  private sftp(): Promise<ssh2.SFTPWrapper> {
    return (this.sftpSession ??= new Promise((resolve, reject) => {
      this.client.sftp((err, s) => (err ? reject(new RemoteError(`${this.name}: SFTP: ${err.message}`)) : resolve(s)));
    }));
  }

  async upload(localPath: string, remotePath: string): Promise<void> {
    const s = await this.sftp();
    await new Promise<void>((resolve, reject) => s.fastPut(localPath, remotePath, (err) => (err ? reject(new RemoteError(`${this.name}: upload to ${remotePath}: ${err.message}`)) : resolve())));
  }

  async download(remotePath: string, localPath: string): Promise<void> {
    const s = await this.sftp();
    await new Promise<void>((resolve, reject) => s.fastGet(remotePath, localPath, (err) => (err ? reject(new RemoteError(`${this.name}: download of ${remotePath}: ${err.message}`)) : resolve())));
  }

  hold(command: string): Promise<Held> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, stream) => {
        if (err) return reject(new RemoteError(`${this.name}: ${err.message}`));
        stream.on('data', () => {});
        stream.stderr.on('data', () => {});
        const exited = new Promise<void>((r) => stream.on('close', () => r()));
        resolve({
          close: async () => {
            stream.end();
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
            clearTimeout(timer);
          },
        });
      });
    });
  }

  async close(): Promise<void> {
    // An SFTP session left open keeps the connection (and this process) alive for seconds.
    const sftp = await this.sftpSession?.catch(() => undefined);
    sftp?.end();
    this.client.end();
  }
}
