/**
 * Sends fail at once while the SMTP server does not answer (src/integrations/mail/breaker.ts):
 * against a server that takes connections and never greets, the sends out at the time wait for the
 * mailer's timeout and those behind them, or after them, make no connection at all, so a backlog of
 * emails cannot fill the worker's activity slots; one probe at a time once the pause is over;
 * answers of the server (4xx, 5xx) and connections refused at once never stop sending.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Notification } from '../../src/domain/notifications';
import { CIRCUIT_OPEN, withBreaker } from '../../src/integrations/mail/breaker';
import { createMailer, MailDeliveryError, type Mailer } from '../../src/integrations/mail/mailer';

const ENROLLMENT = 'enrollment-91310000MA1FL8XQ3B';
const notification = (key: string): Notification => ({
  key,
  template: 'approved',
  to: ['wei.zhang@yunfan.example.cn'],
  locale: 'en-US',
  params: { companyName: 'Shanghai Yunfan Technology', enrollmentId: ENROLLMENT },
});

/** A stand-in mailer whose next answers the test sets, counting the sends that reach it. */
function scripted() {
  const answers: (Error | undefined)[] = [];
  let reached = 0;
  let hold: Promise<void> | undefined;
  const mailer: Mailer = {
    async send(_id, n) {
      reached += 1;
      await hold;
      const answer = answers.shift();
      if (answer) throw answer;
      return { messageId: `<${n.key}>` };
    },
    close() {},
  };
  return {
    mailer,
    answer: (...next: (Error | undefined)[]) => answers.push(...next),
    reached: () => reached,
    holdSends(until: Promise<void>) {
      hold = until;
    },
  };
}

const dropped = () =>
  new MailDeliveryError(
    'SMTP connection failed (ETIMEDOUT): Greeting never received',
    true,
    undefined,
    'ETIMEDOUT',
  );
const deferred = () => new MailDeliveryError('SMTP server deferred the message (451)', true, 451);
const refusedConnection = () =>
  new MailDeliveryError(
    'SMTP connection failed (ESOCKET): connect ECONNREFUSED 127.0.0.1:1025',
    true,
    undefined,
    'ESOCKET',
  );
const rejected = () =>
  new MailDeliveryError('SMTP server permanently rejected the message (550)', false, 550);

describe('with a stand-in mailer and a clock of its own', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('refuses sends, retryably and without trying, once three in a row timed out', async () => {
    const smtp = scripted();
    const mail = withBreaker(smtp.mailer, { failuresToOpen: 3, openMs: 30_000, concurrency: 5, now });
    smtp.answer(dropped(), dropped(), dropped());
    for (const key of ['a', 'b', 'c'])
      await expect(mail.send(ENROLLMENT, notification(key))).rejects.toThrow(/ETIMEDOUT/);
    const refused = await mail.send(ENROLLMENT, notification('d')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MailDeliveryError);
    expect(refused).toMatchObject({ code: CIRCUIT_OPEN, retryable: true });
    expect((refused as Error).message).toMatch(/silent: 3 sends in a row timed out; trying again in 3\d s/);
    // It comes back when the pause is over (spread over a second), not by the retry policy's backoff.
    expect((refused as MailDeliveryError).retryAfterMs).toBeGreaterThanOrEqual(30_000);
    expect((refused as MailDeliveryError).retryAfterMs).toBeLessThanOrEqual(31_000);
    expect(smtp.reached()).toBe(3);
  });

  it('lets one send probe the server once the pause is over, and all through once it got through', async () => {
    const smtp = scripted();
    const mail = withBreaker(smtp.mailer, { failuresToOpen: 1, openMs: 30_000, concurrency: 5, now });
    smtp.answer(dropped());
    await expect(mail.send(ENROLLMENT, notification('a'))).rejects.toThrow(/ETIMEDOUT/);
    clock += 30_000;
    let release!: () => void;
    smtp.holdSends(new Promise<void>((resolve) => (release = resolve)));
    const probe = mail.send(ENROLLMENT, notification('probe'));
    // While the probe is out, others are refused, to come back a pause later.
    await expect(mail.send(ENROLLMENT, notification('b'))).rejects.toMatchObject({
      code: CIRCUIT_OPEN,
      retryAfterMs: 30_000,
    });
    release();
    await expect(probe).resolves.toEqual({ messageId: '<probe>' });
    smtp.holdSends(Promise.resolve());
    await expect(mail.send(ENROLLMENT, notification('c'))).resolves.toEqual({ messageId: '<c>' });
    expect(smtp.reached()).toBe(3);
  });

  it('pauses again when the probe cannot connect either', async () => {
    const smtp = scripted();
    const mail = withBreaker(smtp.mailer, { failuresToOpen: 1, openMs: 30_000, concurrency: 5, now });
    smtp.answer(dropped(), dropped());
    await expect(mail.send(ENROLLMENT, notification('a'))).rejects.toThrow(/ETIMEDOUT/);
    clock += 30_000;
    await expect(mail.send(ENROLLMENT, notification('probe'))).rejects.toThrow(/ETIMEDOUT/);
    clock += 29_000;
    await expect(mail.send(ENROLLMENT, notification('b'))).rejects.toMatchObject({ code: CIRCUIT_OPEN });
    expect(smtp.reached()).toBe(2);
  });

  it('refuses, without trying, the sends that waited their turn when the server was found silent', async () => {
    const smtp = scripted();
    const mail = withBreaker(smtp.mailer, { failuresToOpen: 2, openMs: 30_000, concurrency: 2, now });
    let release!: () => void;
    smtp.holdSends(new Promise<void>((resolve) => (release = resolve)));
    smtp.answer(dropped(), dropped());
    const sends = ['a', 'b', 'c', 'd', 'e'].map((key) =>
      mail.send(ENROLLMENT, notification(key)).catch((error: unknown) => error as MailDeliveryError),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(smtp.reached()).toBe(2);
    release();
    const outcomes = await Promise.all(sends);
    expect(outcomes.map((o) => (o as MailDeliveryError).code)).toEqual([
      'ETIMEDOUT',
      'ETIMEDOUT',
      CIRCUIT_OPEN,
      CIRCUIT_OPEN,
      CIRCUIT_OPEN,
    ]);
    expect(smtp.reached()).toBe(2);
  });

  it('keeps sending while the server answers, even to defer or refuse, or refuses connections at once', async () => {
    const smtp = scripted();
    const mail = withBreaker(smtp.mailer, { failuresToOpen: 2, openMs: 30_000, concurrency: 5, now });
    smtp.answer(
      dropped(),
      deferred(),
      dropped(),
      rejected(),
      dropped(),
      refusedConnection(),
      refusedConnection(),
    );
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    for (const key of keys) await expect(mail.send(ENROLLMENT, notification(key))).rejects.toThrow();
    await expect(mail.send(ENROLLMENT, notification('h'))).resolves.toEqual({ messageId: '<h>' });
    expect(smtp.reached()).toBe(keys.length + 1);
  });
});

describe('against a server that takes connections and never greets', () => {
  let server: net.Server;
  let connections = 0;
  const sockets = new Set<net.Socket>();
  let mailer: Mailer;

  beforeAll(async () => {
    server = net.createServer((socket) => {
      connections += 1;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    mailer = createMailer({
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      from: 'CSP <no-reply@csp-enrollment.local>',
      connectionTimeoutMs: 300,
      greetingTimeoutMs: 300,
      socketTimeoutMs: 300,
    });
  });
  afterAll(async () => {
    mailer.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('stops connecting once a backlog of sends found it silent: those still waiting are refused at once', async () => {
    const mail = withBreaker(mailer, { failuresToOpen: 2, openMs: 60_000, concurrency: 5 });
    const backlog = Array.from({ length: 12 }, (_, i) =>
      mail
        .send(ENROLLMENT, notification(`backlog-${i}`))
        .catch((error: unknown) => error as MailDeliveryError),
    );
    const codes = (await Promise.all(backlog)).map((outcome) => (outcome as MailDeliveryError).code);
    // Five went out (the mailer's connections) and timed out; as the first timeout freed its turn
    // before the second counted, one more may have gone out; the rest never connected.
    const outAtMost = 5 + 1;
    expect(codes.filter((code) => code === CIRCUIT_OPEN).length).toBeGreaterThanOrEqual(12 - outAtMost);
    expect(connections).toBeLessThanOrEqual(outAtMost);
    const made = connections;
    await expect(mail.send(ENROLLMENT, notification('later'))).rejects.toMatchObject({ code: CIRCUIT_OPEN });
    expect(connections).toBe(made);
  });
});
