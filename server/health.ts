/** /healthz (the process is up) and /readyz (Temporal and the database answer). */
import { Router } from 'express';
import { sendProblem, unavailable } from '../api/problem.ts';

export interface ReadinessProbes {
  temporal(): Promise<boolean>;
  database(): Promise<boolean>;
}

export function healthRouter(probes: ReadinessProbes): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const [temporal, database] = await Promise.all([probes.temporal(), probes.database()]);
    if (temporal && database) {
      res.json({ status: 'ready', temporal: 'up', database: 'up' });
      return;
    }
    const down = [!temporal && 'temporal', !database && 'database'].filter((x): x is string =>
      Boolean(x),
    );
    const names: Record<string, string> = {
      temporal: 'the workflow engine (Temporal)',
      database: 'the database',
    };
    sendProblem(
      res,
      unavailable(
        down.join(','),
        `Not ready: ${down.map((d) => names[d]).join(' and ')} ${down.length > 1 ? 'are' : 'is'} not answering.`,
      ),
      req.originalUrl,
    );
  });
  return router;
}
