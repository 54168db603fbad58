// The shortest time a graph of steps can take: each step starts once the steps it
// depends on are done and one of `slots` workers is free (Pulumi's --parallel).

export interface TimedStep {
  name: string;
  dependsOn: string[];
  seconds: number;
}

/**
 * Finish time of a list schedule taking ready steps in declaration order, as the engine
 * does. With enough slots it is the longest path by summed durations.
 */
export function criticalPath(steps: TimedStep[], slots: number): number {
  const finish = new Map<string, number>();
  const running: number[] = [];
  let now = 0;
  const pending = [...steps];
  while (pending.length > 0) {
    const ready = pending.findIndex((s) => s.dependsOn.every((d) => (finish.get(d) ?? Infinity) <= now));
    if (ready >= 0 && running.length < slots) {
      const [step] = pending.splice(ready, 1);
      const end = now + step.seconds;
      finish.set(step.name, end);
      running.push(end);
      continue;
    }
    if (running.length === 0) throw new Error(`steps wait for unknown or cyclic steps: ${pending.map((s) => s.name).join(", ")}`);
    // Nothing more can start now: move on to the next step's end.
    now = Math.min(...running);
    running.splice(running.indexOf(now), 1);
  }
  return Math.max(0, ...finish.values());
}
