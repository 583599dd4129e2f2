// A full disk and a read-only disk under plans/. Where the machine lets us mount (root, as CI
// runs), a real 64 KiB tmpfs on plans/; the same cases also run, and run alone where mounting is
// not allowed, with the faults injected at the product's file layer (test/support/disk-faults.ts).
// apply must name the file and the fix, exit 1, leave the state as it was and no temp files; on a
// read-only disk the lock that cannot be removed must not hide the real error.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/atomic-file.js';
import { canMount, smallDisk, type SmallDisk } from '../support/disk-faults.js';
import { demoMigration, type Migration } from '../support/migration.js';

const MOUNT = canMount();
let m: Migration | undefined;
let disk: SmallDisk | undefined;
let scratch: string | undefined;
afterEach(async () => {
  disk?.release();
  disk = undefined;
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
  await m?.dispose();
  m = undefined;
});

const apply = (mig: Migration) => mig.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes']);
const temps = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe.each(MOUNT ? ['tmpfs', 'injected'] : ['injected'])('file-system faults on a %s disk', (kind) => {
  const mount = kind === 'tmpfs';

  it('writeFileAtomic: a full disk is one named error, the old content stays, no temp file is left', () => {
    const dir = join('/tmp', `dm-disk-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    scratch = dir;
    disk = smallDisk(dir, 64, { mount });
    const file = join(dir, 'x.state.json');
    writeFileAtomic(file, 'old');
    disk.fill(1);
    let error: unknown;
    try {
      writeFileAtomic(file, 'x'.repeat(64 * 1024));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ exitCode: 1, code: 'file-write' });
    expect((error as Error).message).toBe(`cannot write ${file}: the disk is full (ENOSPC): free space on the disk holding ${dir}; its previous content is unchanged`);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(temps(dir)).toEqual([]);
  });

  it('apply on a full disk: names the state file and the fix, exit 1, state intact, no temp files, lock released', async () => {
    m = await demoMigration({ databases: 'crm-eu' });
    const plans = join(m.dir, 'plans');
    disk = smallDisk(plans, 64, { mount, keep: true });
    // Two pages left: the lock and the trail fit, the first full write of the state does not.
    disk.fill(2);
    const r = await apply(m);
    expect(r.code, r.out + r.err).toBe(1);
    expect(r.err).not.toContain('bug');
    const last = r.err.trim().split('\n').at(-1)!;
    expect(last).toMatch(new RegExp(`^doris-migrate: cannot (write|append to) ${plans}/mig\\.(state\\.json|state\\.journal|log|report\\.\\w+): the disk is full \\(ENOSPC\\): free space on the disk holding ${plans}`));
    expect(temps(plans)).toEqual([]);
    expect(readdirSync(plans)).not.toContain('mig.lock');
    // Whatever state reached the disk is whole (a short write used to be renamed into place).
    expect((await m.run(['status', 'plans/mig.yaml', '--json'])).code).toBe(0);
    // Space again: the same apply completes.
    disk.unfill();
    const again = await apply(m);
    expect(again.code, again.out + again.err).toBe(0);
  }, 120_000);

  it('apply on a read-only disk: the lock cannot be taken, said so, exit 1', async () => {
    m = await demoMigration({ databases: 'crm-eu' });
    const plans = join(m.dir, 'plans');
    disk = smallDisk(plans, 256, { mount, keep: true });
    disk.readOnly();
    const r = await apply(m);
    expect(r.code, r.out + r.err).toBe(1);
    expect(r.err.trim()).toBe(`doris-migrate: cannot take the lock ${plans}/mig.lock: the file system is read-only (EROFS): make ${plans} writable (remount read-write), or keep the plan in a writable directory; nothing was started`);
  }, 60_000);

  it('a disk that turns read-only mid-run: the real error is shown, the lock failure beside it', async () => {
    m = await demoMigration({ databases: 'crm-eu', timeScale: 50 });
    const plans = join(m.dir, 'plans');
    disk = smallDisk(plans, 256, { mount, keep: true });
    const run = apply(m);
    // Once the state holds a running backup, the disk goes read-only under the run.
    const until = Date.now() + 60_000;
    const running = async () => (JSON.parse((await m!.run(['status', 'plans/mig.yaml', '--json'])).out) as { running: number }).running > 0;
    while (Date.now() < until && !(await running())) await new Promise((r) => setTimeout(r, 20));
    disk.readOnly();
    const r = await run;
    expect(r.code, r.out + r.err).toBe(1);
    const lines = r.err.trim().split('\n');
    expect(lines.join('\n')).not.toContain('bug');
    expect(lines.find((l) => l.startsWith('doris-migrate: also: cannot remove the lock'))).toContain('the file system is read-only (EROFS)');
    expect(lines.at(-1)).toMatch(/^doris-migrate: cannot (write|append to) .*: the file system is read-only \(EROFS\)/);
  }, 120_000);
});
