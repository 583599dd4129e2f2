// The loopback object servers used by tests, the sandbox and the demo: they serve what they
// promise, and stopping them closes the port and leaves no child process behind.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { startAzurite, startS3Server } from '../../src/sandbox/stack/object-servers.js';

/** Pids of this worker's child processes running Azurite (Linux /proc; vitest runs files in forks). */
function azuriteChildren(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('azurite');
      } catch {
        return false; // the process ended while we looked
      }
    })
    .map(Number);
}

const refused = async (url: string): Promise<boolean> => fetch(url).then(() => false, () => true);

describe('object servers', () => {
  it('s3rver serves every bucket asked for on loopback and closes its port on stop', async () => {
    const s3 = await startS3Server({ buckets: ['first-bucket', 'second-bucket'] });
    expect(s3.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s3).toMatchObject({ bucket: 'first-bucket', accessKeyId: 'S3RVER', region: 'us-east-1' });
    expect((await fetch(`${s3.endpoint}/second-bucket?list-type=2`)).status).toBe(200);
    await s3.stop();
    expect(await refused(`${s3.endpoint}/first-bucket`)).toBe(true);
  });

  it('Azurite creates the containers, and stop ends its process and closes the port', async () => {
    const az = await startAzurite({ containers: ['one-c', 'two-c'] });
    expect(az.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    expect(az.container).toBe('one-c');
    const service = new BlobServiceClient(az.endpoint, new StorageSharedKeyCredential(az.account, az.accountKey));
    const names: string[] = [];
    for await (const c of service.listContainers()) names.push(c.name);
    expect(names.sort()).toEqual(['one-c', 'two-c']);
    expect(azuriteChildren()).toHaveLength(1);
    await az.stop();
    expect(azuriteChildren()).toEqual([]);
    expect(await refused(az.endpoint)).toBe(true);
  });

  it('stop returns even when Azurite was already killed from outside', async () => {
    const az = await startAzurite();
    const [pid] = azuriteChildren();
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGKILL');
    // Wait until Node has reaped it (a zombie keeps its /proc entry), so its 'exit' event is past.
    await expect.poll(() => existsSync(`/proc/${pid}`), { interval: 50, timeout: 10_000 }).toBe(false);
    await az.stop();
  });
});
