// A full disk and a read-only disk under plans/, for real: a 64 KiB tmpfs mounted on plans/ (this
// needs root, as the test machine runs). apply must name the file and the fix, exit 1, leave the
// state as it was and no temp files; on a read-only disk the lock that cannot be removed must not
// hide the real error.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/atomic-file.js';
import { demoMigration, type Migration } from '../support/migration.js';

let m: Migration | undefined;
let mounted: string | undefined;
afterEach(async () => {
  if (mounted) execFileSync('umount', [mounted]);
  mounted = undefined;
  await m?.dispose();
  m = undefined;
});

/** Mounts a small tmpfs on `dir` and puts back what was in it. */
function smallDisk(dir: string, kib: number): void {
  const aside = `${dir}.aside`;
  renameSync(dir, aside);
  mkdirSync(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir]);
  mounted = dir;
  for (const f of readdirSync(aside)) copyFileSync(join(aside, f), join(dir, f));
}

/** Fills the disk under `dir` until `pages` free pages are left. */
function fill(dir: string, pages: number): void {
  const { bsize, bavail } = statfsSync(dir);
  if (bavail > pages) writeFileSync(join(dir, 'filler'), Buffer.alloc((bavail - pages) * bsize));
  expect(statfsSync(dir).bavail).toBe(pages);
}

const apply = (mig: Migration) => mig.run(['apply', 'plans/mig.yaml', '--poll-interval', '0.02', '--yes']);
const temps = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

describe('file-system faults', () => {
  it('writeFileAtomic: a full disk is one named error, the old content stays, no temp file is left', () => {
    const dir = join('/tmp', `dm-disk-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    mounted = dir;
    const file = join(dir, 'x.state.json');
    writeFileAtomic(file, 'old');
    fill(dir, 1);
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
    smallDisk(plans, 64);
    // One page left: the lock and the trail fit, the first full write of the state does not.
    fill(plans, 2);
    const r = await apply(m);
    expect(r.code, r.out + r.err).toBe(1);
    expect(r.err).not.toContain('bug');
    const last = r.err.trim().split('\n').at(-1)!;
    expect(last).toMatch(new RegExp(`^doris-migrate: cannot (write|append to) ${plans}/mig\\.(state\\.json|state\\.journal|log|report\\.\\w+): the disk is full \\(ENOSPC\\): free space on the disk holding ${plans}`));
    expect(temps(plans)).toEqual([]);
    expect(existsSync(join(plans, 'mig.lock'))).toBe(false);
    // Whatever state reached the disk is whole (a short write used to be renamed into place).
    expect((await m.run(['status', 'plans/mig.yaml', '--json'])).code).toBe(0);
    // Space again: the same apply completes.
    execFileSync('rm', [join(plans, 'filler')]);
    const again = await apply(m);
    expect(again.code, again.out + again.err).toBe(0);
  }, 120_000);

  it('apply on a read-only disk: the lock cannot be taken, said so, exit 1', async () => {
    m = await demoMigration({ databases: 'crm-eu' });
    const plans = join(m.dir, 'plans');
    smallDisk(plans, 256);
    execFileSync('mount', ['-o', 'remount,ro', plans]);
    const r = await apply(m);
    expect(r.code, r.out + r.err).toBe(1);
    expect(r.err.trim()).toBe(`doris-migrate: cannot take the lock ${plans}/mig.lock: the file system is read-only (EROFS): make ${plans} writable (remount read-write), or keep the plan in a writable directory; nothing was started`);
  }, 60_000);

  it('a disk that turns read-only mid-run: the real error is shown, the lock failure beside it', async () => {
    m = await demoMigration({ databases: 'crm-eu', timeScale: 50 });
    const plans = join(m.dir, 'plans');
    smallDisk(plans, 256);
    const run = apply(m);
    // Once the state holds a running backup, the disk goes read-only under the run.
    const until = Date.now() + 60_000;
    const running = async () => (JSON.parse((await m!.run(['status', 'plans/mig.yaml', '--json'])).out) as { running: number }).running > 0;
    while (Date.now() < until && !(await running())) await new Promise((r) => setTimeout(r, 20));
    execFileSync('mount', ['-o', 'remount,ro', plans]);
    const r = await run;
    expect(r.code, r.out + r.err).toBe(1);
    const lines = r.err.trim().split('\n');
    expect(lines.join('\n')).not.toContain('bug');
    expect(lines.find((l) => l.startsWith('doris-migrate: also: cannot remove the lock'))).toContain('the file system is read-only (EROFS)');
    expect(lines.at(-1)).toMatch(/^doris-migrate: cannot (write|append to) .*: the file system is read-only \(EROFS\)/);
  }, 120_000);
});
