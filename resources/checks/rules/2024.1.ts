// The notable changes and known issues of 2024.1 Caracal that a kayobe-config can be
// checked against, in the runbook's words ("Notable changes in the 2024.1 Release",
// "Known issues"). The next release adds a file like this one and a line in
// ../notable-changes.ts.
import { enabled } from "../../runbook/phases";
import type { Rule, RuleInput } from "../notable-changes";

/** A kayobe switch as set (true or false), or undefined when the config leaves it to the default. */
function setting(values: Record<string, unknown>, name: string): boolean | undefined {
  return values[name] === undefined ? undefined : enabled(values, name);
}

// As kayobe evaluates it: kayobe's own default is on, StackHPC's 2024.1 kolla.yml turns it off.
const heat = (i: RuleInput) => enabled(i.vars, "kolla_enable_heat");
const magnum = (i: RuleInput) => enabled(i.vars, "kolla_enable_magnum");
const designate = (i: RuleInput) => enabled(i.vars, "kolla_enable_designate");
const HEAT_ADVICE =
  "the Heat OpenStack service is no longer enabled by default; set kolla_enable_heat: true in kolla.yml to keep it. Wherever possible, migrate Magnum to the CAPI Helm driver, recreate any clusters using Heat, and disable the service";
const OLD_HORIZON_FILES = ["local_settings", "custom_local_settings"];

export const RULES_2024_1: Rule[] = [
  {
    id: "heat-disabled-by-default",
    title: "Heat disabled by default",
    severity: "warning",
    // With Magnum, heat-needed-by-magnum blocks instead.
    applies: (i) => !magnum(i),
    violation: (i) => (heat(i) ? undefined : "kolla_enable_heat evaluates false, so Heat, deployed by default up to 2023.1, is no longer deployed"),
    advice: HEAT_ADVICE,
  },
  {
    id: "heat-needed-by-magnum",
    title: "Heat disabled by default",
    severity: "blocking",
    applies: magnum,
    violation: (i) => (heat(i) ? undefined : "kolla_enable_heat evaluates false, but Magnum's Heat driver needs Heat"),
    advice: HEAT_ADVICE,
  },
  {
    id: "designate-sink-disabled-by-default",
    title: "Designate sink disabled by default",
    severity: "warning",
    applies: designate,
    violation: (i) =>
      i.kollaGlobals.designate_enable_notifications_sink === undefined
        ? "designate_enable_notifications_sink is not set in kolla/globals.yml, so designate-sink is no longer deployed"
        : undefined,
    advice:
      "Designate sink is disabled by default in Caracal and not required for Designate to function. To keep it, set designate_enable_notifications_sink: true in kolla/globals.yml; otherwise the Antelope designate-sink container remains on the controllers after the upgrade and must be removed manually",
  },
  {
    id: "neutron-dns-domain",
    title: "Neutron DNS Domain",
    severity: "blocking",
    applies: (i) => designate(i) && setting(i.kollaGlobals, "neutron_dns_integration") !== false,
    violation: (i) => {
      const domain = i.kollaGlobals.neutron_dns_domain;
      if (domain === undefined || domain === null || domain === "") return "neutron_dns_domain is not set in kolla/globals.yml";
      return String(domain).endsWith(".") ? undefined : `neutron_dns_domain "${String(domain)}" in kolla/globals.yml does not end with a period`;
    },
    advice:
      "when Designate is enabled and the Neutron DNS integration has not been disabled, neutron_dns_domain must be set in kolla/globals.yml and end with a period, e.g. internal.compute.example.com. (a domain not used anywhere else); or disable the integration with neutron_dns_integration: false",
  },
  {
    id: "horizon-custom-settings-renamed",
    title: "Horizon configuration",
    severity: "blocking",
    applies: (i) => i.kollaConfigFiles("horizon").length > 0,
    violation: (i) => {
      const old = i.kollaConfigFiles("horizon").filter(({ file }) => OLD_HORIZON_FILES.includes(file.split("/").pop()!));
      return old.length > 0 ? `${old.map(({ file }) => file).join(", ")} still use${old.length === 1 ? "s" : ""} the old file name${old.length === 1 ? "" : "s"}, which Horizon no longer reads` : undefined;
    },
    advice:
      "the Horizon role uses the local_settings.d model: local_settings and custom_local_settings are renamed _9998-kolla-settings.py and _9999-custom-settings.py; rename them in kolla/config/horizon as well",
  },
  {
    id: "grafana-old-volume",
    title: "Grafana Volume",
    severity: "warning",
    applies: (i) => enabled(i.vars, "kolla_enable_grafana"),
    violation: (i) => (i.kollaGlobals.grafana_remove_old_volume === undefined ? "grafana_remove_old_volume is not set in kolla/globals.yml, so the unused Grafana volume stays" : undefined),
    advice:
      "the Grafana container volume is no longer used; set grafana_remove_old_volume: true in kolla/globals.yml to remove it (plugins installed through the Grafana UI or CLI are lost: install them at image build time instead). It is removed automatically in the next release",
  },
  {
    id: "rabbitmq-quorum-queues",
    title: "RabbitMQ quorum queues",
    severity: "blocking",
    applies: () => true,
    // Unset, kolla-ansible 2024.1's defaults apply: quorum queues, no HA queues.
    violation: (i) =>
      setting(i.kollaGlobals, "om_enable_rabbitmq_high_availability") === true || setting(i.kollaGlobals, "om_enable_rabbitmq_quorum_queues") === false
        ? "RabbitMQ stays on HA queues: the kolla globals set om_enable_rabbitmq_high_availability: true or om_enable_rabbitmq_quorum_queues: false"
        : undefined,
    advice:
      "in Caracal, quorum queues are enabled by default; before upgrading it is strongly recommended to migrate from HA to quorum queues: set om_enable_rabbitmq_high_availability: false and om_enable_rabbitmq_quorum_queues: true in the kolla globals, and the Prerequisites phase runs tools/rabbitmq-quorum-migration.sh (an extended API outage, for a pre-agreed maintenance window)",
  },
  {
    id: "ngs-etcd-v3alpha",
    title: "Known issue: NGS and etcd v3alpha",
    severity: "blocking",
    applies: (i) => {
      const drivers = i.vars.kolla_neutron_ml2_mechanism_drivers;
      const switches = i.vars.kolla_neutron_ml2_generic_switches;
      return (Array.isArray(drivers) && drivers.includes("genericswitch")) || (Array.isArray(switches) && switches.length > 0);
    },
    violation: (i) =>
      i.kollaConfigFiles("neutron").some(({ text }) => /api_version\s*=\s*v3\b/.test(text))
        ? undefined
        : "no custom Neutron config in kolla/config/neutron sets NGS's etcd api_version=v3",
    advice:
      "due to an incorrect default value NGS will attempt to use v3alpha for the API path when communicating with etcd3, which the Caracal etcd no longer supports; work around it in custom config, see https://github.com/stackhpc/smslab-kayobe-config/pull/354",
  },
];
