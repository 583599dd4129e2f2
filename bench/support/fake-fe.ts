// An in-process stand-in for a Doris FE, for measuring apply itself: it answers only the
// statements apply sends for backup/restore plans, and every BACKUP or RESTORE it accepts is
// FINISHED at once. No network, no simulated clock, nothing else: what remains is apply's own cost.
import type { DorisClient } from '../../src/doris/client.js';
import type { Row } from '../../src/doris/parse-results.js';
import type { RepositoryBackend } from '../../src/storage/backend.js';

interface FakeJob {
  jobId: number;
  label: string;
  database: string;
  state: string;
}

export interface FakeFe extends DorisClient {
  /** Jobs by `database/label`, oldest first; a bench may add running ones (jobs in flight). */
  jobs: Map<string, FakeJob[]>;
  statements: number;
  /** Called as each BACKUP or RESTORE arrives. */
  onSubmit?: (statement: string) => void;
}

const unquote = (s: string): string => s.replace(/^[`"']|[`"']$/g, '');

export function fakeFe(version: string, repository: string): FakeFe {
  let nextId = 1;
  const finished = new Set<string>();
  const key = (db: string, label: string): string => `${db}/${label}`;
  const fe: FakeFe = {
    address: 'fake-fe',
    jobs: new Map(),
    statements: 0,
    get roundTrips() {
      return fe.statements;
    },
    close: () => Promise.resolve(),
    query(statement: string): Promise<Row[]> {
      fe.statements++;
      return Promise.resolve(answer(statement));
    },
  };
  const jobRows = (db: string, label: string, labelColumn: string): Row[] =>
    (fe.jobs.get(key(db, label)) ?? []).map((j) => ({ JobId: String(j.jobId), [labelColumn]: j.label, DbName: j.database, State: j.state, Status: '[OK]', Progress: '', CreateTime: '2026-12-04 00:00:00', FinishedTime: j.state === 'FINISHED' ? '2026-12-04 00:00:01' : null, Timestamp: '2026-12-04-00-00-00' }));
  const answer = (statement: string): Row[] => {
    let m: RegExpExecArray | null;
    if (statement.startsWith('SELECT @@version_comment')) return [{ v: `Doris version doris-${version}-fake` }];
    if (statement === 'SHOW REPOSITORIES') return [];
    if (/^CREATE (READ ONLY )?REPOSITORY /.test(statement) || statement.startsWith('CREATE DATABASE')) return [];
    if ((m = /^(BACKUP|RESTORE) SNAPSHOT (`[^`]+`)\.(`[^`]+`)/.exec(statement))) {
      fe.onSubmit?.(statement);
      const [db, label] = [unquote(m[2]!), unquote(m[3]!)];
      const list = fe.jobs.get(key(db, label)) ?? [];
      list.push({ jobId: nextId++, label, database: db, state: 'FINISHED' });
      finished.add(label);
      fe.jobs.set(key(db, label), list);
      return [];
    }
    if ((m = /^SHOW BACKUP FROM (`[^`]+`) WHERE SnapshotName = "([^"]+)"/.exec(statement))) return jobRows(unquote(m[1]!), m[2]!, 'SnapshotName');
    if ((m = /^SHOW (?:BRIEF )?RESTORE FROM (`[^`]+`) WHERE Label = "([^"]+)"/.exec(statement))) return jobRows(unquote(m[1]!), m[2]!, 'Label');
    if ((m = /^SHOW SNAPSHOT ON `[^`]+` WHERE SNAPSHOT = "([^"]+)"/.exec(statement))) {
      return [finished.has(m[1]!) ? { Snapshot: m[1]!, Timestamp: '2026-12-04-00-00-00', Status: 'OK' } : { Snapshot: m[1]!, Timestamp: null, Status: 'ERROR: No info file found' }];
    }
    throw new Error(`the fake FE (repository ${repository}) does not answer: ${statement.slice(0, 80)}`);
  };
  return fe;
}

/** A repository that holds every snapshot at once (its files are not apply's overhead either). */
export function fakeRepository(location: string): RepositoryBackend {
  return {
    location,
    preflight: () => Promise.resolve({ location, checked: 'ok', snapshots: [] }),
    listSnapshots: () => Promise.resolve([]),
    snapshotFiles: (_repo, label) => Promise.resolve({ label, timestamps: ['2026-12-04-00-00-00'], files: 2, bytes: 1000 }),
    deleteSnapshot: () => Promise.resolve(0),
    snapshotVersions: () => Promise.resolve({}),
  };
}
