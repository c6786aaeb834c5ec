// Worker threads running TypeScript modules: the worker first registers tsx, then imports the file
// (worker execArgv `--import tsx` is not honoured for the entry module on Node 20).
import { Worker, type WorkerOptions } from 'node:worker_threads';

const tsxApi = import.meta.resolve('tsx/esm/api');

export function tsWorker(file: URL, options: WorkerOptions = {}): Worker {
  const code = `import { register } from ${JSON.stringify(tsxApi)};\nregister();\nawait import(${JSON.stringify(file.href)});\n`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), options);
}
