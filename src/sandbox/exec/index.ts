// Every statement the simulator core understands, in match order.
import type { StatementHandler } from '../engine.js';
import { adminSim } from './admin-sim.js';
import { alterTable, truncate } from './alter-table.js';
import { createTable } from './create-table.js';
import { describeHandler } from './describe.js';
import { createDatabase, dropDatabase, set, use } from './database-ddl.js';
import { insert } from './insert.js';
import { createCatalog, createResource, createStoragePolicy, showCatalogs, showStoragePolicy } from './resources.js';
import { selectStatement } from './select.js';
import { showBackends, showFrontends, showProc } from './show-cluster.js';
import { showCreateHandler, showDataHandler, showDatabases, showDynamicPartitions, showPartitionsHandler, showTables, showTableStatus } from './show-catalog.js';
import { createUser, grant, showGrants } from './users.js';
import { showVariables } from './variables.js';
import { createMv, createView, dropTable, refreshMv } from './views.js';

export const coreStatements: StatementHandler[] = [
  selectStatement, insert, use, set,
  createDatabase, dropDatabase, createTable, createView, createMv, refreshMv, dropTable, alterTable, truncate,
  createResource, createStoragePolicy, createCatalog, createUser, grant,
  showDatabases, showTables, describeHandler, showCreateHandler, showDataHandler, showPartitionsHandler, showDynamicPartitions, showTableStatus,
  showStoragePolicy, showCatalogs, showGrants, showBackends, showFrontends, showProc, showVariables,
  adminSim,
];
