// Seeds written for the simulator, made acceptable to real Doris 2.1. Only what real Doris
// would refuse is changed; the catalog a scenario migrates stays the same.
import { splitStatements } from '../../src/sandbox/sql/lexer.js';

export function forRealDoris(sql: string): string {
  return splitStatements(sql)
    // Legacy MySQL external tables: 2.1 builds refuse new ones unless fe.conf enables them
    // (enable_odbc_mysql_broker_table, UNCONFIRMED per build); the migration leaves them out anyway.
    .filter((s) => !/^CREATE\s+EXTERNAL\s+TABLE\b[\s\S]*\bENGINE\s*=\s*mysql\b/i.test(s))
    .map((s) =>
      s
        // Simulator-only table properties ("sim.data_bytes" fakes a size): Doris rejects unknown ones.
        .replace(/,\s*"sim\.[\w.]+"\s*=\s*"[^"]*"/g, '')
        .replace(/"sim\.[\w.]+"\s*=\s*"[^"]*"\s*,\s*/g, '')
        // Global objects outlive the databases a rerun drops.
        .replace(/^CREATE\s+(RESOURCE|STORAGE\s+POLICY|CATALOG)\s+(?!IF\s+NOT\s+EXISTS)/i, 'CREATE $1 IF NOT EXISTS ')
        // An S3 resource for a storage policy points nowhere reachable: skip Doris's connectivity check.
        .replace(/^(CREATE\s+RESOURCE\b[\s\S]*?\bPROPERTIES\s*\()(?=[\s\S]*"type"\s*=\s*"s3")(?![\s\S]*"s3_validity_check")/i, '$1"s3_validity_check" = "false", '),
    )
    .join(';\n');
}
