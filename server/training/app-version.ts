/** The app's name@version from package.json, recorded with every dataset and in manifests. */
import fs from 'node:fs';
import path from 'node:path';

let cached: string | undefined;
export function appVersion(): string {
  if (!cached) {
    const pkg = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')) as { name: string; version: string };
    cached = `${pkg.name}@${pkg.version}`;
  }
  return cached;
}
