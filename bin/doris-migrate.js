#!/usr/bin/env node
// Thin entry: everything lives in the compiled CLI so tests can call commands directly.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
