import { Writable } from "node:stream";

import { describe, expect, it } from "vitest";

import { createLogger, redactText, redactUrl, scrubText } from "../src/index.ts";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { lines, destination };
}

const KEY = `0x${"12".repeat(32)}`;

describe("createLogger", () => {
  it("redacts secret fields, URL credentials and known secret values, in messages and errors too", () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: "demo", level: "debug", secrets: [KEY, "sk-ant-xyz123"], destination });
    logger.info({ privateKey: KEY, config: { apiKey: "sk-ant-xyz123", rpcUrl: "https://mainnet.example/v2/PATHKEY" }, headers: { authorization: "Bearer abc", "x-api-key": "k-999" } }, "starting");
    logger.warn({ url: "https://user:pa55word@hooks.example/x?token=t0ps3cret&page=2" }, `key ${KEY} in a message`);
    logger.error({ err: new Error(`cannot reach https://u:p4ssw0rd@rpc.example/ with sk-ant-xyz123`) }, "failed");
    const text = lines.join("");
    for (const secret of ["121212", "sk-ant-xyz123", "PATHKEY", "Bearer abc", "k-999", "pa55word", "t0ps3cret", "p4ssw0rd"]) expect(text).not.toContain(secret);
    const [first, second, third] = lines.map((l) => JSON.parse(l));
    expect(first).toMatchObject({ name: "demo", privateKey: "[redacted]", config: { apiKey: "[redacted]", rpcUrl: "https://mainnet.example" }, headers: { authorization: "[redacted]", "x-api-key": "[redacted]" } });
    expect(second.url).toBe("https://[redacted]@hooks.example/x?token=[redacted]&page=2");
    expect(second.msg).toBe("key [redacted] in a message");
    expect(third.err.message).toBe("cannot reach https://[redacted]@rpc.example/ with [redacted]");
    expect(third.err.stack).toBeDefined();
  });
});

describe("redaction helpers", () => {
  it("reduces a URL to its origin and removes it from text", () => {
    const url = "https://u:pw123@hooks.example/path/SECRET?x=1";
    expect(redactUrl(url)).toBe("https://hooks.example");
    expect(redactUrl("not a url")).toBe("(invalid url)");
    expect(redactText(`Request cannot be constructed from a URL that includes credentials: ${url}`, url)).toBe(
      "Request cannot be constructed from a URL that includes credentials: https://hooks.example",
    );
    expect(scrubText("wss://abc@node.example/?apiKey=zzz9 and short abc", ["abc"])).toBe("wss://[redacted]@node.example/?apiKey=[redacted] and short abc");
  });
});
