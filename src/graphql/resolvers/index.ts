// All resolvers, with the access table applied once to every root field.
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { checkAccess, PROCEED } from '../access';
import { DateTime, JSONScalar } from '../scalars';
import type { GraphqlContext } from '../context';
import type { Resolvers } from '../generated/resolvers';
import { adminResolvers } from './admin';
import { authorizationResolvers } from './authorization';
import { certificateResolvers } from './certificates';
import { commandResolvers } from './commands';
import { customerInformationResolvers } from './customer-information';
import { deviceModelResolvers } from './device-model';
import { firmwareResolvers } from './firmware';
import { logResolvers } from './logs';
import { monitoringResolvers } from './monitoring';
import { remoteControlResolvers } from './remote-control';
import { securityEventResolvers } from './security-events';
import { stationResolvers } from './stations';
import { stationCredentialResolvers } from './station-credentials';
import { subscriptionResolvers } from './subscriptions';
import { transactionSubscriptionResolvers } from './transaction-subscriptions';
import { transactionResolvers } from './transactions';

type AnyMap = Record<string, Record<string, unknown>>;

function merge(...parts: Resolvers[]): AnyMap {
  const out: AnyMap = {};
  for (const part of parts) for (const [type, fields] of Object.entries(part)) out[type] = { ...out[type], ...(fields as object) };
  return out;
}

function guard(rootType: string, field: string, resolve: GraphQLFieldResolver<unknown, GraphqlContext>) {
  return (parent: unknown, args: unknown, context: GraphqlContext, info: GraphQLResolveInfo) => {
    const access = checkAccess(context.principal, rootType, field, info.returnType);
    if (access !== PROCEED) return access;
    return resolve(parent, args as never, context, info);
  };
}

export function buildResolvers(): AnyMap {
  const all = merge(stationResolvers, deviceModelResolvers, commandResolvers, subscriptionResolvers, adminResolvers, authorizationResolvers, remoteControlResolvers, transactionResolvers, transactionSubscriptionResolvers, stationCredentialResolvers, securityEventResolvers, customerInformationResolvers, monitoringResolvers, certificateResolvers, firmwareResolvers, logResolvers);
  for (const root of ['Query', 'Mutation', 'Subscription']) {
    for (const [field, resolver] of Object.entries(all[root] ?? {})) {
      if (typeof resolver === 'function') all[root]![field] = guard(root, field, resolver as never);
      else {
        const r = resolver as { subscribe: GraphQLFieldResolver<unknown, GraphqlContext> };
        all[root]![field] = { ...r, subscribe: guard(root, field, r.subscribe) };
      }
    }
  }
  return { ...all, DateTime: DateTime as never, JSON: JSONScalar as never };
}
