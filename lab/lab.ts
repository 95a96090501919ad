// The lab estate of real OpenSSH hosts. Library entry point and CLI:
//   npx tsx lab/lab.ts start [--hosts N] | stop | status | change-host-key NAME | stop-host NAME | start-host NAME
import path from "node:path";
import { changeHostKey, defaultLabHostSpecs, labStatus, startHost, startLabHosts, stopHost, stopLabHosts } from "./hosts/index";
import { isMainModule, runCli } from "../scripts/db/cli";

export * from "./hosts/index";

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  const needName = (): string => {
    const name = rest[0];
    if (!name) throw new Error(`${command} needs a host NAME`);
    return name;
  };
  switch (command) {
    case "start": {
      const i = rest.indexOf("--hosts");
      const count = i >= 0 ? Number(rest[i + 1]) : 3;
      if (!Number.isInteger(count) || count < 1 || count > 200) throw new Error("--hosts needs a number from 1 to 200");
      const started = performance.now();
      const estate = await startLabHosts(defaultLabHostSpecs(count));
      for (const h of estate.hosts) console.log(`${h.name}\t${h.user}@${h.address}:${h.port}\t${h.hostKeyFingerprint}`);
      console.log(`ready in ${Math.round(performance.now() - started)} ms; client key ${estate.clientKeyPath}; estate ${path.join(estate.runDir, "estate.json")}`);
      return 0;
    }
    case "stop":
      await stopLabHosts();
      console.log("lab estate stopped");
      return 0;
    case "status": {
      const hosts = await labStatus();
      if (!hosts) {
        console.log("no lab estate");
        return 1;
      }
      for (const h of hosts) console.log(`${h.name}\t${h.up ? "up" : "DOWN"}\t${h.user}@${h.address}:${h.port}\tpid ${h.pid ?? "-"}\t${h.hostKeyFingerprint}`);
      return hosts.every((h) => h.up) ? 0 : 1;
    }
    case "change-host-key": {
      const h = await changeHostKey(needName());
      console.log(`${h.name}: new host key ${h.hostKeyFingerprint}`);
      return 0;
    }
    case "stop-host":
      await stopHost(needName());
      console.log(`${rest[0]}: down`);
      return 0;
    case "start-host": {
      const h = await startHost(needName());
      console.log(`${h.name}: up (pid ${h.pid})`);
      return 0;
    }
    default:
      console.error("usage: npx tsx lab/lab.ts start [--hosts N] | stop | status | change-host-key NAME | stop-host NAME | start-host NAME");
      return 2;
  }
}

if (isMainModule(import.meta.url)) runCli(() => main(process.argv.slice(2)));
