/** Keeps the SDK's worker chatter out of test output (fault suites make activities fail on purpose): errors only. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('ERROR') });
