// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/**
 * @title GovernorVoteSlot
 * @notice The one storage slot a vote reads beyond what a vanilla OpenZeppelin Governor reads.
 * @dev Every `castVote` pays a cold storage read (2,100 gas) for each slot it touches for the first
 * time. {GovernorAnalysts} and {GovernorLateQuorum} each need a little state on every vote, so they
 * keep it here, packed together, and a vote costs one extra cold read instead of one per extension:
 * - `analystFilter`: a 160-bit filter of the registered analysts (three bits per analyst, taken
 *   from the address's low bytes). An account none of whose bits are missing *may* be an analyst
 *   and is then looked up in the registry; every other account is certainly not one. A collision,
 *   even a ground vanity address, only costs that account the lookup, never a wrong answer.
 * - `voteExtension`: the late-quorum vote extension, in clock units.
 * - `latestExtendedDeadline`: the latest deadline any late quorum has set, so a proposal's deadline
 *   is read without its own extension slot whenever no extension can exceed it.
 */
abstract contract GovernorVoteSlot {
    struct VoteSlot {
        uint160 analystFilter;
        uint48 voteExtension;
        uint48 latestExtendedDeadline;
    }

    VoteSlot internal _voteSlot;

    /// @dev The filter bits of `account`: three positions below 160 from its three lowest bytes.
    function _analystFilterBits(address account) internal pure returns (uint160) {
        uint160 a = uint160(account);
        return
            (uint160(1) << ((a & 0xff) % 160)) |
            (uint160(1) << (((a >> 8) & 0xff) % 160)) |
            (uint160(1) << (((a >> 16) & 0xff) % 160));
    }
}
