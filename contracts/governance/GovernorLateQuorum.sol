// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorVoteSlot} from "./GovernorVoteSlot.sol";

/**
 * @title GovernorLateQuorum
 * @notice Governor extension: a proposal that first reaches quorum when less than the vote extension
 * remains of its voting period gets its deadline moved to at least that extension after that vote,
 * so a large holder cannot pass it by voting at the last moment.
 * @dev The same rule, functions, events and errors as OpenZeppelin's {GovernorPreventLateQuorum},
 * measured differently so ordinary votes do not pay for it:
 * - OpenZeppelin's version checks quorum after every vote until it is reached (a quorum lookup in
 *   the token's supply history, about 15,000 gas) and stores the deadline quorum would have set
 *   even when it extends nothing (a fresh slot, about 20,000 gas, on the vote that reaches quorum).
 *   Here quorum is looked at only by votes cast within `voteExtension` of the deadline — the only
 *   ones whose quorum could move it — and a deadline is stored only when it moves.
 * - Within that window, a vote extends the deadline only if quorum was not reached before it and is
 *   after it, which is exactly when OpenZeppelin's version would store a deadline that extends.
 *   Both therefore answer the same {proposalDeadline} and emit the same {ProposalExtended}; a test
 *   runs both side by side on the same votes.
 * - {proposalDeadline} reads the proposal's own extension only when some extension reaches past its
 *   original deadline (see {GovernorVoteSlot}).
 */
abstract contract GovernorLateQuorum is Governor, GovernorVoteSlot {
    mapping(uint256 proposalId => uint48) private _extendedDeadlines;

    /// @notice Emitted when a proposal's deadline is moved because quorum was reached late.
    event ProposalExtended(uint256 indexed proposalId, uint64 extendedDeadline);

    /// @notice Emitted when governance changes the vote extension.
    event LateQuorumVoteExtensionSet(uint64 oldVoteExtension, uint64 newVoteExtension);

    /// @notice The vote extension may not exceed the voting period.
    error GovernorPreventLateQuorumVoteExtensionTooLarge(uint256 newVoteExtension, uint256 maxVoteExtension);

    /// @param initialVoteExtension Clock units a late quorum leaves for voting after it.
    constructor(uint48 initialVoteExtension) {
        _setLateQuorumVoteExtension(initialVoteExtension);
    }

    /// @notice The proposal's deadline, later than the original one when quorum was reached late.
    function proposalDeadline(uint256 proposalId) public view virtual override returns (uint256) {
        uint256 deadline = super.proposalDeadline(proposalId);
        if (_voteSlot.latestExtendedDeadline <= deadline) return deadline;
        uint256 extended = _extendedDeadlines[proposalId];
        return extended > deadline ? extended : deadline;
    }

    /// @notice Clock units a late quorum leaves for voting after it.
    function lateQuorumVoteExtension() public view virtual returns (uint48) {
        return _voteSlot.voteExtension;
    }

    /// @notice Changes the vote extension; only through governance.
    function setLateQuorumVoteExtension(uint48 newVoteExtension) public virtual onlyGovernance {
        _setLateQuorumVoteExtension(newVoteExtension);
    }

    /// @dev Looks at quorum around the vote only when this vote's quorum could move the deadline.
    function _castVote(
        uint256 proposalId,
        address account,
        uint8 support,
        string memory reason,
        bytes memory params
    ) internal virtual override returns (uint256 weight) {
        uint48 extendedDeadline = clock() + _voteSlot.voteExtension;
        if (extendedDeadline <= proposalDeadline(proposalId)) {
            return super._castVote(proposalId, account, support, reason, params);
        }
        bool reachedBefore = _quorumReached(proposalId);
        weight = super._castVote(proposalId, account, support, reason, params);
        if (!reachedBefore && _quorumReached(proposalId)) {
            _extendedDeadlines[proposalId] = extendedDeadline;
            if (extendedDeadline > _voteSlot.latestExtendedDeadline) _voteSlot.latestExtendedDeadline = extendedDeadline;
            emit ProposalExtended(proposalId, extendedDeadline);
        }
    }

    /// @dev The largest vote extension allowed: the voting period.
    function _maxLateQuorumVoteExtension() internal view virtual returns (uint256) {
        return votingPeriod();
    }

    function _setLateQuorumVoteExtension(uint48 newVoteExtension) internal virtual {
        uint256 maxVoteExtension = _maxLateQuorumVoteExtension();
        if (newVoteExtension > maxVoteExtension) {
            revert GovernorPreventLateQuorumVoteExtensionTooLarge(newVoteExtension, maxVoteExtension);
        }
        emit LateQuorumVoteExtensionSet(_voteSlot.voteExtension, newVoteExtension);
        _voteSlot.voteExtension = newVoteExtension;
    }
}
