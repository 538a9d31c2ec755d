// Safety invariants checked on every step, independent of the linearizability checker:
// no slot is ever learned with two different values (on any replica, at any time), and replicas
// that applied the same prefix of the log hold the same registers.
import type { Replica } from '../core/index.ts';
import type { NodeId } from '../types.ts';

export interface SafetyViolation {
  /** Simulated milliseconds. */
  at: number;
  message: string;
}

export class SafetyMonitor {
  private chosen = new Map<number, { value: string; node: NodeId }>();
  private digests = new Map<number, { digest: string; node: NodeId }>();
  private applied = new Map<NodeId, number>();
  violation: SafetyViolation | null = null;

  constructor(private readonly clock: () => number) {}

  observe(node: NodeId, r: Replica): void {
    for (const [slot, value] of r.takeLearned()) {
      const text = JSON.stringify(value);
      const first = this.chosen.get(slot);
      if (!first) this.chosen.set(slot, { value: text, node });
      else if (first.value !== text) {
        this.fail(`two values chosen for slot ${slot}: ${first.node} learned ${first.value}, ${node} learned ${text}`);
      }
    }
    const { appliedIndex } = r.inspect();
    if (this.applied.get(node) === appliedIndex) return;
    this.applied.set(node, appliedIndex);
    const digest = r.digest();
    const first = this.digests.get(appliedIndex);
    if (!first) this.digests.set(appliedIndex, { digest, node });
    else if (first.digest !== digest) {
      this.fail(`state diverged at applied index ${appliedIndex}: ${first.node} has ${first.digest}, ${node} has ${digest}`);
    }
  }

  /** A node answered a request id its current life never issued (or answered one twice). */
  strayReply(node: NodeId, id: string): void {
    this.fail(`${node} answered request ${id}, which this life of the node never issued or had already answered`);
  }

  private fail(message: string): void {
    if (!this.violation) this.violation = { at: this.clock(), message };
  }

  get slotsChosen(): number {
    return this.chosen.size;
  }
}
