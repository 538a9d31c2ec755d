// The SQLite index of runs (results/tenrec.db): lets `tenrec runs`, `serve` and `campaign` list and
// filter runs without reading every run directory. The run directory stays the source of truth;
// this index can be rebuilt from it.
//
// Schema (table `runs`, one row per finished `tenrec test` run):
//   id            INTEGER PRIMARY KEY AUTOINCREMENT
//   name          TEXT    test name (results/<name>/…)
//   dir           TEXT    UNIQUE, the run directory (absolute path)
//   started_at    TEXT    ISO-8601 UTC
//   finished_at   TEXT    ISO-8601 UTC
//   valid         TEXT    'true' | 'false' | 'unknown'
//   workload      TEXT    counter | register | cas-register
//   nemesis       TEXT    comma-separated fault kinds asked for, or 'none'
//   faults        TEXT    the faults that happened ("kill×2 partition×3", or 'none'); '' in rows
//                         written before the column existed
//   nodes         INTEGER
//   bug           TEXT    NULL when the cluster ran without a switchable bug
//   seed          INTEGER
//   ops           INTEGER client invokes in the history
//   ok, fail, info INTEGER completions by type
//   duration_ms   INTEGER wall time of the whole run
//   campaign_id   TEXT    NULL unless the run belongs to a campaign
//   settings_json TEXT    every setting (JSON), enough to rerun
import path from 'node:path';
import fs from 'node:fs';
import sqlite3 from 'sqlite3';

export type VerdictText = 'true' | 'false' | 'unknown';

export interface RunRow {
  id?: number;
  name: string;
  dir: string;
  started_at: string;
  finished_at: string;
  valid: VerdictText;
  workload: string;
  nemesis: string;
  /** The faults that happened, as faultSummary spells them. */
  faults: string;
  nodes: number;
  bug: string | null;
  seed: number;
  ops: number;
  ok: number;
  fail: number;
  info: number;
  duration_ms: number;
  campaign_id: string | null;
  settings_json: string;
}

export interface RunFilters {
  /** 'valid'/'invalid' are accepted as spellings of 'true'/'false'. */
  verdict?: VerdictText | 'valid' | 'invalid';
  bug?: string;
  /** Only runs started at or after this instant (ISO string or Date). */
  since?: string | Date;
  campaign?: string;
  limit?: number;
}

export const INDEX_FILE = 'tenrec.db';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  dir TEXT NOT NULL UNIQUE,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  valid TEXT NOT NULL CHECK (valid IN ('true','false','unknown')),
  workload TEXT NOT NULL,
  nemesis TEXT NOT NULL,
  faults TEXT NOT NULL DEFAULT '',
  nodes INTEGER NOT NULL,
  bug TEXT,
  seed INTEGER NOT NULL,
  ops INTEGER NOT NULL,
  ok INTEGER NOT NULL,
  fail INTEGER NOT NULL,
  info INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  campaign_id TEXT,
  settings_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_started ON runs(started_at);
CREATE INDEX IF NOT EXISTS runs_campaign ON runs(campaign_id);
`;

const COLUMNS = [
  'name', 'dir', 'started_at', 'finished_at', 'valid', 'workload', 'nemesis', 'faults', 'nodes', 'bug', 'seed',
  'ops', 'ok', 'fail', 'info', 'duration_ms', 'campaign_id', 'settings_json',
] as const;

function run(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<{ lastID: number }> {
  return new Promise((resolve, reject) => {
    db.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
      if (err) reject(err);
      else resolve({ lastID: this.lastID });
    });
  });
}

function all<T>(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((resolve, reject) => {
    db.all(sql, params, (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
  });
}

function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
}

/** An open index. Close it when done: sqlite3 keeps the event loop alive while open. */
export class RunIndex {
  constructor(
    readonly file: string,
    private readonly db: sqlite3.Database,
  ) {}

  /** Inserts (or replaces, by dir) a run; returns its id. */
  async insertRun(row: RunRow): Promise<number> {
    const values = COLUMNS.map((c) => row[c]);
    const sql = `INSERT OR REPLACE INTO runs (${COLUMNS.join(',')}) VALUES (${COLUMNS.map(() => '?').join(',')})`;
    const { lastID } = await run(this.db, sql, values);
    return lastID;
  }

  /** Runs matching every given filter, newest first. */
  async listRuns(filters: RunFilters = {}): Promise<RunRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filters.verdict !== undefined) {
      const v = filters.verdict === 'valid' ? 'true' : filters.verdict === 'invalid' ? 'false' : filters.verdict;
      where.push('valid = ?');
      params.push(v);
    }
    if (filters.bug !== undefined) {
      where.push('bug = ?');
      params.push(filters.bug);
    }
    if (filters.since !== undefined) {
      const since = filters.since instanceof Date ? filters.since.toISOString() : filters.since;
      where.push('started_at >= ?');
      params.push(since);
    }
    if (filters.campaign !== undefined) {
      where.push('campaign_id = ?');
      params.push(filters.campaign);
    }
    let sql = 'SELECT * FROM runs';
    if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
    sql += ' ORDER BY started_at DESC, id DESC';
    if (filters.limit !== undefined) {
      sql += ' LIMIT ?';
      params.push(Math.max(0, Math.floor(filters.limit)));
    }
    return all<RunRow>(this.db, sql, params);
  }

  /**
   * A run by numeric id, by directory (absolute, or relative to the cwd or to the results dir),
   * or by the directory's last path part (the timestamp) when that is unique.
   */
  async getRun(idOrDir: number | string): Promise<RunRow | undefined> {
    const asText = String(idOrDir);
    if (/^\d+$/.test(asText)) {
      const rows = await all<RunRow>(this.db, 'SELECT * FROM runs WHERE id = ?', [Number(asText)]);
      if (rows[0]) return rows[0];
    }
    const resultsDir = path.dirname(this.file);
    const candidates = [path.resolve(asText), path.resolve(resultsDir, asText)];
    for (const c of candidates) {
      const rows = await all<RunRow>(this.db, 'SELECT * FROM runs WHERE dir = ?', [c]);
      if (rows[0]) return rows[0];
    }
    const tail = asText.replace(/[\\/]+$/, '');
    const rows = await all<RunRow>(this.db, "SELECT * FROM runs WHERE dir LIKE ? ESCAPE '\\'", [
      `%/${tail.replace(/[\\%_]/g, (m) => `\\${m}`)}`,
    ]);
    return rows.length === 1 ? rows[0] : undefined;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())));
  }
}

/** Opens (creating if needed) `<resultsDir>/tenrec.db` with the runs table. */
export async function openIndex(resultsDir: string): Promise<RunIndex> {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.resolve(resultsDir, INDEX_FILE);
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(d)));
  });
  // Campaigns and parallel CI test files may write at once: wait for the lock rather than fail.
  db.configure('busyTimeout', 10_000);
  await exec(db, SCHEMA);
  // Indexes written before the faults column existed gain it (empty for their old rows).
  const cols = await all<{ name: string }>(db, 'PRAGMA table_info(runs)');
  if (!cols.some((c) => c.name === 'faults')) await exec(db, "ALTER TABLE runs ADD COLUMN faults TEXT NOT NULL DEFAULT ''");
  return new RunIndex(file, db);
}

/** One-shot helpers for callers that do a single thing: open, act, close. */
export async function insertRun(resultsDir: string, row: RunRow): Promise<number> {
  const index = await openIndex(resultsDir);
  try {
    return await index.insertRun(row);
  } finally {
    await index.close();
  }
}

export async function listRuns(resultsDir: string, filters: RunFilters = {}): Promise<RunRow[]> {
  const index = await openIndex(resultsDir);
  try {
    return await index.listRuns(filters);
  } finally {
    await index.close();
  }
}

export async function getRun(resultsDir: string, idOrDir: number | string): Promise<RunRow | undefined> {
  const index = await openIndex(resultsDir);
  try {
    return await index.getRun(idOrDir);
  } finally {
    await index.close();
  }
}
