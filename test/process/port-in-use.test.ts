import { explainPortInUse } from '../../src/process/port-in-use';

const ports = {
  CSP_API_PORT: 8080,
  CSP_TEMPORAL_UI_PORT: 8233,
  CSP_METRICS_PORT: 9464,
  SMTP_PORT: undefined,
};

test("each program's way of saying a port is taken is named by the setting", () => {
  expect(explainPortInUse('listen EADDRINUSE: address already in use 127.0.0.1:8080', ports)).toBe(
    'port 8080 is in use (CSP_API_PORT): stop what holds it, or set CSP_API_PORT to a free port',
  );
  expect(
    explainPortInUse(
      "the Temporal dev server exited during start-up: can't set UI port 8233: listen tcp 127.0.0.1:8233: bind: address already in use; see data/temporal.log",
      ports,
    ),
  ).toMatch(/^port 8233 is in use \(CSP_TEMPORAL_UI_PORT\)/);
  expect(
    explainPortInUse(
      'Failed to start prometheus metrics exporter: Address already in use (os error 98)',
      ports,
    ),
  ).toMatch(/^port 9464 is in use \(CSP_METRICS_PORT\)/);
});

test('anything else is left as it was said', () => {
  expect(explainPortInUse('connect ECONNREFUSED 127.0.0.1:7233', ports)).toBe(
    'connect ECONNREFUSED 127.0.0.1:7233',
  );
  expect(explainPortInUse('listen EADDRINUSE: address already in use 127.0.0.1:4000', ports)).toBe(
    'listen EADDRINUSE: address already in use 127.0.0.1:4000',
  );
});
