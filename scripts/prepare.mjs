// `npm run prepare`: builds dist/ with tsc (npm ci and git installs run it).
// When npm prepares this package as a git dependency in global mode — as the pre-commit framework does with
// `npm install -g git+file://…` — the clone has no devDependencies, so TypeScript is installed first.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('node_modules/typescript')) {
  execSync('npm install --global=false --include=dev --ignore-scripts --no-save --no-audit --no-fund', { stdio: 'inherit' });
}
execSync('node node_modules/typescript/bin/tsc -p tsconfig.build.json', { stdio: 'inherit' });
