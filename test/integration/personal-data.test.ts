/**
 * Personal data of applicants never sits readable in Temporal: payloads are encrypted
 * (AES-256-GCM) by every client and worker, and only an operator's codec-server call decodes them.
 */
import { codeArrived } from '../../src/domain/status';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { startCodecServer, type CodecServer } from '../../src/codec/codec-server';
import { EncryptionCodec } from '../../src/codec/encryption-codec';
import { actions } from '../../src/workflows/definitions';
import { applicant, cspApplication, enrollmentRequest, reviewer } from '../fixtures';
import {
  acceptOffer,
  approve,
  start,
  submitApplication,
  waitForReview,
  waitForStatus,
} from '../harness/driver';
import { TEST_KEY_RING } from '../harness/keys';
import { startServiceStack, type ServiceStack } from '../harness/stack';
import { quietLog } from '../harness/logs';

const PERSONAL = {
  firstName: 'Xiaoming',
  lastName: 'Ouyangfeng',
  email: 'xiaoming.ouyangfeng@yunfan.example.cn',
  mobile: '+8613987654321',
  representative: 'Representative Huang Jiayi',
  contactEmail: 'approvals.huang@yunfan.example.cn',
  supportEmail: 'helpdesk-7781@yunfan.example.cn',
};

let stack: ServiceStack;
let codecServer: CodecServer;
const OPERATOR_TOKEN = 'operator-token-for-tests-0123456789';

beforeAll(async () => {
  stack = await startServiceStack('personal-data');
  codecServer = await startCodecServer({
    codec: new EncryptionCodec(TEST_KEY_RING),
    operatorToken: OPERATOR_TOKEN,
    namespaces: ['default'],
    corsOrigins: ['http://127.0.0.1:8233'],
    log: quietLog(),
  });
});
afterAll(async () => {
  await codecServer?.close();
  await stack?.close();
});

/** The raw bytes of a run's history as Temporal stores and serves it, read without the codec. */
async function rawHistory(workflowId: string): Promise<Buffer> {
  const connection = await Connection.connect({ address: stack.temporal.address });
  try {
    const history = await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory();
    return Buffer.from(temporal.api.history.v1.History.encode(history).finish());
  } finally {
    await connection.close();
  }
}

const found = (bytes: Buffer) => Object.values(PERSONAL).filter((value) => bytes.includes(value));

let workflowId: string;

test('a whole enrollment leaves none of the applicant’s personal data readable in its history', async () => {
  const base = enrollmentRequest();
  const request = enrollmentRequest({
    organization: { ...base.organization, phone: PERSONAL.mobile },
    globalAdmin: {
      firstName: PERSONAL.firstName,
      lastName: PERSONAL.lastName,
      email: PERSONAL.email,
    },
    policy: { provisioning: { pollEvery: '200 ms' } },
  });
  const handle = await start(stack.temporal.client, stack.taskQueue, request);
  workflowId = handle.workflowId;
  await waitForStatus(handle, (s) => codeArrived(s), 'the SMS code');
  const [sms] = stack.simulator.sentCodes(PERSONAL.mobile);
  await handle.executeUpdate(actions.submitPhoneCode.update, {
    args: [{ actor: applicant, code: '000000' }],
  });
  await handle.executeUpdate(actions.submitPhoneCode.update, {
    args: [{ actor: applicant, code: sms.code }],
  });
  const application = cspApplication();
  application.businessProfile.legalRepresentative = PERSONAL.representative;
  application.approvalContacts[0].email = PERSONAL.contactEmail;
  application.customerSupport.email = PERSONAL.supportEmail;
  await submitApplication(handle, application);
  await waitForReview(handle);
  await approve(handle, reviewer);
  await acceptOffer(handle);
  await expect(handle.result()).resolves.toEqual({ endState: 'completed' });

  const bytes = await rawHistory(handle.workflowId);
  expect(bytes.includes('enrollment')).toBe(true); // the search works on these bytes
  expect(found(bytes)).toEqual([]);

  // The same check does see personal data in an unencrypted payload.
  const plain = defaultPayloadConverter.toPayload(request);
  expect(found(Buffer.from(temporal.api.common.v1.Payload.encode(plain).finish()))).toEqual(
    expect.arrayContaining([PERSONAL.email, PERSONAL.mobile]),
  );
});

describe('codec server', () => {
  async function startInput() {
    const connection = await Connection.connect({ address: stack.temporal.address });
    try {
      const history = await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory();
      const input = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
      return temporal.api.common.v1.Payload.toObject(temporal.api.common.v1.Payload.create(input), {
        bytes: String,
      });
    } finally {
      await connection.close();
    }
  }
  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${codecServer.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
      body: JSON.stringify(body),
    });

  test('decodes a history payload for an operator', async () => {
    const payload = await startInput();
    expect(Buffer.from(payload.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    const response = await post(
      '/codec/decode',
      { payloads: [payload] },
      { Authorization: `Bearer ${OPERATOR_TOKEN}` },
    );
    expect(response.status).toBe(200);
    const { payloads } = (await response.json()) as { payloads: { data: string }[] };
    const input = JSON.parse(Buffer.from(payloads[0].data, 'base64').toString());
    expect(input.globalAdmin.email).toBe(PERSONAL.email);

    // No token rides in a URL any more (test/codec/codec-server.test.ts covers the cookie sign-in).
    const viaPath = await post(`/codec/t/${OPERATOR_TOKEN}/decode`, { payloads: [payload] }, {});
    expect(viaPath.status).toBe(404);
  });

  test('refuses without the operator token, with a wrong one, and for another namespace', async () => {
    const payload = await startInput();
    expect((await post('/codec/decode', { payloads: [payload] }, {})).status).toBe(401);
    expect(
      (await post('/codec/decode', { payloads: [payload] }, { Authorization: 'Bearer guess-0123456789' }))
        .status,
    ).toBe(401);
    const otherNamespace = await post(
      '/codec/decode',
      { payloads: [payload] },
      { Authorization: `Bearer ${OPERATOR_TOKEN}`, 'X-Namespace': 'payments' },
    );
    expect(otherNamespace.status).toBe(403);
    const refused = await (await post('/codec/decode', { payloads: [payload] }, {})).text();
    expect(refused).not.toContain(PERSONAL.email);
  });

  test('answers Temporal UI’s CORS preflight for its origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${codecServer.url}/codec/decode`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'x-namespace',
        },
      });
    const ui = await preflight('http://127.0.0.1:8233');
    expect(ui.status).toBe(204);
    expect(ui.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    expect(ui.headers.get('access-control-allow-headers')).toContain('X-Namespace');
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
