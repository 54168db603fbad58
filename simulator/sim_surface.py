"""kayobe's command surface, as data.

Facts from kayobe 16.8.0 (the 2024.1 Caracal series): the `kayobe.cli` entry
points, the option groups each command class mixes in (kayobe/cli/commands.py,
ansible.py, kolla_ansible.py, vault.py, environment.py) and the playbooks each
command runs, with their `hosts:` and first play name (share/kayobe/ansible).
"""

KAYOBE_VERSION = "16.8.0"
DEFAULT_RELEASE = "2024.1"  # openstack_release in kayobe 16's group_vars


def _flag(name, help_):
    return (name, {"action": "store_true", "help": help_})


def _opt(name, help_, **kw):
    return (name, dict(help=help_, **kw))


# Own option groups: (title, [(option or positional, argparse kwargs)]).
# A title naming a shared group ("Kayobe Ansible", "Kolla Ansible") extends it.
WIPE = ("Host Configuration", [_flag(
    "--wipe-disks", "wipe partition and LVM data from all disks that are not "
    "mounted. Warning: this can result in the loss of data")])
PACKAGES = ("Host Package Updates", [
    _opt("--packages", "List of packages to update. Use '*' to update all "
         "packages.", required=True),
    _flag("--security", "Only install updates that have been marked security "
          "related.")])
COMMAND_RUN = ("Host Command Run", [
    _opt("--command", "Command to run (required).", required=True),
    _flag("--show-output", "Show command output")])
IMAGE_BUILD = ("Container Image Build", [
    _flag("--nocache", "whether to not use cache"),
    _flag("--push", "whether to push images to a registry after building"),
    _opt("regex", "regular expression matching names of images to build. "
         "Builds all images if unspecified", nargs="*")])
INTROSPECTION = ("Introspection data", [
    _opt("--output-dir", "Path to directory in which to save introspection "
         "data."),
    _opt("--output-format", "Format in which to save output data. One of JSON "
         "or YAML. Default: JSON", choices=["JSON", "YAML"])])
SERIAL = ("Baremetal Serial Consoles", [_opt(
    "--baremetal-compute-limit", "Limit the change to the hosts specified in "
    "this limit")])
DESTROY = ("Services", [_flag(
    "--yes-i-really-really-mean-it", "confirm that you understand that this "
    "will permanently destroy all services and data.")])


def _skip_prechecks(title):
    return (title, [_flag("--skip-prechecks",
                          "skip the kolla-ansible prechecks command")])


def _force_rebuild(title):
    return (title, [_flag("--force-rebuild",
                          "whether to force rebuilding the images")])


class Command:
    """One kayobe command.

    kolla: None, or where the "Kolla Ansible" group sits in the help relative
    to "Kayobe Ansible" ("after", or "before" when KayobeAnsibleMixin comes
    first in the class bases).
    limit: the group kayobe intersects with -l (its `limit=` argument).
    steps: one token per ansible-playbook or kolla-ansible run, in order;
    "a,b" runs playbooks a and b in one ansible-playbook; "@a" ignores -l
    (kayobe's ignore_limit); "ka:X"/"ks:X" is `kolla-ansible X` against the
    overcloud/seed inventory; a trailing "?" is skipped by --skip-prechecks.
    """

    def __init__(self, words, description, steps="", kolla=None, limit=None,
                 options=None):
        self.words = words
        self.description = description
        self.steps = steps.split()
        self.kolla = kolla
        self.limit = limit
        self.options = options


GENCFG = "@kolla-ansible @kolla-openstack"
SERVICE = GENCFG + " ka:prechecks? ka:{} overcloud-extras ka:post-deploy @public-openrc"
SEED_SVC = "seed-deploy-containers @kolla-ansible @kolla-bifrost {} seed-credentials,seed-introspection-rules,dell-switch-bmp"

_C = Command
COMMANDS = [
    _C("baremetal compute inspect", "Perform hardware inspection on baremetal compute nodes.", "baremetal-compute-inspect"),
    _C("baremetal compute introspection data save", "Save hardware introspection data for the baremetal compute nodes.", "baremetal-compute-introspection-data-save", options=INTROSPECTION),
    _C("baremetal compute manage", "Put baremetal compute nodes into the manageable provision state.", "baremetal-compute-manage"),
    _C("baremetal compute provide", "Put baremetal compute nodes into the available provision state.", "baremetal-compute-provide"),
    _C("baremetal compute register", "Register baremetal compute nodes in Ironic.", "baremetal-compute-register"),
    _C("baremetal compute rename", "Rename baremetal compute nodes to match inventory hostname", "baremetal-compute-rename"),
    _C("baremetal compute serial console disable", "Disable Serial Console for Baremetal Compute Nodes", "baremetal-compute-serial-console", options=SERIAL),
    _C("baremetal compute serial console enable", "Enable Serial Console for Baremetal Compute Nodes", "baremetal-compute-serial-console", options=SERIAL),
    _C("baremetal compute update deployment image", "Update the Ironic nodes to use the new kernel and ramdisk images.", "overcloud-ipa-images",
       options=("Baremetal Compute Update", [_opt("--baremetal-compute-limit", "Limit the upgrade to the hosts specified in this limit")])),
    _C("configuration dump", "Dump Kayobe configuration.", "dump-config", options=("Configuration Dump", [
        _opt("--dump-facts", "whether to gather and dump host facts", default=False),
        _opt("--host", "name of a host to dump config for"),
        _opt("--hosts", "name of hosts and/or groups to dump config for"),
        _opt("--var-name", "name of a variable to dump")])),
    _C("control host bootstrap", "Bootstrap the Kayobe control environment.", "@bootstrap @kolla-ansible", kolla="before",
       options=("Host Bootstrap", [_flag("--add-known-hosts", "add SSH known hosts entries for each host")])),
    _C("control host upgrade", "Upgrade the Kayobe control environment.", "@bootstrap @kolla-ansible"),
    _C("environment create", "Create a new Kayobe environment.", "", options=("Kayobe Environments", [
        _opt("--source-config-path", "Kayobe configuration to import")])),
    _C("infra vm deprovision", "Deprovisions infra virtual machines.", "infra-vm-deprovision"),
    _C("infra vm host command run", "Run command on the infra VMs.", "host-command-run", limit="infra-vms", options=COMMAND_RUN),
    _C("infra vm host configure", "Configure the infra VMs host OS and services.", "ip-allocation infra-vm-host-configure", limit="infra-vms", options=WIPE),
    _C("infra vm host package update", "Update packages on the infra VMs.", "host-package-update", limit="infra-vms", options=PACKAGES),
    _C("infra vm host upgrade", "Upgrade the infra VM host services.", "kayobe-target-venv", limit="infra-vms"),
    _C("infra vm provision", "Provisions infra virtual machines", "ip-allocation infra-vm-provision", limit="infra-vms"),
    _C("infra vm service deploy", "Run hooks for infra structure services.", ""),
    _C("kolla ansible run", "Run a Kolla Ansible command.", GENCFG + " ka:*", kolla="after", options=("Kolla Ansible", [
        _opt("--kolla-inventory-filename", "name of the kolla-ansible inventory file, one of seed or overcloud (default overcloud)",
             default="overcloud", choices=["seed", "overcloud"]),
        _opt("command", "name of the kolla-ansible command to run")])),
    _C("network connectivity check", "Check network connectivity between hosts in the control plane.", "network-connectivity"),
    _C("overcloud bios raid configure", "Configure BIOS and RAID for the overcloud hosts.", "kolla-bifrost-hostvars,overcloud-bios-raid"),
    _C("overcloud container image build", "Build the overcloud container images.", "container-image-builders-check,kolla-build,container-image-build", options=IMAGE_BUILD),
    _C("overcloud container image pull", "Pull the overcloud container images from a registry.", "@kolla-ansible ka:pull overcloud-extras", kolla="before", limit="overcloud"),
    _C("overcloud database backup", "Backup the overcloud database.", "@kolla-ansible ka:mariadb_backup", kolla="after",
       options=("Overcloud Database Backup", [_flag("--incremental", "Whether to perform an incremental database backup. Default is false.")])),
    _C("overcloud database recover", "Recover the overcloud database.", GENCFG + " ka:mariadb_recovery", kolla="after",
       options=("Overcloud Database Recovery", [_opt("--force-recovery-host", "Name of a host to use to perform the recovery.")])),
    _C("overcloud deployment image build", "Build the overcloud deployment kernel and ramdisk images.", "overcloud-ipa-build", options=_force_rebuild("Deployment Image Build")),
    _C("overcloud deprovision", "Deprovision the overcloud.", "kolla-bifrost-hostvars,overcloud-deprovision"),
    _C("overcloud facts gather", "Gather facts for Kayobe and Kolla Ansible.", "overcloud-facts-gather @kolla-ansible ka:gather-facts", kolla="after"),
    _C("overcloud hardware inspect", "Inspect the overcloud hardware using ironic inspector.", "kolla-bifrost-hostvars,overcloud-hardware-inspect"),
    _C("overcloud host command run", "Run command on the overcloud host.", "host-command-run", limit="overcloud", options=COMMAND_RUN),
    _C("overcloud host configure", "Configure the overcloud host OS and services.", "ip-allocation overcloud-host-configure", limit="overcloud", options=WIPE),
    _C("overcloud host image build", "Build overcloud host disk images.", "overcloud-host-image-build", options=_force_rebuild("Host Image Build")),
    _C("overcloud host package update", "Update packages on the overcloud hosts.", "host-package-update", limit="overcloud", options=PACKAGES),
    _C("overcloud host upgrade", "Upgrade the overcloud host services.", "overcloud-host-upgrade", limit="overcloud"),
    _C("overcloud introspection data save", "Save hardware introspection data for the overcloud.", "kolla-bifrost-hostvars,overcloud-introspection-data-save", options=INTROSPECTION),
    _C("overcloud inventory discover", "Discover the overcloud inventory from the seed's Ironic service.", "overcloud-inventory-discover ip-allocation @kolla-ansible", limit="overcloud"),
    _C("overcloud post configure", "Perform post-deployment configuration.",
       "overcloud-ipa-images,overcloud-introspection-rules,overcloud-introspection-rules-dell-lldp-workaround,provision-net,baremetal-compute-serial-console-post-config"),
    _C("overcloud provision", "Provision the overcloud.", "kolla-bifrost-hostvars,overcloud-provision"),
    _C("overcloud service configuration generate", "Generate the overcloud service configuration files.", GENCFG + " ka:prechecks? ka:genconfig", kolla="before",
       options=("Service Configuration Generate", [
           _opt("--node-config-dir", "the directory to store the config files on the remote node (required)", required=True),
           _flag("--skip-prechecks", "skip the kolla-ansible prechecks command")])),
    _C("overcloud service configuration save", "Gather and save the overcloud service configuration files.", "overcloud-service-config-save",
       options=("Service Configuration Save", [
           _opt("--exclude", "optional comma-separated list of patterns matching filenames to exclude"),
           _opt("--include", "optional comma-separated list of patterns matching filenames to include"),
           _opt("--node-config-dir", "the directory to store the config files on the remote node (default /etc/kolla)"),
           _opt("--output-dir", "path to a directory in which to save configuration")])),
    _C("overcloud service configuration validate", "Runs oslo config validator on the OpenStack control plane services.", "ka:validate-config", kolla="before",
       options=("Service Configuration Validate", [
           _opt("--output-dir", "the directory to store the results of running the config validator (required)", required=True)])),
    _C("overcloud service deploy", "Deploy the overcloud services.", SERVICE.format("deploy"), kolla="after", limit="overcloud",
       options=_skip_prechecks("Service Deployment")),
    _C("overcloud service deploy containers", "Deploy the overcloud services without updating configuration.",
       GENCFG + " ka:prechecks? ka:deploy-containers overcloud-extras", kolla="after", limit="overcloud", options=_skip_prechecks("Service Deployment")),
    _C("overcloud service destroy", "Destroy the overcloud services.", GENCFG + " ka:destroy overcloud-extras", kolla="after", limit="overcloud", options=DESTROY),
    _C("overcloud service prechecks", "Run prechecks against overcloud services.", GENCFG + " ka:prechecks", kolla="after"),
    _C("overcloud service reconfigure", "Reconfigure the overcloud services.", SERVICE.format("reconfigure"), kolla="after", limit="overcloud",
       options=_skip_prechecks("Service Reconfiguration")),
    _C("overcloud service stop", "Stop the overcloud services.", GENCFG + " ka:stop overcloud-extras", kolla="after", limit="overcloud",
       options=("Services", [_flag("--yes-i-really-really-mean-it", "confirm that you understand that this will stop running services.")])),
    _C("overcloud service upgrade", "Upgrade the overcloud services.", SERVICE.format("upgrade"), kolla="after", limit="overcloud",
       options=_skip_prechecks("Service Upgrade")),
    _C("overcloud swift rings generate", "Generate Swift rings.", "swift-rings"),
    _C("physical network configure", "Configure a set of physical network devices.", "physical-network", limit="--group",
       options=("Physical Networking", [
           _opt("--group", "the Ansible group to apply configuration to", required=True),
           _flag("--display", "display the candidate configuration and exit without applying it"),
           _opt("--interface-limit", "limit the switch interfaces to be configured by interface name"),
           _opt("--interface-description-limit", "limit the switch interfaces to be configured by interface description"),
           # Not in the group: a parser-level mutually exclusive pair.
           ("--enable-discovery", {"action": "store_true", "mutex": True, "help": "configure the network for hardware discovery"}),
           ("--disable-discovery", {"action": "store_true", "mutex": True, "help": "deconfigure the network for hardware discovery"})])),
    _C("playbook run", "Run a Kayobe Ansible playbook.", "playbooks", options=("Kayobe Ansible", [
        _opt("playbook", "name of the playbook(s) to run", nargs="+")])),
    _C("seed container image build", "Build the seed container images.", "container-image-builders-check,kolla-build,container-image-build", options=IMAGE_BUILD),
    _C("seed deployment image build", "Build the seed deployment kernel and ramdisk images.", "seed-ipa-build", options=_force_rebuild("Deployment Image Build")),
    _C("seed host command run", "Run command on the seed host.", "host-command-run", limit="seed", options=COMMAND_RUN),
    _C("seed host configure", "Configure the seed node host OS and services.", "ip-allocation seed-host-configure", limit="seed", options=WIPE),
    _C("seed host package update", "Update packages on the seed host.", "host-package-update", limit="seed", options=PACKAGES),
    _C("seed host upgrade", "Upgrade the seed host services.", "seed-host-upgrade", limit="seed"),
    _C("seed hypervisor host command run", "Run command on the seed hypervisor host.", "host-command-run", limit="seed-hypervisor", options=COMMAND_RUN),
    _C("seed hypervisor host configure", "Configure the seed hypervisor node host OS and services.", "ip-allocation seed-hypervisor-host-configure",
       limit="seed-hypervisor", options=WIPE),
    _C("seed hypervisor host package update", "Update packages on the seed hypervisor host.", "host-package-update", limit="seed-hypervisor", options=PACKAGES),
    _C("seed hypervisor host upgrade", "Upgrade the seed hypervisor host services.", "kayobe-target-venv", limit="seed-hypervisor"),
    _C("seed service deploy", "Deploy the seed services.", SEED_SVC.format("ks:deploy-bifrost"), kolla="after"),
    _C("seed service destroy", "Destroy the seed services.", "@kolla-ansible ks:destroy seed-deploy-containers,docker-registry", kolla="after", options=DESTROY),
    _C("seed service upgrade", "Upgrade the seed services.", SEED_SVC.format("seed-service-upgrade-prep ks:upgrade-bifrost"), kolla="after"),
    _C("seed vm deprovision", "Deprovision the seed VM.", "seed-vm-deprovision", kolla="after"),
    _C("seed vm provision", "Provision the seed VM.", "@kolla-ansible ip-allocation seed-vm-provision", kolla="after"),
]
COMMANDS_BY_NAME = {c.words: c for c in COMMANDS}

# Commands that refuse to run without --yes-i-really-really-mean-it, and why.
CONFIRM = {
    "overcloud service destroy": "This will permanently destroy all services and data.",
    "overcloud service stop": "This will stop running services.",
    "seed service destroy": "This will permanently destroy all services and data.",
}

# Playbook -> (its first play's hosts, its first play's name). Playbooks made
# of import_playbook entries get the hosts and a name of their main play.
_ALL = "seed-hypervisor:seed:overcloud:infra-vms"
PLAYBOOKS = {
    "baremetal-compute-inspect": ("controllers[0]", "Ensure dependencies are installed"),
    "baremetal-compute-introspection-data-save": ("controllers[0]", "Ensure dependencies are installed"),
    "baremetal-compute-manage": ("controllers[0]", "Ensure baremetal compute nodes are manageable in ironic"),
    "baremetal-compute-provide": ("controllers[0]", "Ensure baremetal compute nodes are available in ironic"),
    "baremetal-compute-register": ("controllers[0]", "Register baremetal compute nodes"),
    "baremetal-compute-rename": ("controllers[0]", "Rename baremetal compute nodes"),
    "baremetal-compute-serial-console": ("controllers[0]", "Setup OpenStack Environment"),
    "baremetal-compute-serial-console-post-config": ("controllers[0]", "Setup OpenStack Environment"),
    "bootstrap": ("localhost", "Ensure configuration management host is bootstrapped"),
    "container-image-build": ("container-image-builders", "Ensure Kolla container images are built"),
    "container-image-builders-check": ("localhost", "Ensure the container-image-builders group exists"),
    "dell-switch-bmp": ("seed", "Ensure that a Bare Metal Provisioning (BMP) environment is configured for Dell switches on the seed"),
    "docker-registry": ("docker-registry", "Ensure a local Docker registry is deployed"),
    "dump-config": ("all", "Dump configuration from one or more hosts"),
    "host-command-run": (_ALL, "Run a command"),
    "host-package-update": (_ALL, "Update host packages"),
    "infra-vm-deprovision": ("infra-vms", "Set facts about infra VMs"),
    "infra-vm-host-configure": ("infra-vms", "Ensure IP addresses are allocated"),
    "infra-vm-provision": ("infra-vms", "Set facts about infra VMs"),
    "ip-allocation": (_ALL, "Ensure IP addresses are allocated"),
    "kayobe-target-venv": ("seed:seed-hypervisor:overcloud:infra-vms", "Ensure a virtualenv exists for kayobe"),
    "kolla-ansible": ("localhost", "Gather facts for localhost"),
    "kolla-bifrost": ("localhost", "Ensure Kolla Bifrost is configured"),
    "kolla-bifrost-hostvars": ("overcloud", "Ensure the Bifrost overcloud inventory is populated"),
    "kolla-build": ("container-image-builders", "Ensure Kolla is installed and configured"),
    "kolla-openstack": ("controllers", "Check whether Ironic is enabled"),
    "network-connectivity": ("seed:seed-hypervisor:overcloud:infra-vms", "Check network connectivity between hosts"),
    "overcloud-bios-raid": ("overcloud", "Group overcloud nodes by their BMC type"),
    "overcloud-deprovision": ("overcloud", "Ensure the overcloud nodes are deprovisioned"),
    "overcloud-extras": ("overcloud", "Ensure extra services are deployed"),
    "overcloud-facts-gather": ("overcloud", "Gather facts"),
    "overcloud-hardware-inspect": ("overcloud", "Ensure the overcloud nodes' hardware is inspected"),
    "overcloud-host-configure": ("overcloud", "Ensure the overcloud host OS and services are configured"),
    "overcloud-host-image-build": ("seed", "Ensure overcloud host disk images are built and installed"),
    "overcloud-host-upgrade": ("overcloud", "Ensure a virtualenv exists for kayobe"),
    "overcloud-introspection-data-save": ("overcloud", "Ensure the overcloud nodes' hardware introspection data is saved"),
    "overcloud-introspection-rules": ("controllers", "Check whether Ironic is enabled"),
    "overcloud-introspection-rules-dell-lldp-workaround": ("controllers", "Check whether Ironic is enabled"),
    "overcloud-inventory-discover": ("seed", "Ensure the overcloud Ansible inventory is populated"),
    "overcloud-ipa-build": ("controllers", "Check whether Ironic is enabled"),
    "overcloud-ipa-images": ("controllers", "Check whether Ironic is enabled"),
    "overcloud-provision": ("overcloud", "Ensure the overcloud nodes are provisioned"),
    "overcloud-service-config-save": ("overcloud", "Save overcloud service configuration"),
    "physical-network": ("switches", "Group hosts by their switch type and apply configuration filters"),
    "provision-net": ("controllers", "Check whether Ironic is enabled"),
    "public-openrc": ("localhost", "Ensure a public OpenStack API environment file exists"),
    "seed-credentials": ("seed", "Ensure credentials are available on the host"),
    "seed-deploy-containers": ("seed", "Ensure defined container images are deployed on seed node"),
    "seed-host-configure": ("seed", "Ensure the seed host OS and services are configured"),
    "seed-host-upgrade": ("seed", "Ensure a virtualenv exists for kayobe"),
    "seed-hypervisor-host-configure": ("seed-hypervisor", "Ensure the seed hypervisor host OS and services are configured"),
    "seed-introspection-rules": ("seed", "Ensure introspection rules are registered in Bifrost"),
    "seed-ipa-build": ("seed", "Ensure Ironic Python Agent images are built and installed"),
    "seed-service-upgrade-prep": ("seed", "Prepare for an upgrade of the seed services"),
    "seed-vm-deprovision": ("seed-hypervisor", "Ensure that the seed VM is deprovisioned"),
    "seed-vm-provision": ("seed-hypervisor", "Ensure that the seed VM configdrive exists"),
    "swift-rings": ("localhost", "Ensure swift ring files exist"),
}

# StackHPC kayobe-config playbooks the upgrade runs with `kayobe playbook run`:
# basename -> (hosts, first play name), from stackhpc/stackhpc-kayobe-config.
# Other playbooks are read for their first play's `hosts:` and `name:`.
STACKHPC_PLAYBOOKS = {
    "pulp-repo-sync": ("localhost", "Sync Pulp repositories"),
    "pulp-repo-publish": ("localhost", "Publish Pulp repositories"),
    "pulp-repo-promote-production": ("localhost", "Promote Pulp repositories to production"),
    "pulp-container-sync": ("localhost", "Sync Pulp container repositories"),
    "pulp-container-publish": ("localhost", "Publish Pulp container repositories"),
    "reboot": (_ALL, "Reboot the host"),
    "nova-compute-disable": ("compute", "Disable nova compute service"),
    "nova-compute-drain": ("compute", "Drain nova compute service"),
    "nova-compute-enable": ("compute", "Enable nova compute service"),
    "wazuh-manager": ("wazuh-manager", "Deploy the Wazuh manager"),
    "wazuh-agent": ("wazuh-agent", "Deploy the Wazuh agent"),
    "octavia-amphora-image-build": ("seed", "Build the Octavia amphora image"),
    "octavia-amphora-image-register": ("localhost", "Register the Octavia amphora image"),
}
