// One cluster of `plan`: its URL and password, checked by connecting at once. In a terminal a
// refused password is asked again and an unreachable address sends the user back to the URL;
// without one the first failure is the answer (exit 4, naming the password's variable).
import type { ClusterFacts } from '../../catalog/model.js';
import type { DorisClient } from '../../doris/client.js';
import { isMigrateError, usageError } from '../../errors.js';
import { parseClusterUrl, type ClusterUrl } from '../flags.js';
import { writeLine, type CliIO } from '../io.js';
import { validBy, type Asker } from './asker.js';

export interface OpenCluster {
  url: ClusterUrl;
  /** The environment variable apply reads the password from. */
  passwordEnv: string;
  facts: ClusterFacts;
  /** A client with the usual retries, for the catalog read and the checks that follow. */
  client: DorisClient;
}

export interface ClusterQuestion {
  which: 'source' | 'target';
  /** The flag's value, if given. */
  url: string | undefined;
  tls: boolean;
  io: CliIO;
  asker: Asker | undefined;
}

export async function openCluster(q: ClusterQuestion): Promise<OpenCluster> {
  const flag = `--${q.which}`;
  const passwordEnv = `DORIS_${q.which.toUpperCase()}_PASSWORD`;
  const { connect } = await import('../../doris/connection.js');
  const { readClusterFacts } = await import('../../catalog/reader.js');
  let text = q.url;
  for (;;) {
    if (text === undefined) {
      if (!q.asker) throw usageError('missing-flag', `missing ${flag} (${q.which} cluster, mysql://user@host:port): pass it, or run in a terminal to be asked`);
      text = await q.asker.input(`${q.which} cluster (mysql://user@host:port):`, validBy((v) => parseClusterUrl(v, flag)));
    }
    const url = parseClusterUrl(text, flag);
    const who = `${url.user}@${url.host}:${url.port}`;
    let password = q.io.env[passwordEnv] ?? (q.asker ? await q.asker.password(`password of ${who} (${passwordEnv} is not set; empty for none):`) : '');
    for (;;) {
      // One attempt, so a wrong address is reported in seconds rather than after the backoff.
      const probe = connect({ ...url, password, passwordEnv, tls: q.tls, attempts: 1 });
      try {
        const facts = await readClusterFacts(probe);
        return { url, passwordEnv, facts, client: connect({ ...url, password, passwordEnv, tls: q.tls }) };
      } catch (e) {
        if (!q.asker || !isMigrateError(e)) throw e;
        writeLine(q.io.stderr, `  ${e.message}`);
        if (e.code !== 'access-denied') break;
        password = await q.asker.password(`password of ${who} (try again):`);
      } finally {
        await probe.close().catch(() => undefined);
      }
    }
    text = undefined;
  }
}
