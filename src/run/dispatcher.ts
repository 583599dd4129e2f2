// Which steps a run starts next, kept up to date as steps move instead of recomputed over the
// whole plan after every transition (that cost O(steps) per transition: at 10,000 steps apply
// spent most of its time ranking). The rules are scheduler.ts's, the ranking priority.ts's; the picks
// are readySteps' for the same state (test/run/dispatcher.test.ts compares them on random runs):
// - a step is ready when it is pending and every step it depends on is done (counted down);
// - a job's rank depends only on which jobs of its own database on its cluster are not done yet
//   (the formula's serial term), so a job's end re-ranks those alone, by the same formula;
// - the jobs running per cluster and per database are counted as they start and end.
// A step it hands out counts as started until its drive ends, even before its intent is recorded:
// two picks in that window never put two jobs on one database or exceed the cluster's limit.
// A job that reached its outcome frees its cluster slot and its database at once (its job is over
// on Doris), but what depends on it waits for its drive's end, when its outcome is durable: the
// next job's intent may then share the outcome's write, and nothing that needs the outcome starts
// before it is on disk.
import type { Plan, Step } from '../plan/schema.js';
import { priorities, rankOrder, remainingChain } from './priority.js';
import type { Limits } from './scheduler.js';
import { isJob, type JobStep, type RunState, type StepStatus } from './state-model.js';

type Cluster = JobStep['cluster'];
const push = <K, V>(map: Map<K, V[]>, key: K, value: V): void => void (map.get(key) ?? map.set(key, []).get(key)!).push(value);

/** A database's jobs on one cluster: they run one at a time and are ranked together. */
interface Database {
  cluster: Cluster;
  /** The plan, for the ranking formula (called on this database's jobs alone). */
  plan: Plan;
  /** Its jobs not done: the only ones the formula counts, and the only ones still to rank. */
  open: Set<Step>;
  ready: Set<Step>;
  /** Its jobs running (or handed out and not yet recorded). */
  busy: number;
  /** Its best ready job; undefined once the ready set or the ranks changed. */
  best: Step | undefined;
}

export class Dispatcher {
  private readonly chain: Map<string, number>;
  private readonly rank: Map<string, number>;
  private readonly order: (a: Step, b: Step) => number;
  /** The status each step had when last looked at: only steps in motion can change it. */
  private readonly status = new Map<string, StepStatus | undefined>();
  private readonly unmet = new Map<string, number>();
  private readonly dependents = new Map<string, Step[]>();
  private readonly databaseOf = new Map<string, Database>();
  private readonly withReady: Record<Cluster, Set<Database>> = { source: new Set(), target: new Set() };
  private readonly readyOthers = new Set<Step>();
  private readonly running: Record<Cluster, number> = { source: 0, target: 0 };
  /** Handed out and not yet settled: their status is read again before every pick. */
  private readonly moving = new Set<string>();
  private readonly byId: Map<string, Step>;

  constructor(
    plan: Plan,
    private readonly state: RunState,
    private readonly limits: Limits,
  ) {
    this.byId = new Map(plan.steps.map((s) => [s.id, s]));
    this.chain = remainingChain(plan);
    this.rank = priorities(plan, state, this.chain);
    this.order = rankOrder(this.rank, this.chain);
    const jobs = new Map<string, JobStep[]>();
    for (const s of plan.steps) {
      this.status.set(s.id, state.steps[s.id]?.status);
      this.unmet.set(s.id, s.dependsOn.filter((d) => state.steps[d]?.status !== 'done').length);
      for (const d of s.dependsOn) push(this.dependents, d, s);
      if (isJob(s)) push(jobs, `${s.cluster}\u0000${s.database}`, s);
    }
    for (const steps of jobs.values()) {
      const open = new Set(steps.filter((s) => state.steps[s.id]?.status !== 'done'));
      const db: Database = { cluster: steps[0]!.cluster, plan, open, ready: new Set(), busy: 0, best: undefined };
      for (const s of steps) this.databaseOf.set(s.id, db);
    }
    for (const s of plan.steps) this.enter(s);
  }

  /** A step the run drives without having been handed it (one in flight when the last run stopped). */
  started(id: string): void {
    this.change(this.byId.get(id)!, () => this.moving.add(id));
  }

  /** The step's drive ended: its status says where it stands. */
  settled(id: string): void {
    this.look(id);
    this.change(this.byId.get(id)!, () => this.moving.delete(id));
  }

  /** The steps to start now (best first); each counts as started from here. */
  take(): Step[] {
    for (const id of [...this.moving]) this.look(id);
    const out = [...this.readyOthers];
    for (const cluster of ['source', 'target'] as const) {
      const free = this.limits.concurrency[cluster] - this.running[cluster];
      if (free <= 0) continue;
      const bests: Step[] = [];
      for (const db of this.withReady[cluster]) if (db.busy === 0) bests.push((db.best ??= this.bestOf(db)));
      out.push(...bests.sort(this.order).slice(0, free));
    }
    out.sort(this.order);
    for (const s of out) this.started(s.id);
    return out;
  }

  private bestOf(db: Database): Step {
    let best: Step | undefined;
    for (const s of db.ready) if (!best || this.order(s, best) < 0) best = s;
    return best!;
  }

  /** Reads the step's status again and follows what changed with it. */
  private look(id: string): void {
    const now = this.state.steps[id]?.status;
    const before = this.status.get(id);
    if (now === before) return;
    this.change(this.byId.get(id)!, () => this.status.set(id, now));
    const db = this.databaseOf.get(id);
    // The formula reads of a job only whether it is done, and counts only the jobs not done (the
    // random runs of the test would find a change): a database's end costs its open jobs, not all.
    if (db && (before === 'done') !== (now === 'done')) {
      const step = this.byId.get(id)!;
      if (now === 'done') db.open.delete(step);
      else db.open.add(step);
      // A searched order (the plan's `schedule`) ranks the same whatever is done.
      if (!db.plan.schedule) {
        for (const [s, r] of priorities({ ...db.plan, steps: [...db.open] }, this.state, this.chain)) this.rank.set(s, r);
        db.best = undefined;
      }
    }
  }

  /** Done for what depends on it: recorded done, and its drive (which makes that durable) over. */
  private isDone(id: string): boolean {
    return this.status.get(id) === 'done' && !this.moving.has(id);
  }

  private isReady(s: Step): boolean {
    return this.status.get(s.id) === 'pending' && this.unmet.get(s.id) === 0 && !this.moving.has(s.id);
  }

  private occupies(s: Step): boolean {
    const status = this.status.get(s.id);
    return isJob(s) && (status === 'submitting' || status === 'running' || (status === 'pending' && this.moving.has(s.id)));
  }

  /** Applies `update` to the step's bookkeeping, moving it in or out of the ready and running counts. */
  private change(s: Step, update: () => void): void {
    const wasDone = this.isDone(s.id);
    this.leave(s);
    update();
    this.enter(s);
    const done = this.isDone(s.id);
    if (wasDone === done) return;
    for (const d of this.dependents.get(s.id) ?? []) this.change(d, () => this.unmet.set(d.id, this.unmet.get(d.id)! + (done ? -1 : 1)));
  }

  private enter(s: Step): void {
    this.count(s, 1);
  }

  private leave(s: Step): void {
    this.count(s, -1);
  }

  private count(s: Step, sign: 1 | -1): void {
    const db = this.databaseOf.get(s.id);
    if (this.isReady(s)) {
      if (!db) {
        if (sign > 0) this.readyOthers.add(s);
        else this.readyOthers.delete(s);
      } else {
        if (sign > 0) db.ready.add(s);
        else db.ready.delete(s);
        db.best = undefined;
        if (db.ready.size > 0) this.withReady[db.cluster].add(db);
        else this.withReady[db.cluster].delete(db);
      }
    }
    if (db && this.occupies(s)) {
      db.busy += sign;
      this.running[db.cluster] += sign;
    }
  }
}
