// A connected host as the steps see it: its connection, its facts, whether this is a plan (dry run),
// and the results of the steps so far.
import type { SshConnection } from "./connection.ts";
import type { HostFacts } from "./facts.ts";

export interface StepResult {
  /** What the step ensures, e.g. "file /etc/gloeth/node.json". */
  step: string;
  /** It changed the host (or, in a plan, would). */
  changed: boolean;
  /** Why: "absent", "content differs", "mode 600 → 644", "already so". */
  detail: string;
}

export class Target {
  readonly name: string;
  readonly connection: SshConnection;
  readonly facts: HostFacts;
  /** Steps look, report what they would change, and change nothing. */
  readonly plan: boolean;
  readonly results: StepResult[] = [];

  constructor(connection: SshConnection, facts: HostFacts, plan: boolean) {
    this.name = connection.host;
    this.connection = connection;
    this.facts = facts;
    this.plan = plan;
  }

  /** Records a step's outcome in the results and the host's log. */
  report(step: string, changed: boolean, detail: string): StepResult {
    const result = { step, changed, detail };
    this.results.push(result);
    const verb = changed ? (this.plan ? "would change" : "changed") : "unchanged";
    this.connection.log(`${verb}: ${step} (${detail})`);
    return result;
  }

  get changed(): boolean {
    return this.results.some((result) => result.changed);
  }
}
