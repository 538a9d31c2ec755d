// "[12/103] etcd_012.log" on stderr while many files are checked; only on a terminal, so logs and
// pipes never fill with carriage returns.

export interface Progress {
  update(done: number, file: string): void;
  clear(): void;
}

const SILENT: Progress = { update() {}, clear() {} };

export function progressFor(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (total < 2 || !stream.isTTY) return SILENT;
  let shown = false;
  const width = () => Math.max(20, (stream.columns || 80) - 1);
  return {
    update(done, file) {
      const text = `[${done}/${total}] ${file}`;
      stream.write(`\r${text.slice(0, width()).padEnd(width())}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write(`\r${' '.repeat(width())}\r`);
      shown = false;
    },
  };
}
