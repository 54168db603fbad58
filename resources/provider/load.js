// The milestone provider's implementation, as the dynamic-provider host loads it: the
// provider in each milestone's state (./milestone.ts) only names this file, which
// compiles the TypeScript beside it, once per process.
const path = require("path");
if (!process[Symbol.for("ts-node.register.instance")]) {
  require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "..", "tsconfig.json") });
}
const { MilestoneProvider } = require("./milestone-provider.ts");
// Killed abruptly, the CLI would leave this provider, and the kayobe it runs, behind.
require("../executor/lifeline.ts").watchEngine();
module.exports = new MilestoneProvider();
