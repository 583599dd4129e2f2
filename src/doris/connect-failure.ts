// What to check when an FE cannot be reached: each connect-level failure names host, port and the
// likely cause in words, so "ECONNREFUSED" is never all a user sees. Pure.

/** The FE's MySQL port by default (`query_port` in fe.conf). */
const QUERY_PORT = 'the FE\'s query port (query_port in fe.conf, 9030 by default)';

/**
 * The advice for a failure to connect to `host:port`, or undefined when the failure is not about
 * reaching the FE (a dropped link mid-statement keeps its plain reason).
 */
export function connectAdvice(code: string | undefined, host: string, port: number, connectTimeoutMs: number): string | undefined {
  const seconds = Math.round(connectTimeoutMs / 1000);
  switch (code) {
    case 'ECONNREFUSED':
      return `nothing accepts connections at ${host}:${port}: check the host, that ${port} is ${QUERY_PORT}, and that the FE is running`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name ${host} does not resolve: check its spelling and DNS`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `there is no route to ${host}: check the address, the network and firewalls`;
    case 'ETIMEDOUT':
      return `no answer from ${host}:${port} within ${seconds} s: check the address and that firewalls let this machine reach port ${port}`;
    case 'NOT_MYSQL':
      return `${host}:${port} accepted the connection but did not answer as a MySQL server within ${seconds} s: check that ${port} is ${QUERY_PORT}, not the FE's HTTP port (8030) or another service`;
    default:
      return undefined;
  }
}
