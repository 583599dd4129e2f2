// Runs the CLI from source (tests spawn this through tsx so they never depend on a stale build).
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
