// Builds the web app once per `vitest run`, before any e2e file starts a stack: each file runs in
// its own worker, so the harness's in-process cache alone would not span files.
import { BUILT_THIS_RUN, ensureWebBuild } from "./harness.ts";

export default async function setup() {
  await ensureWebBuild();
  // Inherited by the test workers, which then use this build as it is.
  process.env[BUILT_THIS_RUN] = "1";
}
