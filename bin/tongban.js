#!/usr/bin/env node
// The `tongban` command. Runs the TypeScript sources through tsx (no build step needed);
// `npm run build` output in dist/ is used instead when present (the Docker image).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const built = join(__dirname, '..', 'dist', 'gateway', 'cli', 'main.js');
if (existsSync(built) && !process.env.TONGBAN_FROM_SOURCE) {
  require(built).main(process.argv);
} else {
  try {
    require.resolve('tsx/cjs');
  } catch {
    // tsx is a development dependency: an install without them runs only the compiled dist/.
    process.stderr.write(
      'tongban: no dist/ (run `npm run build`) and no tsx to run the sources (install the development dependencies: `npm install`)\n',
    );
    process.exit(1);
  }
  require('tsx/cjs');
  require('../gateway/cli/main.ts').main(process.argv);
}
