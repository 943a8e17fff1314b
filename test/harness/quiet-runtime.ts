/** Keeps the SDK's worker chatter out of test output: warnings and errors only. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
