/**
 * Failure messages and stack traces may quote personal data; this converter moves them into an
 * encoded payload, which the encryption codec then encrypts. One exception stays readable: a
 * worker that lacks the key a payload is sealed with says so in plain words (key IDs only), so
 * operators see it in Temporal UI or the CLI without a codec. Loaded by path
 * (failureConverterPath) because it also runs inside the workflow bundle: no Node APIs here.
 */
import {
  DefaultFailureConverter,
  type FailureConverter,
  type PayloadConverter,
  type ProtoFailure,
  type SerializationContext,
} from '@temporalio/common';

/** Errors whose message holds no personal data, by name (the class lives outside the bundle). */
const READABLE = new Set(['PayloadKeyUnavailable']);

class ServiceFailureConverter implements FailureConverter {
  private readonly sealed = new DefaultFailureConverter({ encodeCommonAttributes: true });
  private readonly readable = new DefaultFailureConverter({ encodeCommonAttributes: false });

  errorToFailure(error: unknown, converter: PayloadConverter, context?: SerializationContext): ProtoFailure {
    const readable = error instanceof Error && READABLE.has(error.name);
    return (readable ? this.readable : this.sealed).errorToFailure(error, converter, context);
  }

  failureToError(failure: ProtoFailure, converter: PayloadConverter, context?: SerializationContext): Error {
    return this.sealed.failureToError(failure, converter, context);
  }
}

export const failureConverter: FailureConverter = new ServiceFailureConverter();
