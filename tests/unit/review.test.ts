import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkModeChanges, configDiffChanges, describeChanges, recordReview, ReviewRecord, reviewDigest } from "../../resources/executor/review";
import { approveCommand, gateAhead, ReviewGate, reviewVerdict } from "../../resources/provider/review-gate";

/** `kayobe overcloud host configure --check --diff` as Ansible prints it: two playbook runs (kayobe's, then kolla-ansible's bootstrap-servers). */
const CHECK_OUTPUT = `$ kayobe overcloud host configure --check --diff

PLAY [Ensure the overcloud host OS and services are configured] ****************

TASK [Gathering Facts] *********************************************************
ok: [ctl0]
ok: [cmp0]

TASK [ntp : Ensure chrony is configured] ***************************************
Friday 27 November 2026  09:00:01 +0000 (0:00:01.234)       0:00:05.678 ******
--- before: /etc/chrony.conf
+++ after: /home/stack/.ansible/tmp/ansible-local-81731rbvy7a5k/tmpq2x9fj1m/chrony.conf.j2
@@ -1,3 +1,3 @@
-server ntp0.example.org iburst
+server ntp1.example.org iburst
 driftfile /var/lib/chrony/drift

changed: [ctl0]
ok: [cmp0]

TASK [sysctl : Set sysctl parameters] ******************************************
ok: [ctl0] => (item=net.ipv4.ip_forward)
--- before: /proc/sys/net/ipv4/conf/all/rp_filter
+++ after: /proc/sys/net/ipv4/conf/all/rp_filter
@@ -1 +1 @@
-1
+0
changed: [cmp0] => (item=net.ipv4.conf.all.rp_filter)

TASK [dnf : Ensure the DNF configuration] **************************************
skipping: [ctl0]
skipping: [cmp0]

RUNNING HANDLER [ntp : Restart chrony] *****************************************
changed: [ctl0]

PLAY RECAP *********************************************************************
cmp0                       : ok=2    changed=1    unreachable=0    failed=0    skipped=1    rescued=0    ignored=0
ctl0                       : ok=3    changed=2    unreachable=0    failed=0    skipped=1    rescued=0    ignored=0

[WARNING]: Could not match supplied host pattern, ignoring: infra-vms

PLAY [Apply role baremetal] ****************************************************

TASK [baremetal : Ensure docker config] ****************************************
--- before: /etc/docker/daemon.json
+++ after: /etc/docker/daemon.json
@@ -1 +1 @@
-{"live-restore": false}
+{"live-restore": true}
changed: [ctl0]

PLAY RECAP *********************************************************************
cmp0                       : ok=0    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0
ctl0                       : ok=1    changed=1    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0
[exit 0]
`;

describe("review gates: what check mode and the configuration diff show", () => {
  describe("check mode's output", () => {
    it("counts the hosts and tasks that would change from every PLAY RECAP, and keeps each changed task's diff and status", () => {
      const changes = checkModeChanges(CHECK_OUTPUT);
      assert.deepStrictEqual([changes.hosts, changes.tasks], [["cmp0", "ctl0"], 4]);
      assert.strictEqual(
        changes.text,
        [
          "TASK [ntp : Ensure chrony is configured] ***************************************",
          "--- before: /etc/chrony.conf",
          "+++ after: /home/stack/.ansible/tmp/ansible-local-81731rbvy7a5k/tmpq2x9fj1m/chrony.conf.j2",
          "@@ -1,3 +1,3 @@",
          "-server ntp0.example.org iburst",
          "+server ntp1.example.org iburst",
          " driftfile /var/lib/chrony/drift",
          "",
          "changed: [ctl0]",
          "TASK [sysctl : Set sysctl parameters] ******************************************",
          "--- before: /proc/sys/net/ipv4/conf/all/rp_filter",
          "+++ after: /proc/sys/net/ipv4/conf/all/rp_filter",
          "@@ -1 +1 @@",
          "-1",
          "+0",
          "changed: [cmp0] => (item=net.ipv4.conf.all.rp_filter)",
          "RUNNING HANDLER [ntp : Restart chrony] *****************************************",
          "changed: [ctl0]",
          "TASK [baremetal : Ensure docker config] ****************************************",
          "--- before: /etc/docker/daemon.json",
          "+++ after: /etc/docker/daemon.json",
          "@@ -1 +1 @@",
          '-{"live-restore": false}',
          '+{"live-restore": true}',
          "changed: [ctl0]",
        ].join("\n"),
      );
    });

    it("finds nothing to review where every task is ok or skipped", () => {
      const unchanged = CHECK_OUTPUT.replace(/^changed: /gm, "ok: ").replace(/changed=\d/g, "changed=0");
      assert.deepStrictEqual(checkModeChanges(unchanged), { text: "", hosts: [], tasks: 0 });
    });
  });

  describe("the digest an approval names", () => {
    it("is sha256: and 16 hex digits, the same for the same changes whatever Ansible's temporary files were called and whenever they ran", () => {
      const digest = reviewDigest(checkModeChanges(CHECK_OUTPUT).text);
      assert.match(digest, /^sha256:[0-9a-f]{16}$/);
      assert.strictEqual(reviewDigest(checkModeChanges(CHECK_OUTPUT.replace("ansible-local-81731rbvy7a5k/tmpq2x9fj1m", "ansible-local-99999abcdefgh/tmpzzzzzzzz")).text), digest);
      assert.strictEqual(reviewDigest(checkModeChanges(CHECK_OUTPUT.replace("09:00:01 +0000 (0:00:01.234)       0:00:05.678", "23:59:59 +0100 (0:01:02.003)       1:02:03.456")).text), digest, "profile_tasks' timings");
      assert.notStrictEqual(reviewDigest(checkModeChanges(CHECK_OUTPUT.replace("+server ntp1", "+server ntp2")).text), digest);
    });
  });

  describe("the kolla configuration diff", () => {
    const diff = [
      "diff -ru /w/kolla-diff/old/ctl0/etc/kolla/nova-api/nova.conf /w/kolla-diff/new/ctl0/etc/kolla/nova-api/nova.conf",
      "--- /w/kolla-diff/old/ctl0/etc/kolla/nova-api/nova.conf\t2026-11-27 09:00:00",
      "+++ /w/kolla-diff/new/ctl0/etc/kolla/nova-api/nova.conf\t2026-11-27 09:00:01",
      "@@ -1 +1 @@",
      "-rabbit_ha_queues = true",
      "+rabbit_quorum_queue = true",
      "diff -ru /w/kolla-diff/old/cmp0/etc/kolla/nova-compute/nova.conf /w/kolla-diff/new/cmp0/etc/kolla/nova-compute/nova.conf",
      "Only in /w/kolla-diff/new/ctl0/etc/kolla: octavia-api",
      "Only in /w/kolla-diff/old/stg0/etc/kolla: cinder-backup",
      "",
    ].join("\n");

    it("counts the files that differ and the hosts they are on", () => {
      assert.deepStrictEqual(configDiffChanges(diff, "/w/kolla-diff/old", "/w/kolla-diff/new"), { hosts: ["ctl0", "cmp0", "stg0"], files: 4 });
      assert.deepStrictEqual(configDiffChanges("", "/w/kolla-diff/old", "/w/kolla-diff/new"), { hosts: [], files: 0 });
    });

    it("is recorded from its file with the secrets masked: the digest is the masked text's", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "review-"));
      const file = path.join(dir, "kolla-diff.diff");
      fs.writeFileSync(file, diff.replace("+rabbit_quorum_queue = true", "+transport_url = rabbit://openstack:s3cret@ctl0"));
      const review = recordReview({ kind: "config-diff", file, old: "/w/kolla-diff/old", new: "/w/kolla-diff/new" }, "/nonexistent.log", (text) => text.split("s3cret").join("********"));
      assert.deepStrictEqual(review, {
        file,
        digest: reviewDigest(diff.replace("+rabbit_quorum_queue = true", "+transport_url = rabbit://openstack:********@ctl0")),
        changedHosts: 3,
        changedFiles: 4,
      });
    });
  });

  describe("recording check mode's review", () => {
    it("writes the changes to the review file, headed by what they count and where the whole output is", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "review-"));
      const log = path.join(dir, "overcloud-host-configure-check.log");
      fs.writeFileSync(log, CHECK_OUTPUT);
      const file = path.join(dir, "reviews", "overcloud-host-configure-check.diff");
      const review = recordReview({ kind: "check-mode", file }, log, (text) => text);
      const { text } = checkModeChanges(CHECK_OUTPUT);
      assert.deepStrictEqual(review, { file, digest: reviewDigest(text), changedHosts: 2, changedTasks: 4 });
      assert.strictEqual(fs.readFileSync(file, "utf8"), `# check mode would change 4 tasks on 2 hosts: cmp0, ctl0\n# digest ${review.digest}; the whole output is in ${log}\n${text}\n`);
      assert.strictEqual(fs.statSync(file).mode & 0o777, 0o600);
    });
  });

  describe("the gate", () => {
    const review: ReviewRecord = { file: "/w/reviews/seed-host-configure-check.diff", digest: "sha256:0123456789abcdef", changedHosts: 1, changedTasks: 3 };
    const gate = (over: Partial<ReviewGate> = {}): ReviewGate => ({ stack: "site-staging", reviewed: "seed-host-configure-check", review, on: true, ...over });

    it("refuses changes not approved, naming the file and the exact command that approves them", () => {
      assert.deepStrictEqual(reviewVerdict("seed-host-configure", gate()), {
        refusal:
          "seed-host-configure: seed-host-configure-check shows changes to 3 tasks on 1 host (sha256:0123456789abcdef). Review them in /w/reviews/seed-host-configure-check.diff, then approve them with\n" +
          "    bin/pulumi config set --path 'kayobe-upgrade:approvals[\"seed-host-configure\"]' sha256:0123456789abcdef --stack site-staging\n" +
          "and run bin/pulumi up again: seed-host-configure-check does not run again.",
      });
    });

    it("refuses again when the approval is of other changes than the latest review's", () => {
      const verdict = reviewVerdict("seed-host-configure", gate({ approved: "sha256:fedcba9876543210" }));
      assert.ok("refusal" in verdict);
      assert.match(verdict.refusal, /^seed-host-configure: seed-host-configure-check shows changes to 3 tasks on 1 host \(sha256:0123456789abcdef\); the approval in kayobe-upgrade:approvals is of sha256:fedcba9876543210, changes that are not these \(the review changed since\)\. Review them in /);
    });

    it("lets approved changes, no changes, gates off and a reviewed step done by hand through, recording why", () => {
      const reviewed = "seed-host-configure-check";
      const digest = review.digest;
      assert.deepStrictEqual(reviewVerdict("seed-host-configure", gate({ approved: digest })), { approval: { reviewed, digest, by: "approval" } });
      assert.deepStrictEqual(reviewVerdict("seed-host-configure", gate({ review: { ...review, changedHosts: 0, changedTasks: 0 } })), { approval: { reviewed, digest, by: "no changes" } });
      assert.deepStrictEqual(reviewVerdict("overcloud-service-upgrade", gate({ review: { file: "/w/kolla-diff.diff", digest, changedHosts: 0, changedFiles: 0 } })), { approval: { reviewed, digest, by: "no changes" } });
      assert.deepStrictEqual(reviewVerdict("seed-host-configure", gate({ on: false })), { approval: { reviewed, digest, by: "gates off" } });
      assert.deepStrictEqual(reviewVerdict("seed-host-configure", gate({ review: undefined })), { approval: { reviewed, by: "reviewed step done by hand" } });
    });

    it("counts a configuration diff's changes in files", () => {
      assert.strictEqual(describeChanges({ file: "/w/kolla-diff.diff", digest: "sha256:0123456789abcdef", changedHosts: 3, changedFiles: 1 }), "1 file on 3 hosts");
    });

    it("is listed ahead at preview: to come, refused with its command, or going ahead and why", () => {
      assert.strictEqual(gateAhead("seed-host-configure", { ...gate(), review: "to come" }), "review gate ahead: seed-host-configure waits for the approval of what seed-host-configure-check shows, if it shows changes");
      assert.strictEqual(gateAhead("seed-host-configure", gate()), `review gate ahead: ${(reviewVerdict("seed-host-configure", gate()) as { refusal: string }).refusal}`);
      assert.strictEqual(gateAhead("seed-host-configure", gate({ approved: review.digest })), "review gate ahead: seed-host-configure goes ahead after seed-host-configure-check: its changes (sha256:0123456789abcdef) are approved");
      assert.strictEqual(approveCommand("staging", "overcloud-service-upgrade", review.digest), `bin/pulumi config set --path 'kayobe-upgrade:approvals["overcloud-service-upgrade"]' sha256:0123456789abcdef --stack staging`);
    });
  });
});
