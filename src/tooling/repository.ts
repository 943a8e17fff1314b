/**
 * Paths in the repository — deploy/ (server configuration, schema and certificate scripts) and the
 * compiled programs in dist/ — found from this file whether it runs from src/ (tests) or dist/src/.
 */
import fs from 'node:fs';
import path from 'node:path';

function repositoryRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'deploy', 'temporal')) && fs.existsSync(path.join(dir, 'package.json')))
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`no deploy/ folder above ${__dirname}`);
  }
}

export const repositoryPath = (...parts: string[]) => path.join(repositoryRoot(), ...parts);
export const deployPath = (...parts: string[]) => repositoryPath('deploy', ...parts);
