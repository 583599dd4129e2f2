// Child process of the catalog bench: runs the real `plan` command (catalog read, target
// preflight, repository check, build-plan, YAML write) once and reports wall time, CPU time,
// peak RSS of this process and when each progress line appeared (the phases).
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface PlanChildRequest {
  argv: string[];
  env: Record<string, string>;
}

export interface PlanChildResult {
  code: number;
  wallMs: number;
  cpuMs: number;
  peakRssMiB: number;
  planBytes: number;
  /** Objects the plan leaves out because of temporary partitions. */
  tempPartitionExclusions: number;
  /** Progress lines (stderr) with the ms since the start they appeared at. */
  lines: { atMs: number; line: string }[];
  errorText: string;
}

process.once('message', (req: PlanChildRequest) => {
  void (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dm-bench-plan-'));
    const lines: PlanChildResult['lines'] = [];
    let errorText = '';
    let t0 = 0;
    const stderr = new Writable({
      write(chunk: Buffer, _enc, done) {
        const atMs = performance.now() - t0;
        for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push({ atMs, line: line.trim() });
        errorText += chunk.toString();
        done();
      },
    });
    const stdout = new Writable({ write: (_c, _e, done) => done() });
    const cpu0 = process.cpuUsage();
    t0 = performance.now();
    const code = await main(['plan', ...req.argv, '--out', join(dir, 'plan.yaml')], { stdout, stderr, stdin: new PassThrough(), env: req.env, cwd: dir, interactive: false, stdoutIsTTY: false });
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    let planBytes = 0;
    let tempPartitionExclusions = 0;
    try {
      planBytes = statSync(join(dir, 'plan.yaml')).size;
      tempPartitionExclusions = (readFileSync(join(dir, 'plan.yaml'), 'utf8').match(/kind: temp-partition/g) ?? []).length;
    } catch {
      // no plan written: the code and error text say why
    }
    rmSync(dir, { recursive: true, force: true });
    const result: PlanChildResult = { code, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024), planBytes, tempPartitionExclusions, lines, errorText: code === 0 ? '' : errorText.slice(-2000) };
    process.send!(result, () => process.exit(0));
  })();
});
