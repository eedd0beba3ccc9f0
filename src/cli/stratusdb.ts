#!/usr/bin/env node
// The `stratusdb` command: parse flags, start the server, print one ready line, stop cleanly on
// SIGINT/SIGTERM (finish in-flight requests, close storage, exit 0); or run a subcommand (triggers,
// check, migrate, and backup / restore / export / import against a running server).
import { helpText, parseCli } from '../config/cli-args.js';
import { packageVersion } from './package-version.js';
import { listTriggers } from './list-triggers.js';

async function main(): Promise<void> {
  const command = parseCli(process.argv.slice(2), process.env);
  switch (command.kind) {
    case 'help':
      process.stdout.write(helpText);
      return;
    case 'version':
      process.stdout.write(`${packageVersion()}\n`);
      return;
    case 'error':
      process.stderr.write(`stratusdb: ${command.message}\n`);
      process.exitCode = 2;
      return;
    case 'check': {
      process.env['MSGPACKR_NATIVE_ACCELERATION_DISABLED'] ??= 'true';
      const { checkStore, checkStoreIsolated } = await import('./check-store.js');
      const out = (text: string): void => void process.stdout.write(text);
      const err = (text: string): void => void process.stderr.write(text);
      process.exitCode = command.inProcess ? await checkStore(command.data, command.json, out, err) : checkStoreIsolated(command.data, command.json, out, err);
      return;
    }
    case 'migrate': {
      const { migrateStore } = await import('./migrate-store.js');
      process.exitCode = await migrateStore(command.data, (text) => process.stdout.write(text), (text) => process.stderr.write(text));
      return;
    }
    case 'work': {
      const { runWork } = await import('./long-work.js');
      const { ProgressBar } = await import('./progress-bar.js');
      process.exitCode = await runWork(command.work, command.endpoint, process.env, {
        out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text), bar: new ProgressBar(process.stderr),
      });
      return;
    }
    case 'region': {
      const { regionOutage } = await import('./region-outage.js');
      process.exitCode = await regionOutage(command, (text) => process.stdout.write(text), (text) => process.stderr.write(text));
      return;
    }
    case 'cost': {
      const { costReport } = await import('./cost-report.js');
      process.exitCode = await costReport(command.endpoint, command.json, (text) => process.stdout.write(text), (text) => process.stderr.write(text), process.env);
      return;
    }
    case 'deploy': {
      const { runDeploy } = await import('./deploy-command.js');
      process.exitCode = await runDeploy(command.deploy, command.endpoint, process.env, (text) => process.stdout.write(text), (text) => process.stderr.write(text));
      return;
    }
    case 'triggers':
      process.exitCode = await listTriggers(command.endpoint, command.json, (text) => process.stdout.write(text), (text) => process.stderr.write(text), process.env);
      return;
    case 'serve': {
      // StratusDB stores no MessagePack, so lmdb-js's msgpackr need not load its native decoder
      // (start-up time). Set in the process the command owns — never by the embeddable API — and
      // before the server's modules load, hence the dynamic import.
      process.env['MSGPACKR_NATIVE_ACCELERATION_DISABLED'] ??= 'true';
      const { startServer } = await import('../main.js');
      const { findProjectFile } = await import('../config/project-file.js');
      const configFile = command.options.configFile ?? findProjectFile(process.cwd());
      const server = await startServer({ ...command.options, ...(configFile === undefined ? {} : { configFile }) });
      process.stdout.write(`StratusDB ${packageVersion()} listening on ${server.endpoint} (data: ${server.data})\n`);
      let stopping = false;
      const stop = (signal: NodeJS.Signals): void => {
        // A second signal does not wait: every acknowledged write is already durable.
        if (stopping) process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
        stopping = true;
        // close() stops listening before it returns; the message says so only after that.
        const closed = server.close();
        process.stderr.write(`stratusdb: ${signal}: shutting down (a second signal stops at once)\n`);
        closed.then(
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
  // A mistake in the project file is a usage error, like a bad flag.
  process.exit(error instanceof Error && error.name === 'ConfigError' ? 2 : 1);
});
