// Finding the configuration file: light on purpose (no parser), the console's first frame uses it.
import fs from 'node:fs';
import path from 'node:path';

/** Where the configuration is: --config, else $IMOS_CONFIG, else ./imos.yaml (or .yml). */
export function resolveConfigPath(explicit?: string, cwd = process.cwd()): string {
  if (explicit) return path.resolve(cwd, explicit);
  if (process.env.IMOS_CONFIG) return path.resolve(cwd, process.env.IMOS_CONFIG);
  const yml = path.join(cwd, 'imos.yml');
  const yaml = path.join(cwd, 'imos.yaml');
  return !fs.existsSync(yaml) && fs.existsSync(yml) ? yml : yaml;
}
