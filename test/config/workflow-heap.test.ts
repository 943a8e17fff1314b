import { workflowHeapMb } from '../../src/worker/workflow-heap';

test('the workflow thread heap is sized for the cache unless configured', () => {
  expect(workflowHeapMb(100)).toBe(146);
  expect(workflowHeapMb(0)).toBe(128);
  expect(workflowHeapMb(1000)).toBe(596);
  expect(workflowHeapMb(100, 512)).toBe(512);
});
