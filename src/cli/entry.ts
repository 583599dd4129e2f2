// The CLI as a process entry (bin/doris-migrate.js runs the compiled one); `demo --interrupt-at`
// starts it as a child it can kill.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('./main.js');

process.exitCode = await main(process.argv.slice(2));
