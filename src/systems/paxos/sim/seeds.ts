// Parse a seed list: "7", "1..1000", "3,9,12", or a mix ("1..10,42").
export function parseSeeds(spec: string): number[] {
  const seeds: number[] = [];
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const range = /^(\d+)\.\.(\d+)$/.exec(part);
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      if (b < a) throw new Error(`seed range ${part} runs backwards`);
      if (b - a > 10_000_000) throw new Error(`seed range ${part} is too large`);
      for (let s = a; s <= b; s++) seeds.push(s);
    } else if (/^\d+$/.test(part)) {
      seeds.push(Number(part));
    } else {
      throw new Error(`bad seed ${JSON.stringify(part)}: use N, A..B or a comma-separated list`);
    }
  }
  if (seeds.length === 0) throw new Error('no seeds given');
  return seeds;
}
