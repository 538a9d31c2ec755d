// OpenSSH's known_hosts, read as `ssh` reads it: a host is trusted when a line names it (plain,
// or hashed with `HashKnownHosts`; `[host]:port` off port 22) with the very key it presents.
// Lines tenrec cannot read (markers, comments, other formats) are skipped, never trusted.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface KnownKey {
  /** The host patterns of its line, or a hashed name. */
  names: string[];
  keyType: string;
  /** The key blob, base64 as in the file. */
  key: string;
}

export function parseKnownHosts(text: string): KnownKey[] {
  const out: KnownKey[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith('@')) continue;
    const [names, keyType, key] = line.split(/\s+/);
    if (!names || !keyType || !key) continue;
    out.push({ names: names.split(','), keyType, key });
  }
  return out;
}

function hostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function nameMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return pattern === name;
}

/** Whether `keyBlob` (the raw key the server sent) is known for host:port. */
export function isKnownKey(known: readonly KnownKey[], host: string, port: number, keyBlob: Buffer): boolean {
  const name = hostName(host, port);
  const b64 = keyBlob.toString('base64');
  return known.some((k) => k.key === b64 && k.names.some((p) => nameMatches(p, name)));
}

export function readKnownHosts(files: readonly string[]): KnownKey[] {
  const out: KnownKey[] = [];
  for (const f of files) {
    try {
      out.push(...parseKnownHosts(readFileSync(f, 'utf8')));
    } catch {
      /* a missing file knows nobody */
    }
  }
  return out;
}

/** The line that makes a host known, for the refusal message. */
export function knownHostsLine(host: string, port: number, keyType: string, keyBlob: Buffer): string {
  return `${hostName(host, port)} ${keyType} ${keyBlob.toString('base64')}`;
}
