/** `duckdag schedules`: the config's schedules, each with its next tick and its latest one's outcome. */
import { existsSync } from 'node:fs';
import type { Argv } from 'yargs';
import type { CliSession, GlobalOptions } from './cli-session.ts';

export function schedulesCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'schedules',
    'List the schedules with their next tick and the outcome of their latest one',
    (command) => command,
    async (args) => {
      const config = await session.config(args);
      const [{ latestTicks }, { nextTickAt }, { writeRows }] = await Promise.all([
        import('../../storage/history-queries.ts'),
        import('../runtime/schedule-ticks.ts'),
        import('./write-rows.ts'),
      ]);
      const latest = existsSync(config.warehousePath)
        ? await session.withWarehouse(config, 'read_only', 'duckdag schedules', async (warehouse) => latestTicks(await warehouse.connect()))
        : new Map<string, Record<string, unknown>>();
      const now = new Date();
      const columns = ['schedule', 'cron', 'timezone', 'select', 'partition', 'catchup', 'next_tick', 'last_tick', 'last_partition', 'last_status', 'last_detail', 'last_run_id'];
      const rows = config.schedules.map((schedule) => {
        const last = latest.get(schedule.name);
        return [
          schedule.name,
          schedule.cron,
          schedule.timezone,
          schedule.exclude === null ? schedule.select : `${schedule.select} except ${schedule.exclude}`,
          schedule.partition,
          schedule.catchup === 'all' ? `all (at most ${schedule.catchupLimit})` : schedule.catchup,
          nextTickAt(schedule, now)?.toISOString().replace('.000Z', 'Z') ?? null,
          last?.tick_at ?? null,
          last?.partition_key ?? null,
          last?.status ?? null,
          last?.reason ?? null,
          last?.run_id ?? null,
        ];
      });
      writeRows(session.io, { columns, rows }, args.json ? 'json' : 'table');
    },
  );
}
