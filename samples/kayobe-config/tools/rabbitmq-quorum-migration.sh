#!/usr/bin/env bash
# Stand-in for StackHPC's tools/rabbitmq-quorum-migration.sh in this sample: the kayobe
# calls that migrate RabbitMQ from HA to quorum queues, without the checks against a
# live RabbitMQ. It finds `kayobe` on PATH, as in an activated kayobe virtualenv.
set -euo pipefail
services=barbican,blazar,cinder,cloudkitty,designate,heat,ironic,keystone,magnum,manila,neutron,nova,octavia
kayobe overcloud service configuration generate --node-config-dir /etc/kolla --kolla-skip-tags rabbitmq-ha-precheck
kayobe kolla ansible run "stop --yes-i-really-really-mean-it" -kt "$services"
kayobe kolla ansible run rabbitmq-reset-state
kayobe kolla ansible run deploy-containers -kt "$services"
