import { describePushTarget } from './push-target-suite.ts';
import { zephyrScaleHarness } from './zephyr-scale-harness.ts';

// The SQLite half (and the Zephyr Scale Cloud-only tests) is zephyr-scale-push.test.ts, so the two test workers share the suite.
describePushTarget(zephyrScaleHarness, ['postgres']);
