/**
 * The local stack says what is really wrong when PostgreSQL cannot start: run
 * as root, it runs as the `postgres` user, and a data folder under a folder
 * that user cannot enter (a private home, a mkdtemp folder) used to fail in
 * initdb with "Permission denied" and a message to install PostgreSQL.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgres } from '../../scripts/servers/postgres.ts';

const asRoot = process.getuid?.() === 0 && !spawnSync('id', ['-u', 'postgres']).status;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!asRoot)('PostgreSQL’s data folder, started as root', () => {
  it('names the folder the postgres user cannot enter, and does not say to install PostgreSQL', async () => {
    const closed = mkdtempSync(join(tmpdir(), 'gt-closed-'));
    dirs.push(closed);
    execFileSync('chmod', ['700', closed]);
    const dataDir = join(closed, 'data');
    mkdirSync(dataDir);
    const started = startPostgres({ dataDir, throwaway: true });
    await expect(started).rejects.toThrow(`that user cannot enter ${closed}`);
    await expect(started).rejects.toThrow(`chmod o+x ${closed}`);
    await expect(started).rejects.not.toThrow(/Install PostgreSQL/);
  });
});
