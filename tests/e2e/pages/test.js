// Every spec imports `test` and `expect` from here instead of '@playwright/test', so the
// browser's clock is pinned before the app loads: the engine judges claim deadlines and
// certification expiry against "today", and a test must not let the wall clock choose it.
import { test as base, expect } from '@playwright/test';

/** The day the demo's expectations are written for: the demo is dated 2026-10 (as_of), its
 * CPOR claim in "Partner action required" is due 2026-11-30, six business days later. */
export const DEMO_TODAY = '2026-11-20T10:00:00';

export const test = base.extend({
  // `test.use({ today: '2026-12-01T10:00:00' })` moves a spec's clock.
  today: [DEMO_TODAY, { option: true }],
  // Installed on the context, so every page and tab a test opens shares the same clock.
  // Time then flows normally from `today` (timers and animations keep running).
  context: async ({ context, today }, use) => {
    await context.clock.install({ time: new Date(today) });
    await use(context);
  },
});

export { expect };
