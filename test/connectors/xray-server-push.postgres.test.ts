import { describePushTarget } from './push-target-suite.ts';
import { xrayServerHarness } from './xray-server-harness.ts';

// The SQLite half (and the Xray Server/DC-only tests) is xray-server-push.test.ts, so the two test workers share the suite.
describePushTarget(xrayServerHarness, ['postgres']);
