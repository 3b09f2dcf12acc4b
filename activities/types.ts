/** The activities' type, for `proxyActivities<Activities>()` in workflow code. */
import type { createActivities } from './index.ts';

export type Activities = ReturnType<typeof createActivities>;
