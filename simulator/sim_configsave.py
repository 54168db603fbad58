"""Plausible kolla-ansible service configuration, per host and release.

`overcloud service configuration save` fetches every file under the node
config dir into OUTPUT/<host>/<dir>/. The content follows the release so that
a diff of the running (old) and generated (new) trees shows the changes an
operator reviews: e.g. RabbitMQ HA queues becoming quorum queues in 2024.1 and
the Redis user changing from admin to default.
"""

import fnmatch
import os


def _release_key(release):
    try:
        return tuple(int(p) for p in release.split("."))
    except ValueError:
        return (9999,)  # "master" and the like: newer than any series


def _messaging(host, release):
    if _release_key(release) >= (2024, 1):
        queues = "rabbit_quorum_queue = true\nrabbit_transient_quorum_queue = true\n"
    else:
        queues = "rabbit_ha_queues = true\namqp_durable_queues = false\n"
    return ("[oslo_messaging_rabbit]\n" + queues +
            "heartbeat_in_pthread = false\n")


def _conf(service, host, release, extra=""):
    return ("[DEFAULT]\ndebug = False\nlog_dir = /var/log/kolla/%s\n"
            "transport_url = rabbit://openstack:SIM-NOT-A-SECRET@%s:5672//\n"
            "host = %s\n\n%s%s" % (service, host, host, extra,
                                   _messaging(host, release)))


def _coordination(release):
    user = "default" if _release_key(release) >= (2024, 1) else "admin"
    return "[coordination]\nbackend_url = redis://%s:SIM-NOT-A-SECRET@redis:6379\n\n" % user


def _files(groups, host, release):
    """Relative path -> content, by the host's groups."""
    files = {"cron/logrotate.conf": "daily\nrotate 6\ncompress\n"}
    if "controllers" in groups:
        files.update({
            "keystone/keystone.conf": _conf("keystone", host, release),
            "nova-api/nova.conf": _conf("nova", host, release),
            "neutron-server/neutron.conf": _conf("neutron", host, release),
            "haproxy/haproxy.cfg": "global\n    maxconn 40000\n",
            "ironic-http/ironic-agent.kernel": "SIMULATED KERNEL IMAGE\n",
            "ironic-http/ironic-agent.initramfs": "SIMULATED RAMDISK IMAGE\n",
        })
    if "compute" in groups:
        files.update({
            "nova-compute/nova.conf": _conf("nova", host, release),
            "neutron-openvswitch-agent/openvswitch_agent.ini": "[ovs]\nbridge_mappings = physnet1:br-ex\n",
        })
    if "storage" in groups:
        files["cinder-volume/cinder.conf"] = _conf(
            "cinder", host, release, _coordination(release))
    return files


def _matches(name, patterns):
    return any(fnmatch.fnmatch(name, p) for p in patterns.split(",") if p)


def save(host, groups, node_config_dir, output_dir, release,
         include=None, exclude=None):
    """Write one host's files as Ansible's fetch does; return the remote
    paths saved."""
    saved = []
    remote_root = "/" + node_config_dir.strip("/")
    for rel, content in sorted(_files(groups, host, release).items()):
        name = os.path.basename(rel)
        if include and not _matches(name, include):
            continue
        if exclude and _matches(name, exclude):
            continue
        remote = os.path.join(remote_root, rel)
        local = os.path.join(output_dir, host, remote.lstrip("/"))
        os.makedirs(os.path.dirname(local), exist_ok=True)
        with open(local, "w", encoding="utf-8") as f:
            f.write(content)
        saved.append(remote)
    return saved
