/** Pipeline settings for tests: the real defaults of pipeline.config.ts, rooted in a temp folder. */
import { resolvePipelineSettings, type PipelineDefaults, type PipelineSettings } from '../../assets/pipeline-settings.ts';

export function testDefaults(rootDir: string): PipelineDefaults {
  return {
    rootDir,
    source: 'sample',
    sampleDir: 'sample',
    responsesDir: 'responses',
    apiUrl: 'https://api.mercadolibre.com',
    site: 'MLA',
    itemsPerCategory: 50,
    apiConcurrency: 4,
    apiTimeoutMs: 15_000,
    thresholdArs: 7_000_000,
    emailTo: ['ventas@example.com'],
    emailFrom: 'duckdag <alerts@duckdag.localhost>',
    outboxDir: 'outbox',
    emailTopN: 50,
  };
}

export function testSettings(rootDir: string, env: NodeJS.ProcessEnv = {}): PipelineSettings {
  return resolvePipelineSettings(testDefaults(rootDir), env);
}
