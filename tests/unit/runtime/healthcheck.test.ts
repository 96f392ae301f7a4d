import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';

// bin/healthcheck.js is plain CommonJS (the image runs it with no build step).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readyzUrl } = require('../../../bin/healthcheck.js') as {
  readyzUrl(argv: string[], env: Record<string, string | undefined>): string;
};
const SCRIPT = join(__dirname, '..', '..', '..', 'bin', 'healthcheck.js');

/** The image's HEALTHCHECK probes the port serve listens on, however it was given. */
describe('bin/healthcheck.js', () => {
  const serve = ['node', 'bin/tongban.js', 'serve'];

  it('takes --port (either spelling) over TONGBAN_PORT over 8080', () => {
    expect(readyzUrl([...serve, '--port', '9000'], { TONGBAN_PORT: '7000' })).toBe(
      'http://127.0.0.1:9000/readyz',
    );
    expect(readyzUrl([...serve, '--port=9001'], {})).toBe('http://127.0.0.1:9001/readyz');
    expect(readyzUrl(serve, { TONGBAN_PORT: '7000' })).toBe('http://127.0.0.1:7000/readyz');
    expect(readyzUrl(serve, {})).toBe('http://127.0.0.1:8080/readyz');
  });

  it('probes a wildcard address on loopback, and a specific one where it listens', () => {
    expect(readyzUrl(serve, { TONGBAN_HOST: '0.0.0.0' })).toBe('http://127.0.0.1:8080/readyz');
    expect(readyzUrl(serve, { TONGBAN_HOST: '::' })).toBe('http://127.0.0.1:8080/readyz');
    expect(readyzUrl([...serve, '--host', '10.1.2.3'], { TONGBAN_HOST: '0.0.0.0' })).toBe(
      'http://10.1.2.3:8080/readyz',
    );
    expect(readyzUrl(serve, { TONGBAN_HOST: '::1' })).toBe('http://[::1]:8080/readyz');
  });

  describe('when run', () => {
    let status = 200;
    let server: Server;
    let port = 0;
    beforeAll(async () => {
      server = createServer((req, res) => {
        res.writeHead(req.url === '/readyz' ? status : 404).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise((r) => server.close(r)));
    const probe = () =>
      promisify(execFile)(process.execPath, [SCRIPT], {
        env: { ...process.env, TONGBAN_PORT: String(port), TONGBAN_HOST: '0.0.0.0' },
      }).then(
        () => 0,
        (e: { code: number }) => e.code,
      );

    it('exits 0 while /readyz answers 200, 1 on 503 and 1 when nothing listens', async () => {
      status = 200;
      expect(await probe()).toBe(0);
      status = 503;
      expect(await probe()).toBe(1);
      await new Promise((r) => server.close(r));
      expect(await probe()).toBe(1);
    });
  });
});
