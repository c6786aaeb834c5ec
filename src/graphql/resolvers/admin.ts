import { AuthorizationDataError } from '../../blocks/authorization/authorization-data';
import { createApiKey, DRIVER_ROLE, forgetApiKey, ROLES, type Role } from '../api-keys';
import { findApiKeyById, listApiKeys, revokeApiKeyById } from '../../db/queries/api-keys';
import { apiError } from '../errors';
import type { Resolvers } from '../generated/resolvers';

export const adminResolvers: Resolvers = {
  Query: {
    apiKeys: (_, __, { services }) => listApiKeys(services.db),
  },
  Mutation: {
    async createApiKey(_, { input }, { services }) {
      if (![...ROLES, DRIVER_ROLE].includes(input.role)) throw apiError('BAD_USER_INPUT', 'unknown role');
      if (input.name.trim().length === 0 || input.name.length > 100) throw apiError('BAD_USER_INPUT', 'name must be 1 to 100 characters');
      try {
        return await createApiKey(services, input.name.trim(), input.role as Role, input.idTokens ?? []);
      } catch (err) {
        if (err instanceof AuthorizationDataError) throw apiError('BAD_USER_INPUT', err.message);
        throw err;
      }
    },
    async revokeApiKey(_, { id }, { services }) {
      if (await revokeApiKeyById(services.db, id, services.now())) {
        forgetApiKey(services, id);
        services.bus.publish({ type: 'api-key-revoked', keyId: id });
      }
      return { apiKey: (await findApiKeyById(services.db, id)) ?? null };
    },
  },
  ApiKey: {
    role: (k) => k.role as never,
    idTokens: (k) => (k.role === DRIVER_ROLE ? (k.idTokens ?? []).map((t) => ({ idToken: t.idToken, type: t.type as never, additionalInfo: null })) : null),
  },
};
