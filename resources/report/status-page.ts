// One self-contained HTML file per stack, rewritten after every step of a run, so that a
// team can watch the window from a browser: the graph coloured by state, each phase's
// progress, the estimate, and every step with its commands and its log.
import * as path from "path";
import { formatDuration } from "../config/time";
import { renderCommand } from "../runbook/render";
import type { Milestone } from "../runbook/plan";
import { describeEstimate } from "./estimate";
import { renderGraphSvg } from "./graph-svg";
import type { StackStatus } from "./status";

const STYLE = [
  "body{font-family:DejaVu Sans,Arial,sans-serif;margin:1.5em;color:#212121}",
  "table{border-collapse:collapse}td,th{border-bottom:1px solid #e0e0e0;padding:.3em .6em;text-align:left;vertical-align:top}",
  ".bar{display:inline-block;width:12em;height:.8em;background:#eee;border:1px solid #bdbdbd}.bar span{display:block;height:100%;background:#66bb6a}",
  "code{font-size:90%;white-space:pre-wrap}.failed{color:#c62828;font-weight:bold}.running{color:#f9a825;font-weight:bold}.interrupted{color:#ef6c00;font-weight:bold}",
  ".graph{overflow-x:auto}",
].join("");

function escape(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A link to a log beside the page's folder or anywhere on this host. */
function logLink(log: string): string {
  return `<a class="log" href="${escape(`file://${path.resolve(log)}`)}">${escape(path.basename(log))}</a>`;
}

export function renderStatusPage(status: StackStatus, plan: Milestone[], generatedAt: string): string {
  const states = new Map(status.steps.map((s) => [s.name, { state: s.state }]));
  const commands = new Map(plan.map((m) => [m.name, m.commands.map(renderCommand)]));
  const current = status.current;
  const phases = status.phases.map(
    (p) =>
      `<tr data-phase="${escape(p.phase)}"><td>${escape(p.phase)}</td><td class="${p.state}">${p.state}</td><td>${p.done}/${p.total}</td>` +
      `<td><span class="bar"><span style="width:${Math.round((100 * p.done) / p.total)}%"></span></span></td></tr>`,
  );
  const steps = status.steps.map(
    (s) =>
      `<tr data-step="${escape(s.name)}"><td>${s.position}</td><td>${escape(s.name)}<br><small>${escape(s.title)}${s.risk === "outage" ? " (API outage)" : ""}</small></td>` +
      `<td class="${s.state}">${s.state}${s.error === undefined ? "" : `<br><small>${escape(s.error)}</small>`}</td>` +
      `<td>${status.remaining.steps[s.name] === undefined ? "" : formatDuration(status.remaining.steps[s.name])}</td>` +
      `<td>${(commands.get(s.name) ?? []).map((c) => `<code>${escape(c)}</code>`).join("<br>")}</td><td>${s.log === undefined ? "" : logLink(s.log)}</td></tr>`,
  );
  return [
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8"><title>${escape(`${status.stack}: ${status.done} of ${status.total} steps done`)}</title><style>${STYLE}</style></head><body>`,
    `<h1>Upgrade of ${escape(status.stack)} to ${escape(status.targetRelease)}</h1>`,
    `<p id="headline">${status.done} of ${status.total} steps done. ${escape(describeEstimate(status.total - status.done, status.remaining))}.</p>`,
    current === undefined ? "" : `<p id="current"><span class="${current.state}">${current.state}</span> [${current.position}] ${escape(current.name)}${current.error === undefined ? "" : `: ${escape(current.error)}`}${current.log === undefined ? "" : ` (log ${logLink(current.log)})`}</p>`,
    `<p><small>Written ${escape(generatedAt)}, after each step; reload to follow.</small></p>`,
    "<h2>Phases</h2>",
    `<table id="phases"><tr><th>phase</th><th>state</th><th>done</th><th></th></tr>${phases.join("")}</table>`,
    "<h2>Graph</h2>",
    `<div class="graph">${renderGraphSvg(`Upgrade of ${status.stack} to ${status.targetRelease}`, plan, states)}</div>`,
    "<h2>Steps, in the runbook's order</h2>",
    `<table id="steps"><tr><th>#</th><th>step</th><th>state</th><th>estimate</th><th>commands</th><th>log</th></tr>${steps.join("")}</table>`,
    "</body></html>",
    "",
  ].join("\n");
}
