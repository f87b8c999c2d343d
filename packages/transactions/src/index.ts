export { CANCEL_KIND, openDatabase, TxJournal, type AttemptRecord, type MinedInfo, type TxRecord, type TxStatus } from "./journal.ts";
export { errorText, FAULTS, TxSender, type Fault, type SettleResult, type TxEvents, type TxIntent, type TxSenderOptions } from "./sender.ts";
