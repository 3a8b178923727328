#!/usr/bin/env bash
# The outside-consumer path: pack the published construct packages (pnpm pack, as npm would get them), install the
# tarballs into a fresh project outside the workspace with peers NOT installed automatically (the project declares
# cdktf, constructs and the AWS provider itself, as a user would), then build and synthesize an example there.
# A package that loads an undeclared dependency at import, or ships without its dist, fails here.
# Usage: scripts/consumer-check.sh [example]   (default: treepli; run `pnpm build` first)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
example="${1:-treepli}"
packages=(core network web data compute observability)
work="$(mktemp -d "${TMPDIR:-/tmp}/tts-ecs-consumer-XXXXXX")"
trap 'rm -rf "$work"' EXIT
start=$(date +%s)

mkdir -p "$work/tarballs" "$work/project/src"
for p in "${packages[@]}"; do
  (cd "$root/packages/$p" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done

# Versions of the peers, as the workspace pins them.
version() { node -p "require('$root/node_modules/$1/package.json').version"; }
node - "$work" "$root" "$(version cdktf)" "$(version constructs)" "$(version @cdktf/provider-aws)" "$(version typescript)" "${packages[@]}" <<'NODE'
const fs = require('fs');
const path = require('path');
const [work, root, cdktf, constructs, aws, typescript, ...packages] = process.argv.slice(2);
const tarball = (p) => `file:${path.join(work, 'tarballs', fs.readdirSync(path.join(work, 'tarballs')).find((f) => f.startsWith(`tts-ecs-${p}-`)))}`;
const ours = Object.fromEntries(packages.map((p) => [`@tts-ecs/${p}`, tarball(p)]));
const project = {
  name: 'tts-ecs-consumer-check',
  private: true,
  dependencies: { ...ours, cdktf, constructs, '@cdktf/provider-aws': aws },
  devDependencies: { typescript, '@types/node': '^20.19.0' },
  // Our packages depend on each other by version: resolve those to the tarballs too, never to a registry copy.
  pnpm: { overrides: ours },
};
fs.writeFileSync(path.join(work, 'project/package.json'), JSON.stringify(project, null, 2));
fs.writeFileSync(
  path.join(work, 'project/tsconfig.json'),
  JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true, outDir: 'dist', rootDir: 'src', types: ['node'] }, include: ['src'] }, null, 2),
);
NODE
cp "$root/examples/$example/src/"*.ts "$work/project/src/"
cd "$work/project"
pnpm install --config.auto-install-peers=false --config.strict-peer-dependencies=false --ignore-workspace --reporter=silent
npx tsc -p tsconfig.json
node dist/main.js
stacks=$(ls "$work/project/cdktf.out/stacks")
echo "consumer check: packed ${#packages[@]} packages, installed them outside the workspace (peers not auto-installed), built and synthesized examples/$example: $(echo $stacks | wc -w) stacks ($(echo $stacks | tr '\n' ' ')) in $(( $(date +%s) - start )) s"
