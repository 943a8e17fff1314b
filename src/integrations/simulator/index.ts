export { startSimulator, type Simulator, type SimulatorOptions } from './server';
export type { FaultSettings, ServiceName } from './faults';
export type { LedgerEntry } from './ledger';
export { CREATE_OPERATIONS } from './ledger';
