#!/usr/bin/env node
// Thin entry: everything lives in the compiled CLI so tests can call commands directly.
// The AWS SDK warns about Node 20 on every load; the supported range is ours to state (package.json engines).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../dist/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
