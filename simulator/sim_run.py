"""The simulated run of a parsed call: ansible-like output for the hosts of
the kayobe inventory, and the few commands with effects (configuration save,
the kolla globals.yml of configuration generate, host command run, RabbitMQ's
state through kolla ansible run); `configuration dump` is the real kayobe's."""

import json
import os
import re
import shlex
import sys
import time

import sim_cloud
import sim_inventory
import sim_journal
import sim_real
import sim_surface as surface
from sim_cli import intersect_limits, inventory_paths, log_error, refuse
from sim_inventory import warning

# Where a kayobe install keeps its playbooks; only named in error messages.
DATA_DIR = os.path.join(sys.prefix, "share", "kayobe", "ansible")
EMPTY_INVENTORY = ("provided hosts list is empty, only localhost is available. "
                   "Note that the implicit localhost does not match 'all'")
NO_HOSTS = ("ERROR! Specified inventory, host pattern and/or --limit leaves us "
            "with no hosts to target.")


# What check mode finds to change on a host: task, file, its line before and after.
CHECK_MODE_CHANGES = [
    ("Ensure chrony is configured", "/etc/chrony.conf", "server ntp0.example.org iburst", "server ntp1.example.org iburst"),
    ("Ensure sysctl parameters are set", "/etc/sysctl.d/99-kayobe.conf", "net.ipv4.ip_forward = 0", "net.ipv4.ip_forward = 1"),
    ("Ensure the Docker daemon is configured", "/etc/docker/daemon.json", '"live-restore": false', '"live-restore": true'),
]


class Settings:
    """The KAYOBE_SIM_* variables, checked before the call is journaled."""

    def __init__(self, line):
        env = os.environ
        try:
            fail = env.get("KAYOBE_SIM_FAIL")
            self.fail = bool(fail) and re.search(fail, line) is not None
            self.fail_code = int(env.get("KAYOBE_SIM_FAIL_CODE") or 2)
            self.sleep = float(env.get("KAYOBE_SIM_SLEEP") or 0)
            match = env.get("KAYOBE_SIM_SLEEP_MATCH")
            if match and not re.search(match, line):
                self.sleep = 0.0
        except (ValueError, re.error) as e:
            refuse("kayobe simulator: invalid KAYOBE_SIM_* setting: %s" % e)
        self.reboot = {h.strip() for h in env.get("KAYOBE_SIM_REBOOT_REQUIRED", "").split(",") if h.strip()}
        # Hosts without needs-restarting (dnf-utils not installed): it is not found there.
        self.no_needs_restarting = {h.strip() for h in env.get("KAYOBE_SIM_NO_NEEDS_RESTARTING", "").split(",") if h.strip()}
        self.running_release = env.get("KAYOBE_SIM_RUNNING_RELEASE") or "2023.1"
        # Check mode (--check) finds the hosts configured already, but these.
        self.check_changes = {h.strip() for h in env.get("KAYOBE_SIM_CHECK_CHANGES", "").split(",") if h.strip()}
        try:
            self.check_tasks = int(env.get("KAYOBE_SIM_CHECK_TASKS") or 2)
        except ValueError as e:
            refuse("kayobe simulator: invalid KAYOBE_SIM_* setting: %s" % e)
        self.cloud = sim_cloud.load()


def file_play(path):
    """(hosts, play name) of a playbook given to `playbook run` or a hook."""
    base = os.path.splitext(os.path.basename(path))[0]
    if base in surface.STACKHPC_PLAYBOOKS:
        return surface.STACKHPC_PLAYBOOKS[base]
    hosts, name, imported = None, None, None
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"^(?:- |  )(hosts|name|import_playbook):\s*(.*?)\s*$", line)
                if m and m.group(1) == "hosts" and hosts is None:
                    hosts = m.group(2).strip("'\"")
                elif m and m.group(1) == "name" and name is None:
                    name = m.group(2).strip("'\"")
                elif m and m.group(1) == "import_playbook" and imported is None:
                    imported = m.group(2).strip("'\"")
    except OSError:
        pass
    # A hook that imports a playbook (StackHPC's `- import_playbook: ../../../ansible/cis.yml`)
    # plays on the imported play's hosts, found beside the hook as Ansible finds them.
    if hosts is None and imported and "{{" not in imported:
        return file_play(os.path.join(os.path.dirname(path), imported))
    if not hosts or "{{" in hosts:
        hosts = "all"
    return hosts, name or base


def df_table(host):
    used = 20 + sum(map(ord, host)) % 60  # 2.0G to 7.9G of 20G, stable per host
    return "\n".join([
        "Filesystem                  Size  Used Avail Use% Mounted on",
        "devtmpfs                    4.0M     0  4.0M   0% /dev",
        "tmpfs                        63G     0   63G   0% /dev/shm",
        "/dev/mapper/rootvg-lv_root   20G  %3.1fG  %4.1fG  %2d%% /" % (used / 10, 20 - used / 10, used // 2),
        "/dev/mapper/rootvg-lv_var   200G  %3dG  %4dG  %2d%% /var" % (used * 2, 200 - used * 2, used),
        "/dev/sda1                   960M  312M  649M  33% /boot",
    ])


def pipeline_output(command, cloud):
    """(rc, stdout) of `PRODUCER | grep ... | grep ...` where the producer is
    rabbitmqctl in the rabbitmq container or timedatectl, as a shell without
    pipefail runs it (the last grep's rc); None for other commands."""
    stages = [shlex.split(stage) for stage in command.split("|")]
    first = stages[0]
    if first[:4] == ["docker", "exec", "rabbitmq", "rabbitmqctl"]:
        text = sim_cloud.rabbitmqctl(first[4:], cloud)
    elif first == ["timedatectl", "status"]:
        text = "               Local time: Fri 2026-11-27 04:00:00 UTC\nSystem clock synchronized: yes\n              NTP service: active"
    else:
        text = None
    if text is None or any(stage[:1] != ["grep"] for stage in stages[1:]):
        return None
    rc, lines = 0, [line for line in text.split("\n") if line]
    for stage in stages[1:]:
        rc, lines = sim_cloud.grep(stage[1:], lines)
    return rc, "\n".join(lines)


def command_output(command, host, settings):
    """(rc, stdout[, stderr]) of a command run on a host."""
    reboot, cloud = settings.reboot, settings.cloud
    health = sim_cloud.health_output(command, host, cloud)
    if health is not None:
        return health
    piped = pipeline_output(command, cloud)
    if piped is not None:
        return piped
    if "needs-restarting -r" in command and host in settings.no_needs_restarting:
        return 127, "", "/bin/sh: needs-restarting: command not found"
    if "needs-restarting -r" in command or "reboot-required" in command:
        needed = "all" in reboot or host in reboot
        if needed:
            text = ("Core libraries or services have been updated since boot-up:\n"
                    "  * kernel\n\nReboot is required to fully utilize these updates.\n"
                    "More information: https://access.redhat.com/solutions/27943")
        else:
            text = ("No core libraries or services have been updated since boot-up.\n"
                    "Reboot should not be necessary.")
        # needs-restarting -r exits 1 when a reboot is needed, unless the
        # command goes on after it (`|| true`, `; echo`, a pipe).
        tail = command.split("needs-restarting -r", 1)[1] if "needs-restarting -r" in command else ";"
        return (1 if needed and not re.search(r"[;|]", tail) else 0), text
    if re.search(r"\bdf\b.*-h", command):
        return 0, df_table(host)
    return 0, ""


def delegate(real, argv, settings):
    """`configuration dump`: the real kayobe's answer, after the simulator's
    sleep and failure on demand."""
    if settings.sleep > 0:
        time.sleep(settings.sleep)
    if settings.fail:
        log_error("Kayobe playbook(s) %s exited %d" % (os.path.join(DATA_DIR, "dump-config.yml"), settings.fail_code))
        log_error("The output was:\nSimulated failure: the command line matched KAYOBE_SIM_FAIL")
        return settings.fail_code
    return sim_real.run(real, argv).returncode


class Run:
    def __init__(self, cmd, args, settings, real, quiet):
        self.cmd, self.args, self.settings = cmd, args, settings
        self.real = real
        self.quiet = quiet
        self.fail_pending = False
        self.env_paths = [args.config_path]
        if args.environment:
            self.env_paths.append(os.path.join(args.config_path, "environments", args.environment))
        self.inv = None  # read by the first playbook, as ansible-playbook does
        self.checked = set()  # hosts whose check-mode changes this call has shown
        self.last_step = False
        # The release kayobe 16 generates configuration for; a config is not re-read here.
        self.release = surface.DEFAULT_RELEASE

    # output in ansible's default callback format
    def out(self, text=""):
        if not self.quiet:
            print(text)

    def banner(self, title):
        self.out("\n%s %s" % (title, "*" * max(3, 79 - len(title))))

    def recap(self, stats):
        self.banner("PLAY RECAP")
        for host in sorted(stats):
            s = stats[host]
            self.out("%-26s : ok=%-4s changed=%-4s unreachable=%-4s failed=%-4s "
                     "skipped=%-4s rescued=%-4s ignored=%-4s"
                     % (host, s["ok"], s["changed"], 0, s["failed"], 0, 0, 0))
        self.out()

    # the run
    def run(self):
        rc = self.hooks("pre")
        skip = getattr(self.args, "skip_prechecks", False)
        steps = [s.rstrip("?") for s in self.cmd.steps if not (skip and s.endswith("?"))]
        # Calls take their time, and fail, in their main step: the first one
        # that honours the limit (not kolla-ansible.yml and the like).
        main = next((i for i, s in enumerate(steps) if not s.startswith("@")), 0)
        for i, step in enumerate(steps):
            if rc:
                break
            if i == main:
                self.begin_main()
            self.last_step = i == len(steps) - 1
            rc = self.step(step)
        if not rc and not steps:
            self.begin_main()
        if not rc and self.fail_pending:
            rc = self.ansible_playbook([("localhost", "Simulated failure", "fail")], None)
        return rc or self.hooks("post")

    def begin_main(self):
        if self.settings.sleep > 0:
            time.sleep(self.settings.sleep)
        self.fail_pending = self.settings.fail

    def step(self, token):
        a = self.args
        if token[:3] in ("ka:", "ks:"):
            action = a.command if token[3:] == "*" else token[3:]
            inventory = getattr(a, "kolla_inventory_filename", "overcloud") if token[3:] == "*" else \
                ("seed" if token[1] == "s" else "overcloud")
            rc = self.ansible_playbook([(inventory, "Kolla Ansible %s" % action, "kolla")],
                                       intersect_limits(a.kolla_limit, None))
            if rc:
                log_error("kolla-ansible %s exited %d" % (action, rc))
            elif action == "post-deploy":
                self.openrc_files()
            elif self.cmd.words == "kolla ansible run":
                sim_cloud.after_kolla_ansible(action)
            return rc
        names = token.lstrip("@").split(",")
        if names == ["playbooks"]:
            return self.run_files(a.playbook)
        cli_limit = getattr(a, "group", None) if self.cmd.limit == "--group" else self.cmd.limit
        limit = None if token.startswith("@") else intersect_limits(a.limit, cli_limit)
        plays = [surface.PLAYBOOKS[n] + (n,) for n in names]
        rc = self.ansible_playbook(plays, limit)
        if rc:
            log_error("Kayobe playbook(s) %s exited %d" % (
                ", ".join(os.path.join(DATA_DIR, n + ".yml") for n in names), rc))
        return rc

    def run_files(self, paths):
        rc = self.ansible_playbook([file_play(p) + ("file",) for p in paths],
                                   intersect_limits(self.args.limit, None))
        if rc:
            log_error("Kayobe playbook(s) %s exited %d" % (", ".join(paths), rc))
        return rc

    def hooks(self, target):
        """Playbooks in <config>[/environments/<env>]/hooks/<command>/<target>.d,
        later paths overriding same-named ones, ordered by number prefix."""
        skip = self.args.skip_hooks
        if skip == "all":
            return 0
        found = {}
        for base in self.env_paths:
            directory = os.path.join(base, "hooks", "-".join(self.cmd.words.split()), target + ".d")
            if os.path.isdir(directory):
                for name in os.listdir(directory):
                    if name.endswith(".yml"):
                        found[name] = os.path.realpath(os.path.join(directory, name))

        def order(name):
            number, _, rest = name.partition("-")
            return (int(number), rest) if number.isdigit() and rest else (sys.maxsize, name)
        hooks = [found[n] for n in sorted(found, key=order)
                 if not (skip and re.search(skip, found[n]))]
        return self.run_files(hooks) if hooks else 0

    def ansible_playbook(self, plays, limit):
        """One ansible-playbook run of (hosts, play name, kind) plays."""
        if self.inv is None:
            self.inv = sim_inventory.load(inventory_paths(self.args), self.real, self.args.config_path)
            if self.inv is None:
                return 1
        allowed = self.inv.select(limit) if limit else None
        if not self.inv.hosts:
            warning(EMPTY_INVENTORY)
        elif allowed is not None and not allowed:
            log_error(NO_HOSTS)
            return 1
        stats, rc = {}, 0
        for pattern, title, kind in plays:
            hosts = self.inv.select(pattern)
            if allowed is not None:
                hosts = [h for h in hosts if h in allowed]
            self.banner("PLAY [%s]" % title)
            if not hosts:
                self.out("skipping: no hosts matched")
                continue
            for h in hosts:
                stats.setdefault(h, {"ok": 0, "changed": 0, "failed": 0})
            rc = self.play(kind, title, hosts, stats)
            if rc:
                break
        self.recap(stats)
        return rc

    def task(self, title, hosts, stats, status="changed"):
        self.banner("TASK [%s]" % title)
        for h in hosts:
            self.out("%s: [%s]" % (status, h))
            stats[h]["ok"] += 1
            stats[h]["changed"] += status == "changed"

    def play(self, kind, title, hosts, stats):
        if kind not in ("host-command-run", "fail") and hosts != ["localhost"]:
            self.task("Gathering Facts", hosts, stats, "ok")
        if self.fail_pending:
            return self.fail(title, hosts, stats)
        if getattr(self.args, "check", False):
            return self.check_mode(title, hosts, stats)
        if kind == "host-command-run":
            return self.command_run(hosts, stats)
        if self.cmd.words == "overcloud host package update":
            sim_cloud.after_package_update(hosts)
        if kind == "overcloud-service-config-save":
            return self.config_save(hosts, stats)
        if kind == "kolla-ansible" and self.cmd.words == "overcloud service configuration generate":
            return self.kolla_globals(hosts, stats)
        self.task(title, hosts, stats)
        return 0

    def check_mode(self, title, hosts, stats):
        """--check: nothing changes, but on the hosts KAYOBE_SIM_CHECK_CHANGES names
        (or all), where the command's last playbook finds KAYOBE_SIM_CHECK_TASKS tasks
        that would change a file, each shown as --diff shows it."""
        wanted = self.settings.check_changes
        changing = [h for h in hosts if self.last_step and ("all" in wanted or h in wanted) and h not in self.checked]
        self.checked.update(changing)
        if not changing:
            self.task(title, hosts, stats, "ok")
            return 0
        for i in range(self.settings.check_tasks):
            name, path, before, after = CHECK_MODE_CHANGES[i % len(CHECK_MODE_CHANGES)]
            self.banner("TASK [%s%s]" % (name, "" if i < len(CHECK_MODE_CHANGES) else " (%d)" % i))
            for h in hosts:
                if h in changing:
                    self.out("--- before: %s\n+++ after: %s\n@@ -1,2 +1,2 @@\n-%s\n+%s\n %s" % (path, path, before, after, "# managed by kayobe"))
                self.out("%s: [%s]" % ("changed" if h in changing else "ok", h))
                stats[h]["ok"] += 1
                stats[h]["changed"] += h in changing
        return 0

    def fail(self, title, hosts, stats):
        """KAYOBE_SIM_FAIL: the first host fails the play's task."""
        self.fail_pending = False
        self.banner("TASK [%s]" % title)
        result = {"changed": False, "msg": "Simulated failure: the command line "
                  "matched KAYOBE_SIM_FAIL"}
        self.out("fatal: [%s]: FAILED! => %s" % (hosts[0], json.dumps(result)))
        stats[hosts[0]]["failed"] += 1
        for h in hosts[1:]:
            self.out("changed: [%s]" % h)
            stats[h]["ok"] += 1
            stats[h]["changed"] += 1
        if len(hosts) == 1:
            self.banner("NO MORE HOSTS LEFT")
        return self.settings.fail_code

    def command_run(self, hosts, stats):
        command = self.args.command
        results = {h: (command_output(command, h, self.settings) + ("",))[:3] for h in hosts}
        if "docker ps --all" in command:
            sim_cloud.after_health_check(self.settings.cloud)
        self.banner("TASK [Run a command]")
        failed = False
        for h in hosts:
            rc, text, err = results[h]
            if rc:
                failed = True
                stats[h]["failed"] += 1
                result = {"changed": True, "cmd": command, "msg": "non-zero return code",
                          "rc": rc, "stderr": err, "stdout": text}
                self.out("fatal: [%s]: FAILED! => %s" % (h, json.dumps(result, sort_keys=True)))
            else:
                stats[h]["ok"] += 1
                stats[h]["changed"] += 1
                self.out("changed: [%s]" % h)
        if self.args.show_output:
            self.banner("TASK [Print stdout]")
            for h in hosts:
                rc, text, _ = results[h]
                self.out("%s | %s | rc=%d >>" % (h, "FAILED" if rc else "CHANGED", rc))
                if text:
                    self.out(text)
        return 2 if failed else 0

    def config_save(self, hosts, stats):
        import sim_configsave
        a = self.args
        node_dir = a.node_config_dir or "/etc/kolla"
        output_dir = os.path.abspath(os.path.expanduser(a.output_dir or "overcloud-config"))
        running = os.path.normpath(node_dir) == "/etc/kolla"
        release = self.settings.running_release if running else self.release
        self.task("Find overcloud service configuration files", hosts, stats, "ok")
        self.banner("TASK [Save overcloud service configuration]")
        for h in hosts:
            saved = sim_configsave.save(h, self.inv.groups_of(h), node_dir, output_dir,
                                        release, a.include, a.exclude)
            for path in saved:
                self.out("changed: [%s] => (item=%s)" % (h, path))
            stats[h]["ok"] += 1
            stats[h]["changed"] += bool(saved)
        return 0

    def openrc_files(self):
        """kolla-ansible post-deploy writes the admin's and the Octavia service
        account's openrc files into the kolla config path (never /etc/kolla here)."""
        target = self.args.kolla_config_path
        if os.path.normpath(target) == "/etc/kolla":
            return
        for name, user in (("admin-openrc.sh", "admin"), ("octavia-openrc.sh", "octavia")):
            sim_journal.write_atomically(os.path.join(target, name), (
                "# Simulated by the kayobe simulator\n"
                "export OS_AUTH_URL=http://192.0.2.250:5000\nexport OS_USERNAME=%s\n"
                "export OS_PROJECT_NAME=service\nexport OS_PASSWORD=simulated\n" % user), 0o600)

    def kolla_globals(self, hosts, stats):
        """The globals.yml kayobe writes to the kolla config path, but never to
        /etc/kolla on the machine running the simulator."""
        target = self.args.kolla_config_path
        title = "Ensure the Kolla global configuration file exists"
        if os.path.normpath(target) == "/etc/kolla":
            warning("kayobe simulator: no globals.yml written: it writes none to /etc/kolla; "
                    "set KOLLA_CONFIG_PATH")
            self.task(title, hosts, stats, "ok")
            return 0
        text, error = sim_real.render_globals(self.real, self.args)
        if error:
            self.banner("TASK [%s]" % title)
            self.out("fatal: [%s]: FAILED! => %s" % (hosts[0], json.dumps({"changed": False, "msg": error})))
            stats[hosts[0]]["failed"] += 1
            return 2
        sim_journal.write_atomically(os.path.join(target, "globals.yml"), text, 0o640)  # kayobe's mode
        self.task(title, hosts, stats)
        return 0
