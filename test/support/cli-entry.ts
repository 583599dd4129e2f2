// Runs the CLI from source (tests spawn this through tsx so they never depend on a stale build).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../../src/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
