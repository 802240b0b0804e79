/** Pipeline settings for tests: the defaults of pipeline.config.ts, with paths in a temp folder. */
import { resolvePipelineSettings, type PipelineDefaults, type PipelineSettings } from '../../assets/pipeline-settings.ts';
import { pipelineDefaults } from '../../pipeline.config.ts';

export function testDefaults(rootDir: string): PipelineDefaults {
  return { ...pipelineDefaults, rootDir, sampleDir: 'sample', responsesDir: 'responses', outboxDir: 'outbox' };
}

export function testSettings(rootDir: string, env: NodeJS.ProcessEnv = {}): PipelineSettings {
  return resolvePipelineSettings(testDefaults(rootDir), env);
}
