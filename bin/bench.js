#!/usr/bin/env node
// `npm run bench`: the end-to-end bench (bench/main.ts), run from the TypeScript sources through
// tsx like bin/tongban.js. Options: `npm run bench -- --help`. Not part of `npm test`.
require('tsx/cjs');
require('../bench/main.ts')
  .main(process.argv)
  .catch((e) => {
    process.stderr.write(`bench failed: ${e && e.stack ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  });
