// The two sides of an upgrade: the source release's configuration, from which the
// Prerequisites run on the old release, and the target release's, from which everything
// from Preparation on runs. Each is read by a kayobe of its release, as that kayobe
// evaluates it, and must be at that release.
import { ConfigError } from "../errors";
import type { KayobeInvocation } from "../kayobe/process-env";
import type { Side } from "../runbook/phases";
import { codename, named, previousSeries, Series, seriesNamed } from "../runbook/releases";
import { ConfigAt, KayobeConfig, readKayobeConfig } from "./kayobe-config";
import { sourceWorktree } from "./source-worktree";
import { StackConfig } from "./stack-config";

export interface Sides {
  source: KayobeConfig;
  target: KayobeConfig;
  /** The release of each side. */
  releases: Record<Side, Series>;
  /** Why a side's steps cannot run yet from the configurations there are, if so. */
  waiting: Partial<Record<Side, string>>;
}

/** The kayobe that runs a side's steps, on its configuration, with what its kayobe-env exports, then the stack's kayobeEnv. */
export function invocationOf(config: StackConfig, sides: Sides, side: Side): KayobeInvocation {
  return { kayobeBin: config.kayobeBin, kayobeConfigPath: sides[side].configPath, environment: config.environment, kayobeEnv: { ...sides[side].env.vars, ...config.kayobeEnv } };
}

/**
 * What keeps a kayobe-config from being at `series`, if anything: `openstack_release` as
 * kayobe evaluates it (the evaluating kayobe's default, unless the config sets it), and
 * the codename the config names (StackHPC's configs name only that).
 */
export function releaseMismatch(kayobe: KayobeConfig, series: Series): string | undefined {
  const release = String(kayobe.vars.openstack_release);
  const name = kayobe.vars.openstack_release_codename;
  if (name !== undefined && String(name).toLowerCase() !== codename(series)) return `it names its release ${String(name)} (openstack_release_codename), not ${codename(series)}`;
  if (release !== series) return `${kayobe.evaluatedBy} evaluates its openstack_release as ${release}`;
  return undefined;
}

/**
 * The worktree's kayobe-env, with the control host's own paths the checkout's: StackHPC's
 * derives the kolla-ansible virtualenv and source from where the checkout is
 * (`$KAYOBE_CONFIG_ROOT/../..`), and from a worktree elsewhere they would point at
 * nothing. They hold the source release's kolla-ansible until the runbook's control host
 * upgrade, so the source side uses them as they are.
 */
function onControlHost(source: KayobeConfig, checkout: KayobeConfig): KayobeConfig {
  const inWorktree = (value: string) => value === source.checkout || value.startsWith(`${source.checkout}/`);
  const vars = Object.fromEntries(Object.entries(source.env.vars).map(([name, value]) => [name, inWorktree(value) ? value : (checkout.env.vars[name] ?? value)]));
  return { ...source, env: { ...source.env, vars } };
}

/** Where a side's configuration is read from, by the kayobe of the side's release (a worktree's cached apart). */
export function configAt(config: StackConfig, side: Side, configPath: string, key: ConfigAt["key"] = "kayobeConfigPath"): ConfigAt {
  const series = side === "source" ? previousSeries(config.targetRelease)! : config.targetRelease;
  const cache = `${key === "sourceConfigRef" ? "source-" : ""}kayobe-config-${series}.json`;
  return side === "source"
    ? { configPath, key, kayobeBin: config.sourcePreflightKayobeBin, kayobeKey: "sourcePreflightKayobeBin", cache }
    : { configPath, key, kayobeBin: config.preflightKayobeBin, kayobeKey: "preflightKayobeBin", cache };
}

/**
 * Reads the configuration of each side. With `sourceConfigRef`, the source side is a
 * worktree of that ref and the checkout must be at the target release. Without it the
 * checkout is either at the source release (the runbook's own flow: the Prerequisites
 * run from it, the rest waits for the merge of the target release's configuration), or
 * at the target (the Prerequisites wait for a source-release configuration to run from).
 */
export function readSides(config: StackConfig, vaultPassword: string): Sides {
  const to = config.targetRelease;
  const from = previousSeries(to)!;
  const releases = { source: from, target: to };
  const read = (side: Side, configPath: string, key: ConfigAt["key"]) => readKayobeConfig(config, vaultPassword, configAt(config, side, configPath, key));
  const refuse = (key: string, what: string, fix: string): never => {
    throw new ConfigError(config.stack, `kayobe-upgrade:${key}`, `the stack upgrades from ${named(from)} to ${named(to)}, but ${what}; ${fix}`);
  };
  const checkout = read("target", config.kayobeConfigPath, "kayobeConfigPath");
  const atTarget = releaseMismatch(checkout, to);
  const evaluators = `a kayobe of each release reads that release's configuration (kayobe-upgrade:sourcePreflightKayobeBin for ${from}, kayobe-upgrade:preflightKayobeBin for ${to}, both kayobeBin by default; scripts/ensure-kayobe.sh VERSION installs one from PyPI)`;
  if (config.sourceConfigRef !== undefined) {
    const ref = config.sourceConfigRef;
    if (atTarget !== undefined) refuse("kayobeConfigPath", `the kayobe-config checkout at ${checkout.checkout} is not at ${to}: ${atTarget}`, `check out the site's ${to} configuration there (the source release's is ${ref}); ${evaluators}`);
    const worktree = sourceWorktree(config, ref);
    const source = read("source", worktree.configPath, "sourceConfigRef");
    const atSource = releaseMismatch(source, from);
    if (atSource !== undefined) refuse("sourceConfigRef", `${ref} (${worktree.commit}) is not at ${from}: ${atSource}`, `set it to the ref of the site's ${from} configuration; ${evaluators}`);
    return { source: onControlHost(source, checkout), target: checkout, releases, waiting: {} };
  }
  if (atTarget === undefined) {
    return {
      source: checkout,
      target: checkout,
      releases,
      waiting: {
        source: `the Prerequisites run on ${named(from)} from the site's ${from} configuration, and the kayobe-config checkout at ${checkout.checkout} is at ${to}: set kayobe-upgrade:sourceConfigRef to the git ref of the site's ${from} configuration (e.g. its ${from} branch), or record the steps done already in kayobe-upgrade:doneByHand`,
      },
    };
  }
  // Named at the source release: read again by the source release's kayobe, whose defaults are that release's.
  const name = checkout.vars.openstack_release_codename;
  const source = name !== undefined && seriesNamed(String(name)) === from ? read("source", config.kayobeConfigPath, "kayobeConfigPath") : checkout;
  const atSource = releaseMismatch(source, from);
  if (atSource !== undefined) {
    return refuse("targetRelease", `the kayobe-config checkout at ${checkout.checkout} is at neither: ${atTarget}`, `check out the site's ${to} configuration there (or, before the Prerequisites, its ${from} configuration), or change targetRelease; ${evaluators}`);
  }
  return {
    source,
    target: source,
    releases,
    waiting: {
      target: `the kayobe-config checkout at ${checkout.checkout} is still at ${named(from)}: the steps of ${named(to)} run only from its configuration. Once the Prerequisites are done, merge the site's ${to} configuration into the checkout (the runbook's Preparation: Migrating Kayobe Configuration), commit it, and run bin/pulumi up again`,
    },
  };
}
