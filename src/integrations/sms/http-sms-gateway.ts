/** The SMS gateway over HTTP: it sends the code and keeps it; we only ever see valid/invalid. */
import { z } from 'zod';
import type { SmsGateway } from '../contracts';
import { type HttpClientOptions, JsonClient, segment } from '../http/json-client';

const Started = z.object({ verificationId: z.string().min(1) });
const Checked = z.object({ valid: z.boolean() });

export class HttpSmsGateway implements SmsGateway {
  private readonly http: JsonClient;

  constructor(options: HttpClientOptions) {
    this.http = new JsonClient('sms', options);
  }

  async startVerification(request: {
    idempotencyKey: string;
    phone: string;
    locale: string;
  }): Promise<{ verificationId: string }> {
    const { idempotencyKey, ...body } = request;
    const { verificationId } = await this.http.request({
      method: 'POST',
      path: '/sms/v1/verifications',
      body,
      idempotencyKey,
      response: Started,
    });
    return { verificationId };
  }

  async checkVerification(request: { verificationId: string; code: string }): Promise<{ valid: boolean }> {
    const { valid } = await this.http.request({
      method: 'POST',
      path: `/sms/v1/verifications/${segment(request.verificationId)}/check`,
      body: { code: request.code },
      response: Checked,
    });
    return { valid };
  }
}
