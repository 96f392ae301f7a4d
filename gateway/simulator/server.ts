import express, { type NextFunction, type Request, type Response } from 'express';
import { createServer } from 'node:http';
import { Platform, PlatformError, type Obj, type PlatformOptions } from './platform';

export interface SimulatorOptions extends PlatformOptions {
  port?: number;
  host?: string;
  /** When set, every /api request needs this header value (e.g. X-Xyxf-Token). */
  auth?: { header: string; value: string };
  /** Penalty records the platform holds at start ({ tyshxydm, cfxx }). */
  seed?: { tyshxydm: string; cfxx: Obj }[];
}

export interface RunningSimulator {
  url: string;
  port: number;
  platform: Platform;
  close(): Promise<void>;
}

const ok = (res: Response, data: unknown) => res.json({ code: '0000', msg: '成功', data });

/**
 * The simulated platform over HTTP. The platform API (what the rest adapter speaks):
 *   POST /api/xyxf/sq                 submit an application (申请)
 *   GET  /api/xyxf/sq/:ywlsh          its status
 *   POST /api/xyxf/sq/:ywlsh/bzcl     supply requested materials (补正)
 *   POST /api/xyxf/sq/:ywlsh/ch       withdraw (撤回)
 *   GET  /api/xyxf/cfxx?tyshxydm=…    penalty records of a company
 * and, outside the platform API, for tests and the sandbox (the platform's officers):
 *   POST /admin/sq/:ywlsh/zt { zt, yy?, bzcl? }   decide      GET /admin/sq   list
 *   POST /admin/cfxx { tyshxydm, cfxx }           add a penalty record
 */
export function simulatorApp(platform: Platform, o: Pick<SimulatorOptions, 'auth'> = {}) {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  const api = express.Router();
  api.use((req, res, next) => {
    if (o.auth && req.get(o.auth.header) !== o.auth.value) {
      res.status(401).json({ code: '4010', msg: `未授权 missing or wrong ${o.auth.header}` });
      return;
    }
    next();
  });
  const body = (req: Request): Obj =>
    req.body && typeof req.body === 'object' ? (req.body as Obj) : {};
  api.post('/sq', (req, res) => {
    const a = platform.submit(body(req));
    ok(res, { ywlsh: a.ywlsh, sqbh: a.sqbh, zt: a.zt, jssj: a.gxsj });
  });
  api.get('/sq/:ywlsh', (req, res) =>
    ok(res, platform.view(platform.poll(String(req.params.ywlsh)))),
  );
  api.post('/sq/:ywlsh/bzcl', (req, res) =>
    ok(res, platform.view(platform.supplement(String(req.params.ywlsh), body(req)))),
  );
  api.post('/sq/:ywlsh/ch', (req, res) =>
    ok(res, platform.view(platform.withdraw(String(req.params.ywlsh), body(req)))),
  );
  api.get('/cfxx', (req, res) => {
    const id = typeof req.query.tyshxydm === 'string' ? req.query.tyshxydm : '';
    if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(id))
      throw new PlatformError(400, '1002', '字段格式错误 bad field tyshxydm');
    ok(res, platform.penaltiesOf(id));
  });
  app.use('/api/xyxf', api);

  const admin = express.Router();
  admin.get('/sq', (_req, res) =>
    ok(
      res,
      [...platform.applications.values()].map((a) => ({
        ...platform.view(a),
        sq: a.sq,
        clqd: a.clqd,
      })),
    ),
  );
  admin.post('/sq/:ywlsh/zt', (req, res) => {
    const b = body(req);
    const a = platform.set(String(req.params.ywlsh), String(b.zt), {
      yy: typeof b.yy === 'string' ? b.yy : undefined,
      bzcl: Array.isArray(b.bzcl) ? b.bzcl.map(String) : undefined,
    });
    ok(res, platform.view(a));
  });
  admin.post('/cfxx', (req, res) => {
    const b = body(req);
    platform.addPenalty(String(b.tyshxydm), (b.cfxx ?? {}) as Obj);
    ok(res, null);
  });
  app.use('/admin', admin);

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ code: '4040', msg: '接口不存在 no such endpoint' });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof PlatformError) {
      res.status(err.http).json({ code: err.code, msg: err.message });
      return;
    }
    const status = (err as { status?: number }).status;
    if (status && status < 500) {
      res
        .status(status)
        .json({ code: '1000', msg: `请求错误 bad request: ${(err as Error).message}` });
      return;
    }
    res.status(500).json({ code: '9999', msg: `系统错误 ${(err as Error).message}` });
  });
  return app;
}

/** Start the simulated platform on a port (0: any free one). */
export async function startPlatformSimulator(o: SimulatorOptions = {}): Promise<RunningSimulator> {
  const platform = new Platform(o);
  for (const s of o.seed ?? []) platform.addPenalty(s.tyshxydm, s.cfxx);
  const app = simulatorApp(platform, o);
  const host = o.host ?? '127.0.0.1';
  // node:http directly: Express 5's listen callback also fires on errors such as EADDRINUSE.
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : (o.port ?? 0);
  return {
    url: `http://${host}:${port}`,
    port,
    platform,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
