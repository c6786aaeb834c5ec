// `npm run simulate`: run one or more simulated charging stations against a CSMS.
import { parseCli, USAGE, type CliPlan } from './simulator/cli-options';
import { SimulatedStation } from './simulator/station';

const MAX_LINE = 300;
const CLOSE_GRACE_MS = 2000;

function logLine(id: string, msg: string): void {
  const line = msg.length > MAX_LINE ? `${msg.slice(0, MAX_LINE)}… (${msg.length} chars)` : msg;
  process.stdout.write(`${new Date().toISOString()} [${id}] ${line}\n`);
}

/** --session: plug in on EVSE 1, authorize, charge until stopped (remotely, or Ctrl-C). --plug-in: plug in only. */
async function runSession(station: SimulatedStation, session: NonNullable<CliPlan['session']>): Promise<void> {
  await station.plugIn(1);
  const status = session.idToken ? ` ${session.idToken.idToken} ${await station.authorize(session.idToken, 1)}` : ' EV plugged in';
  const tx = station.transaction(1);
  logLine(station.id, `session:${status}${tx ? `, transaction ${tx.transactionId}` : ''}`);
}

function main(): void {
  let plan;
  try {
    plan = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (!plan) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const ids = plan.count === 1 ? [plan.station.id] : Array.from({ length: plan.count }, (_, i) => `${plan.station.id}-${i + 1}`);
  const stations = ids.map(
    (id) => new SimulatedStation({ ...plan.station, id, log: (msg) => logLine(id, msg) }),
  );
  const session = plan.session;
  for (const station of stations) {
    station
      .start()
      .then(async () => {
        if (!session || station.registration !== 'Accepted') return;
        await runSession(station, session);
      })
      .catch((error: Error) => logLine(station.id, `start failed: ${error.message}`));
  }

  let stopping = false;
  process.on('SIGINT', () => {
    if (stopping) process.exit(130);
    stopping = true;
    logLine('simulate', 'closing stations (Ctrl-C again to force)');
    const closing = Promise.all(stations.map((s) => s.close(1000)));
    const grace = new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
    void Promise.race([closing, grace]).then(() => process.exit(0));
  });
}

main();
