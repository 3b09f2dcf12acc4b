/**
 * What a failed server start or build most likely means, said so that the
 * person at the terminal can act on it: a full disk, a port another process
 * holds, a folder the server's user may not enter. Read from what the
 * command printed (its output, or its log), so a message never blames a
 * missing install for a permission or a disk.
 */
import { execFileSync } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The causes a server's or build's output names, each with what to do. */
const CAUSES: { pattern: RegExp; say: (where: string) => string }[] = [
  {
    pattern:
      /No space left on device|ENOSPC|could not extend file|disk (?:is )?full|Disk quota exceeded/i,
    say: (where) =>
      `the disk holding ${where} is full. Free some space (\`df -h ${where}\` shows what is left), or set GOLDEN_THREAD_DATA_DIR to a folder on a disk with room, and try again.`,
  },
  {
    pattern: /address already in use|EADDRINUSE|could not bind|bind: address/i,
    say: () =>
      'a port it needs is taken by another process. Stop that process (`ss -ltnp` shows which holds it) or choose other ports (LOCAL_TEMPORAL_PORT, LOCAL_TEMPORAL_UI_PORT, LOCAL_MONGODB_PORT), and try again.',
  },
  {
    pattern: /Permission denied|EACCES|Operation not permitted/i,
    say: (where) =>
      `it was refused permission to read or write under ${where}. Make the folder and every folder above it enterable by the user the server runs as (\`namei -l ${where}\` shows each one's owner and mode), or set GOLDEN_THREAD_DATA_DIR to a folder it can use, and try again.`,
  },
];

/** The likely cause in `output` and what to do, or undefined when it names none we know. */
export function diagnose(output: string, where: string): string | undefined {
  return CAUSES.find((c) => c.pattern.test(output))?.say(where);
}

/** The least free space a new local stack wants before it starts writing. */
export const MIN_FREE_BYTES = 256 * 1024 * 1024;

/**
 * Refuses to start on a disk with less than {@link MIN_FREE_BYTES} free,
 * before any server half-writes its files there.
 */
export function requireFreeSpace(
  dir: string,
  free: (dir: string) => number = freeBytes,
): string | undefined {
  const left = free(dir);
  if (left >= MIN_FREE_BYTES) return undefined;
  return `Only ${Math.floor(left / (1024 * 1024))} MB is free on the disk holding ${dir}; the local stack needs at least ${MIN_FREE_BYTES / (1024 * 1024)} MB. Free some space (\`df -h ${dir}\`), or set GOLDEN_THREAD_DATA_DIR to a folder on a disk with room.`;
}

/** Bytes free to an unprivileged user on the disk holding `dir` (or its nearest existing parent). */
function freeBytes(dir: string): number {
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      const s = statfsSync(d);
      return s.bavail * s.bsize;
    } catch {
      if (d === dirname(d)) return Number.POSITIVE_INFINITY;
    }
  }
}

/** Every folder from the root down to `dir`, `dir` last. */
export function foldersDownTo(dir: string): string[] {
  const out: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    out.unshift(d);
    if (d === dirname(d)) return out;
  }
}

/**
 * The first folder on the way to `dir` that `user` may not enter, or
 * undefined when it may reach `dir`. `canEnter` asks the system (as that user).
 */
export function firstBlockedFolder(
  dir: string,
  user: string,
  canEnter: (user: string, folder: string) => boolean = enterableBy,
): string | undefined {
  return foldersDownTo(dir).find((folder) => !canEnter(user, folder));
}

/** True when `user` may enter `folder` (run as that user: root alone may switch users). */
function enterableBy(user: string, folder: string): boolean {
  try {
    execFileSync('runuser', ['-u', user, '--', 'test', '-x', folder], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
