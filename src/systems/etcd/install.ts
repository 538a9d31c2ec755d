// Where etcd comes from: Debian's etcd-server package (3.4), which the test set-up installs when
// missing (src/env/system-packages.ts), as it does Chromium.
import { ETCD, findInstalled } from '../../env/system-packages.ts';
import { UserError } from '../../errors/user-error.ts';

export function etcdBinary(): string {
  const bin = findInstalled(ETCD);
  if (!bin) throw new UserError(`--db etcd needs etcd (${ETCD.paths.join(' or ')}): install it with \`apt-get install -y etcd-server\` (Debian's package, etcd 3.4)`);
  return bin;
}
