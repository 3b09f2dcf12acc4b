import { describe, expect, it } from 'vitest';
import {
  MIN_FREE_BYTES,
  diagnose,
  firstBlockedFolder,
  foldersDownTo,
  requireFreeSpace,
} from '../../scripts/servers/diagnose.ts';

describe('what a failed server start or build means', () => {
  it('names a folder the server may not enter, not a missing install', () => {
    const initdb =
      'initdb: error: could not access directory "/root/gt/data/postgres/data": Permission denied';
    const said = diagnose(initdb, '/root/gt/data/postgres');
    expect(said).toMatch(/refused permission/);
    expect(said).toContain('namei -l /root/gt/data/postgres');
    expect(said).not.toMatch(/Install/);
  });

  it('names a full disk', () => {
    for (const output of [
      'FATAL:  could not write to file "pg_wal/xlogtemp.123": No space left on device',
      'write /root/.cache/go-build/ab: no space left on device',
      'Error: ENOSPC: no space left on device, write',
    ])
      expect(diagnose(output, '/srv/gt')).toMatch(/^the disk holding \/srv\/gt is full/);
  });

  it('names a port another process holds', () => {
    for (const output of [
      'listen tcp 127.0.0.1:7233: bind: address already in use',
      'LOG:  could not bind IPv4 address "127.0.0.1": Address already in use',
    ])
      expect(diagnose(output, '/srv/gt')).toMatch(/a port it needs is taken/);
  });

  it('says nothing when the output names no cause it knows', () => {
    expect(diagnose('panic: runtime error: index out of range', '/srv/gt')).toBeUndefined();
  });
});

describe('checks before a server starts', () => {
  it('refuses a disk with too little room, saying how much is left', () => {
    expect(requireFreeSpace('/srv/gt', () => 100 * 1024 * 1024)).toMatch(
      /^Only 100 MB is free on the disk holding \/srv\/gt; the local stack needs at least 256 MB/,
    );
    expect(requireFreeSpace('/srv/gt', () => MIN_FREE_BYTES)).toBeUndefined();
  });

  it('finds the first folder on the way that the server’s user cannot enter', () => {
    expect(foldersDownTo('/root/gt/data')).toEqual(['/', '/root', '/root/gt', '/root/gt/data']);
    const closed = new Set(['/root']);
    const canEnter = (_user: string, folder: string) => !closed.has(folder);
    expect(firstBlockedFolder('/root/gt/data', 'postgres', canEnter)).toBe('/root');
    expect(firstBlockedFolder('/var/tmp/gt', 'postgres', canEnter)).toBeUndefined();
  });
});
