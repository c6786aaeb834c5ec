// Who may run which root field: one table. Queries and subscriptions need `viewer`, mutations
// `operator`, except the fields listed here. Driver keys see only DRIVER_FIELDS (issue 3 §5).
import { getNullableType, isListType, isNonNullType, isObjectType, type GraphQLOutputType } from 'graphql';
import { sameIdToken } from '../blocks/authorization/authorize-id-token';
import { apiError } from './errors';
import { DRIVER_ROLE, ROLES, type Principal, type Role } from './api-keys';

const ADMIN_FIELDS = new Set([
  'Query.apiKeys',
  'Mutation.createStation',
  'Mutation.updateStation',
  'Mutation.deleteStation',
  'Mutation.createApiKey',
  'Mutation.revokeApiKey',
  'Mutation.sendOcppCall',
  'Mutation.setNetworkProfile',
  'Mutation.installCertificate',
  'Mutation.deleteCertificate',
  'Mutation.revokeCertificate',
  'Mutation.rotateStationPassword',
  'Mutation.upgradeSecurityProfile',
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

/** The root fields a driver key may use; their resolvers filter by `principal.idTokens` (ownsIdToken). */
const DRIVER_FIELDS = new Set([
  'Query.transactions',
  'Query.transaction',
  'Subscription.transactionUpdated',
  'Subscription.meterValuesReceived',
  'Mutation.requestStartTransaction',
  'Mutation.requestStopTransaction',
]);

/** checkAccess result: run the resolver. */
export const PROCEED = Symbol('proceed');

/** What "no such data" looks like for a query field of this type; undefined when it has no empty form. */
function emptyValue(type: GraphQLOutputType): unknown {
  if (!isNonNullType(type)) return null;
  const inner = getNullableType(type);
  if (isListType(inner)) return [];
  if (isObjectType(inner) && 'edges' in inner.getFields() && 'pageInfo' in inner.getFields()) {
    return { edges: [], nodes: [], totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null } };
  }
  return undefined;
}

/**
 * The one access decision for a root field. Staff roles: FORBIDDEN below the role needed. A driver
 * outside DRIVER_FIELDS is told the data does not exist, never that it is forbidden: null or an empty
 * list/connection for queries, NOT_FOUND for mutations and subscriptions.
 */
export function checkAccess(principal: Principal, rootType: string, field: string, returnType: GraphQLOutputType): unknown {
  if (principal.role !== DRIVER_ROLE) {
    assertAllowed(principal, rootType, field);
    return PROCEED;
  }
  if (DRIVER_FIELDS.has(`${rootType}.${field}`)) return PROCEED;
  const empty = rootType === 'Query' ? emptyValue(returnType) : undefined;
  if (empty === undefined) throw apiError('NOT_FOUND', 'Not found');
  return empty;
}

/**
 * Who may share one graphql-ws subscription execution (shared-subscriptions.ts). A staff key's
 * results depend on its role only (no resolver reads the key id), so staff keys of one role share;
 * a driver's depend on its idTokens, which belong to its key: keyed by key id.
 */
export function subscriptionScope(principal: Principal): string {
  return principal.role === DRIVER_ROLE ? `key:${principal.keyId}` : `role:${principal.role}`;
}

/** Whether a driver key is bound to this idToken (value case-insensitive, same type). Staff keys own none. */
export function ownsIdToken(principal: Principal, idToken: string, type: string): boolean {
  return principal.role === DRIVER_ROLE && principal.idTokens.some((t) => sameIdToken(t, { idToken, type }));
}
