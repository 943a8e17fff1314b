/** The bad-input figure line, written straight to stdout so CI logs show it. */
export interface BadInputFigures {
  tried: number;
  /** Answers that were not a refusal: server errors, workflow crashes, unexpected client errors. */
  serverErrors: number;
  changedByRefused: number;
}

export const newFigures = (): BadInputFigures => ({ tried: 0, serverErrors: 0, changedByRefused: 0 });

export function reportBadInput(surface: string, f: BadInputFigures): void {
  process.stdout.write(
    `bad input (${surface}): inputs tried ${f.tried}, 5xx answers ${f.serverErrors}, ` +
      `workflows changed by a refused input ${f.changedByRefused}\n`,
  );
}
