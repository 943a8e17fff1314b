/**
 * Owner IDs (the CspOwner search attribute): opaque, the same for a subject under a key, different
 * under another key, and found under every key of a ring after a rotation.
 */
import { OWNER_ID, ownerIds } from '../../src/client/owner-ids';
import { keyRingSpec, parseKeyRing } from '../../src/codec/key-ring';
import { newKey } from '../harness/keys';

test('an owner ID is opaque: no trace of an email-like subject, stable per key', () => {
  const ring = parseKeyRing(newKey());
  const ids = ownerIds(ring);
  const id = ids.current('zhou.qing@yunfan.example.cn');
  expect(id).toMatch(OWNER_ID);
  expect(id).not.toMatch(/zhou|qing|yunfan|@/);
  expect(ids.current('zhou.qing@yunfan.example.cn')).toBe(id);
  expect(ids.current('zhou.qing@yunfan.example.com')).not.toBe(id);
  // Without the payload key nobody computes it: another key gives another ID.
  expect(ownerIds(parseKeyRing(newKey())).current('zhou.qing@yunfan.example.cn')).not.toBe(id);
});

test('after a key rotation, enrollments stored under the earlier key are still found', () => {
  const before = parseKeyRing(newKey());
  const rotated = parseKeyRing(`${newKey()},${keyRingSpec(before)}`);
  const subject = 'applicant-1';
  const earlier = ownerIds(before).current(subject);
  expect(ownerIds(rotated).current(subject)).not.toBe(earlier);
  expect(ownerIds(rotated).all(subject)).toContain(earlier);
});
