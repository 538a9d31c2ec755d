// known_hosts as ssh reads it: plain and hashed names, [host]:port off port 22, the key itself
// compared, unreadable lines never trusted.
import { describe, expect, it } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import { isKnownKey, knownHostsLine, parseKnownHosts } from '../../src/remote/known-hosts.ts';

const key = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), randomBytes(36)]);
const other = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), randomBytes(36)]);
const b64 = key.toString('base64');

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts', () => {
  it('trusts a plain entry for its key only', () => {
    const known = parseKnownHosts(`# comment\n10.0.0.2,h2 ssh-ed25519 ${b64}\n`);
    expect(isKnownKey(known, '10.0.0.2', 22, key)).toBe(true);
    expect(isKnownKey(known, 'h2', 22, key)).toBe(true);
    expect(isKnownKey(known, '10.0.0.2', 22, other)).toBe(false);
    expect(isKnownKey(known, '10.0.0.3', 22, key)).toBe(false);
  });

  it('names a host off port 22 as [host]:port', () => {
    const known = parseKnownHosts(`[10.0.0.2]:2222 ssh-ed25519 ${b64}\n`);
    expect(isKnownKey(known, '10.0.0.2', 2222, key)).toBe(true);
    expect(isKnownKey(known, '10.0.0.2', 22, key)).toBe(false);
  });

  it('matches hashed names', () => {
    const known = parseKnownHosts(`${hashed('[h1]:2200')} ssh-ed25519 ${b64}\n${hashed('h3')} ssh-ed25519 ${b64}\n`);
    expect(isKnownKey(known, 'h1', 2200, key)).toBe(true);
    expect(isKnownKey(known, 'h3', 22, key)).toBe(true);
    expect(isKnownKey(known, 'h1', 22, key)).toBe(false);
  });

  it('skips markers and broken lines, never trusting them', () => {
    const known = parseKnownHosts(`@revoked h1 ssh-ed25519 ${b64}\nh1\nh1 ssh-ed25519\n|1|x h1 ${b64}\n`);
    expect(isKnownKey(known, 'h1', 22, key)).toBe(false);
  });

  it('writes the line that would make a host known, which then reads back as known', () => {
    const line = knownHostsLine('h1', 2222, 'ssh-ed25519', key);
    expect(line).toBe(`[h1]:2222 ssh-ed25519 ${b64}`);
    expect(isKnownKey(parseKnownHosts(line), 'h1', 2222, key)).toBe(true);
  });
});
