// Vitest global set-up: installs what the suite needs that npm cannot bring, so that on a fresh
// machine `npm install && npm test` is all it takes. A package that cannot be installed is
// named once here; the tests that need it then fail with the same reason.
import { CHROMIUM, ETCD, LIBFAKETIME, LIBFIU, OPENSSH_SERVER, ensureSystemPackages } from '../../src/env/system-packages.ts';

export default function setup(): void {
  const r = ensureSystemPackages([CHROMIUM, ETCD, LIBFIU, LIBFAKETIME, OPENSSH_SERVER], (line) => process.stderr.write(`${line}\n`));
  for (const m of r.missing) {
    process.stderr.write(`tenrec test set-up: ${m.pkg.pkg} is missing (${m.pkg.neededFor} will fail): ${m.why}\n`);
  }
}
