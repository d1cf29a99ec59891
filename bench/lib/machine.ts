/**
 * The machine the figures come from, and how busy it was while they were taken: the load
 * average, and the CPU that processes other than the benchmark's own used meanwhile.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { cpuTimeMs, machineCpuTicks, ticksToMs } from './proc';
import { mean, round } from './stats';

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGb: number;
  kernel: string;
  node: string;
}

export function machineInfo(): MachineInfo {
  return {
    nproc: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: round(totalmem() / 2 ** 30, 1),
    kernel: release(),
    node: process.version,
  };
}

export interface BusySummary {
  /** 1-minute load average: at the start, at the end, and the mean and max of samples. */
  loadAverage: { start: number; end: number; mean: number; max: number };
  seconds: number;
  /** CPUs' worth of busy time on the whole machine, e.g. 1.6 of 2. */
  machineBusyCpus: number;
  /** CPUs' worth used by the benchmark's own processes (load generator, sandbox, targets). */
  benchmarkCpus: number;
  /** The rest: other processes (other engineers' test runs, the system). */
  otherCpus: number;
}

/**
 * Samples the load average while the benchmark runs and, at the end, splits the machine's busy CPU
 * time into the benchmark's (this process and `pids`, which may come and go) and everybody else's.
 */
export class BusyMonitor {
  private readonly samples: number[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly start = { at: performance.now(), ticks: machineCpuTicks(), load: loadavg()[0] };
  private readonly ownCpuStart = process.cpuUsage();
  /** CPU time of each child process, last read and at first sight. */
  private readonly children = new Map<number, { first: number; last: number }>();

  constructor() {
    this.timer = setInterval(() => {
      this.samples.push(loadavg()[0]);
      this.pollChildren();
    }, 1_000);
    this.timer.unref();
  }

  /** Starts counting a child's CPU time. */
  watch(pid: number): void {
    const now = safeCpu(pid);
    if (now !== null && !this.children.has(pid)) this.children.set(pid, { first: now, last: now });
  }

  /** Reads a child's CPU time one last time, before it exits. */
  unwatch(pid: number): void {
    this.pollChildren([pid]);
  }

  finish(): BusySummary {
    clearInterval(this.timer);
    this.pollChildren();
    const seconds = (performance.now() - this.start.at) / 1000;
    const ticks = machineCpuTicks();
    const machineBusyMs = ticksToMs(ticks.busy - this.start.ticks.busy);
    const own = process.cpuUsage(this.ownCpuStart);
    let benchmarkMs = (own.user + own.system) / 1000;
    for (const { first, last } of this.children.values()) benchmarkMs += last - first;
    const end = loadavg()[0];
    const samples = [...this.samples, end];
    return {
      loadAverage: {
        start: round(this.start.load),
        end: round(end),
        mean: round(mean(samples)),
        max: round(Math.max(...samples)),
      },
      seconds: round(seconds, 1),
      machineBusyCpus: round(machineBusyMs / 1000 / seconds),
      benchmarkCpus: round(benchmarkMs / 1000 / seconds),
      otherCpus: round(Math.max(0, machineBusyMs - benchmarkMs) / 1000 / seconds),
    };
  }

  private pollChildren(pids: Iterable<number> = this.children.keys()): void {
    for (const pid of pids) {
      const entry = this.children.get(pid);
      const now = safeCpu(pid);
      if (entry && now !== null) entry.last = now;
    }
  }
}

/** The machine-wide load right now, for a line in the report. */
export function currentLoad(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

function safeCpu(pid: number): number | null {
  try {
    return cpuTimeMs(pid);
  } catch {
    return null;
  }
}
