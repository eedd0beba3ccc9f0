#!/usr/bin/env node
// The `stratusdb` command: parse flags, start the server, print one ready line, stop cleanly on
// SIGINT/SIGTERM (finish in-flight requests, close storage, exit 0).
import { readFileSync } from 'node:fs';
import { helpText, parseCli } from '../config/cli-args.js';
import { startServer } from '../main.js';

const packageJson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

async function main(): Promise<void> {
  const command = parseCli(process.argv.slice(2), process.env);
  switch (command.kind) {
    case 'help':
      process.stdout.write(helpText);
      return;
    case 'version':
      process.stdout.write(`${packageJson.version}\n`);
      return;
    case 'error':
      process.stderr.write(`stratusdb: ${command.message}\n`);
      process.exitCode = 2;
      return;
    case 'serve': {
      const server = await startServer(command.options);
      process.stdout.write(`StratusDB ${packageJson.version} listening on ${server.endpoint} (data: ${server.data})\n`);
      let stopping = false;
      const stop = (): void => {
        if (stopping) return;
        stopping = true;
        server.close().then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`stratusdb: error while closing: ${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      return;
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`stratusdb: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
