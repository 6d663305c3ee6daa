// `imos validate` and `imos schema`: configuration tooling for people and editors.
import type { Command } from 'commander';
import { configJsonSchema } from '../../config/json-schema.js';
import { ConfigError, loadConfigFile, resolveConfigPath } from '../../config/load.js';
import { defaultParseCache } from '../../config/parse-cache.js';
import { EXIT, globalOptions } from '../context.js';

export function register(program: Command): void {
  program
    .command('validate')
    .description('check a configuration file; exit 0 when valid, 78 with every problem listed')
    .argument('[file]', 'configuration file (default: --config, or ./imos.yaml)')
    .action((file: string | undefined, _opts: unknown, command: Command) => {
      const target = resolveConfigPath(file ?? globalOptions(command).config);
      try {
        const config = loadConfigFile(target, { parseCache: defaultParseCache() });
        process.stdout.write(
          `${target}: valid — "${config.project}", ${Object.keys(config.systems).length} systems, ${config.checks.length} checks, ${config.gates.length ? `${config.gates.length} gate${config.gates.length === 1 ? '' : 's'}, ` : ''}${Object.keys(config.people).length} people\n`,
        );
        process.exitCode = EXIT.ok;
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        process.stderr.write(`${error.message}\n${error.issues.length} problem${error.issues.length === 1 ? '' : 's'} found\n`);
        process.exitCode = EXIT.config;
      }
    });

  program
    .command('schema')
    .description('print a JSON Schema of imos.yaml for editors')
    .action(() => {
      process.stdout.write(JSON.stringify(configJsonSchema(), null, 2) + '\n');
    });
}
