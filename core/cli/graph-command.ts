/** `duckdag graph`: the asset graph as Graphviz DOT, a Mermaid flowchart or JSON. */
import type { Argv } from 'yargs';
import { formatGraph, GraphFormat } from './graph-formats.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';

export function graphCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'graph',
    'Print the asset graph',
    (command) =>
      command.option('format', {
        alias: 'f',
        choices: Object.values(GraphFormat),
        default: GraphFormat.dot,
        describe: 'Output format',
      }),
    async (args) => {
      const config = await session.config(args);
      session.io.stdout.write(formatGraph(config.graph, config.kinds, args.json ? 'json' : args.format));
    },
  );
}
