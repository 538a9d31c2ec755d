// `tenrec hosts up|down|check`: test hosts for `tenrec test --hosts-file` on this one machine
// (network namespaces running openssh-server), and a check that any hosts file's hosts answer.
import type { CommandModule } from 'yargs';

interface DirArgs {
  dir: string;
}

const up: CommandModule<object, DirArgs & { count: number }> = {
  command: 'up',
  describe: 'Make N test hosts here (root): network namespaces on a private bridge, each running openssh-server; writes DIR/hosts.json',
  builder: (y) =>
    y
      .option('count', { type: 'number', default: 3, describe: 'how many hosts (h1…hN)' })
      .option('dir', { type: 'string', demandOption: true, describe: 'where the keys, sshd config, logs and hosts.json go' })
      .example('$0 hosts up --count 3 --dir /tmp/hosts && $0 test --hosts-file /tmp/hosts/hosts.json', 'a test whose nodes run on three hosts reached over SSH') as never,
  handler: async (argv) => {
    const { hostsUp } = await import('../../remote/test-hosts.ts');
    const r = await hostsUp({ count: argv.count, dir: argv.dir, log: (l) => process.stderr.write(`${l}\n`) });
    process.stdout.write(`${r.hosts.map((h) => `${h.name} ${h.address}`).join('\n')}\nhosts file: ${r.file}\nremove them: npx tenrec hosts down --dir ${argv.dir}\n`);
  },
};

const down: CommandModule<object, DirArgs> = {
  command: 'down',
  describe: 'Remove the test hosts `hosts up` made in DIR: their sshd (and anything left in their sessions), namespaces and bridge',
  builder: (y) => y.option('dir', { type: 'string', demandOption: true, describe: 'the --dir given to hosts up' }) as never,
  handler: async (argv) => {
    const { hostsDown } = await import('../../remote/test-hosts.ts');
    const r = hostsDown({ dir: argv.dir });
    process.stdout.write(`removed ${r.namespaces} host${r.namespaces === 1 ? '' : 's'}, stopped ${r.processes} process${r.processes === 1 ? '' : 'es'}\n`);
  },
};

const check: CommandModule<object, { 'hosts-file': string }> = {
  command: 'check',
  describe: 'Connect to every host of a hosts file over SSH and say what each has (node, tc, root)',
  builder: (y) => y.option('hosts-file', { type: 'string', demandOption: true, describe: 'a hosts.json' }) as never,
  handler: async (argv) => {
    const [{ readHostsFile }, { SshRemote }] = await Promise.all([import('../../remote/hosts-file.ts'), import('../../remote/ssh.ts')]);
    const set = readHostsFile(argv['hosts-file']);
    let bad = 0;
    for (const t of set.targets) {
      try {
        const r = await SshRemote.connect(t);
        const out = await r.exec('echo "uid $(id -u); node $(node --version 2>/dev/null || echo missing); tc $(command -v tc >/dev/null && echo yes || echo missing)"');
        process.stdout.write(`${t.name} ${t.user}@${t.address}:${t.port}: ${out.stdout.trim()}\n`);
        await r.close();
      } catch (err) {
        bad++;
        process.stdout.write(`${t.name}: ${(err as Error).message}\n`);
      }
    }
    process.exitCode = bad ? 3 : 0;
  },
};

export const hostsCommand: CommandModule = {
  command: 'hosts <command>',
  describe: 'Test hosts reached over SSH: up (make them here, as root), down (remove them), check (reach a hosts file\'s hosts)',
  builder: (y) => y.command(up).command(down).command(check).demandCommand(1, 'Name a hosts command: up, down, check'),
  handler: () => {},
};
