"""kayobe's command line: cliff's global options and command lookup, the
argparse parser of each command, and kayobe's own checks of a call."""

import argparse
import os
import sys

import sim_surface as surface
import sim_venv

PROG = "kayobe"


class Exit(Exception):
    """Ends the call. `refused`: kayobe refused it before running anything."""

    def __init__(self, code, refused=False):
        super().__init__(code)
        self.code = code
        self.refused = refused


def log_error(msg):
    # kayobe logs through cliff: plain messages on stderr.
    sys.stderr.write(msg + "\n")


def refuse(msg):
    log_error(msg)
    raise Exit(1, refused=True)


def global_parser():
    p = argparse.ArgumentParser(prog=PROG, add_help=False,
                                description="Kayobe Command Line Interface (CLI)")
    p.add_argument("--version", action="version",
                   version="%s %s" % (PROG, sim_venv.kayobe_version()))
    verbosity = p.add_mutually_exclusive_group()
    verbosity.add_argument("-v", "--verbose", action="count", dest="verbose_level",
                           default=1, help="Increase verbosity of output. Can be repeated.")
    verbosity.add_argument("-q", "--quiet", action="store_const", dest="verbose_level",
                           const=0, help="Suppress output except warnings and errors.")
    p.add_argument("--log-file", help="Specify a file to log output. Disabled by default.")
    p.add_argument("-h", "--help", dest="deferred_help", action="store_true",
                   help="Show help message and exit.")
    p.add_argument("--debug", action="store_true", help="Show tracebacks on errors.")
    return p


def add_vault_args(parser):
    group = parser.add_argument_group("Ansible vault").add_mutually_exclusive_group()
    group.add_argument("--ask-vault-pass", action="store_true", help="ask for vault password")
    group.add_argument("--vault-password-file", metavar="VAULT_PASSWORD_FILE",
                       help="vault password file")


def add_kayobe_args(group):
    env = os.environ
    group.add_argument("-b", "--become", action="store_true",
                       help="run operations with become (nopasswd implied)")
    group.add_argument("-C", "--check", action="store_true",
                       help="don't make any changes; try to predict some of the changes")
    group.add_argument("--config-path", default=env.get("KAYOBE_CONFIG_PATH", "/etc/kayobe"),
                       help="path to Kayobe configuration. (default=$KAYOBE_CONFIG_PATH or /etc/kayobe)")
    group.add_argument("-D", "--diff", action="store_true",
                       help="when changing (small) files and templates, show the differences")
    group.add_argument("--environment", default=env.get("KAYOBE_ENVIRONMENT"),
                       help="specify environment name (default=$KAYOBE_ENVIRONMENT or None)")
    group.add_argument("-e", "--extra-vars", metavar="EXTRA_VARS", action="append",
                       help="set additional variables as key=value or YAML/JSON")
    group.add_argument("-i", "--inventory", metavar="INVENTORY", action="append",
                       help="specify inventory host path (default=$KAYOBE_CONFIG_PATH/inventory)")
    group.add_argument("-l", "--limit", metavar="SUBSET",
                       help="further limit selected hosts to an additional pattern")
    group.add_argument("--skip-tags", metavar="TAGS",
                       help="only run plays and tasks whose tags do not match these values")
    group.add_argument("-t", "--tags", metavar="TAGS",
                       help="only run plays and tasks tagged with these values")
    group.add_argument("-lt", "--list-tasks", action="store_true",
                       help="only print names of tasks, don't run them")
    group.add_argument("-sh", "--skip-hooks", action="store", default=None,
                       help='disables hooks. Specify a pattern to skip specific playbooks. "all" skips all playbooks')


def add_kolla_args(group):
    env = os.environ
    group.add_argument("--kolla-config-path", default=env.get("KOLLA_CONFIG_PATH", "/etc/kolla"),
                       help="path to Kolla configuration. (default=$KOLLA_CONFIG_PATH or /etc/kolla)")
    group.add_argument("-ke", "--kolla-extra-vars", metavar="EXTRA_VARS", action="append",
                       help="set additional variables as key=value or YAML/JSON for Kolla Ansible")
    group.add_argument("-ki", "--kolla-inventory", metavar="INVENTORY", action="append",
                       help="specify inventory host path for Kolla Ansible")
    group.add_argument("-kl", "--kolla-limit", metavar="SUBSET",
                       help="further limit selected hosts to an additional pattern")
    group.add_argument("-kp", "--kolla-playbook", metavar="PLAYBOOK",
                       help="path to Ansible playbook file")
    group.add_argument("--kolla-skip-tags", metavar="TAGS",
                       help="only run plays and tasks whose tags do not match these values in Kolla Ansible")
    group.add_argument("-kt", "--kolla-tags", metavar="TAGS",
                       help="only run plays and tasks tagged with these values in Kolla Ansible")
    group.add_argument("--kolla-venv", metavar="VENV",
                       default=env.get("KOLLA_VENV_PATH", os.path.join(os.getcwd(), "venvs/kolla-ansible")),
                       help="path to virtualenv where Kolla Ansible is installed")


def command_parser(cmd):
    """The parser kayobe's command class builds: its mixins' groups, in MRO
    order, then the command's own group."""
    parser = argparse.ArgumentParser(prog="%s %s" % (PROG, cmd.words),
                                     description=cmd.description)
    add_vault_args(parser)
    shared = [("Kayobe Ansible", add_kayobe_args)]
    if cmd.kolla:
        kolla = ("Kolla Ansible", add_kolla_args)
        shared = [kolla] + shared if cmd.kolla == "before" else shared + [kolla]
    groups = {}
    for title, add in shared:
        groups[title] = parser.add_argument_group(title)
        add(groups[title])
    if cmd.options:
        title, options = cmd.options
        group = groups.get(title) or parser.add_argument_group(title)
        exclusive = None
        for name, kwargs in options:
            kwargs = dict(kwargs)
            if kwargs.pop("mutex", False):
                exclusive = exclusive or parser.add_mutually_exclusive_group()
                exclusive.add_argument(name, **kwargs)
            else:
                group.add_argument(name, **kwargs)
    return parser


def command_names():
    return [c.words for c in surface.COMMANDS] + ["help"]


def find_command(argv):
    """cliff's CommandManager.find_command: the longest run of leading words
    naming a command, each word possibly abbreviated if that is unambiguous."""
    names = command_names()
    stop = next((i for i, a in enumerate(argv) if a.startswith("-")), len(argv))
    for i in range(stop, 0, -1):
        name = " ".join(argv[:i])
        if name in names:
            return name, argv[i:]
        candidates = [n for n in names if len(n.split()) == i and all(
            w.startswith(a) for w, a in zip(n.split(), argv[:i]))]
        if len(candidates) == 1:
            return candidates[0], argv[i:]
    return None, argv


def _distance(a, b):
    """Edit distance with cliff's weights: insert 1, delete 3, substitute 2."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row = row, [i * 3] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j - 1] + 2 * (ca != cb), row[j - 1] + 1, prev[j] + 3)
    return row[-1]


def fuzzy_matches(word):
    scored = sorted((0 if n.startswith(word) else _distance(word, n.split()[0]) + 1, n)
                    for n in command_names())
    best = next((d for d, _ in scored if d), None)
    return [n for d, n in scored if d == 0 or d == best]


def print_app_help(gparser):
    gparser.print_help()
    descriptions = {c.words: c.description for c in surface.COMMANDS}
    descriptions["help"] = "print detailed help for another command (cliff)"
    print("\nCommands:")
    for name in sorted(descriptions):
        print("  %-13s  %s" % (name, descriptions[name]))


def run_help(gparser, argv):
    """cliff's `help` command."""
    words = argparse.ArgumentParser(prog="%s help" % PROG, description="print detailed help for another command")
    words.add_argument("cmd", nargs="*", help="name of the command")
    wanted = words.parse_args(argv).cmd
    if not wanted:
        print_app_help(gparser)
        return 0
    name, _ = find_command(wanted)
    if name == "help":
        words.print_help()
    elif name:
        command_parser(surface.COMMANDS_BY_NAME[name]).print_help()
    else:
        matches = sorted(n for n in command_names() if n.startswith(wanted[0]))
        if not matches:
            log_error("Unknown command %r" % (wanted,))
            return 1
        print('Command "%s" matches:' % wanted[0])
        for m in matches:
            print("  %s" % m)
    return 0


def parse(argv):
    """Returns (command, its parsed args, global options), or an exit code
    when the call was about help. Usage errors leave by SystemExit(2)."""
    gparser = global_parser()
    gopts, rest = gparser.parse_known_args(argv)
    if gopts.deferred_help:
        if not rest:
            print_app_help(gparser)
            return 0
        rest = ["help"] + rest
    if not rest:
        # cliff would open its interactive shell; a stand-in has none.
        print_app_help(gparser)
        return 0
    name, sub_argv = find_command(rest)
    if name is None:
        # cliff's answer to an unknown command, on stdout as cliff writes it.
        print("%s: '%s' is not a %s command. See '%s --help'."
              % (PROG, " ".join(rest), PROG, PROG))
        print("Did you mean one of these?")
        for match in fuzzy_matches(rest[0]):
            print("  %s" % match)
        raise Exit(2, refused=True)
    if name == "help":
        return run_help(gparser, sub_argv)
    cmd = surface.COMMANDS_BY_NAME[name]
    return cmd, command_parser(cmd).parse_args(sub_argv), gopts


# --- kayobe's own checks -----------------------------------------------------

def _path_problem(path, want_dir):
    if not os.path.exists(path):
        return "Path does not exist"
    if want_dir and not os.path.isdir(path):
        return "Path is not a directory"
    if not want_dir and not os.path.isfile(path):
        return "Path is not a file"
    if not os.access(path, os.R_OK):
        return "%s is not readable" % ("Directory" if want_dir else "File")
    return None


def inventory_paths(args):
    """kayobe's inventory paths (ansible._get_inventories_paths), less its own
    empty default inventory: -i replaces the config's."""
    if args.inventory:
        return list(args.inventory)
    shared = os.path.join(args.config_path, "inventory")
    paths = [shared] if os.path.exists(shared) or not args.environment else []
    if args.environment:
        env_inventory = os.path.join(args.config_path, "environments", args.environment, "inventory")
        paths += [env_inventory] if os.path.exists(env_inventory) else []
    return paths


def intersect_limits(user_limit, cli_limit):
    """kayobe's utils.intersect_limits."""
    if user_limit and "," in user_limit:
        if ":" in user_limit:
            refuse("Invalid format for host limit argument. Cannot mix commas "
                   "and colons to separate hosts")
        separator = ",&"
    else:
        separator = ":&"
    limits = [limit for limit in (user_limit, cli_limit) if limit]
    return separator.join(limits) or None


def validate(cmd, args):
    env = os.environ
    source = next((k for k in ("KAYOBE_VAULT_PASSWORD", "ANSIBLE_VAULT_PASSWORD_FILE") if k in env), None)
    if source == "KAYOBE_VAULT_PASSWORD" and "ANSIBLE_VAULT_PASSWORD_FILE" in env:
        refuse("Cannot specify $ANSIBLE_VAULT_PASSWORD_FILE when $KAYOBE_VAULT_PASSWORD is specified")
    if source and (args.ask_vault_pass or args.vault_password_file):
        option = "--ask-vault-pass" if args.ask_vault_pass else "--vault-password-file"
        refuse("Cannot specify %s when $%s is specified" % (option, source))
    if cmd.words == "environment create":
        return  # It runs no playbook, so kayobe checks none of the rest.
    problem = _path_problem(args.config_path, True)
    if problem:
        refuse("Kayobe configuration path %s is invalid: %s" % (args.config_path, problem))
    if args.environment == "kayobe":
        refuse("The environment name 'kayobe' is reserved for internal use.")
    if args.environment:
        path = os.path.join(args.config_path, "environments", args.environment)
        problem = _path_problem(path, True)
        if problem:
            refuse("Kayobe environment %s is invalid: %s" % (path, problem))
    for inventory in inventory_paths(args):
        problem = _path_problem(inventory, True)
        if problem:
            refuse("Kayobe inventory %s is invalid: %s" % (inventory, problem))
    for playbook in getattr(args, "playbook", None) or []:
        problem = _path_problem(playbook, False)
        if problem:
            refuse("Kayobe playbook %s is invalid: %s" % (playbook, problem))
    intersect_limits(args.limit, None)
    intersect_limits(getattr(args, "kolla_limit", None), None)
    if cmd.words in surface.CONFIRM and not args.yes_i_really_really_mean_it:
        refuse("%s Specify --yes-i-really-really-mean-it to confirm that you "
               "understand this." % surface.CONFIRM[cmd.words])
    # kayobe reads the vault password file to hand the password to playbooks.
    password_file = env.get("ANSIBLE_VAULT_PASSWORD_FILE") if source else args.vault_password_file
    if password_file and source != "KAYOBE_VAULT_PASSWORD":
        try:
            with open(password_file, "rb"):
                pass
        except OSError as e:
            refuse(str(e))


def environment_create(args):
    """kayobe's environment.create_kayobe_environment, minus the copy's
    details: it makes environments/<name> (copying --source-config-path)."""
    import shutil
    if not args.environment:
        refuse("An environment must be specified")
    source = args.source_config_path
    if source and _path_problem(source, True):
        refuse("Kayobe configuration %s is invalid: %s" % (source, _path_problem(source, True)))
    env_path = os.path.join(args.config_path, "environments", args.environment)
    if os.path.isdir(env_path):
        refuse("Kayobe environment directory %s already exists" % env_path)
    try:
        os.makedirs(os.path.dirname(env_path), exist_ok=True)
        if source:
            shutil.copytree(source, env_path, ignore=shutil.ignore_patterns("environments"))
        else:
            os.mkdir(env_path)
    except OSError as e:
        refuse("Failed to create environment %s: %r" % (args.environment, e))


