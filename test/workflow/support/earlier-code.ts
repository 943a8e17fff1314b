/**
 * The enrollment workflow as it was before the guide's paths: the flow of src/workflows/legacy
 * registered as `enrollment`, so a test can start enrollments the way running ones were started.
 */
export { enrollmentV1 as enrollment } from '../../../src/workflows/legacy/enrollment-v1';
