// The EIP-712 messages the DAO's contracts verify for gasless actions, defined once: the web app
// signs them, the relayer checks them off chain before sending, and both must match what the
// contracts hash (OpenZeppelin's Governor `BALLOT_TYPEHASH` / `EXTENDED_BALLOT_TYPEHASH`, and
// ERC20Votes' `DELEGATION_TYPEHASH`). The domain is each contract's own ERC-5267 `eip712Domain()`.

/** `Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)`: `castVoteBySig`. */
export const ballotTypes = {
  Ballot: [
    { name: "proposalId", type: "uint256" },
    { name: "support", type: "uint8" },
    { name: "voter", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
} as const;

/** `ExtendedBallot(…, string reason, bytes params)`: `castVoteWithReasonAndParamsBySig`. */
export const extendedBallotTypes = {
  ExtendedBallot: [
    { name: "proposalId", type: "uint256" },
    { name: "support", type: "uint8" },
    { name: "voter", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "reason", type: "string" },
    { name: "params", type: "bytes" },
  ],
} as const;

/** `Delegation(address delegatee,uint256 nonce,uint256 expiry)`: the token's `delegateBySig`. */
export const delegationTypes = {
  Delegation: [
    { name: "delegatee", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "expiry", type: "uint256" },
  ],
} as const;
