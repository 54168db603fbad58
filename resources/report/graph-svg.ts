// A picture of the upgrade's dependency graph: one column per phase, its milestones top
// to bottom, coloured by state. Hand-rolled because the graph is simple (chains joined
// at phase boundaries) and Graphviz is not installed here.
import { Milestone } from "../runbook/plan";
import type { StepState } from "./status";

const CHAR_WIDTH = 6.6; // 11 px sans-serif, generous
const NODE_HEIGHT = 34;
const ROW = NODE_HEIGHT + 16;
const COLUMN_GAP = 60;
const MARGIN = 20;
const HEADER = 46;

// Green done, white pending; on the status page also red failed, amber running, orange interrupted.
const FILL = { done: "#c8e6c9", pending: "#ffffff", failed: "#ffcdd2", running: "#fff59d", interrupted: "#ffe0b2" };
const STROKE = { done: "#2e7d32", pending: "#757575", failed: "#c62828", running: "#f9a825", interrupted: "#ef6c00" };

interface Box {
  x: number;
  y: number;
  width: number;
}

export function renderGraphSvg(title: string, plan: Milestone[], statuses: Map<string, { state: StepState }>): string {
  const phases = [...new Set(plan.map((m) => m.phase))];
  const width = Math.ceil(Math.max(...plan.map((m) => m.name.length), ...phases.map((p) => p.length)) * CHAR_WIDTH) + 24;
  const boxes = new Map<string, Box>();
  for (const [column, phase] of phases.entries()) {
    plan.filter((m) => m.phase === phase).forEach((m, row) => boxes.set(m.name, { x: MARGIN + column * (width + COLUMN_GAP), y: MARGIN + HEADER + row * ROW, width }));
  }
  const rows = Math.max(...phases.map((phase) => plan.filter((m) => m.phase === phase).length));
  const totalWidth = 2 * MARGIN + phases.length * width + (phases.length - 1) * COLUMN_GAP;
  const legendY = MARGIN + HEADER + rows * ROW + 10;
  const totalHeight = legendY + NODE_HEIGHT + MARGIN;
  const state = (name: string) => statuses.get(name)?.state ?? "pending";

  const edges = plan.flatMap((m) => m.dependsOn.map((from) => edge(boxes.get(from)!, boxes.get(m.name)!)));
  const headers = phases.map((phase, column) => text(MARGIN + column * (width + COLUMN_GAP) + width / 2, MARGIN + HEADER - 14, phase, "phase"));
  const nodes = plan.map((m) => {
    const box = boxes.get(m.name)!;
    const s = state(m.name);
    const outage = m.risk === "outage" ? `<rect x="${box.x}" y="${box.y}" width="6" height="${NODE_HEIGHT}" fill="#c62828"/>` : "";
    return [
      `<g class="milestone ${s}" data-name="${escape(m.name)}"><title>${escape(`${m.name}: ${m.title} (${s}, ${m.risk})`)}</title>`,
      `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${NODE_HEIGHT}" rx="4" fill="${FILL[s]}" stroke="${STROKE[s]}" stroke-width="1.5"/>`,
      outage,
      text(box.x + box.width / 2, box.y + 21, m.name, "name"),
      "</g>",
    ].join("");
  });
  const legend = [
    legendItem(MARGIN, legendY, FILL.done, STROKE.done, "done"),
    legendItem(MARGIN + 110, legendY, FILL.pending, STROKE.pending, "pending"),
    `<rect x="${MARGIN + 230}" y="${legendY}" width="6" height="20" fill="#c62828"/>`,
    text(MARGIN + 244, legendY + 14, "inside the maintenance window (API outage)", "legend"),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${totalWidth}" height="${totalHeight}" viewBox="0 0 ${totalWidth} ${totalHeight}">`,
    `<title>${escape(title)}</title>`,
    "<style>text{font-family:DejaVu Sans,Arial,sans-serif;fill:#212121}.name{font-size:11px;text-anchor:middle}.phase{font-size:13px;font-weight:bold;text-anchor:middle}.legend{font-size:12px}</style>",
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#616161"/></marker></defs>',
    `<rect width="${totalWidth}" height="${totalHeight}" fill="#fafafa"/>`,
    ...headers,
    ...edges,
    ...nodes,
    ...legend,
    "</svg>",
    "",
  ].join("\n");
}

/** Straight down within a column; a curve from one column's node to another's. */
function edge(from: Box, to: Box): string {
  if (from.x === to.x) {
    const x = from.x + from.width / 2;
    return `<path d="M${x},${from.y + NODE_HEIGHT}L${x},${to.y}" stroke="#616161" fill="none" marker-end="url(#arrow)"/>`;
  }
  const [x1, y1, x2, y2] = [from.x + from.width, from.y + NODE_HEIGHT / 2, to.x, to.y + NODE_HEIGHT / 2];
  const bend = (x2 - x1) / 2;
  return `<path d="M${x1},${y1}C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}" stroke="#616161" fill="none" marker-end="url(#arrow)"/>`;
}

function legendItem(x: number, y: number, fill: string, stroke: string, label: string): string {
  return `<rect x="${x}" y="${y}" width="20" height="20" rx="3" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>${text(x + 28, y + 14, label, "legend")}`;
}

function text(x: number, y: number, content: string, cls: string): string {
  return `<text x="${x}" y="${y}" class="${cls}">${escape(content)}</text>`;
}

function escape(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
