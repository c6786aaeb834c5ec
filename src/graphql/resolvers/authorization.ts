// Authorization data (block C): stored AuthorizationData, read by viewers, written by operators.
import {
  AuthorizationDataError, checkIdToken, toIdTokenRow, toIdTokenRows,
} from '../../blocks/authorization/authorization-data';
import {
  deleteIdToken, findIdToken, listIdTokens, upsertIdToken, upsertIdTokens, type IdTokenRow,
} from '../../db/queries/id-tokens';
import { apiError } from '../errors';
import type { AdditionalInfo, IdToken, MessageContent, Resolvers } from '../generated/resolvers';
import { pageSize } from './stations';

function badInput<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof AuthorizationDataError) throw apiError('BAD_USER_INPUT', err.message);
    throw err;
  }
}

const encodeCursor = (id: number) => Buffer.from(String(id), 'utf8').toString('base64url');

function decodeCursor(cursor: string): number {
  const id = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(id) || id < 0) throw apiError('BAD_USER_INPUT', 'after is not a cursor from idTokens');
  return id;
}

const idTokenOf = (row: IdTokenRow): IdToken => ({
  idToken: row.idToken,
  type: row.type as IdToken['type'],
  additionalInfo: (row.additionalInfo as AdditionalInfo[] | null) ?? null,
});

export const authorizationResolvers: Resolvers = {
  Query: {
    async idToken(_, { idToken, type }, { services }) {
      return (await findIdToken(services.db, idToken, type)) ?? null;
    },
    async idTokens(_, { first, after, filter }, { services }) {
      const limit = pageSize(first);
      const rows = await listIdTokens(
        services.db,
        {
          status: filter?.status ?? undefined,
          type: filter?.type ?? undefined,
          groupIdToken: filter?.groupIdToken ?? undefined,
          text: filter?.text ?? undefined,
        },
        after ? decodeCursor(after) : undefined,
        limit + 1,
      );
      const page = rows.slice(0, limit);
      return {
        edges: page.map((node) => ({ cursor: encodeCursor(node.id), node })),
        pageInfo: { hasNextPage: rows.length > limit, endCursor: page.length ? encodeCursor(page[page.length - 1]!.id) : null },
      };
    },
  },
  Mutation: {
    async upsertIdToken(_, { input }, { services }) {
      const row = badInput(() => toIdTokenRow(input));
      return { authorizationData: await upsertIdToken(services.db, row, services.now()) };
    },
    async upsertIdTokens(_, { input }, { services }) {
      const rows = badInput(() => toIdTokenRows(input));
      return upsertIdTokens(services.db, rows, services.now());
    },
    async deleteIdToken(_, { idToken }, { services }) {
      const token = badInput(() => checkIdToken(idToken, 'idToken'));
      const deleted = await deleteIdToken(services.db, token.idToken, token.type);
      return { idToken: deleted ? idTokenOf(deleted) : { ...token, type: idToken.type, additionalInfo: null }, deleted: !!deleted };
    },
  },
  AuthorizationData: {
    idToken: idTokenOf,
    idTokenInfo: (row) => ({
      status: row.status as never,
      cacheExpiryDateTime: row.cacheExpiryDateTime,
      chargingPriority: row.chargingPriority,
      language1: row.language1,
      language2: row.language2,
      evseId: (row.evseIds as number[] | null) ?? null,
      groupIdToken: row.groupIdToken && row.groupIdTokenType
        ? { idToken: row.groupIdToken, type: row.groupIdTokenType as IdToken['type'], additionalInfo: null }
        : null,
      personalMessage: (row.personalMessage as MessageContent | null) ?? null,
    }),
  },
  MessageContent: {
    language: (m) => m.language ?? null,
  },
};
