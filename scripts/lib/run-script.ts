/** How the scripts and the bench run: as every entry point, with the local stack's failures in one line too. */
import { runMain } from '../../run-main.ts';
import { StackError } from '../servers/process.ts';

/** Runs a script, turning known failures (StackError among them) into one readable line and exit code 1. */
export function runScript(name: string, main: () => Promise<void>): Promise<void> {
  return runMain(name, main, [StackError]);
}
