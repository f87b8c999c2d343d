import { describe, expect, it } from "vitest";

import { actionLabel, actionList } from "../src/index.ts";

describe("actionLabel", () => {
  it("names the call at index 0 action 1", () => {
    expect(actionLabel(0)).toBe("action 1");
    expect(actionLabel(4)).toBe("action 5");
  });
  it("capitalises at a sentence's start", () => {
    expect(actionLabel(0, { capital: true })).toBe("Action 1");
  });
});

describe("actionList", () => {
  it("counts every index from 1", () => {
    expect(actionList([2])).toBe("action 3");
    expect(actionList([0, 2])).toBe("actions 1 and 3");
    expect(actionList([0, 2, 3])).toBe("actions 1, 3 and 4");
    expect(actionList([0, 1], { capital: true })).toBe("Actions 1 and 2");
  });
});
