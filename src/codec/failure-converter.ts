/**
 * Failure messages and stack traces may quote personal data; this converter moves them into an
 * encoded payload, which the encryption codec then encrypts. Loaded by path (failureConverterPath)
 * because it also runs inside the workflow bundle.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
