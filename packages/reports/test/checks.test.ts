import { describe, expect, it } from "vitest";

import { CHECK_NAMES, checkIds, checkName, isCheckId } from "../src/index.ts";

describe("check catalogue", () => {
  it("names every check once", () => {
    expect(checkIds).toHaveLength(21);
    expect(checkName("treasury-outflow")).toBe("Treasury outflow");
    expect(checkName("simulation")).toBe("Running the proposal on a copy of the chain");
    expect(new Set(Object.values(CHECK_NAMES)).size).toBe(checkIds.length);
    for (const id of checkIds) expect(CHECK_NAMES[id]).toMatch(/^\S.*\S$/);
  });

  it("labels an id it does not know with the id itself", () => {
    expect(isCheckId("oracle-manipulation")).toBe(false);
    expect(checkName("oracle-manipulation")).toBe("oracle-manipulation");
    expect(checkName("toString")).toBe("toString");
    expect(checkName("__proto__")).toBe("__proto__");
    expect(checkName("")).toBe("");
  });
});
