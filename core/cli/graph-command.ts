/**
 * `duckdag graph`: the asset graph as Graphviz DOT, a Mermaid flowchart or JSON, or drawn with each
 * asset's status as SVG or a self-contained HTML page. On a terminal, with no format named, it
 * writes the page beside the warehouse and says where; piped, it prints DOT.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { selectAssets } from '../kernel/asset-selection.ts';
import { parsePartitionKey } from '../kernel/daily-partitions.ts';
import { formatGraph, GraphFormat } from './graph-formats.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';

export function graphCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'graph',
    'Print or draw the asset graph',
    (command) =>
      command
        .option('format', {
          alias: 'f',
          choices: Object.values(GraphFormat),
          describe: 'Output format (default: html written to a file on a terminal, dot when piped)',
        })
        .option('out', { alias: 'o', type: 'string', describe: 'Write to this file instead of standard output' })
        .option('select', { alias: 's', type: 'string', default: '*', describe: 'Assets to show: name, +name, name+, 2+name, tag:k=v, group:g, *; comma-separated' })
        .option('exclude', { alias: 'x', type: 'string', describe: 'Assets to leave out, same syntax' })
        .option('partition', { alias: 'p', type: 'string', describe: 'Colour svg and html by this partition YYYY-MM-DD (default: the latest materialized)' }),
    async (args) => {
      const partitionKey = args.partition === undefined ? undefined : parsePartitionKey(args.partition);
      const config = await session.config(args);
      const names = selectAssets(config.graph, args.select, args.exclude);
      const onTerminal = session.io.stdout.isTTY === true && args.format === undefined && args.out === undefined && !args.json;
      const format = args.json ? GraphFormat.json : (args.format ?? (onTerminal ? GraphFormat.html : GraphFormat.dot));
      const text =
        format === 'svg' || format === 'html'
          ? await (await import('./graph-picture.ts')).graphPicture(session, config, { format, names, partitionKey })
          : formatGraph(config.graph, config.kinds, format, names);
      const out = args.out === undefined ? (onTerminal ? join(dirname(config.warehousePath), 'graph.html') : undefined) : resolve(args.out);
      if (out === undefined) {
        session.io.stdout.write(text);
        return;
      }
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, text);
      const shown = relative(process.cwd(), out).startsWith('..') ? out : relative(process.cwd(), out);
      session.io.stdout.write(onTerminal ? `wrote ${shown}: open it in a browser (or pipe \`duckdag graph\` for DOT text)\n` : `wrote ${shown}\n`);
    },
  );
}
