// Turns nemesis events into time bands (kill n1 from 3.2 s to 5.0 s, partition {n1} | {n2,n3} …)
// so the report can shade faults across the timeline and the plots.
import type { FaultEvent } from './pair.ts';

export interface FaultBand {
  kind: string;
  /** What the fault touched, in words: `n1`, `{n1} | {n2,n3}`. */
  target: string;
  /** ns */
  start: number;
  /** ns; null when the fault was never healed before the history ended. */
  end: number | null;
}

type Phase = { kind: string; phase: 'start' | 'end' | 'instant' };

const STARTS: Record<string, string> = {
  kill: 'kill', crash: 'kill', 'power-loss': 'kill', powerloss: 'kill', 'kill-node': 'kill',
  pause: 'pause', suspend: 'pause', 'pause-node': 'pause',
  partition: 'partition', 'start-partition': 'partition', 'partition-start': 'partition', isolate: 'partition',
};
const ENDS: Record<string, string> = {
  start: 'kill', restart: 'kill', revive: 'kill', 'start-node': 'kill', 'restart-node': 'kill',
  resume: 'pause', unpause: 'pause', continue: 'pause', 'resume-node': 'pause',
  heal: 'partition', 'stop-partition': 'partition', 'partition-stop': 'partition', 'heal-partition': 'partition',
};

function classify(f: string): Phase {
  if (STARTS[f]) return { kind: STARTS[f], phase: 'start' };
  if (ENDS[f]) return { kind: ENDS[f], phase: 'end' };
  const m = /^(start|stop|begin|end)[-_](.+)$/.exec(f);
  if (m) return { kind: m[2]!, phase: m[1] === 'start' || m[1] === 'begin' ? 'start' : 'end' };
  return { kind: f, phase: 'instant' };
}

/** Node names a fault value mentions: `["n1"]`, `"n1"`, `{node:"n1"}`, `[["n1"],["n2","n3"]]`. */
function nodesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(nodesOf);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('node' in o) return nodesOf(o.node);
    if ('nodes' in o) return nodesOf(o.nodes);
  }
  return [];
}

/** A readable description of a fault's target. */
export function describeTarget(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(Array.isArray)) return value.map((g) => `{${(g as unknown[]).map(String).join(',')}}`).join(' | ');
    if (value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join(',');
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('groups' in o) return describeTarget(o.groups);
    if ('grudge' in o) return describePartition(o.shape, o.grudge);
    if ('node' in o || 'nodes' in o) return nodesOf(value).join(',');
  }
  return JSON.stringify(value) ?? '';
}

/**
 * A partition from the nemesis's grudge (node → nodes it cannot hear): as components
 * `{n1} | {n2,n3}` when nodes split into groups that hear exactly each other, else the shape's
 * name (a majorities ring or a bridge has no such groups).
 */
function describePartition(shape: unknown, grudge: unknown): string {
  const name = typeof shape === 'string' ? shape : 'partition';
  if (!grudge || typeof grudge !== 'object') return name;
  const g = grudge as Record<string, unknown>;
  const nodes = Object.keys(g).sort();
  const hears = new Map<string, string>();
  for (const n of nodes) {
    const deaf = new Set(Array.isArray(g[n]) ? (g[n] as unknown[]).map(String) : []);
    hears.set(n, nodes.filter((m) => !deaf.has(m)).join(','));
  }
  const groups = new Map<string, string[]>();
  for (const n of nodes) groups.set(hears.get(n)!, [...(groups.get(hears.get(n)!) ?? []), n]);
  const clean = [...groups].every(([h, members]) => h === members.join(','));
  if (!clean || groups.size < 2) return name;
  return `${name} ${[...groups.values()].map((m) => `{${m.join(',')}}`).join(' | ')}`;
}

/**
 * One band per fault and node (a kill of n1 and a kill of n2 overlap as two bands). Repeated start
 * events for an already-open fault (Jepsen records an invoke and an info for each) are merged;
 * an end event that names nodes closes those, one without names closes every band of its kind.
 */
export function faultBands(faults: readonly FaultEvent[]): { bands: FaultBand[]; markers: FaultBand[] } {
  const bands: FaultBand[] = [];
  const markers: FaultBand[] = [];
  const open = new Map<string, FaultBand>();
  for (const e of faults) {
    const { kind, phase } = classify(e.f);
    if (phase === 'instant') {
      if (e.type === 'invoke') continue; // its completion carries the outcome
      markers.push({ kind, target: describeTarget(e.value), start: e.time, end: e.time });
      continue;
    }
    if (phase === 'start') {
      const perNode = kind === 'partition' ? [] : nodesOf(e.value);
      const targets = perNode.length > 0 ? perNode : [describeTarget(e.value)];
      for (const t of targets) {
        const id = `${kind}\u0000${t}`;
        if (open.has(id)) continue;
        // A new partition shape replaces the old one.
        if (kind === 'partition') for (const [k, b] of open) if (b.kind === kind) { b.end = e.time; open.delete(k); }
        const band: FaultBand = { kind, target: t, start: e.time, end: null };
        open.set(id, band);
        bands.push(band);
      }
      continue;
    }
    const names = kind === 'partition' ? [] : nodesOf(e.value);
    for (const [id, b] of open) {
      if (b.kind !== kind) continue;
      if (names.length > 0 && !names.includes(b.target)) continue;
      b.end = e.time;
      open.delete(id);
    }
  }
  return { bands, markers };
}
