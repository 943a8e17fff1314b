/** `npm run build` step: writes the prebuilt workflow bundle that the worker loads at start. */
import path from 'node:path';
import { writeWorkflowBundle } from '../src/worker/bundle';

const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
writeWorkflowBundle(out).then(
  (file) => console.log(`workflow bundle written to ${path.relative(process.cwd(), file)}`),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
