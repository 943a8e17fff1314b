/** The credit bureau over HTTP: one solvency check per enrollment, keyed for safe retries. */
import { z } from 'zod';
import type { CreditBureau, CreditCheckRequest, CreditReport } from '../contracts';
import { type HttpClientOptions, JsonClient } from '../http/json-client';

const CreditReportBody = z.object({
  decision: z.enum(['approved', 'declined']),
  score: z.number(),
  riskBand: z.enum(['low', 'medium', 'high']),
  reportReference: z.string().min(1),
  registeredName: z.string().min(1).optional(),
  reason: z.string().optional(),
});

export class HttpCreditBureau implements CreditBureau {
  private readonly http: JsonClient;

  constructor(options: HttpClientOptions) {
    this.http = new JsonClient('credit-bureau', options);
  }

  async checkSolvency(request: CreditCheckRequest): Promise<CreditReport> {
    const { idempotencyKey, ...body } = request;
    const report = await this.http.request({
      method: 'POST',
      path: '/credit-bureau/v1/solvency-checks',
      body,
      idempotencyKey,
      response: CreditReportBody,
    });
    // Absent fields stay absent rather than `undefined` in workflow history.
    const { reason, registeredName, ...rest } = report;
    return { ...rest, ...(registeredName ? { registeredName } : {}), ...(reason ? { reason } : {}) };
  }
}
