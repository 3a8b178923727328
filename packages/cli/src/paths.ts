import * as fs from 'fs';
import * as path from 'path';

/** The repository root: the nearest folder above `from` holding pnpm-workspace.yaml, else `from`. */
export function findRepoRoot(from: string = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(from);
    dir = parent;
  }
}

/** The config to use: `--config`, else `TTS_ECS_CONFIG`, else the embedded example deployment. */
export function resolveConfigPath(repoRoot: string, option: string | true | undefined): string {
  if (typeof option === 'string') return path.resolve(option);
  if (process.env.TTS_ECS_CONFIG) return path.resolve(process.env.TTS_ECS_CONFIG);
  return path.join(repoRoot, 'deployments', 'example.json');
}
