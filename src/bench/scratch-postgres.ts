// A scratch PostgreSQL database for one benchmark run, created next to the given URL's database
// and dropped afterwards.
import postgres from 'postgres';
import { postgresTarget } from '../db/postgres-url';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(baseUrl: string): Promise<ScratchDatabase> {
  const name = `chargegraph_bench_${Date.now().toString(36)}_${process.pid}`;
  const target = postgresTarget(baseUrl);
  const admin = postgres(target.url, { max: 1, onnotice: () => {}, ...(target.host && { host: target.host }) });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end({ timeout: 5 });
    },
  };
}
