// Who may run which root field: one table. Queries and subscriptions need `viewer`, mutations
// `operator`, except the fields listed here.
import { apiError } from './errors';
import { ROLES, type Principal, type Role } from './api-keys';

const ADMIN_FIELDS = new Set([
  'Query.apiKeys',
  'Mutation.createStation',
  'Mutation.updateStation',
  'Mutation.deleteStation',
  'Mutation.createApiKey',
  'Mutation.revokeApiKey',
  'Mutation.sendOcppCall',
  'Mutation.setNetworkProfile',
]);

export function requiredRole(rootType: string, field: string): Role {
  if (ADMIN_FIELDS.has(`${rootType}.${field}`)) return 'admin';
  return rootType === 'Mutation' ? 'operator' : 'viewer';
}

export function assertAllowed(principal: Principal, rootType: string, field: string): void {
  const needed = requiredRole(rootType, field);
  if (principal.role === 'driver' || ROLES.indexOf(principal.role) < ROLES.indexOf(needed as (typeof ROLES)[number])) {
    throw apiError('FORBIDDEN', `${field} requires the ${needed} role`);
  }
}
