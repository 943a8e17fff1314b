/**
 * The workflow bundle's shared modules (src/workflows/shared): zod and the domain's schemas are
 * evaluated once per V8 context, and still work after the SDK has frozen what it shares.
 */
import { ReusableVMWorkflowCreator } from '@temporalio/worker/lib/workflow/reusable-vm';
import fs from 'node:fs';
import { enrollmentRequest } from '../fixtures';
import { workflowBundlePath } from '../harness/temporal';

type Cache = Record<string, { exports: Record<string, { safeParse(value: unknown): unknown }> } | undefined>;

let creator: ReusableVMWorkflowCreator;
let cache: Cache;
let ids: string[];

beforeAll(async () => {
  const code = fs.readFileSync(workflowBundlePath(), 'utf8');
  ids = [...code.matchAll(/^\/\*\*\*\/ "([^"]+)"$/gm)].map((match) => match[1]);
  creator = await ReusableVMWorkflowCreator.create(
    {
      code,
      filename: 'workflow-bundle.js',
      sourceMap: { version: 3, sources: [], names: [], mappings: '' } as never,
    },
    5_000,
    new Set(),
  );
  // What a workflow's require finds before its own modules: the shared ones.
  cache = (creator as unknown as { context: { __webpack_module_cache__: Cache } }).context
    .__webpack_module_cache__;
});

afterAll(() => creator.destroy());

test('every domain module and zod are shared by the workflows of a worker', () => {
  const wanted = ids.filter((id) => /[/\\](src[/\\]domain|node_modules[/\\]zod)[/\\]/.test(id));
  expect(wanted.length).toBeGreaterThan(10);
  expect(wanted.filter((id) => !cache[id])).toEqual([]);
});

test('shared schemas validate after the SDK froze its shared modules, naming the field', () => {
  const id = ids.find((candidate) => /[/\\]src[/\\]domain[/\\]enrollment\.[jt]s$/.test(candidate))!;
  const { EnrollmentRequest } = cache[id]!.exports;
  expect(EnrollmentRequest.safeParse(enrollmentRequest())).toMatchObject({ success: true });
  const bad = { ...enrollmentRequest(), globalAdmin: { ...enrollmentRequest().globalAdmin, email: 'nope' } };
  const result = EnrollmentRequest.safeParse(bad) as { success: boolean; error?: { issues: object[] } };
  expect(result.success).toBe(false);
  expect(result.error!.issues).toEqual([
    expect.objectContaining({ path: ['globalAdmin', 'email'], message: 'must be an email address' }),
  ]);
});

test('shared plain data is frozen, as the SDK freezes what it shares', () => {
  const id = ids.find((candidate) => /[/\\]src[/\\]domain[/\\]status\.[jt]s$/.test(candidate))!;
  const { STAGES } = cache[id]!.exports as unknown as { STAGES: string[] };
  expect(Object.isFrozen(STAGES)).toBe(true);
});
