// Which steps a run starts next, kept up to date as steps move instead of recomputed over the
// whole plan after every transition (that cost O(steps) per transition: at 10,000 steps apply
// spent most of its time ranking). The rules are scheduler.ts's, the ranking priority.ts's; the picks
// are readySteps' for the same state (test/run/dispatcher.test.ts compares them on random runs):
// - a step is ready when it is pending and every step it depends on is done (counted down);
// - a job's rank depends only on which jobs of its own database on its cluster are not done yet
//   (the formula's serial term S, the same for all of them), and is the larger of its own chain
//   and S: so among its database's jobs the order is by chain then id whatever S is (and by the
//   searched order's, fixed, for a plan with one). A database's ready jobs wait in that fixed
//   order, its best is the first, and a job's end only moves S (its weight off the sum, and the
//   shortest tail of those left): O(log n) per transition, where ranking the database again cost
//   O(n), O(n^2) over a large database's run;
// - the jobs running per cluster and per database are counted as they start and end.
// A step it hands out counts as started until its drive ends, even before its intent is recorded:
// two picks in that window never put two jobs on one database or exceed the cluster's limit.
// A job that reached its outcome frees its cluster slot and its database at once (its job is over
// on Doris), but what depends on it waits for its drive's end, when its outcome is durable: the
// next job's intent may then share the outcome's write, and nothing that needs the outcome starts
// before it is on disk.
import type { Plan, Step } from '../plan/schema.js';
import { LeastSet } from './least-set.js';
import { priorities, rankOrder, remainingChain, tailOf, weight } from './priority.js';
import type { Limits } from './scheduler.js';
import { databaseKey, isJob, type JobStep, type RunState, type StepStatus } from './state-model.js';

type Cluster = JobStep['cluster'];
const push = <K, V>(map: Map<K, V[]>, key: K, value: V): void => void (map.get(key) ?? map.set(key, []).get(key)!).push(value);

/** A database's jobs on one cluster: they run one at a time and are ranked together. */
interface Database {
  cluster: Cluster;
  /** Its ready jobs, the first in its fixed order least: its best. */
  ready: LeastSet<Step>;
  /** Its jobs not done (the only ones the formula counts), the one of the shortest tail least. */
  open: LeastSet<Step>;
  /** The open jobs' weights summed: with the shortest tail, the formula's serial term. */
  work: number;
  /** Its jobs running (or handed out and not yet recorded). */
  busy: number;
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
  /** A job's place in its database's fixed order. */
  private readonly position = new Map<string, number>();
  /** The plan has a searched order: ranks never change. */
  private readonly fixed: boolean;

  constructor(
    plan: Plan,
    private readonly state: RunState,
    private readonly limits: Limits,
  ) {
    this.byId = new Map(plan.steps.map((s) => [s.id, s]));
    this.chain = remainingChain(plan);
    this.rank = priorities(plan, state, this.chain);
    this.order = rankOrder(this.rank, this.chain);
    this.fixed = plan.schedule !== undefined;
    const jobs = new Map<string, JobStep[]>();
    for (const s of plan.steps) {
      this.status.set(s.id, state.steps[s.id]?.status);
      this.unmet.set(s.id, s.dependsOn.filter((d) => state.steps[d]?.status !== 'done').length);
      for (const d of s.dependsOn) push(this.dependents, d, s);
      if (isJob(s)) push(jobs, databaseKey(s), s);
    }
    for (const steps of jobs.values()) {
      // The order by the ranks of now is the order for every state (the header says why).
      steps.sort(this.order).forEach((s, i) => this.position.set(s.id, i));
      const db: Database = {
        cluster: steps[0]!.cluster,
        ready: new LeastSet((s) => this.position.get(s.id)!),
        open: new LeastSet((s) => tailOf(s, this.chain)),
        work: 0,
        busy: 0,
      };
      for (const s of steps) {
        this.databaseOf.set(s.id, db);
        if (state.steps[s.id]?.status !== 'done') this.open(db, s, 1);
      }
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
      for (const db of this.withReady[cluster]) if (db.busy === 0) bests.push(this.bestOf(db));
      out.push(...bests.sort(this.order).slice(0, free));
    }
    out.sort(this.order);
    for (const s of out) this.started(s.id);
    return out;
  }

  /** The database's best ready job, ranked for the current state (the formula's ranks move with S). */
  private bestOf(db: Database): Step {
    const best = db.ready.least()!;
    if (!this.fixed) this.rank.set(best.id, Math.max(this.chain.get(best.id) ?? 0, db.work + tailOf(db.open.least()!, this.chain)));
    return best;
  }

  /** Counts a job of the database as open (not done) or no longer. */
  private open(db: Database, s: Step, sign: 1 | -1): void {
    if (sign > 0) db.open.add(s);
    else db.open.delete(s);
    db.work += sign * weight(s);
  }

  /** Reads the step's status again and follows what changed with it. */
  private look(id: string): void {
    const now = this.state.steps[id]?.status;
    const before = this.status.get(id);
    if (now === before) return;
    this.change(this.byId.get(id)!, () => this.status.set(id, now));
    const db = this.databaseOf.get(id);
    // The formula reads of a job only whether it is done (the random runs of the test would find
    // a change): the rest of a status change moves no rank.
    if (db && (before === 'done') !== (now === 'done')) this.open(db, this.byId.get(id)!, now === 'done' ? -1 : 1);
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
