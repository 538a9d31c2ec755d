// A hosts.json may be stale or crafted: every field is checked where it enters and a bad one is
// named with the file; --hosts and its --ssh-* flags mean one thing only.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hostSourceFromFlags, hostsFlags, readHostsFile, resolveHosts } from '../../src/remote/hosts-file.ts';
import { UserError } from '../../src/errors/user-error.ts';
import { resolveSettings, rerunCommand } from '../../src/runner/settings.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenrec-hosts-file-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(content: unknown): string {
  const p = path.join(dir, `h${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

const good = { version: 1, hosts: [{ name: 'h1', address: '10.0.0.2', port: 22, user: 'root', key: 'id_ed25519' }, { name: 'h2', address: 'db2.example', user: 'admin' }], knownHosts: 'known_hosts' };

describe('hosts files', () => {
  it('reads a good one, paths relative to the file', () => {
    const p = file(good);
    const set = readHostsFile(p);
    expect(set.targets.map((t) => [t.name, t.address, t.port, t.user])).toEqual([['h1', '10.0.0.2', 22, 'root'], ['h2', 'db2.example', 22, 'admin']]);
    expect(set.targets[0]!.key).toBe(path.join(dir, 'id_ed25519'));
    expect(set.targets[1]!.knownHosts).toEqual([path.join(dir, 'known_hosts')]);
    expect(set.dir).toBe('/tmp/tenrec');
    expect(resolveHosts({ hostsFile: p }).targets).toHaveLength(2);
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['no version', { hosts: good.hosts }, /not a tenrec hosts file/],
    ['no hosts', { version: 1, hosts: [] }, /non-empty list/],
    ['a shell word for a name', { version: 1, hosts: [{ ...good.hosts[0], name: 'h1;rm -rf /' }] }, /hosts\[0\]: name/],
    ['an address with a space', { version: 1, hosts: [{ ...good.hosts[0], address: '10.0.0.2 -oProxyCommand=x' }] }, /hosts\[0\]: address/],
    ['a port out of range', { version: 1, hosts: [{ ...good.hosts[0], port: 70000 }] }, /port must be/],
    ['a user with a quote', { version: 1, hosts: [{ ...good.hosts[0], user: "ro'ot" }] }, /user must be/],
    ['the same name twice', { version: 1, hosts: [good.hosts[0], good.hosts[0]] }, /appears twice/],
    ['a relative remote dir', { ...good, dir: 'tmp/x' }, /dir must be/],
    ['a remote dir climbing out', { ...good, dir: '/tmp/../etc' }, /dir must be/],
  ])('refuses %s, naming the file', (_what, content, why) => {
    const p = file(content);
    let err: unknown;
    try {
      readHostsFile(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(p);
    expect((err as Error).message).toMatch(why);
  });

  it('takes --hosts with --ssh-* flags, and refuses mixtures', () => {
    const src = hostSourceFromFlags({ hosts: 'a,b,c', 'ssh-user': 'ops', 'ssh-port': 2222 });
    expect(src).toEqual({ hosts: ['a', 'b', 'c'], user: 'ops', port: 2222 });
    expect(hostsFlags(src!)).toEqual(['--hosts', 'a,b,c', '--ssh-user', 'ops', '--ssh-port', '2222']);
    expect(hostSourceFromFlags({})).toBeUndefined();
    expect(() => hostSourceFromFlags({ 'ssh-user': 'ops' })).toThrow(/need --hosts/);
    expect(() => hostSourceFromFlags({ hosts: 'a', 'hosts-file': 'x' })).toThrow(/not both/);
    expect(() => hostSourceFromFlags({ hosts: 'a,a' })).toThrow(/twice/);
  });

  it('runs one node per host: --nodes follows the hosts, a different --nodes is refused, the rerun line names the hosts', () => {
    const s = resolveSettings({ hosts: { hosts: ['a', 'b', 'c', 'd', 'e'] }, seed: 1 });
    expect(s.nodes).toBe(5);
    expect(rerunCommand(s)).toContain('--hosts a,b,c,d,e');
    expect(rerunCommand(s)).not.toContain('--nodes');
    expect(() => resolveSettings({ hosts: { hosts: ['a', 'b', 'c'] }, nodes: 5, seed: 1 })).toThrow(/one node runs on each host/);
  });
});
