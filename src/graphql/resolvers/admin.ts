import { createApiKey, ROLES, type Role } from '../api-keys';
import { listApiKeys, revokeApiKeyById } from '../../db/queries/api-keys';
import { apiError } from '../errors';
import type { Resolvers } from '../generated/resolvers';

export const adminResolvers: Resolvers = {
  Query: {
    apiKeys: (_, __, { services }) => listApiKeys(services.db),
  },
  Mutation: {
    async createApiKey(_, { input }, { services }) {
      if (!(ROLES as readonly string[]).includes(input.role)) throw apiError('BAD_USER_INPUT', 'unknown role');
      if (input.name.trim().length === 0 || input.name.length > 100) throw apiError('BAD_USER_INPUT', 'name must be 1 to 100 characters');
      return createApiKey(services, input.name.trim(), input.role as Role);
    },
    async revokeApiKey(_, { id }, { services }) {
      await revokeApiKeyById(services.db, id, services.now());
      const keys = await listApiKeys(services.db);
      return { apiKey: keys.find((k) => k.id === id) ?? null };
    },
  },
  ApiKey: {
    role: (k) => k.role as never,
  },
};
