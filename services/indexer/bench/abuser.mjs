// One abusive client for the benchmark, in a worker thread so its own work does not run on the
// indexer's event loop: `streams` request loops from one loopback address, each sending the bodies
// in turn until told to stop. Posts back counts of answers by HTTP status.
import { Agent, request } from "node:http";
import { parentPort, workerData } from "node:worker_threads";

const { url, from, bodies, streams } = workerData;
const agent = new Agent({ keepAlive: true, localAddress: from, maxSockets: streams });
const counts = {};
let running = true;
parentPort.on("message", (message) => {
  if (message === "stop") running = false;
});

function post(body) {
  return new Promise((resolve) => {
    const req = request(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", () => resolve("error"));
    req.end(body);
  });
}

async function loop(offset) {
  for (let i = offset; running; i++) {
    const status = await post(bodies[i % bodies.length]);
    counts[status] = (counts[status] ?? 0) + 1;
  }
}

await Promise.all(Array.from({ length: streams }, (_, i) => loop(i)));
agent.destroy();
parentPort.postMessage(counts);
