/** A one-line progress bar on stderr, so stdout keeps only the results; optionally with a rate and ETA. */
export function progress(
  label: string,
  total: number,
  options: { eta?: boolean } = {},
): { tick(): void; done(): void } {
  let count = 0;
  const started = Date.now();
  let drawn = 0;
  const draw = () => {
    const width = 30;
    const filled = Math.round((count / total) * width);
    let tail = '';
    if (options.eta && count > 0) {
      const elapsedS = (Date.now() - started) / 1000;
      const rate = count / elapsedS;
      const etaS = Math.round((total - count) / rate);
      const eta =
        etaS >= 3600
          ? `${Math.floor(etaS / 3600)}h${String(Math.floor((etaS % 3600) / 60)).padStart(2, '0')}m`
          : `${Math.floor(etaS / 60)}m${String(etaS % 60).padStart(2, '0')}s`;
      tail = ` ${rate.toFixed(2)}/s, ETA ${eta}   `;
    }
    process.stderr.write(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total}${tail}`,
    );
  };
  draw();
  return {
    tick() {
      count += 1;
      // With thousands of ticks, redraw at most every 250 ms (and on the last one).
      const now = Date.now();
      if (count === total || now - drawn >= 250) {
        drawn = now;
        draw();
      }
    },
    done: () => process.stderr.write('\n'),
  };
}
