export { startSimulator, type Simulator, type SimulatorOptions } from './server';
export type { FaultInjector, FaultSettings, ServiceName } from './faults';
export type { Ledger, LedgerEntry } from './ledger';
export { CREATE_OPERATIONS } from './ledger';
