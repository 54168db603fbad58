// The engine's own time between the steps of a run whose steps follow one another, read
// from the state: from one milestone's last command to the next one's first. Unlike
// (up - shell loop), it does not move with how fast the simulator happens to run.

/** When a command ran, in ms. */
export interface Span {
  start: number;
  end: number;
}

/** The ms between consecutive steps, each given as the spans of its commands, in the order they ran. */
export function gapsBetweenSteps(steps: Span[][]): number[] {
  const ordered = steps
    .filter((spans) => spans.length > 0)
    .map((spans) => ({ start: Math.min(...spans.map((s) => s.start)), end: Math.max(...spans.map((s) => s.end)) }))
    .sort((a, b) => a.start - b.start);
  let reached = ordered[0]?.end ?? 0;
  return ordered.slice(1).map((step) => {
    const gap = Math.max(0, step.start - reached);
    reached = Math.max(reached, step.end);
    return gap;
  });
}
