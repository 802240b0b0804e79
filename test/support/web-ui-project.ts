/**
 * The MercadoLibre pipeline served by `duckdag serve` (the real CLI, in a child process) with its
 * web UI on a free loopback port, against a fake MercadoLibre API and a real SMTP server; its config
 * is the repository's, without schedules (nothing runs unless a test launches it) unless `schedules`.
 */
import { once } from 'node:events';
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { SMTPServerOptions } from 'smtp-server';
import { startFakeApi, type FakeApiOptions } from './fake-mercadolibre-api.ts';
import { fixtureProject, repoRoot, waitForOutput, type CliRun } from './fixture-project.ts';
import { startSmtpServer, type TestSmtpServer } from './smtp-test-server.ts';

export const scriptTitle = '<script>window.pwned = 1</script> Cámara «única» & <b>bold</b>';

/** One listing worth ARS 25,000,000 titled with markup, so it reaches the email; the others plain. */
export const listingsWithMarkup: Pick<FakeApiOptions, 'listings' | 'listing'> = {
  listings: { MLA1: 2, MLA2: 2 },
  listing: (category, index) =>
    category === 'MLA1' && index === 0
      ? { id: 'MLA900001', title: scriptTitle, price: 50000, currency_id: 'ARS', sold_quantity: 500, permalink: 'https://articulo.mercadolibre.com.ar/MLA-900001-_JM' }
      : { id: `MLA${category.slice(3)}0${index}`, title: `Item ${index}`, price: 100, currency_id: 'ARS', sold_quantity: 5 },
};

export interface ServedPipeline {
  /** The web UI's address, ending in `/`; with `?token=…` when the server made one. */
  readonly url: string;
  /** The serve process's. */
  readonly pid: number;
  /** The project's folder, holding its `duckdag.config.ts`. */
  readonly dir: string;
  readonly smtp: TestSmtpServer;
  /** Everything serve printed so far. */
  output(): string;
  /** Runs another CLI command on the same project and warehouse. */
  run(args: readonly string[]): Promise<CliRun>;
}

export async function servePipeline(
  t: TestContext,
  options: { smtp?: SMTPServerOptions; args?: readonly string[]; env?: NodeJS.ProcessEnv; schedules?: boolean; apiLatencyMs?: number } = {},
): Promise<ServedPipeline> {
  const api = await startFakeApi(t, { ...listingsWithMarkup, latencyMs: options.apiLatencyMs });
  const smtp = await startSmtpServer(t, null, options.smtp ?? {});
  const project = fixtureProject(t, {
    'duckdag.config.ts': `import config from ${JSON.stringify(join(repoRoot, 'pipeline.config.ts'))};\nexport default ${options.schedules === true ? 'config' : '{ ...config, schedules: [] }'};\n`,
  });
  // The compiled config imports the pipeline's packages from beside it.
  mkdirSync(join(project.dir, 'node_modules'));
  for (const name of readdirSync(join(repoRoot, 'node_modules'))) {
    if (name !== '.cache') symlinkSync(join(repoRoot, 'node_modules', name), join(project.dir, 'node_modules', name));
  }
  const env: NodeJS.ProcessEnv = {
    MERCADOLIBRE_SOURCE: 'api',
    MERCADOLIBRE_API_URL: api.url,
    MERCADOLIBRE_ACCESS_TOKEN: 'APP_USR-web-ui-test',
    MERCADOLIBRE_RESPONSES_DIR: join(project.dir, 'responses'),
    ALERT_OUTBOX_DIR: join(project.dir, 'outbox'),
    ALERT_EMAIL_TO: 'ana@duckdag.test',
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    DUCKDAG_WAREHOUSE: join(project.dir, 'warehouse.duckdb'),
    ...options.env,
  };
  const child = project.spawn(['serve', '--port', '0', ...(options.args ?? [])], { env });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'close');
    }
  });
  await waitForOutput(child, 'web UI at ');
  await new Promise((resolve) => setTimeout(resolve, 0));
  const url = /web UI at (\S+)/.exec(output)?.[1];
  if (url === undefined) throw new Error(`serve printed no address: ${output}`);
  return { url, pid: child.pid!, dir: project.dir, smtp, output: () => output, run: (args) => project.run(args, { env }) };
}
