// The CLI from source with every product module loaded before it starts. For Ctrl-C tests in a
// terminal: the key sends SIGINT to the whole foreground process group, which includes the esbuild
// service tsx compiles through, so a module first imported after the signal could not be compiled
// (a built CLI has no such service).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const src = join(import.meta.dirname, '..', '..', 'src');
const skip = new Set([join(src, 'cli', 'entry.ts')]);
const modules = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'sandbox' ? [] : modules(path);
    return e.name.endsWith('.ts') && !skip.has(path) ? [path] : [];
  });
for (const m of modules(src)) await import(pathToFileURL(m).href);
const { main } = await import('../../src/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
