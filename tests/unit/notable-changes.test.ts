import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { checkNotableChanges, refuseBlockingChanges, rulesFor } from "../../resources/checks/notable-changes";
import { StackConfig } from "../../resources/config/stack-config";
import { copyOfSample, evaluate, stagingConfig } from "./fixtures";

type Edit = (dir: string) => void;

const write = (file: string, text: string): Edit => (dir) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
};
const append = (file: string, text: string): Edit => (dir) => fs.appendFileSync(path.join(dir, file), text);
const replace = (file: string, from: string, to: string): Edit => (dir) => {
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  assert.ok(text.includes(from), `${file} has ${from}`);
  fs.writeFileSync(path.join(dir, file), text.replace(from, to));
};

function findingsOf(edits: Edit[], safety: Partial<StackConfig["safety"]> = {}) {
  const dir = copyOfSample();
  for (const edit of edits) edit(dir);
  const base = stagingConfig();
  const config = stagingConfig({ kayobeConfigPath: dir, safety: { ...base.safety, ...safety } });
  return { config, findings: checkNotableChanges(config, evaluate(config)) };
}

function findingOf(rule: string, edits: Edit[]) {
  return findingsOf(edits).findings.find((f) => f.rule === rule)!;
}

const HEAT_ADVICE =
  "the Heat OpenStack service is no longer enabled by default; set kolla_enable_heat: true in kolla.yml to keep it. Wherever possible, migrate Magnum to the CAPI Helm driver, recreate any clusters using Heat, and disable the service";
const designate = replace("kolla.yml", "kolla_enable_designate: false", "kolla_enable_designate: true");

/** Each rule on a kayobe-config that breaks it (with the exact message) and on one that satisfies it. */
const CASES: { rule: string; breaks: Edit[]; outcome: "blocking" | "warning"; message: string; satisfies: Edit[] }[] = [
  {
    rule: "heat-disabled-by-default",
    breaks: [],
    outcome: "warning",
    message: `2024.1 notable change "heat-disabled-by-default" (Heat disabled by default): kolla_enable_heat evaluates false, so Heat, deployed by default up to 2023.1, is no longer deployed. The runbook: ${HEAT_ADVICE}`,
    satisfies: [replace("kolla.yml", "kolla_enable_heat: false", "kolla_enable_heat: true")],
  },
  {
    rule: "heat-needed-by-magnum",
    breaks: [append("kolla.yml", "kolla_enable_magnum: true\n")],
    outcome: "blocking",
    message: `2024.1 notable change "heat-needed-by-magnum" (Heat disabled by default): kolla_enable_heat evaluates false, but Magnum's Heat driver needs Heat. The runbook: ${HEAT_ADVICE}`,
    satisfies: [append("kolla.yml", "kolla_enable_magnum: true\n"), replace("kolla.yml", "kolla_enable_heat: false", "kolla_enable_heat: true")],
  },
  {
    rule: "designate-sink-disabled-by-default",
    breaks: [designate],
    outcome: "warning",
    message:
      '2024.1 notable change "designate-sink-disabled-by-default" (Designate sink disabled by default): designate_enable_notifications_sink is not set in kolla/globals.yml, so designate-sink is no longer deployed. The runbook: Designate sink is disabled by default in Caracal and not required for Designate to function. To keep it, set designate_enable_notifications_sink: true in kolla/globals.yml; otherwise the Antelope designate-sink container remains on the controllers after the upgrade and must be removed manually',
    satisfies: [designate, append("kolla/globals.yml", "designate_enable_notifications_sink: false\n")],
  },
  {
    rule: "neutron-dns-domain",
    breaks: [designate, append("kolla/globals.yml", "neutron_dns_domain: example.com\n")],
    outcome: "blocking",
    message:
      '2024.1 notable change "neutron-dns-domain" (Neutron DNS Domain): neutron_dns_domain "example.com" in kolla/globals.yml does not end with a period. The runbook: when Designate is enabled and the Neutron DNS integration has not been disabled, neutron_dns_domain must be set in kolla/globals.yml and end with a period, e.g. internal.compute.example.com. (a domain not used anywhere else); or disable the integration with neutron_dns_integration: false',
    satisfies: [designate, append("kolla/globals.yml", "neutron_dns_domain: internal.compute.example.com.\n")],
  },
  {
    rule: "horizon-custom-settings-renamed",
    breaks: [write("kolla/config/horizon/custom_local_settings", "SESSION_TIMEOUT = 3600\n"), write("environments/staging/kolla/config/horizon/local_settings", "DEBUG = False\n")],
    outcome: "blocking",
    message:
      '2024.1 notable change "horizon-custom-settings-renamed" (Horizon configuration): kolla/config/horizon/custom_local_settings, environments/staging/kolla/config/horizon/local_settings still use the old file names, which Horizon no longer reads. The runbook: the Horizon role uses the local_settings.d model: local_settings and custom_local_settings are renamed _9998-kolla-settings.py and _9999-custom-settings.py; rename them in kolla/config/horizon as well',
    satisfies: [write("kolla/config/horizon/_9999-custom-settings.py", "SESSION_TIMEOUT = 3600\n")],
  },
  {
    rule: "grafana-old-volume",
    breaks: [append("kolla.yml", "kolla_enable_grafana: true\n")],
    outcome: "warning",
    message:
      '2024.1 notable change "grafana-old-volume" (Grafana Volume): grafana_remove_old_volume is not set in kolla/globals.yml, so the unused Grafana volume stays. The runbook: the Grafana container volume is no longer used; set grafana_remove_old_volume: true in kolla/globals.yml to remove it (plugins installed through the Grafana UI or CLI are lost: install them at image build time instead). It is removed automatically in the next release',
    satisfies: [append("kolla.yml", "kolla_enable_grafana: true\n"), append("kolla/globals.yml", "grafana_remove_old_volume: true\n")],
  },
  {
    rule: "rabbitmq-quorum-queues",
    breaks: [replace("kolla/globals.yml", "om_enable_rabbitmq_high_availability: false", "om_enable_rabbitmq_high_availability: true")],
    outcome: "blocking",
    message:
      '2024.1 notable change "rabbitmq-quorum-queues" (RabbitMQ quorum queues): RabbitMQ stays on HA queues: the kolla globals set om_enable_rabbitmq_high_availability: true or om_enable_rabbitmq_quorum_queues: false. The runbook: in Caracal, quorum queues are enabled by default; before upgrading it is strongly recommended to migrate from HA to quorum queues: set om_enable_rabbitmq_high_availability: false and om_enable_rabbitmq_quorum_queues: true in the kolla globals, and the Prerequisites phase runs tools/rabbitmq-quorum-migration.sh (an extended API outage, for a pre-agreed maintenance window)',
    // Unset, Caracal's defaults: quorum queues.
    satisfies: [write("kolla/globals.yml", "---\n")],
  },
  {
    rule: "ngs-etcd-v3alpha",
    breaks: [append("kolla.yml", "kolla_neutron_ml2_mechanism_drivers: [ovn, genericswitch]\n")],
    outcome: "blocking",
    message:
      '2024.1 notable change "ngs-etcd-v3alpha" (Known issue: NGS and etcd v3alpha): no custom Neutron config in kolla/config/neutron sets NGS\'s etcd api_version=v3. The runbook: due to an incorrect default value NGS will attempt to use v3alpha for the API path when communicating with etcd3, which the Caracal etcd no longer supports; work around it in custom config, see https://github.com/stackhpc/smslab-kayobe-config/pull/354',
    satisfies: [
      append("kolla.yml", "kolla_neutron_ml2_mechanism_drivers: [ovn, genericswitch]\n"),
      write("kolla/config/neutron/ml2_conf.ini", "[ngs_coordination]\nbackend_url = etcd3+http://{{ api_interface_address }}:2379?api_version=v3\n"),
    ],
  },
];

describe("notable changes of 2024.1", () => {
  it("has a case below for every rule", () => {
    assert.deepStrictEqual(CASES.map((c) => c.rule).sort(), rulesFor("2024.1").map((r) => r.id).sort());
  });

  for (const c of CASES) {
    it(`${c.rule}: reports a kayobe-config that breaks it, with the runbook's advice, and passes one that satisfies it`, () => {
      assert.deepStrictEqual(findingOf(c.rule, c.breaks), { rule: c.rule, outcome: c.outcome, message: c.message });
      assert.strictEqual(findingOf(c.rule, c.satisfies).outcome, "satisfied");
    });
  }

  it("finds the shipped sample satisfies every rule that concerns it, so the built-in default runs", () => {
    const { findings } = findingsOf([]);
    assert.deepStrictEqual(Object.fromEntries(findings.map((f) => [f.rule, f.outcome])), {
      "heat-disabled-by-default": "warning",
      "heat-needed-by-magnum": "not applicable",
      "designate-sink-disabled-by-default": "not applicable",
      "neutron-dns-domain": "not applicable",
      "horizon-custom-settings-renamed": "not applicable",
      "grafana-old-volume": "not applicable",
      "rabbitmq-quorum-queues": "satisfied",
      "ngs-etcd-v3alpha": "not applicable",
    });
  });

  it("leaves a neutron_dns_domain alone when the Neutron DNS integration is off", () => {
    assert.strictEqual(findingOf("neutron-dns-domain", [designate, append("kolla/globals.yml", "neutron_dns_integration: false\n")]).outcome, "not applicable");
  });

  it("refuses the upgrade on a blocking rule, naming the stack, the rule, the file and key, and the advice", () => {
    const { config, findings } = findingsOf([write("kolla/globals.yml", "om_enable_rabbitmq_high_availability: true\n"), append("kolla.yml", "kolla_enable_designate: true\nkolla_enable_magnum: true\n")]);
    assert.throws(() => refuseBlockingChanges(config, findings), {
      name: "ConfigError",
      message:
        `stack "staging": kayobe-upgrade:kayobeConfigPath: the kayobe-config at ${config.kayobeConfigPath} breaks 3 blocking rule(s) of 2024.1:\n` +
        ["heat-needed-by-magnum", "neutron-dns-domain", "rabbitmq-quorum-queues"].map((rule) => `- ${findings.find((f) => f.rule === rule)!.message}`).join("\n") +
        "\nFix the kayobe-config, or, where it is handled another way, list the rule in kayobe-upgrade:acknowledgedChanges.",
    });
  });

  it("lets an acknowledged rule through as a warning that says so", () => {
    const { config, findings } = findingsOf([write("kolla/globals.yml", "om_enable_rabbitmq_high_availability: true\n")], { acknowledgedChanges: ["rabbitmq-quorum-queues"] });
    const finding = findings.find((f) => f.rule === "rabbitmq-quorum-queues")!;
    assert.strictEqual(finding.outcome, "acknowledged");
    assert.match(finding.message, /\(acknowledged in kayobe-upgrade:acknowledgedChanges\)$/);
    refuseBlockingChanges(config, findings);
  });

  it("refuses to acknowledge a rule the target release does not have", () => {
    assert.throws(() => findingsOf([], { acknowledgedChanges: ["rabbitmq-ha"] }), {
      message:
        'stack "staging": kayobe-upgrade:acknowledgedChanges: "rabbitmq-ha" is not a rule of 2024.1; expected among heat-disabled-by-default, heat-needed-by-magnum, designate-sink-disabled-by-default, neutron-dns-domain, horizon-custom-settings-renamed, grafana-old-volume, rabbitmq-quorum-queues, ngs-etcd-v3alpha',
    });
  });

  it("has no rules for a release without notable changes listed", () => {
    assert.deepStrictEqual(rulesFor("2025.1"), []);
  });
});
