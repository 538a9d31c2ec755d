// `--db NAME` picks a built-in system; `--db ./file.ts` (anything with a slash or a .ts/.js/.mjs
// ending) loads a user's module whose default export (or export `system`) is a System. What a
// module exports is checked here, once, so the runner can trust it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILTIN_SYSTEMS } from '../systems/index.ts';
import { WORKLOAD_NAMES } from '../../workloads/index.ts';
import { UserError } from '../errors/user-error.ts';
import type { System } from './system.ts';

export function isModulePath(db: string): boolean {
  return db.includes('/') || /\.(ts|mts|js|mjs)$/.test(db);
}

/** The built-in system of that name (synchronous, for validating settings early). */
export function builtinSystem(db: string): System | undefined {
  return Object.hasOwn(BUILTIN_SYSTEMS, db) ? BUILTIN_SYSTEMS[db] : undefined;
}

export function describeDbChoices(): string {
  return `${Object.keys(BUILTIN_SYSTEMS).join(', ')}, or a module path such as ./my-system.ts (docs/systems.md)`;
}

export async function loadSystem(db: string): Promise<System> {
  const builtin = builtinSystem(db);
  if (builtin) return builtin;
  if (!isModulePath(db)) throw new UserError(`unknown --db ${JSON.stringify(db)} (choose from ${describeDbChoices()})`);
  const file = resolve(db);
  if (!existsSync(file)) throw new UserError(`--db ${db}: no such file (${file})`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new UserError(`--db ${db}: the module failed to load: ${err instanceof Error ? err.message : String(err)}`);
  }
  return validateSystem(mod.default ?? mod.system, db);
}

/** Checks that a module's export has the shape of a System; names what is wrong otherwise. */
export function validateSystem(v: unknown, where: string): System {
  const bad = (what: string): never => {
    throw new UserError(`--db ${where}: ${what} (a system module exports a System as default or as \`system\`; see docs/systems.md)`);
  };
  if (!v || typeof v !== 'object') bad('the module exports no system');
  const s = v as Record<string, unknown>;
  if (typeof s.name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(s.name)) bad('`name` must be a word of letters, digits, ".", "_" or "-"');
  if (typeof s.summary !== 'string') bad('`summary` must be a string');
  if (typeof s.db !== 'function') bad('`db` must be a function (options) => DB');
  if (typeof s.clients !== 'function') bad('`clients` must be a function () => ClientFactory');
  if (!Array.isArray(s.workloads) || s.workloads.length === 0) bad('`workloads` must list at least one workload');
  for (const w of s.workloads as unknown[]) {
    if (!(WORKLOAD_NAMES as readonly unknown[]).includes(w)) bad(`workload ${JSON.stringify(w)} is not one tenrec has (${WORKLOAD_NAMES.join(', ')})`);
  }
  if (!Array.isArray(s.bugs)) bad('`bugs` must be an array (empty when the system has none)');
  for (const b of s.bugs as unknown[]) {
    if (!b || typeof b !== 'object' || typeof (b as { name?: unknown }).name !== 'string') bad('every entry of `bugs` needs a `name`');
  }
  if (s.checkNodes !== undefined && typeof s.checkNodes !== 'function') bad('`checkNodes` must be a function when present');
  return v as System;
}

/** Why these settings do not suit the system (workload, bug, nodes), or undefined. */
export function settingsProblem(system: System, s: { workload: string; bug: string | null; nodes: number; db: string; dbOptions?: readonly string[] }): string | undefined {
  for (const o of s.dbOptions ?? []) {
    if (!system.options?.some((x) => x.name === o)) {
      return system.options?.length
        ? `unknown --db-option ${JSON.stringify(o)} for --db ${s.db} (choose from ${system.options.map((x) => x.name).join(', ')})`
        : `--db ${s.db} has no --db-option switches`;
    }
  }
  if (!system.workloads.includes(s.workload as never)) {
    return `--db ${s.db} cannot run --workload ${s.workload} (it runs ${system.workloads.join(', ')})`;
  }
  if (s.bug !== null && !system.bugs.some((b) => b.name === s.bug)) {
    return system.bugs.length
      ? `unknown --bug ${JSON.stringify(s.bug)} for --db ${s.db} (choose from ${system.bugs.map((b) => b.name).join(', ')})`
      : `--db ${s.db} has no switchable bugs`;
  }
  return system.checkNodes?.(s.nodes);
}
