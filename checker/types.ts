// The data every part of tenrec passes around: history events (one line of a history file),
// operations (an invoke paired with its completion), and the checker's verdict.
// See docs/history-format.md; add fields freely, never rename or repurpose one.

/** A logical client, or the nemesis (whose events checkers skip). */
export type ProcessId = number | 'nemesis';

export type EventType = 'invoke' | 'ok' | 'fail' | 'info';

/** One line of a history: an invoke, a completion, or a nemesis event. */
export interface HistoryEvent {
  process: ProcessId;
  type: EventType;
  /** `read`, `write`, `cas`, `inc` (or `get`/`put`/`append` for kv) for clients; free-form for the nemesis. */
  f: string;
  /** The register touched; absent means the single default register. */
  key?: string;
  value: unknown;
  /** Nanoseconds since the test started (monotonic, non-decreasing down the file). */
  time: number;
  index?: number;
  node?: string;
  error?: string;
  /** Unknown fields are kept so tools that rewrite histories do not lose them. */
  [extra: string]: unknown;
}

/** Where an event came from, so errors and evidence can point at a file and line. */
export interface SourceRef {
  file?: string;
  line?: number;
}

/**
 * An invoke paired with its completion. `fail` completions are dropped before checking
 * (the op surely did not happen); `info` and unfinished invokes become ops with an unknown
 * outcome that may take effect at any time after `call`, or never.
 */
export interface Operation {
  /** Dense 0-based id, in invoke order, over the ops kept for checking. */
  id: number;
  /**
   * The op's number wherever tenrec shows it (`op #12`): its invoke is the history's 12th client
   * invoke, `fail`ed and dropped ops counted, so the report (which shows every op) agrees.
   */
  number: number;
  process: number;
  f: string;
  key?: string;
  /** The invoke's value (the argument). */
  input: unknown;
  /** The completion's value when `status` is `ok`; undefined when the outcome is unknown. */
  output: unknown;
  status: 'ok' | 'info';
  /** Invoke time (ns). */
  call: number;
  /** Completion time (ns); `Infinity` for an op whose outcome is unknown. */
  return: number;
  node?: string;
  error?: string;
  /**
   * Set on a `cas` whose compare certainly did not match: a `fail` completion with
   * `error: "compare-failed"` (what Jepsen/etcd logs' `:fail :cas` lines mean, and how Porcupine
   * checks them). Such an op changed nothing but observed, somewhere between call and return, a
   * value different from `input[0]`; it is kept with `status: 'ok'` so models can check that,
   * instead of being dropped like other `fail`s. Models must treat it as "legal iff state ≠ expected,
   * state unchanged".
   */
  compareFailed?: true;
  /** Position of the invoke (and completion) event in the history, for the report. */
  invokeIndex: number;
  completeIndex?: number;
  source?: SourceRef;
}

/** `true` linearizable, `false` not, `'unknown'` a limit was hit before deciding. */
export type Validity = true | false | 'unknown';

/** Why a check ended `unknown`. */
export type UnknownReason = 'timeout' | 'memory' | 'cancelled';

/**
 * What went wrong, in words a reader knows. `stale-read`: a read saw a value already overwritten by
 * an op that had returned before the read began. `impossible-read`: no order of the ops before it
 * gives the value read. `stale-result` / `impossible-result`: the same for the result of a write,
 * cas or increment. `no-order`: the op is fine on its own, but no order fits all ops around it.
 */
export type AnomalyKind = 'stale-read' | 'impossible-read' | 'stale-result' | 'impossible-result' | 'no-order';

/** Evidence that one partition (usually one key) is not linearizable. */
export interface Anomaly {
  kind: AnomalyKind;
  /** The lead sentence, kind first: "stale read: read k3 → 96 (op #806) began at …, after …". */
  headline: string;
  /** The op (checker id) that had returned before `op` began and makes its result stale. */
  after?: number;
  /** The partition's key (null for the default register or an unpartitioned model). */
  key: string | null;
  /** The op that cannot be placed after the longest linearizable prefix. */
  op: Operation;
  /**
   * Set when the checker proved the anomaly without a search (checker/search/stale-proof.ts):
   * `op` began after `after` had returned, and no op that could make `op` legal again fits
   * between the two. `prefix` is then an order of the ops completed before `op` that works, or
   * empty when none was found quickly (the proof does not need one).
   */
  proof?: 'stale';
  /** The longest linearizable prefix found, in linearization order (op ids); see `proof`. */
  prefix: number[];
  /** The model state after that prefix, described by the model ("" for a proof with no prefix). */
  state: string;
  /** Ops concurrent with `op` (overlapping its call..return) that also could not be placed. */
  concurrent: number[];
  /** A plain-words explanation ("read of x returned 1 at 12.3 s, but …"). */
  explanation: string;
  /**
   * For the HTML view (Porcupine-style): for each op id, the longest partial linearization
   * that contains it (op ids in order), when the search found one.
   */
  partialLinearizations?: Record<number, number[]>;
}

export interface PartitionResult {
  key: string | null;
  valid: Validity;
  ops: number;
  ms: number;
  reason?: UnknownReason;
  /** For `memory`: which cap was reached, in words. */
  limit?: string;
  anomaly?: Anomaly;
}

/** The checker's verdict on a whole history. */
export interface CheckResult {
  valid: Validity;
  model: string;
  ops: number;
  partitions: number;
  /** Time spent checking (after parsing), milliseconds. */
  ms: number;
  reason?: UnknownReason;
  /** For `memory`: which cap was reached, in words. */
  limit?: string;
  /** One entry per partition that was decided (others may be skipped once one is invalid). */
  parts: PartitionResult[];
  /** The first invalid partition's evidence, when `valid` is false. */
  anomaly?: Anomaly;
}
