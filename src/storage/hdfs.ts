// HDFS: Doris's BEs talk to it; from here we can only check reachability through WebHDFS.
import type { RepositorySettings } from './settings.js';
import { StoreError } from './backend.js';
import { parseLocation } from './location.js';

type HdfsSettings = Extract<RepositorySettings, { backend: 'hdfs' }>;

/** GETFILESTATUS on the repository directory's parent through WebHDFS. */
export async function checkWebHdfs(settings: HdfsSettings, location: string): Promise<void> {
  const parsed = parseLocation(location);
  if (parsed.backend !== 'hdfs') throw new StoreError(`${location} is not an hdfs:// location`);
  const user = settings.user ? `&user.name=${encodeURIComponent(settings.user)}` : '';
  const url = `${settings.webhdfs!.replace(/\/+$/, '')}/webhdfs/v1/?op=GETFILESTATUS${user}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    throw new StoreError(`cannot reach WebHDFS at ${settings.webhdfs} (${(e as Error).message}): check --webhdfs and the namenode's HTTP port`);
  }
  if (res.status === 401 || res.status === 403) throw new StoreError(`WebHDFS refused the request (${res.status}): check --hdfs-user or Kerberos`);
  if (!res.ok) throw new StoreError(`WebHDFS answered ${res.status} for ${url}`);
}
