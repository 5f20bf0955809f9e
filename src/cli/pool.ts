/**
 * A small pool of worker threads for `refresh --all`: each worker loads the running bundle (dist/cli.js
 * or another bundle of the CLI) and refreshes one workbook at a time; the caller gets each result with
 * its index and puts them in order. A worker that dies takes only its own task with it: that task is
 * answered as failed and a fresh worker takes the rest.
 *
 * Only a bundled .js file can be loaded into a worker; from TypeScript sources (ts-node, Jest) the
 * caller runs the tasks in its own thread.
 */
import * as os from "os";
import { isMainThread, parentPort, Worker, workerData } from "worker_threads";

/** The flag in workerData that makes a loaded bundle serve tasks (see serveTasks). */
export const WORKER_FLAG = "uppfoljarenBatchWorker";

/** The file a worker can load to run this code, or null when the code does not run from a bundle. */
export function bundleFile(): string | null {
  return /\.c?js$/.test(__filename) ? __filename : null;
}

/** How many threads a batch of `tasks` gets: at most `wanted` and the machine's parallelism. */
export function poolSize(tasks: number, wanted: number): number {
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(tasks, cores, wanted));
}

/** From a worker: ready for a task (once loaded), or the answer to one. */
type Message<R> = { ready: true } | { index: number; result: R };

/**
 * Runs `tasks` on `size` threads: this one (`local`, already loaded and warmed up) and `size - 1` workers
 * loaded from `script`, each taking the next task when it is free (a worker once it has loaded, so a slow
 * start holds no task up). `onResult` gets each answer, in any order; a task whose worker died gets
 * `crashed(index, reason)`.
 */
export async function runOnWorkers<T, R>(
  script: string,
  tasks: readonly T[],
  size: number,
  local: (task: T) => Promise<R>,
  onResult: (index: number, result: R) => void,
  crashed: (index: number, reason: string) => R,
): Promise<void> {
  let next = 0;
  let open = tasks.length;
  let allAnswered = () => undefined as void;
  const answered = new Promise<void>((resolve) => (allAnswered = resolve));
  const answer = (index: number, result: R) => {
    onResult(index, result);
    if (--open === 0) allAnswered();
  };
  const start = () => {
    // Loaded by require from an eval'd script: the bundle is not the worker's main module, so an entry
    // guard (require.main === module) in it stays off.
    const worker = new Worker(`require(${JSON.stringify(script)});`, {
      eval: true,
      workerData: { [WORKER_FLAG]: true },
    });
    let current = -1;
    let finished = false;
    const give = () => {
      if (next >= tasks.length) {
        finished = true;
        void worker.terminate();
        return;
      }
      current = next++;
      worker.postMessage({ index: current, task: tasks[current] });
    };
    worker.on("message", (m: Message<R>) => {
      if ("index" in m) {
        current = -1;
        answer(m.index, m.result);
      }
      give();
    });
    const died = (reason: string) => {
      if (finished) return;
      finished = true;
      if (current >= 0) answer(current, crashed(current, reason));
      current = -1;
      if (next < tasks.length) start();
    };
    worker.on("error", (e) => died(e instanceof Error ? e.message : String(e)));
    worker.on("exit", (code) => died(`arbetstråden avslutades (kod ${code})`));
  };
  for (let i = 1; i < Math.min(size, tasks.length); i++) start();
  while (next < tasks.length) {
    const i = next++;
    answer(i, await local(tasks[i]));
  }
  if (open > 0) await answered;
}

/** The worker's side: loaded with WORKER_FLAG, answers tasks one at a time with `run`. */
export function serveTasks<T, R>(run: (task: T) => Promise<R>): boolean {
  if (isMainThread || !(workerData as Record<string, unknown> | null)?.[WORKER_FLAG]) return false;
  const port = parentPort!;
  port.on("message", (m: { index: number; task: T }) => {
    void run(m.task).then((result) => port.postMessage({ index: m.index, result }));
  });
  port.postMessage({ ready: true });
  return true;
}
