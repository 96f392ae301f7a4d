#!/usr/bin/env node
// Second half of `npm run build`: copy what the compiled gateway reads at run time next to it.
// dist/ mirrors the source tree, and gateway/config/paths.ts resolves the project root as
// dist/, so: non-TypeScript files under gateway/ and adapters/ (migrations, rule data, the
// dashboard's static files), the contracts (OpenAPI + JSON schema) and the city configs.
//   node scripts/build-assets.js [outDir]   (default dist)
const { cpSync, existsSync, mkdirSync, readdirSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const out = join(root, process.argv[2] ?? 'dist');

function copyNonTs(dir) {
  for (const name of readdirSync(dir)) {
    const from = join(dir, name);
    if (statSync(from).isDirectory()) copyNonTs(from);
    else if (!name.endsWith('.ts')) {
      const to = join(out, relative(root, from));
      mkdirSync(join(to, '..'), { recursive: true });
      cpSync(from, to);
    }
  }
}

if (!existsSync(join(out, 'gateway', 'cli', 'main.js'))) {
  process.stderr.write(
    `build-assets: ${out} has no compiled gateway (run tsc -p tsconfig.build.json first)\n`,
  );
  process.exit(1);
}
for (const d of ['gateway', 'adapters']) if (existsSync(join(root, d))) copyNonTs(join(root, d));
for (const name of readdirSync(join(root, 'contracts'))) {
  if (/\.(ya?ml|json)$/.test(name))
    cpSync(join(root, 'contracts', name), join(out, 'contracts', name));
}
cpSync(join(root, 'city-configs'), join(out, 'city-configs'), { recursive: true });
process.stderr.write(`build-assets: copied run-time files into ${relative(root, out) || '.'}\n`);
