/**
 * `duckdag lint`: what static analysis finds in the project's assets, compiler style, one finding
 * a line (`file:line:col severity CODE message`), or as JSON; exits 1 when any is an error.
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { ConfigError } from '../kernel/errors.ts';
import type { CliSession, GlobalOptions } from './cli-session.ts';
import { ExitCode } from './exit-code.ts';

export function lintCommand(cli: Argv<GlobalOptions>, session: CliSession): Argv<GlobalOptions> {
  return cli.command(
    'lint',
    'Check that each asset reads exactly what it declares (static analysis of its SQL)',
    (command) => command,
    async (args) => {
      const configPath = resolve(args.config);
      if (!existsSync(configPath)) throw new ConfigError('DUCKDAG_CONFIG_MISSING', `config file ${configPath} does not exist; pass --config PATH`);
      const { projectAnalysis } = await import('../analysis/analysis-cache.ts');
      const { findings } = await projectAnalysis(configPath);
      const shown = findings.map((finding) => ({ ...finding, location: { ...finding.location, file: relative(process.cwd(), finding.location.file) } }));
      const errors = findings.filter((finding) => finding.severity === 'error').length;
      if (args.json) {
        session.writeJson({ findings: shown, errors, warnings: findings.length - errors });
      } else {
        for (const { location, severity, code, message } of shown) {
          session.io.stdout.write(`${location.file}:${location.line}:${location.column} ${severity} ${code} ${message}\n`);
        }
        const summary = findings.length === 0 ? 'no problems found' : `${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}`;
        session.io.stderr.write(`${summary}\n`);
      }
      session.exitCode = errors > 0 ? ExitCode.assetFailed : ExitCode.ok;
    },
  );
}
