import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_NODE_FLAGS } from '../../../bench/node-flags';

/**
 * The V8 flags the bench measures with are the ones a city runs with: the Docker image's
 * NODE_OPTIONS and `npm start` (bench/node-flags.ts says why they are set).
 */
describe('gateway V8 flags stay in step', () => {
  const root = join(__dirname, '..', '..', '..');
  it('the image sets exactly the bench flags in NODE_OPTIONS', () => {
    const docker = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(docker).toMatch(new RegExp(`^\\s*NODE_OPTIONS=${SERVER_NODE_FLAGS} \\\\$`, 'm'));
  });
  it('npm start runs the sandbox with them', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe(`node ${SERVER_NODE_FLAGS} bin/tongban.js sandbox`);
  });
});
