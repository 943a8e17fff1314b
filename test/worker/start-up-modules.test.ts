/**
 * What the worker and the CLI load at start-up: not the token verifier (jose, the codec server's
 * and the API's) nor the AWS SDK (loaded at an S3 document store's first request). Each costs tens
 * of milliseconds of module loading on every start (issue 16: worker start ≤ 1 s).
 */
// Hoisted above the imports by jest: a factory may use nothing from this file.
jest.mock('jose', () => {
  throw new Error('jose was loaded at start-up');
});
jest.mock('@aws-sdk/client-s3', () => {
  throw new Error('@aws-sdk/client-s3 was loaded at start-up');
});

it('the worker loads neither the token verifier nor the AWS SDK', () => {
  expect(() => jest.requireActual('../../src/worker/run-worker')).not.toThrow();
});

it('the key ring loads without the codec server settings', () => {
  expect(() => jest.requireActual('../../src/codec/from-config')).not.toThrow();
});

it('the mocks would catch it: the codec server settings load the token verifier', () => {
  expect(() => jest.requireActual('../../src/codec/server-config')).toThrow(/jose was loaded/);
});
