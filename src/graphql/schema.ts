// The executable schema: SDL files from graphql/ plus the resolvers.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { buildResolvers } from './resolvers';

const sdlRoot = fileURLToPath(new URL('../../graphql', import.meta.url));

function sdlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sdlFiles(join(dir, e.name)) : e.name.endsWith('.graphql') ? [join(dir, e.name)] : []))
    .sort();
}

export function buildSchema(): GraphQLSchema {
  const typeDefs = sdlFiles(sdlRoot).map((f) => readFileSync(f, 'utf8'));
  return makeExecutableSchema({ typeDefs, resolvers: buildResolvers() as never });
}
