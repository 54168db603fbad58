// Debian's headless Chromium (chromium-headless-shell, installed by scripts/setup.sh), to
// load a page as a browser shows it: its DOM, and the colours of its pixels.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";

export const CHROMIUM = "/usr/bin/chromium-headless-shell";
// As root, Chromium runs only without its sandbox; no GPU on these machines.
const FLAGS = ["--no-sandbox", "--disable-gpu", "--hide-scrollbars"];

function chromium(args: string[]): void {
  const result = spawnSync(CHROMIUM, [...FLAGS, ...args], { encoding: "utf8", timeout: 60000 });
  if (result.status !== 0) throw new Error(`${CHROMIUM} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
}

/** The page's DOM once Chromium has loaded it. */
export function dumpDom(file: string): string {
  const result = spawnSync(CHROMIUM, [...FLAGS, "--dump-dom", `file://${file}`], { encoding: "utf8", timeout: 60000, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${CHROMIUM} --dump-dom exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/** How many pixels of each colour (#rrggbb) the page shows in a window of `width` x `height`. */
export function pixelColours(file: string, width: number, height: number): Map<string, number> {
  const png = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "page-")), "shot.png");
  chromium([`--window-size=${width},${height}`, `--screenshot=${png}`, `file://${file}`]);
  return countColours(fs.readFileSync(png));
}

/** Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes). */
function countColours(png: Buffer): Map<string, number> {
  let offset = 8;
  let width = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("ascii", offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      if (body[8] !== 8 || body[12] !== 0 || (body[9] !== 2 && body[9] !== 6)) throw new Error("not an 8-bit non-interlaced RGB(A) PNG");
      channels = body[9] === 6 ? 4 : 3;
    } else if (type === "IDAT") data.push(body);
    offset += 12 + length;
  }
  const raw = zlib.inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const colours = new Map<string, number>();
  let previous = Buffer.alloc(stride);
  for (let row = 0; row * (stride + 1) < raw.length; row++) {
    const filter = raw[row * (stride + 1)];
    const line = Buffer.from(raw.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? line[i - channels] : 0;
      const up = previous[i];
      const upLeft = i >= channels ? previous[i - channels] : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predictor = [0, left, up, Math.floor((left + up) / 2), filter === 4 ? paeth() : 0][filter];
      line[i] = (line[i] + predictor) & 0xff;
    }
    for (let i = 0; i < stride; i += channels) {
      const colour = `#${[line[i], line[i + 1], line[i + 2]].map((v) => v.toString(16).padStart(2, "0")).join("")}`;
      colours.set(colour, (colours.get(colour) ?? 0) + 1);
    }
    previous = line;
  }
  return colours;
}
