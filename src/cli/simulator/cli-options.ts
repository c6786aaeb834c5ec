// Command line of `npm run simulate`.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { TlsClientOptions } from './open-socket';
import type { SimulatedStationOptions } from './station';

export const USAGE = `Usage: npm run simulate -- --url ws://127.0.0.1:8080/ocpp --id CP001 [options]

  --url <ws-url>        CSMS websocket base URL (station id is appended)
  --id <id>             station id; with --count N the ids are <id>-1 .. <id>-N
  --password <pw>       Basic auth password (or env SIMULATOR_PASSWORD)
  --evses <n>           EVSEs per station (default 1)
  --connectors <n>      connectors per EVSE (default 1)
  --count <n>           number of stations to start (default 1)
  --model <name>        BootNotification model
  --vendor <name>       BootNotification vendor name
  --serial <serial>     BootNotification serial number
  --firmware <version>  BootNotification firmware version
  --protocol <p>        websocket subprotocol (default ocpp2.0.1)
  --ca <file>           CA certificate (PEM) the CSMS's TLS certificate must chain to (wss:// URLs)
  --cert <file>         client certificate (PEM) for security profile 3; needs --key (no Basic auth then)
  --key <file>          private key (PEM) of --cert
  --organization <o>    O of the CSRs it sends when asked to renew its certificate (A02)
  --cert-dir <dir>      write certificates the CSMS signs for it (and their keys) to this directory
  --session             run a charging session on EVSE 1: plug in, authorize --id-token, charge
  --plug-in             plug an EV into EVSE 1 and wait (for a remote start, F01)
  --id-token <token>    idToken the session is authorized with (default SIM-TOKEN-1)
  --id-token-type <t>   its IdTokenEnumType (default ISO14443)
  --meter-interval <s>  seconds between periodic meter values while charging (default 60)
  --tx-start-point <p>  TxCtrlr.TxStartPoint (default EVConnected,Authorized)
  --power <W>           charging power in W (default 11000)
  -h, --help`;

export interface CliPlan {
  count: number;
  station: Omit<SimulatedStationOptions, 'log'>;
  /** Once accepted: plug an EV into EVSE 1, and authorize it with `idToken` when given (--session). */
  session?: { idToken?: { idToken: string; type: string } };
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${text}"`);
  return n;
}

/** --ca/--cert/--key as PEM text (A00 profiles 2 and 3). */
function tlsOptions(values: { ca?: string | undefined; cert?: string | undefined; key?: string | undefined }): TlsClientOptions | undefined {
  if ((values.cert === undefined) !== (values.key === undefined)) throw new Error('--cert and --key must be given together');
  if (values.ca === undefined && values.cert === undefined) return undefined;
  const read = (flag: string, path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`--${flag}: cannot read ${path}: ${(err as Error).message}`);
    }
  };
  return {
    ...(values.ca !== undefined && { ca: read('ca', values.ca) }),
    ...(values.cert !== undefined && { cert: read('cert', values.cert), key: read('key', values.key!) }),
  };
}

/** Returns undefined when help was asked for; throws on bad arguments. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliPlan | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      url: { type: 'string', default: 'ws://127.0.0.1:8080/ocpp' },
      id: { type: 'string', default: 'CP001' },
      password: { type: 'string' },
      evses: { type: 'string' },
      connectors: { type: 'string' },
      count: { type: 'string' },
      model: { type: 'string' },
      vendor: { type: 'string' },
      serial: { type: 'string' },
      firmware: { type: 'string' },
      protocol: { type: 'string' },
      ca: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      organization: { type: 'string' },
      'cert-dir': { type: 'string' },
      session: { type: 'boolean' },
      'plug-in': { type: 'boolean' },
      'id-token': { type: 'string' },
      'id-token-type': { type: 'string' },
      'meter-interval': { type: 'string' },
      'tx-start-point': { type: 'string' },
      power: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  const password = values.password ?? env.SIMULATOR_PASSWORD;
  const tls = tlsOptions(values);
  const meterInterval = values['meter-interval'];
  return {
    count: positive('count', values.count, 1),
    ...(values.session && { session: { idToken: { idToken: values['id-token'] ?? 'SIM-TOKEN-1', type: values['id-token-type'] ?? 'ISO14443' } } }),
    ...(values['plug-in'] && !values.session && { session: {} }),
    station: {
      url: values.url,
      id: values.id,
      ...(password !== undefined && { password }),
      evses: positive('evses', values.evses, 1),
      connectorsPerEvse: positive('connectors', values.connectors, 1),
      ...(values.model !== undefined && { model: values.model }),
      ...(values.vendor !== undefined && { vendorName: values.vendor }),
      ...(values.serial !== undefined && { serialNumber: values.serial }),
      ...(values.firmware !== undefined && { firmwareVersion: values.firmware }),
      ...(values.protocol !== undefined && { protocols: [values.protocol] }),
      ...(tls && { tls }),
      ...(values.organization !== undefined && { certificateOrganization: values.organization }),
      ...(values['cert-dir'] !== undefined && { certificateDir: values['cert-dir'] }),
      ...(meterInterval !== undefined && { meterIntervalMs: positive('meter-interval', meterInterval, 60) * 1000 }),
      ...(values['tx-start-point'] !== undefined && { txStartPoint: values['tx-start-point'] }),
      ...(values.power !== undefined && { chargingPowerW: positive('power', values.power, 11000) }),
      heartbeat: true,
      autoReconnect: true,
      retryBoot: true,
    },
  };
}
