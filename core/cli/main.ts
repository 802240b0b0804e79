/**
 * The `duckdag` command line: parses arguments with yargs, runs one command, and maps what went
 * wrong to an exit code (see `ExitCode`).
 */
import yargs, { type Argv } from 'yargs';
import { ConfigError, describeError, DuckdagError } from '../kernel/errors.ts';
import type { ConfigImporter } from '../project/load-config.ts';
import { type CliIo, processIo } from './cli-io.ts';
import { CliSession, type GlobalOptions } from './cli-session.ts';
import { ExitCode } from './exit-code.ts';
import { graphCommand } from './graph-command.ts';
import { lintCommand } from './lint-command.ts';
import { listCommand } from './list-command.ts';
import { materializeCommand } from './materialize-command.ts';
import { queryCommand } from './query-command.ts';
import { runsCommand } from './runs-command.ts';
import { schedulesCommand } from './schedules-command.ts';
import { serveCommand } from './serve-command.ts';
import { statusCommand } from './status-command.ts';

/**
 * Runs the CLI on `argv` (without the node and script paths) and resolves with the exit code.
 * `importConfig` loads the project config (by default Node's `import`, for TypeScript already loadable).
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo(), importConfig?: ConfigImporter): Promise<ExitCode> {
  const session = new CliSession(io, importConfig);
  let cli = yargs([...argv])
    .scriptName('duckdag')
    .usage('$0 <command> [options]\n\nSoftware-defined assets in TypeScript, materialized into a DuckDB warehouse.')
    .option('config', { type: 'string', default: 'pipeline.config.ts', describe: 'The project config file', global: true })
    .option('warehouse', { type: 'string', describe: 'The warehouse file (overrides DUCKDAG_WAREHOUSE and the config)', global: true })
    .option('json', { type: 'boolean', default: false, describe: 'Machine-readable JSON output', global: true })
    .option('lock-timeout', { type: 'number', describe: 'Milliseconds to wait for a warehouse held by another process (default 10000)', global: true })
    .env(false)
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .strict()
    .demandCommand(1, 'name a command')
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version(false)
    .wrap(Math.min(110, io.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message: string | undefined, error: Error | undefined) => {
      if (error !== undefined) throw error;
      // Thrown, not recorded: yargs would otherwise still run the command with the invalid value.
      throw new ConfigError('DUCKDAG_USAGE', `${message ?? 'invalid usage'}\nRun \`duckdag --help\` for usage.`);
    }) as unknown as Argv<GlobalOptions>;
  for (const register of [materializeCommand, serveCommand, schedulesCommand, listCommand, statusCommand, runsCommand, queryCommand, graphCommand, lintCommand]) {
    cli = register(cli, session);
  }
  skipHelpCaching(cli);
  try {
    await cli.parseAsync();
  } catch (error) {
    return reportError(io, argv, error);
  }
  return session.exitCode;
}

/** The part of yargs' instance that renders a command's help ahead of time. */
interface YargsUsageInternals {
  getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } };
}

/**
 * yargs renders a command's whole help before running its handler, in case the handler asks for it
 * later; duckdag's never do (a usage error names `--help` instead), and measuring the help's text
 * (string-width's grapheme segmentation) costs about 0.1 s of every command's start.
 */
function skipHelpCaching(cli: Argv<GlobalOptions>): void {
  (cli as unknown as YargsUsageInternals).getInternalMethods().getUsageInstance().cacheHelpMessage = () => undefined;
}

/** What ended a command: one of duckdag's errors (its message, its exit code), or a bug (the stack, exit 70). */
function reportError(io: CliIo, argv: readonly string[], error: unknown): ExitCode {
  const known = error instanceof DuckdagError;
  const code = known ? error.code : 'DUCKDAG_INTERNAL_ERROR';
  const message = known ? describeError(error) : `internal error, a bug in duckdag (please report it with this output): ${describeError(error)}`;
  if (argv.includes('--json')) {
    io.stdout.write(`${JSON.stringify({ error: { code, message } }, null, 2)}\n`);
  } else {
    io.stderr.write(`error: ${message}\n`);
  }
  if (!known) io.stderr.write(`${error instanceof Error ? (error.stack ?? '') : String(error)}\n`);
  return (known ? error.exitCode : ExitCode.internalError) as ExitCode;
}
