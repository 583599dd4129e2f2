// What `verify` found, shared by the comparison, the report and the CLI. Pure types.

/** Which part of an object differs between source and target. */
export type DifferenceAspect =
  | 'missing'
  | 'columns'
  | 'key-model'
  | 'partitions'
  | 'buckets'
  | 'rollups'
  | 'view'
  | 'rows'
  | 'property';

export interface Difference {
  /** `db.table`, `db.table.partition` or `db.view`, named as on the target. */
  object: string;
  aspect: DifferenceAspect;
  /** What the source has (or what the plan asked for), as one short line. */
  expected: string;
  /** What the target has, as one short line. */
  actual: string;
}

/** An aspect verify could not compare on these clusters, and why (never skipped silently). */
export interface NotChecked {
  /** `db.table` as named on the target, or `*` for every migrated table. */
  object: string;
  aspect: DifferenceAspect;
  reason: string;
}

export type VerifyLevel = 'quick' | 'full';

export interface Verification {
  level: VerifyLevel;
  /** ISO time the comparison finished. */
  checkedAt: string;
  databases: number;
  tables: number;
  views: number;
  /** Rows counted on the source for the compared tables (0 where counts were not taken). */
  rows: number;
  differences: Difference[];
  /** Aspects left uncompared, with the reason (absent in verifications stored by older builds). */
  notChecked?: NotChecked[];
}
