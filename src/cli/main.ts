// Operator CLI: `npm run cli -- <command>`. Works on the same database as the server
// (DATABASE_URL or DATA_DIR); with PGlite, run it while the server is stopped.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { provisionStation, removeStation, ProvisioningError } from '../blocks/provisioning/station-admin';
import { StationRegistry } from '../ocpp/registry';
import { loadConfig } from '../config';
import { openDatabase } from '../db/client';
import { listApiKeys, revokeApiKeyById } from '../db/queries/api-keys';
import { listStations } from '../db/queries/stations';
import { AuthorizationDataError } from '../blocks/authorization/authorization-data';
import { createApiKey, DRIVER_ROLE, ROLES, type Role } from '../graphql/api-keys';
import { runCertsCommand } from './dev-certs';
import { FILES_USAGE, runFilesCommand } from './files-command';

const USAGE = `usage: npm run cli -- <command>
  api-key create --role admin|operator|viewer [--name NAME]   prints a new key once
  api-key create --role driver --id-token X [--id-token Y …] [--id-token-type ISO14443 …] [--name NAME]
                                                               a driver key bound to idTokens (one type for all, or one per token)
  api-key list                                                 lists keys (never secrets)
  api-key revoke --id ID
  station create --id ID [--password PW] [--boot-policy Accepted|Pending|Rejected] [--serial SN]
                                                               prints a generated password once when none is given
  station list
  station delete --id ID
  certs dev --out DIR [--organization NAME]                    development CA + RSA/ECDSA server certificates, prints the env lines
${FILES_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [group, action, ...rest] = argv;
  if (group === 'certs') return runCertsCommand(action, rest, (line) => process.stdout.write(`${line}\n`)); // needs no database
  if (group === 'files') return runFilesCommand(action, rest, (line) => process.stdout.write(`${line}\n`)); // talks to the running CSMS
  const { values } = parseArgs({
    args: rest,
    options: {
      role: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' }, password: { type: 'string' },
      'boot-policy': { type: 'string' }, serial: { type: 'string' },
      'id-token': { type: 'string', multiple: true }, 'id-token-type': { type: 'string', multiple: true },
    },
    strict: true,
  });
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const services = { db: database.db, registry: new StationRegistry() };
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    switch (`${group} ${action}`) {
      case 'api-key create': {
        const role = values.role as Role;
        if (![...ROLES, DRIVER_ROLE].includes(role)) throw new ProvisioningError('invalid', '--role must be admin, operator, viewer or driver');
        const tokens = values['id-token'] ?? [];
        const types = values['id-token-type'] ?? [];
        if (types.length > 1 && types.length !== tokens.length) throw new ProvisioningError('invalid', 'give one --id-token-type for all tokens or one per --id-token');
        const idTokens = tokens.map((idToken, i) => ({ idToken, type: types.length > 1 ? types[i]! : (types[0] ?? 'ISO14443') }));
        const { key, apiKey } = await createApiKey(services, values.name ?? `${role} key`, role, idTokens).catch((err: unknown) => {
          throw err instanceof AuthorizationDataError ? new ProvisioningError('invalid', err.message) : err;
        });
        out(`API key ${apiKey.id} (${role}) — shown once, store it now:\n${key}`);
        return 0;
      }
      case 'api-key list':
        for (const k of await listApiKeys(services.db)) {
          const bound = k.idTokens?.length ? `  [${k.idTokens.map((t) => `${t.type}:${t.idToken}`).join(', ')}]` : '';
          out(`${k.id}  ${k.role.padEnd(8)}  ${k.revokedAt ? 'revoked' : 'active '}  ${k.name}${bound}`);
        }
        return 0;
      case 'api-key revoke':
        out((await revokeApiKeyById(services.db, values.id ?? '', new Date())) ? 'revoked' : 'no such active key');
        return 0;
      case 'station create': {
        const password = values.password ?? randomBytes(30).toString('base64url').slice(0, 40);
        const station = await provisionStation(services, values.id ?? '', {
          password, bootPolicy: values['boot-policy'], serialNumber: values.serial,
        });
        out(`station ${station.id} created (security profile ${station.securityProfile}, boot policy ${station.bootPolicy})`);
        if (!values.password) out(`password (shown once): ${password}`);
        return 0;
      }
      case 'station list':
        for (const s of await listStations(services.db, {}, undefined, 10_000)) {
          out(`${s.id}  ${s.registrationStatus ?? 'never booted'}  ${s.vendorName ?? ''} ${s.model ?? ''}`);
        }
        return 0;
      case 'station delete':
        out((await removeStation(services, values.id ?? '')) ? 'deleted' : 'no such station');
        return 0;
      default:
        out(USAGE);
        return 2;
    }
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`chargegraph cli: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
