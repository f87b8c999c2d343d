import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import type { Hex } from "viem";

/** A signed transaction that was (or is about to be) broadcast and is not confirmed yet. */
export interface JournalEntry {
  txHash: Hex;
  /** The signed transaction, so a restart can broadcast exactly the same one again. */
  rawTx: Hex;
  reportHash: Hex;
  sentAt: string;
}

/**
 * Local record of sent-but-unconfirmed publications, one file in the data directory, written
 * atomically (temp file + rename). Keyed by `<proposalId>:<kind>:<trigger>`. The chain stays the
 * source of truth for what is published; the journal only covers the window between signing and
 * confirmation, so a restart re-broadcasts the same signed transaction instead of a second one.
 */
export class PublishJournal {
  readonly file: string;
  #entries: Record<string, JournalEntry> | null = null;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, "publish-journal.json");
  }

  async #load(): Promise<Record<string, JournalEntry>> {
    if (this.#entries === null) {
      try {
        this.#entries = JSON.parse(await readFile(this.file, "utf8")) as Record<string, JournalEntry>;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        this.#entries = {};
      }
    }
    return this.#entries;
  }

  async #save(): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(this.#entries, null, 2)}\n`);
    await rename(tmp, this.file);
  }

  async get(key: string): Promise<JournalEntry | undefined> {
    return (await this.#load())[key];
  }

  async put(key: string, entry: JournalEntry): Promise<void> {
    (await this.#load())[key] = entry;
    await this.#save();
  }

  async delete(key: string): Promise<void> {
    const entries = await this.#load();
    if (key in entries) {
      delete entries[key];
      await this.#save();
    }
  }

  async keys(): Promise<string[]> {
    return Object.keys(await this.#load());
  }
}
