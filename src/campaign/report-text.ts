// What a campaign prints: a live table row per finished run, then the summary with a rerun
// command for every run that failed.
import type { CampaignRun, CampaignSummary } from './run-campaign.ts';
import { faultSummary } from '../runner/fault-counts.ts';

const COLS: [string, number][] = [['run', 5], ['seed', 11], ['workload', 12], ['faults', 24], ['nodes', 5], ['verdict', 8], ['ops', 6], ['took', 7], ['directory', 0]];

export function tableHeader(): string {
  return COLS.map(([h, w]) => h.padEnd(w)).join(' ').trimEnd();
}

export function verdictText(v: CampaignRun['valid']): string {
  return v === true ? 'valid' : v === false ? 'INVALID' : v === 'unknown' ? 'unknown' : 'ERROR';
}

export function tableRow(r: CampaignRun, planned: number): string {
  const cells = [
    `${r.n}/${planned}`,
    String(r.settings.seed),
    r.settings.workload,
    r.faults ? faultSummary(r.faults) : '-',
    String(r.settings.nodes),
    verdictText(r.valid),
    String(r.ops),
    `${(r.durationMs / 1000).toFixed(1)}s`,
    r.dir ?? (r.error ? `(${r.error})` : ''),
  ];
  return cells.map((c, i) => c.padEnd(COLS[i]![1])).join(' ').trimEnd();
}

const secs = (ms: number) => (ms >= 60_000 ? `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s` : `${(ms / 1000).toFixed(1)}s`);

export function summaryText(s: CampaignSummary): string {
  const out: string[] = [''];
  out.push(`campaign ${s.campaignId}: ${s.runs.length} run${s.runs.length === 1 ? '' : 's'}${s.stoppedEarly ? ` (stopped at the first invalid run; ${s.planned} planned)` : ''} in ${secs(s.wallMs)}, base seed ${s.baseSeed}`);
  out.push(`  valid ${s.valid} · invalid ${s.invalid} · unknown ${s.unknown}${s.errors ? ` · could not run ${s.errors}` : ''} · ops checked ${s.opsChecked}`);
  out.push(s.firstAnomaly
    ? `  first anomaly: run ${s.firstAnomaly.n}, found ${secs(s.firstAnomaly.detectedAfterMs)} into the campaign${s.firstAnomaly.dir ? ` (${s.firstAnomaly.dir})` : ''}`
    : '  first anomaly: none found');
  const failed = s.runs.filter((r) => r.valid !== true);
  if (failed.length > 0) {
    out.push('', 'rerun the failed runs (same settings and seed):');
    for (const r of failed) out.push(`  # run ${r.n}: ${verdictText(r.valid)}${r.error ? ` (${r.error})` : ''}`, `  ${r.rerun}`);
  }
  out.push(`list them: npx tenrec runs --campaign ${s.campaignId}`);
  return out.join('\n') + '\n';
}
