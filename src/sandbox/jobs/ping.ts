// Doris's RepositoryMgr pings every repository every 10 minutes and shows a failure in SHOW
// REPOSITORIES `ErrMsg` as `<time>: <message>`, cleared by the next good ping (Part B §2.5).
import type { Engine } from '../engine.js';
import { formatDateTime } from '../format.js';
import type { ObjStore } from '../objstore/types.js';
import { repoInfoKey } from '../repository/layout.js';
import { jobsState } from './model.js';

export const PING_INTERVAL_MS = 10 * 60 * 1000;

const inFlight = new WeakSet<Engine>();

/** Starts a round of pings when one is due (at most one round in flight per simulator). */
export function pingRepositories(sim: Engine, store: (repo: string) => Promise<ObjStore>, now: number, changed: () => void): void {
  const state = jobsState(sim.world);
  if (inFlight.has(sim)) return;
  if (state.lastPing === undefined) {
    state.lastPing = now;
    return;
  }
  if (now - state.lastPing < PING_INTERVAL_MS) return;
  state.lastPing = now;
  inFlight.add(sim);
  const rounds = Object.values(state.repositories).map(async (repo) => {
    try {
      if (!(await (await store(repo.name)).head(repoInfoKey(repo.name)))) throw new Error(`repository info file ${repoInfoKey(repo.name)} not found`);
      repo.errMsg = null;
    } catch (e) {
      repo.errMsg = `${formatDateTime(sim.clock.now())}: ${String((e as Error).message).split('\n')[0]}`;
    }
  });
  void Promise.all(rounds).finally(() => {
    inFlight.delete(sim);
    changed();
  });
}

