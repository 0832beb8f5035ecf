import { describePushTarget } from './push-target-suite.ts';
import { testRailHarness } from './testrail-harness.ts';

// The SQLite half (and the pacing test) is testrail-push.test.ts, so the two test workers share the suite.
describePushTarget(testRailHarness, ['postgres']);
