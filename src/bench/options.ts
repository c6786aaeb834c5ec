// Command-line flags of `npm run bench`. Defaults are the targets of the benchmark (issue 5);
// `--quick` shrinks every scenario so the whole run takes about a minute.
import { availableParallelism } from 'node:os';

export const SCENARIOS = ['storm', 'mix', 'heartbeat', 'commands', 'subscriptions', 'idle', 'authflood'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchOptions {
  scenarios: Scenario[];
  db: 'pglite' | 'postgres';
  /** Base PostgreSQL URL; a scratch database is created next to it and dropped afterwards. */
  postgresUrl: string;
  stations: number;
  idleStations: number;
  idleSeconds: number;
  /** Aggregate target rate of the mix, messages per second. */
  rate: number;
  duration: number;
  /** Heartbeat-only and ceiling runs: rate (0 = as fast as answers come) and seconds each. */
  heartbeatRate: number;
  heartbeatDuration: number;
  commandRate: number;
  commandDuration: number;
  subscribers: number;
  subscriptionRate: number;
  subscriptionDuration: number;
  /** authflood: wrong-password upgrades from 127.0.0.1, in flight at once, real stations per group, baseline seconds. */
  floodAttempts: number;
  floodConcurrency: number;
  floodRate: number;
  floodStations: number;
  floodBaseline: number;
  workers: number;
  compress: boolean;
  provision: boolean;
  url: string | undefined;
  password: string | undefined;
  idPrefix: string;
  out: string | undefined;
  cpuProf: string | undefined;
  logLevel: string;
  quiet: boolean;
}

export const HELP = `npm run bench -- [flags]

  --quick                    small sizes, ~1 minute in all
  --scenarios a,b            ${SCENARIOS.join(',')} (default: all)
  --db pglite|postgres       storage of the CSMS child (default pglite)
  --postgres-url URL         server for --db postgres (default postgres://postgres@127.0.0.1:5432/postgres)
  --stations N               stations of the boot storm, mix, heartbeat and ceiling runs (5000)
  --idle-stations N          stations connected for the idle memory reading (10000)
  --idle-seconds S           settle time before the idle reading (10)
  --rate R --duration S      mix: aggregate messages/s and seconds (5000, 60)
  --heartbeat-rate R         heartbeat-only and ceiling: messages/s, 0 = closed loop (0)
  --heartbeat-duration S     seconds each (20)
  --command-rate R           getVariables round trips per second (100)
  --command-duration S       seconds (30)
  --subscribers M            graphql-ws clients on meterValuesReceived (1000)
  --subscription-rate R      MeterValues per second from one station (20)
  --subscription-duration S  seconds (20)
  --flood-attempts N         authflood: wrong-password upgrades from 127.0.0.1 (10000)
  --flood-concurrency C      of them in flight at once (50)
  --flood-rate R             attempts started per second at most, 0 = as fast as answers come (0)
  --flood-stations K         real stations from 127.0.0.2: K steady + K joining during the flood (3)
  --flood-baseline S         seconds of Heartbeats before the flood (3); authflood runs last:
                             127.0.0.1 stays rate-limited for minutes afterwards
  --workers N                load generator threads (default: cores - 1, at least 1)
  --compress                 stations offer permessage-deflate (off by default)
  --no-provision --url ws://host/ocpp --password P [--id-prefix X]
                             drive an already running OCPP 2.0.1 CSMS (storm, mix, heartbeat, idle, authflood)
  --out FILE                 JSON report path (default: a file in the OS temp directory)
  --cpu-prof DIR             run the CSMS child under node --cpu-prof, profiles written to DIR
  --log-level L              LOG_LEVEL of the CSMS child (info)
  --quiet                    no progress lines on stderr
`;

const DEFAULTS: Omit<BenchOptions, 'scenarios' | 'workers'> = {
  db: 'pglite',
  postgresUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  stations: 5000,
  idleStations: 10000,
  idleSeconds: 10,
  rate: 5000,
  duration: 60,
  heartbeatRate: 0,
  heartbeatDuration: 20,
  commandRate: 100,
  commandDuration: 30,
  subscribers: 1000,
  subscriptionRate: 20,
  subscriptionDuration: 20,
  floodAttempts: 10000,
  floodConcurrency: 50,
  floodRate: 0,
  floodStations: 3,
  floodBaseline: 3,
  compress: false,
  provision: true,
  url: undefined,
  password: undefined,
  idPrefix: 'bench-',
  out: undefined,
  cpuProf: undefined,
  logLevel: 'info',
  quiet: false,
};

const QUICK: Partial<BenchOptions> = {
  stations: 300, idleStations: 1000, idleSeconds: 3, rate: 500, duration: 10, heartbeatDuration: 5,
  commandRate: 50, commandDuration: 5, subscribers: 50, subscriptionRate: 10, subscriptionDuration: 5,
  floodAttempts: 1000, floodBaseline: 2,
};

const NUMERIC: Record<string, keyof BenchOptions> = {
  '--stations': 'stations', '--idle-stations': 'idleStations', '--idle-seconds': 'idleSeconds', '--rate': 'rate',
  '--duration': 'duration', '--heartbeat-rate': 'heartbeatRate', '--heartbeat-duration': 'heartbeatDuration',
  '--command-rate': 'commandRate', '--command-duration': 'commandDuration', '--subscribers': 'subscribers',
  '--subscription-rate': 'subscriptionRate', '--subscription-duration': 'subscriptionDuration', '--workers': 'workers',
  '--flood-attempts': 'floodAttempts', '--flood-concurrency': 'floodConcurrency', '--flood-rate': 'floodRate', '--flood-stations': 'floodStations', '--flood-baseline': 'floodBaseline',
};
const TEXT: Record<string, keyof BenchOptions> = {
  '--postgres-url': 'postgresUrl', '--url': 'url', '--password': 'password', '--id-prefix': 'idPrefix',
  '--out': 'out', '--cpu-prof': 'cpuProf', '--log-level': 'logLevel',
};

export class UsageError extends Error {}

export function parseOptions(argv: string[]): BenchOptions {
  const given: Partial<BenchOptions> = {};
  let quick = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--help' || flag === '-h') throw new UsageError(HELP);
    else if (flag === '--quick') quick = true;
    else if (flag === '--no-provision') given.provision = false;
    else if (flag === '--compress') given.compress = true;
    else if (flag === '--quiet') given.quiet = true;
    else if (flag === '--db') {
      const v = value();
      if (v !== 'pglite' && v !== 'postgres') throw new UsageError('--db must be pglite or postgres');
      given.db = v;
    } else if (flag === '--scenarios') {
      const list = value().split(',').map((s) => s.trim()).filter(Boolean);
      const bad = list.filter((s) => !(SCENARIOS as readonly string[]).includes(s));
      if (bad.length) throw new UsageError(`unknown scenario ${bad.join(', ')}; known: ${SCENARIOS.join(', ')}`);
      given.scenarios = list as Scenario[];
    } else if (NUMERIC[flag]) {
      const n = Number(value());
      if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} must be a non-negative number`);
      (given as Record<string, unknown>)[NUMERIC[flag]!] = n;
    } else if (TEXT[flag]) (given as Record<string, unknown>)[TEXT[flag]!] = value();
    else throw new UsageError(`unknown flag ${arg}\n\n${HELP}`);
  }
  const options: BenchOptions = {
    ...DEFAULTS,
    ...(quick ? QUICK : {}),
    ...given,
    scenarios: given.scenarios ?? [...SCENARIOS],
    workers: Math.max(1, Math.floor(given.workers ?? availableParallelism() - 1)),
  };
  if (!options.provision) {
    if (!options.url || options.password === undefined) throw new UsageError('--no-provision needs --url and --password');
    // Commands and subscriptions use Chargegraph's GraphQL API; another CSMS has its own.
    options.scenarios = options.scenarios.filter((s) => s !== 'commands' && s !== 'subscriptions');
  }
  return options;
}
