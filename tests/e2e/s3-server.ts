// A real S3-compatible object store on 127.0.0.1 for the S3 backend tests: S3Proxy
// (fetched by scripts/ensure-s3proxy.sh) over a folder, with SigV4 credentials required,
// as a Ceph RGW or MinIO of a site would. It can be stopped and started again on the
// same port and data, to play an outage of the store.
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { freePort } from "./free-port";

const PROJECT = path.resolve(__dirname, "..", "..");
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

export class S3Server {
  readonly bucket = "kayobe-upgrade-state";
  readonly accessKey = "kayobe-operator";
  readonly secretKey = "kayobe-operator-secret";
  readonly region = "us-east-1";
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "kayobe-upgrade-s3-"));
  private readonly jar = execFileSync(path.join(PROJECT, "scripts", "ensure-s3proxy.sh"), { encoding: "utf8" }).trim();
  private port = 0;
  private process?: ChildProcess;

  /** What an operator sets: the backend URL and the credentials, as environment. */
  get env(): Record<string, string> {
    return {
      PULUMI_BACKEND_URL: `s3://${this.bucket}?endpoint=http://127.0.0.1:${this.port}&use_path_style=true&region=${this.region}`,
      AWS_ACCESS_KEY_ID: this.accessKey,
      AWS_SECRET_ACCESS_KEY: this.secretKey,
    };
  }

  /** Starts the server (on the port it had before, if any) and waits until it answers. */
  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const data = path.join(this.dir, "data");
    // The filesystem store's buckets are its folders: this one is the bucket an operator
    // creates once with the site's own tools (openstack container create, aws s3 mb).
    fs.mkdirSync(path.join(data, this.bucket), { recursive: true });
    const properties = path.join(this.dir, "s3proxy.properties");
    fs.writeFileSync(
      properties,
      [
        `s3proxy.endpoint=http://127.0.0.1:${this.port}`,
        "s3proxy.authorization=aws-v2-or-v4",
        `s3proxy.identity=${this.accessKey}`,
        `s3proxy.credential=${this.secretKey}`,
        "jclouds.provider=filesystem",
        `jclouds.filesystem.basedir=${data}`,
        "",
      ].join("\n"),
    );
    // Output to a file: the tests block the event loop in spawnSync, and a full pipe would stall the server.
    const log = fs.openSync(path.join(this.dir, "s3proxy.log"), "a");
    this.process = spawn("java", ["-jar", this.jar, "--properties", properties], { stdio: ["ignore", log, log] });
    fs.closeSync(log);
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await this.answers())) {
      if (this.process.exitCode !== null || Date.now() > deadline) {
        throw new Error(`S3Proxy did not start on 127.0.0.1:${this.port}; its log: ${path.join(this.dir, "s3proxy.log")}`);
      }
      await sleep(250);
    }
  }

  /** Stops the server, as an outage would; its data stays. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await Promise.race([exited, sleep(STOP_TIMEOUT_MS)]);
  }

  /** Every object key in the bucket, as the store holds them. */
  keys(): string[] {
    const root = path.join(this.dir, "data", this.bucket);
    return (fs.readdirSync(root, { recursive: true }) as string[]).filter((key) => fs.statSync(path.join(root, key)).isFile()).sort();
  }

  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const request = http.get({ host: "127.0.0.1", port: this.port, path: "/", timeout: 2000 }, (response) => {
        response.resume();
        resolve(true);
      });
      request.on("error", () => resolve(false));
      request.on("timeout", () => request.destroy());
    });
  }
}


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
