/** A one-line progress bar on stderr, so stdout keeps only the results. */
export function progress(label: string, total: number): { tick(): void; done(): void } {
  let count = 0;
  const draw = () => {
    const width = 30;
    const filled = Math.round((count / total) * width);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total}`);
  };
  draw();
  return {
    tick() {
      count += 1;
      draw();
    },
    done: () => process.stderr.write('\n'),
  };
}
