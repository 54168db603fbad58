// Every setting a stack may hold, declared once: the program, the plan report and the
// helper scripts read a stack's settings through `settingsOf`, and the README's table of
// keys is generated from this declaration (tests/unit/settings.test.ts).
import { ConfigError } from "../errors";

/** The project's config namespace: keys are `kayobe-upgrade:<name>`. */
export const NAMESPACE = "kayobe-upgrade";

export interface Setting {
  /** What a valid value is, as the README and the refusals say it. */
  type: string;
  /** The value used when the stack does not set it, as the stack would write it. */
  default?: string;
  /** The default when it is not a fixed value. */
  defaultText?: string;
  /** Kept a secret end to end: refused in plaintext. */
  secret?: true;
  /** For a secret, the command that sets it (STACK for the stack's name). */
  setWith?: string;
  /** What it does, in the README's words (Markdown). */
  meaning: string;
}

const BACKUP_POINTS = "`before-prerequisites`, `after-prerequisites`, `after-preparation`, `before-overcloud-upgrade`, `after-overcloud-service-upgrade`";

export const SETTINGS = {
  kayobeBin: {
    type: "an executable: a path (relative to this project) or a name on PATH",
    default: "kayobe",
    meaning: "the kayobe executable, in the site's kayobe virtualenv (its `bin` goes first on PATH, as activating it would): it runs every step, and must be of the step's release (asked with `kayobe --version` first)",
  },
  preflightKayobeBin: {
    type: "an executable in a virtualenv, next to its `python`",
    defaultText: "`kayobeBin`",
    meaning: "a kayobe of the target release: it reads the checkout's configuration (as it evaluates it) and the preflight checks the target release's steps against its parser. The shipped stacks run the simulator but point this at real kayobe 16.8.0 (`scripts/ensure-kayobe.sh`)",
  },
  sourcePreflightKayobeBin: {
    type: "an executable in a virtualenv, next to its `python`",
    defaultText: "`kayobeBin`",
    meaning: "a kayobe of the source release (the one before `targetRelease`, kayobe 14.x for 2023.1): it reads the source release's configuration and the preflight checks the Prerequisites against its parser. The shipped stacks point it at real kayobe 14.5.0",
  },
  baremetalBin: {
    type: "an executable: a path (relative to this project) or a name",
    default: "baremetal",
    meaning:
      "the Ironic client (python-ironicclient's `baremetal`) that checks no node is in a wait state before the overcloud service upgrade, where overcloud Ironic is used. A name is looked for as the step runs it: on PATH with `kayobeBin`'s folder first (kayobe's virtualenv has none unless one is installed in it); preview refuses one it does not find",
  },
  kayobeConfigPath: {
    type: "a folder",
    meaning: "`KAYOBE_CONFIG_PATH`: the `etc/kayobe` folder of a kayobe-config checkout (required). Everything from Preparation on runs from it, at the target release; while it is still at the source release, only the Prerequisites run",
  },
  sourceConfigRef: {
    type: "a git ref (branch, tag or commit) of the kayobe-config checkout",
    meaning:
      "the site's configuration for the source release, e.g. `site/2023.1`: the Prerequisites run from a worktree of it (in `.kayobe-upgrade/<stack>/source-kayobe-config`) with its own kayobe-env, while the checkout is at the target release. Not needed while the checkout itself is still at the source release",
  },
  environment: { type: "a folder name", meaning: "`KAYOBE_ENVIRONMENT`: an environment under `etc/kayobe/environments`" },
  targetRelease: {
    type: "`2023.1`, `2024.1` or `2025.1`",
    meaning: "the release series to reach (required); the kayobe-config must be at it (the codename it names, and `openstack_release` as kayobe evaluates it). Only upgrades whose runbook is written run (`resources/runbook/transitions.ts`: 2023.1 to 2024.1)",
  },
  vaultPassword: {
    type: "a non-empty string",
    secret: true,
    setWith: "bin/pulumi config set --secret kayobe-upgrade:vaultPassword --stack STACK",
    meaning: "the Ansible Vault password (required): kayobe gets it as `KAYOBE_VAULT_PASSWORD`, never on a command line, never in plaintext in the state or the logs",
  },
  kayobeEnv: {
    type: "a map of environment variable names to strings",
    meaning: "extra environment for kayobe, over what the config's `kayobe-env` exports, e.g. `KOLLA_VENV_PATH`; commands run in the kayobe-config checkout, so a relative path in a value is relative to it",
  },
  kayobeSecretEnv: {
    type: "a map of environment variable names to strings",
    secret: true,
    setWith: "bin/pulumi config set --secret --path 'kayobe-upgrade:kayobeSecretEnv.NAME' VALUE --stack STACK",
    meaning: "secret environment for kayobe, e.g. `bin/pulumi config set --secret --path 'kayobe-upgrade:kayobeSecretEnv.OS_PASSWORD' ...`",
  },
  logDir: { type: "a writable folder (created when missing)", defaultText: "`logs/<stack>` in the record (`KAYOBE_UPGRADE_RECORD`, outside the checkout)", meaning: "where each milestone's full output is logged" },
  stage: { type: "`staging` or `production`", default: "staging", meaning: "production follows its staging stack and promotes Pulp content" },
  staging: { type: "a stack name", default: "staging", meaning: "on a production stack, the staging stack to follow (on the same backend)" },
  promotionOverride: { type: "a reason", meaning: "on a production stack, a reason to go ahead of staging (recorded)" },
  rabbitmqUpgradeWait: {
    type: "seconds, 0 to 86400",
    default: "200",
    meaning: "seconds between the RabbitMQ 3.12 and 3.13 upgrades, waited only when the 3.12 upgrade ran, as the runbook says (the shipped stacks use 1: the simulator needs no wait). Changing it runs nothing again",
  },
  hypervisorBatchSize: {
    type: "a whole number, at least 1",
    default: "1",
    meaning: "hypervisors whose packages update together. Each batch is a milestone; a batch the stack has recorded keeps its hosts, so changing the size mid-upgrade batches only the hosts not yet updated and runs nothing again",
  },
  vipHost: { type: "a host name", meaning: "the controller holding the VIP, updated last" },
  overcloudImageRegexes: { type: "a list of regexes, none starting with `-`", meaning: "image regexes for locally built overcloud images (all when unset)" },
  serviceUpgradeTags: { type: "comma-separated tags", meaning: "restrict `kayobe overcloud service upgrade` with `--tags`" },
  serviceUpgradeKollaTags: { type: "comma-separated tags", meaning: "restrict `kayobe overcloud service upgrade` with `--kolla-tags`" },
  parallelPhases: { type: "`true` or `false`", default: "false", meaning: "`true` runs the phases after Preparation side by side (the runbook allows any order), but the Wazuh agents after their manager and the seed after the seed hypervisor (`PHASE_ORDER` in `resources/runbook/plan.ts`); `false` keeps the runbook's order" },
  kayobeVenv: {
    type: "a virtualenv folder, with `bin/pip`",
    defaultText: "the `pip` next to `kayobeBin`",
    meaning: "the Kayobe virtualenv whose `bin/pip` reinstalls `requirements.txt`",
  },
  databaseBackups: {
    type: "a list of backup points",
    meaning: `extra points for \`kayobe overcloud database backup\`, e.g. \`["after-preparation"]\`: ${BACKUP_POINTS}; \`before-overcloud-service-upgrade\` is always backed up`,
  },
  prerequisiteChecks: {
    type: "a map of check names to an argv list or `false`",
    meaning:
      "the command (argv list, passing when it exits 0) of each prerequisite check, or `false` to switch it off: `hypervisor-capacity`, `test-suites`, `prometheus-alerts` and `opensearch-errors` (these two where deployed); an unconfigured one is a preview warning",
  },
  acknowledgedChanges: { type: "a list of rule names", meaning: 'blocking notable-change rules handled another way (shown as warnings), e.g. `["rabbitmq-quorum-queues"]`' },
  allowDirtyKayobeConfig: { type: "`true` or `false`", default: "false", meaning: "`true` to upgrade from a kayobe-config checkout with uncommitted changes, or not in git" },
  maintenanceWindow: {
    type: "`closed`, `open`, or an ISO 8601 interval with offsets",
    default: "closed",
    meaning:
      "when steps that cause an API outage may run, e.g. `2026-11-28T20:00Z/2026-11-29T02:00Z`; in an interval, such a step starts only if its estimate (from the record, plus 20%) ends before the window closes",
  },
  milestoneTimeout: { type: "a duration: a number and `s`, `m` or `h`, at most 24 days", default: "12h", meaning: "how long one milestone may take; its kayobe is ended when the time runs out" },
  seedSshHost: {
    type: "a host name or IP address",
    meaning:
      'the seed\'s address: turns on the runbook\'s check that Bifrost, Ironic and Inspector run on the seed, after its package update and after its service upgrade (`ssh`, then `sudo docker exec bifrost_deploy bash -c "systemctl is-active ironic ironic-inspector && ... baremetal node list && baremetal introspection list"`); a failing check blocks what follows; off in the shipped stacks',
  },
  seedSshUser: { type: "a user name", default: "stack", meaning: "the seed's SSH user" },
  seedSshPort: { type: "a TCP port", default: "22", meaning: "the seed's SSH port; its host key is learnt on first use into `.kayobe-upgrade/<stack>/known_hosts`" },
  seedSshPrivateKey: {
    type: "a private key",
    secret: true,
    setWith: "bin/pulumi config set --secret kayobe-upgrade:seedSshPrivateKey --stack STACK < KEY_FILE",
    meaning: "`bin/pulumi config set --secret kayobe-upgrade:seedSshPrivateKey < key`; without it, ssh uses the agent or the user's keys",
  },
  doneByHand: {
    type: "a map of milestone names to reasons",
    meaning: "milestones already done by hand, each with the reason to record: `bin/pulumi config set --path 'kayobe-upgrade:doneByHand[\"rabbitmq-slurp-upgrade\"]' \"upgraded by hand to 3.13 on 2026-11-20, change 4711\"`; they are recorded done and never run (below)",
  },
  reviewGates: {
    type: "`true` or `false`",
    default: "true",
    meaning:
      "`true`: a step that applies what a check showed (each `host configure` after its `--check --diff`, `overcloud service upgrade` after the kolla configuration diff) waits until the operator approves the check's changes in `approvals`; nothing to approve when it shows none. `false` records the reviews and waits for none (the shipped sample stacks: the simulator's cloud is nobody's)",
  },
  approvals: {
    type: "a map of milestone names to review digests",
    meaning:
      "the reviewed changes each gated step may apply, by the digest its refusal names: `bin/pulumi config set --path 'kayobe-upgrade:approvals[\"overcloud-service-upgrade\"]' sha256:...` (the refusal gives the exact command); a digest that is not the latest review's is refused again",
  },
  forgetCompletedSteps: {
    type: "the stack's own name",
    meaning:
      "lets `bin/pulumi destroy` forget the stack's completed steps, which it refuses otherwise: nothing on the cloud is undone, and the next `up` runs every step again, outages included. Remove it afterwards",
  },
  smokeTests: {
    type: "a map of phase names to argv lists",
    meaning:
      'commands to run after a phase, each a list of strings (no shell): `{"Upgrading the Overcloud": [["openstack", "server", "list"]]}`; they run as the phase\'s last milestone (`smoke-tests-<phase>`), so a failing test blocks what follows',
  },
  hostHealthChecks: {
    type: "a map of check names to an argv list or `false`",
    meaning:
      'what must pass after each control-plane or storage host\'s update (and reboot) before the next host: `containers` (none unhealthy or restarting on the controllers and the host), `mariadb` (`wsrep_cluster_size` the number of controllers) and `rabbitmq` (every node running) run through `kayobe overcloud host command run` on the controllers; set one to `false` to switch it off, or to an argv list to check it your way; any other name adds the operator\'s own check (an argv list, no shell, passing when it exits 0), e.g. `{"alerts": ["scripts/no-firing-alerts.sh"]}`',
  },
  hostHealthAttempts: { type: "a whole number from 1 to 1000", default: "30", meaning: "how many times the checks after a host are tried before the upgrade stops there, naming the check, the host and its last output" },
  hostHealthInterval: { type: "seconds, 0 to 3600", default: "20", meaning: "seconds between two tries of the checks after a host. Neither setting runs anything again" },
  rebootWithoutAnswer: {
    type: "a map of host names to `reboot` or `no reboot`",
    meaning:
      "what to do with a host that cannot say whether it needs a reboot (`needs-restarting` missing, its command failing, no output): without an entry the step stops, naming the host; `bin/pulumi config set --path 'kayobe-upgrade:rebootWithoutAnswer[\"stg-ctl-02\"]' reboot`, or `\"no reboot\"` once you have checked the host's kernel by hand. A host that answers is never overruled",
  },
} satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

/**
 * A setting as a stack holds it: its value as Pulumi hands it over (structured values as
 * JSON), or none for a secret the reader does not decrypt (the helper scripts).
 */
export interface RawSetting {
  value?: string;
  secret: boolean;
}

/** A stack's settings by name, every name a declared one. */
export type RawSettings = Partial<Record<SettingName, RawSetting>>;

/** The stack's settings out of all its config (by full key); refuses unknown `kayobe-upgrade:` keys. */
export function settingsOf(stack: string, config: Record<string, RawSetting>): RawSettings {
  const settings: RawSettings = {};
  const names = Object.keys(SETTINGS) as SettingName[];
  for (const [key, setting] of Object.entries(config)) {
    if (!key.startsWith(`${NAMESPACE}:`)) continue;
    const name = key.slice(NAMESPACE.length + 1);
    if (!isSettingName(name)) {
      const closest = closestOf(name, names);
      const suggestion = closest === undefined ? "" : ` (did you mean ${NAMESPACE}:${closest}?)`;
      throw new ConfigError(stack, key, `is not a setting of this project${suggestion}; remove it (bin/pulumi config rm ${key} --stack ${stack}) and set the one meant; the README lists the settings`);
    }
    settings[name] = setting;
  }
  return settings;
}

function isSettingName(name: string): name is SettingName {
  return Object.hasOwn(SETTINGS, name);
}

/** The known name nearest to `name`, if one is near enough to be the one meant. */
export function closestOf<T extends string>(name: string, known: readonly T[]): T | undefined {
  const scored = known.map((candidate) => ({ candidate, distance: editDistance(name.toLowerCase(), candidate.toLowerCase()) }));
  const best = scored.reduce((a, b) => (b.distance < a.distance ? b : a), scored[0]);
  return best !== undefined && best.distance <= Math.max(2, Math.floor(name.length / 3)) ? best.candidate : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The README's table of keys. */
export function settingsTable(): string {
  const rows = (Object.entries(SETTINGS) as [SettingName, Setting][]).map(([name, s]) => {
    const fallback = s.default !== undefined ? `\`${s.default}\`` : (s.defaultText ?? "");
    return `| \`${NAMESPACE}:${name}\` | ${s.type}${s.secret ? ", a secret" : ""} | ${fallback} | ${s.meaning} |`;
  });
  return ["| key | value | default | meaning |", "|---|---|---|---|", ...rows].join("\n") + "\n";
}
