import { describe, expect, it } from 'vitest';
import { progressFor } from '../../src/cli/check/progress.ts';

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  const stream = { isTTY, columns: 40, write: (s: string) => written.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe('check progress', () => {
  it('shows [done/total] file on a terminal and erases it', () => {
    const { stream, written } = fakeStream(true);
    const p = progressFor(3, stream);
    p.update(1, 'b.jsonl');
    p.clear();
    expect(written[0]).toMatch(/^\r\[1\/3\] b\.jsonl +$/);
    expect(written[1]).toMatch(/^\r +\r$/);
  });

  it('stays silent when stderr is not a terminal, or for a single file', () => {
    for (const [tty, total] of [
      [false, 5],
      [true, 1],
    ] as const) {
      const { stream, written } = fakeStream(tty);
      const p = progressFor(total, stream);
      p.update(0, 'a.jsonl');
      p.clear();
      expect(written).toEqual([]);
    }
  });
});
