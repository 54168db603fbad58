"""The simulated cloud's RabbitMQ, which the upgrade's looks ask about and its
`kolla ansible run` calls change: its version and the type of its queues.

It starts as KAYOBE_SIM_RABBITMQ_VERSION and KAYOBE_SIM_RABBITMQ_QUEUES say; once
a call changes it, it is kept in kayobe-sim-cloud.json beside the journal, which
then wins over those settings (delete the file to start over)."""

import json
import os
import re

import sim_journal
from sim_cli import refuse

QUEUE_TYPES = ("classic", "quorum")
# What kolla-ansible's `rabbitmq-upgrade <version>` brings the containers to.
UPGRADED = {"3.12": "3.12.13", "3.13": "3.13.7"}
# Exchanges RabbitMQ always has; the services declare the rest.
BUILT_IN_EXCHANGES = ["amq.direct", "amq.fanout", "amq.headers", "amq.match", "amq.rabbitmq.trace", "amq.topic"]


def state_path():
    return os.path.join(os.path.dirname(sim_journal.journal_path()), "kayobe-sim-cloud.json")


def load():
    """{"rabbitmq_version", "rabbitmq_queues"}: "classic", "quorum", or "none"
    between a `rabbitmq-reset-state` and the services' redeployment."""
    try:
        with open(state_path(), encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        pass
    version = os.environ.get("KAYOBE_SIM_RABBITMQ_VERSION") or "3.11.28"
    queues = os.environ.get("KAYOBE_SIM_RABBITMQ_QUEUES") or "classic"
    if not re.fullmatch(r"\d+\.\d+\.\d+", version) or queues not in QUEUE_TYPES:
        refuse("kayobe simulator: invalid KAYOBE_SIM_RABBITMQ_VERSION %r or KAYOBE_SIM_RABBITMQ_QUEUES %r "
               "(expected a version such as 3.11.28, and classic or quorum)" % (version, queues))
    return {"rabbitmq_version": version, "rabbitmq_queues": queues}


def after_kolla_ansible(action):
    """What a successful `kolla ansible run ACTION` does to RabbitMQ: the upgrades
    move its version; the quorum migration's reset empties it, and the services'
    redeployment declares their queues again, as quorum queues."""
    cloud = load()
    words = action.split()
    if words[:1] == ["rabbitmq-upgrade"] and len(words) == 2 and words[1] in UPGRADED:
        cloud["rabbitmq_version"] = UPGRADED[words[1]]
    elif words[:1] == ["rabbitmq-reset-state"]:
        cloud["rabbitmq_queues"] = "none"
    elif words[:1] == ["deploy-containers"] and cloud["rabbitmq_queues"] == "none":
        cloud["rabbitmq_queues"] = "quorum"
    else:
        return
    save(cloud)


def rabbitmqctl(args, cloud):
    """stdout of `docker exec rabbitmq rabbitmqctl ARGS`, or None for what it does not know."""
    queues = cloud["rabbitmq_queues"]
    declared = [] if queues == "none" else ["q-conductor", "q-plugin", "scheduler"]
    if args == ["--version"]:
        return cloud["rabbitmq_version"]
    if args[:1] == ["list_queues"] and args[1:] in (["type"], ["name", "--silent"]):
        return "\n".join(queues if args[1] == "type" else name for name in declared)
    if args == ["list_exchanges", "name", "--silent"]:
        return "\n".join(BUILT_IN_EXCHANGES + (["nova", "neutron", "openstack"] if declared else []))
    return None


def grep(argv, lines):
    """(rc, lines) of `grep [-F] [-v] PATTERN`: 0 when a line is printed, else 1."""
    flags = [a for a in argv if a in ("-F", "-v")]
    pattern = [a for a in argv if a not in ("-F", "-v")][0]
    if "-F" in flags:
        hit = [line for line in lines if pattern in line]
    else:
        hit = [line for line in lines if re.search(pattern, line)]
    if "-v" in flags:
        hit = [line for line in lines if line not in hit]
    return (0 if hit else 1), hit


def unhealthy_after_update():
    """KAYOBE_SIM_UNHEALTHY=host:N[,host:N]: hosts that come back from their package
    update unhealthy for the next N health checks (each `docker ps` check counts one)."""
    wanted = {}
    for item in filter(None, (s.strip() for s in os.environ.get("KAYOBE_SIM_UNHEALTHY", "").split(","))):
        host, _, count = item.partition(":")
        if not count.isdigit():
            refuse("kayobe simulator: invalid KAYOBE_SIM_UNHEALTHY %r (expected host:N[,host:N])" % item)
        wanted[host] = int(count)
    return wanted


def save(cloud):
    sim_journal.write_atomically(state_path(), json.dumps(cloud, sort_keys=True) + "\n", 0o644)


def after_package_update(hosts):
    """A host comes back from its package update healthy, unless KAYOBE_SIM_UNHEALTHY names it."""
    wanted = unhealthy_after_update()
    cloud = load()
    before = dict(cloud.get("unhealthy", {}))
    cloud["unhealthy"] = dict(before, **{h: wanted.get(h, 0) for h in hosts})
    if {h: n for h, n in cloud["unhealthy"].items() if n} != {h: n for h, n in before.items() if n}:
        save(cloud)


def unhealthy(cloud):
    return sorted(h for h, n in cloud.get("unhealthy", {}).items() if n > 0)


def after_health_check(cloud):
    """One `docker ps` health check has passed over the unhealthy hosts: one fewer to go."""
    if unhealthy(cloud):
        cloud["unhealthy"] = {h: max(0, n - 1) for h, n in cloud["unhealthy"].items()}
        save(cloud)


def health_output(command, host, cloud):
    """(rc, stdout) of the upgrade's health checks (resources/runbook/host-health.ts) on
    a host, or None for other commands. While a host is unhealthy, it has a container
    restarting, and the MariaDB and RabbitMQ clusters lack one node."""
    sick = unhealthy(cloud)
    if "docker ps --all" in command:
        return (1, "mariadb Restarting (1) 4 seconds ago") if host in sick else (0, "")
    mariadb = re.search(r"wsrep_cluster_size.*\$2 == (\d+)", command)
    rabbitmq = re.search(r"rabbitmqctl await_online_nodes (\d+)", command)
    if mariadb:
        size = int(mariadb.group(1))
        return (1 if sick else 0), "wsrep_cluster_size\t%d" % (size - (1 if sick else 0))
    if rabbitmq:
        size = int(rabbitmq.group(1))
        if sick:
            return 69, "Error: timed out waiting for %d nodes to join the cluster (%d are online)" % (size, size - 1)
        return 0, "Will wait for at least %d nodes to join the cluster of rabbit@%s. Timeout: 10 seconds.\nDone" % (size, host)
    return None
