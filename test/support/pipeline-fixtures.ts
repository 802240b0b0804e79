/** Config files for CLI fixture projects. */
import { coreIndex } from './fixture-project.ts';

/**
 * A small partitioned project: numbers → big (rows above MIN) → summary (value) → note (value),
 * and a separate `broken` asset that fails when BROKEN=1. `hold` hangs when HOLD=1.
 */
export const smallProjectConfig = `
import { dailyPartitions, defineConfig, sql, sqlAsset, tableAsset, valueAsset } from ${JSON.stringify(coreIndex)};

const numbers = tableAsset({
  name: 'numbers',
  group: 'ingest',
  tags: { layer: 'bronze' },
  partitions: dailyPartitions('day'),
  materialize: async (_, ctx) => {
    if (process.env.HOLD === '1') {
      ctx.log('holding the warehouse');
      await new Promise(() => setInterval(() => undefined, 1000));
    }
    await ctx.output.createAs(sql\`SELECT CAST(\${ctx.partitionKey} AS DATE) AS day, range AS n FROM range(10)\`);
  },
});
const big = sqlAsset({
  name: 'big',
  deps: { numbers },
  partitions: dailyPartitions('day'),
  query: ({ numbers }) => sql\`SELECT * FROM \${numbers.partition} WHERE n > \${Number(process.env.MIN ?? 5)}\`,
});
const summary = valueAsset({
  name: 'summary',
  deps: { big },
  partitions: dailyPartitions('day'),
  compute: async ({ big }, ctx) => (await ctx.query<{ count: number }>(sql\`SELECT count(*) AS count FROM \${big.partition}\`))[0],
});
const note = valueAsset({ name: 'note', deps: { summary }, partitions: dailyPartitions('day'), compute: ({ summary }) => 'count ' + summary?.count });
const broken = sqlAsset({
  name: 'broken',
  query: () => (process.env.BROKEN === '1' ? sql\`SELECT error('the source is down')\` : sql\`SELECT 1 AS ok\`),
});
export default defineConfig({ assets: [numbers, big, summary, note, broken] });
`;
