/** Entry point of the workflow bundle: every workflow type the worker registers. */
export { enrollment } from './enrollment';
export { documentRetention } from './document-retention';
