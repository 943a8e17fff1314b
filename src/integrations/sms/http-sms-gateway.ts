/**
 * The SMS gateway over HTTP: it sends the code (an SMS to a mobile, a voice call to a landline)
 * and keeps it; we only ever see valid/invalid.
 */
import { z } from 'zod';
import type { SmsGateway } from '../contracts';
import type { PhoneChannel } from '../../domain/phone';
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
    channel?: PhoneChannel;
    locale: string;
  }): Promise<{ verificationId: string }> {
    const { idempotencyKey, channel, ...rest } = request;
    const { verificationId } = await this.http.request({
      method: 'POST',
      path: '/sms/v1/verifications',
      body: { ...rest, channel: channel ?? 'sms' },
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
