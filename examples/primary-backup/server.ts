// A small primary-backup key-value server, written the way many real ones start: the primary
// applies every write at once, answers the client, and ships the change to the backups a little
// later (asynchronous replication). The lowest-numbered node that answers is the primary; when
// it dies, the next one takes over with whatever it had received. That is the flaw tenrec finds:
// writes the old primary acknowledged but had not yet shipped are gone.
//
//   node --import tsx server.ts --id n2 --port 4102 --peers n1=4101,n2=4102,n3=4103
//
// API (integers only): GET /get?key=K, POST /put?key=K&value=V, POST /inc?key=K,
// POST /cas?key=K&from=A&to=B (409 when the value is not A); 503 `not-primary` on a backup.
import http from 'node:http';

const arg = (name: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) throw new Error(`missing --${name}`);
  return v;
};
const me = arg('id');
const port = Number(arg('port'));
const peers = arg('peers')
  .split(',')
  .map((p) => p.split('='))
  .map(([id, p]) => ({ id: id!, port: Number(p) }))
  .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));

const data = new Map<string, number>();
/** Changes not yet shipped to the backups. */
let unshipped: [string, number][] = [];
let primary: string | undefined;

function call(p: number, method: string, path: string, body?: string, timeoutMs = 300): Promise<{ status: number; text: string } | undefined> {
  return new Promise((resolve) => {
    const r = http.request({ host: '127.0.0.1', port: p, method, path, timeout: timeoutMs }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', () => resolve(undefined));
    });
    r.on('timeout', () => r.destroy());
    r.on('error', () => resolve(undefined));
    r.end(body);
  });
}

// Who is primary: the first node, in id order, that answers. Checked every 150 ms; a node
// takes over only after the nodes before it missed two checks in a row, so a peer that is
// still starting is not taken for dead.
let missed = 0;
async function elect(): Promise<void> {
  for (const p of peers) {
    if (p.id === me) {
      if (primary !== me && ++missed < 2) return;
      if (primary !== me) await catchUp();
      primary = me;
      return;
    }
    if ((await call(p.port, 'GET', '/ping'))?.status === 200) {
      primary = p.id;
      missed = 0;
      return;
    }
  }
}

// Becoming primary: take the state of any node that answers (it may have more than we do).
async function catchUp(): Promise<void> {
  for (const p of peers) {
    if (p.id === me) continue;
    const r = await call(p.port, 'GET', '/state');
    if (r?.status === 200) {
      for (const [k, v] of JSON.parse(r.text) as [string, number][]) data.set(k, v);
      return;
    }
  }
}

// Asynchronous replication: every 100 ms the primary sends what changed; nobody waits for it.
async function ship(): Promise<void> {
  if (primary !== me || unshipped.length === 0) return;
  const batch = JSON.stringify(unshipped);
  unshipped = [];
  await Promise.all(peers.filter((p) => p.id !== me).map((p) => call(p.port, 'POST', '/replicate', batch)));
}

function set(key: string, value: number): void {
  data.set(key, value);
  unshipped.push([key, value]);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const answer = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const key = url.searchParams.get('key') ?? 'default';
    const num = (name: string) => Number(url.searchParams.get(name));
    switch (url.pathname) {
      case '/ping':
        return answer(200, { id: me, primary });
      case '/state':
        return answer(200, [...data]);
      case '/replicate':
        for (const [k, v] of JSON.parse(body || '[]') as [string, number][]) data.set(k, v);
        return answer(200, {});
    }
    if (primary !== me) return answer(503, { error: 'not-primary', primary });
    const cur = data.get(key) ?? 0;
    switch (url.pathname) {
      case '/get':
        return answer(200, { value: cur });
      case '/put':
        set(key, num('value'));
        return answer(200, { value: num('value') });
      case '/inc':
        set(key, cur + 1);
        return answer(200, { value: cur + 1 });
      case '/cas':
        if (cur !== num('from')) return answer(409, { error: 'compare-failed', value: cur });
        set(key, num('to'));
        return answer(200, { value: num('to') });
    }
    answer(404, { error: 'no-such-path' });
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log(`${me} listening on 127.0.0.1:${port}`);
  const tick = async () => {
    await elect();
    setTimeout(tick, 150);
  };
  void tick();
  setInterval(() => void ship(), 100);
});
process.on('SIGTERM', () => process.exit(0));
