// A short fingerprint of what makes a table the "same schema" for Doris's RESTORE (columns, key
// model, partitioning, distribution): a plan records it per table so that `apply` notices a
// schema that changed since planning and `catch-up` knows to replace the table whole. Pure.
import { createHash } from 'node:crypto';
import type { Table } from '../catalog/model.js';

export function tableSignature(t: Table): string {
  const parts = [
    t.columns.map((c) => `${c.name} ${c.type}${c.nullable ? '' : ' NOT NULL'}${c.isKey ? ' KEY' : ''}`).join(','),
    t.keyModel ?? '',
    t.keyColumns.join(','),
    t.partitionType,
    t.partitionColumns.join(','),
    t.distribution ? `${t.distribution.type}(${t.distribution.columns.join(',')})` : '',
  ];
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}
