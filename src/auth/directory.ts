/**
 * The people the service knows by subject and role: who may be given a review. With static tokens
 * it is their table; with OIDC (where people are known only when they sign in) it is configured
 * (`CSP_DIRECTORY=id:role,…`). Reassigning a review to anyone else is refused.
 */
import { commaList } from '../config/values';
import { ROLES, type Actor } from '../domain/actions';

export interface Directory {
  knows(id: string, role: Actor['role']): boolean;
}

/** Parses `id:role,…`; an entry that is not one is named in the error. */
export function parseDirectory(spec: string | undefined): Actor[] {
  return commaList(spec).map((item, index) => {
    const at = item.lastIndexOf(':');
    const id = item.slice(0, at);
    const role = item.slice(at + 1) as Actor['role'];
    if (at <= 0 || !ROLES.includes(role) || !/^[A-Za-z0-9._@-]{1,128}$/.test(id))
      throw new Error(`CSP_DIRECTORY item ${index + 1}: expected id:role (roles ${ROLES.join(', ')})`);
    return { id, role };
  });
}

export function directory(people: readonly Actor[]): Directory {
  const known = new Set(people.map((person) => `${person.role}:${person.id}`));
  return { knows: (id, role) => known.has(`${role}:${id}`) };
}
