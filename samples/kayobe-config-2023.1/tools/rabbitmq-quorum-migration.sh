#!/usr/bin/env bash
# The sample site's migration of RabbitMQ from HA queues to quorum queues, which the
# runbook's Prerequisites run on 2023.1 once the kolla globals set
# om_enable_rabbitmq_quorum_queues: true and om_enable_rabbitmq_high_availability: false.
# After StackHPC's tools/rabbitmq-quorum-migration.sh: prechecks, stop the services using
# RabbitMQ, reset its state, check it is empty, redeploy the services, check their queues
# are quorum queues. Runs kayobe from PATH, as in an activated kayobe virtualenv.
#   --skip-checks   only stop, reset and redeploy
#   RABBITMQ_MIGRATION_SETTLE   seconds to let RabbitMQ settle before each check (20)
set -euo pipefail

services=barbican,blazar,cinder,cloudkitty,designate,heat,ironic,keystone,magnum,manila,neutron,nova,octavia
settle=${RABBITMQ_MIGRATION_SETTLE:-20}
checks=true
[ "${1:-}" = "--skip-checks" ] && checks=false

if [ -z "${KAYOBE_CONFIG_PATH:-}" ] || [ -z "${KOLLA_CONFIG_PATH:-}" ]; then
  echo "KAYOBE_CONFIG_PATH and KOLLA_CONFIG_PATH must be set: source the kayobe-config's kayobe-env first" >&2
  exit 2
fi

on_controllers() {
  kayobe overcloud host command run -l controllers -b --command "$1"
}

if $checks; then
  # Clocks out of sync break a RabbitMQ cluster's reformation.
  if ! on_controllers "timedatectl status | grep 'synchronized: yes'"; then
    echo "precheck failed: time is not synchronised on the controllers (timedatectl status; chronyc makestep)" >&2
    exit 1
  fi
  kayobe overcloud service configuration generate --node-config-dir /tmp/rabbit-migration --kolla-tags none
  if ! grep -q '^om_enable_rabbitmq_quorum_queues: true' "$KOLLA_CONFIG_PATH/globals.yml" ||
    grep -q '^om_enable_rabbitmq_high_availability: true' "$KOLLA_CONFIG_PATH/globals.yml"; then
    echo "precheck failed: the kolla globals must set om_enable_rabbitmq_quorum_queues: true and om_enable_rabbitmq_high_availability: false" >&2
    exit 1
  fi
fi

kayobe overcloud service configuration generate --node-config-dir /etc/kolla --kolla-skip-tags rabbitmq-ha-precheck
kayobe kolla ansible run "stop --yes-i-really-really-mean-it" -kt "$services"
kayobe kolla ansible run rabbitmq-reset-state

if $checks; then
  sleep "$settle"
  if on_controllers "docker exec rabbitmq rabbitmqctl list_queues name --silent | grep -v '^$'"; then
    echo "check failed: RabbitMQ still has queues after its reset" >&2
    exit 1
  fi
  if on_controllers "docker exec rabbitmq rabbitmqctl list_exchanges name --silent | grep -v '^$' | grep -v '^amq.'"; then
    echo "check failed: RabbitMQ still has exchanges after its reset" >&2
    exit 1
  fi
fi

kayobe kolla ansible run deploy-containers -kt "$services"

if $checks; then
  sleep "$settle"
  if ! on_controllers "docker exec rabbitmq rabbitmqctl list_queues type | grep quorum"; then
    echo "postcheck failed: a controller has no quorum queue" >&2
    exit 1
  fi
  echo "Queues migrated to quorum queues"
fi
