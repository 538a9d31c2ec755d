// The live progress line on stderr: elapsed, ops/s, ok/fail/info counts and the current fault.
// On a terminal it is rewritten in place several times a second; otherwise (CI, a pipe) one
// plain line every few seconds so logs stay readable.
import type { HistoryRecorder } from './history-recorder.ts';

export class ProgressLine {
  private timer?: NodeJS.Timeout;
  private lastOps = 0;
  private lastAt = 0;
  private readonly tty: boolean;

  constructor(
    private readonly history: HistoryRecorder,
    private readonly phase: () => string,
    private readonly fault: () => string | undefined,
    private readonly out: NodeJS.WriteStream = process.stderr,
    /** Put before every line, e.g. a campaign's "run 3/10". */
    private readonly label?: string,
  ) {
    this.tty = Boolean(out.isTTY);
  }

  start(): void {
    this.timer = setInterval(() => this.print(), this.tty ? 250 : 3000);
    this.timer.unref();
  }

  line(): string {
    const c = this.history.counts;
    const now = this.history.elapsedMs();
    const done = c.ok + c.fail + c.info;
    const rate = now > this.lastAt ? ((done - this.lastOps) * 1000) / (now - this.lastAt) : 0;
    this.lastOps = done;
    this.lastAt = now;
    const fault = this.fault() ?? 'none';
    return `${this.label ? `${this.label} ` : ''}[${(now / 1000).toFixed(1)}s] ${this.phase()} · ${rate.toFixed(0)} ops/s · ok ${c.ok} fail ${c.fail} info ${c.info} · fault: ${fault}`;
  }

  private print(): void {
    const l = this.line();
    if (this.tty) this.out.write(`\r\x1b[2K${l}`);
    else this.out.write(`${l}\n`);
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.tty) this.out.write('\r\x1b[2K');
  }
}
