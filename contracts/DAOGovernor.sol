// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorProposalGuardian} from "@openzeppelin/contracts/governance/extensions/GovernorProposalGuardian.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorStorage} from "@openzeppelin/contracts/governance/extensions/GovernorStorage.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {GovernorAnalysts} from "./governance/GovernorAnalysts.sol";
import {GovernorCodePins} from "./governance/GovernorCodePins.sol";
import {GovernorLateQuorum} from "./governance/GovernorLateQuorum.sol";
import {GovernorRiskDelay} from "./governance/GovernorRiskDelay.sol";
import {IDecisionLog} from "./interfaces/IDecisionLog.sol";

/**
 * @title DAOGovernor
 * @notice The DAO's Governor: token-weighted votes (for / against / abstain) on proposals that the
 * treasury timelock executes after a delay.
 * @dev Composition of OpenZeppelin extensions and the platform's own:
 * - GovernorSettings: voting delay, period and proposal threshold, changeable by governance;
 * - GovernorCountingSimple + GovernorVotes + GovernorVotesQuorumFraction: votes and quorum from the
 *   token's timestamp-clock checkpoints;
 * - GovernorTimelockControl: the TimelockController is the executor and holds the treasury;
 * - GovernorProposalGuardian: a guardian may cancel any proposal;
 * - GovernorStorage: proposals are enumerable on-chain;
 * - GovernorAnalysts: registered analysts may propose below the threshold and cannot vote;
 * - GovernorLateQuorum: a quorum reached late extends the vote (OpenZeppelin's
 *   GovernorPreventLateQuorum rule, without its cost on every vote; see {GovernorVoteSlot});
 * - GovernorRiskDelay: the timelock delay grows with the risk of the latest published analysis
 *   (no analysis: the longest), within tiers set by governance;
 * - GovernorCodePins: every target's code is pinned at creation; a proposal whose target code
 *   changed can be neither queued nor executed.
 */
contract DAOGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl,
    GovernorProposalGuardian,
    GovernorStorage,
    GovernorAnalysts,
    GovernorLateQuorum,
    GovernorRiskDelay,
    GovernorCodePins
{
    /// @notice Deployment parameters of the Governor.
    struct Params {
        /// Seconds between proposing and the start of voting (the voting snapshot).
        uint48 votingDelay;
        /// Seconds the vote stays open.
        uint32 votingPeriod;
        /// Votes (token base units) needed to propose, for anyone but analysts.
        uint256 proposalThreshold;
        /// Quorum as a percentage of the total supply at the snapshot.
        uint256 quorumNumerator;
        /// Seconds a vote stays open after quorum is reached late.
        uint48 lateQuorumVoteExtension;
        /// Account that may cancel any proposal (zero: each proposer may cancel their own).
        address proposalGuardian;
        /// The DecisionLog the analyses are read from.
        IDecisionLog decisionLog;
        /// The risk tiers of the timelock delay, see {GovernorRiskDelay-setRiskTiers}.
        RiskTier[] riskTiers;
    }

    /**
     * @param name_ The Governor's name (EIP-712 domain for signed votes).
     * @param token The votes token.
     * @param timelock The treasury timelock that executes proposals.
     * @param params Voting parameters, see {Params}.
     * @param initialAnalysts Analysts registered at deployment.
     */
    /// @notice The token does not keep its votes by timestamp (ERC-6372 `mode=timestamp`).
    error GovernorTokenClockNotTimestamp(address token);

    constructor(
        string memory name_,
        IVotes token,
        TimelockController timelock,
        Params memory params,
        address[] memory initialAnalysts
    )
        Governor(name_)
        GovernorSettings(params.votingDelay, params.votingPeriod, params.proposalThreshold)
        GovernorVotes(token)
        GovernorVotesQuorumFraction(params.quorumNumerator)
        GovernorTimelockControl(timelock)
        GovernorAnalysts(initialAnalysts)
        GovernorLateQuorum(params.lateQuorumVoteExtension)
        GovernorRiskDelay(params.decisionLog, params.riskTiers)
    {
        if (keccak256(bytes(IERC5805(address(token)).CLOCK_MODE())) != keccak256("mode=timestamp")) {
            revert GovernorTokenClockNotTimestamp(address(token));
        }
        if (params.proposalGuardian != address(0)) {
            _setProposalGuardian(params.proposalGuardian);
        }
    }

    /// @notice The votes clock (ERC-6372): the block timestamp, as the token's (checked at deployment).
    /// @dev Read here rather than asked of the token, which every state check would otherwise call.
    function clock() public view override(Governor, GovernorVotes) returns (uint48) {
        return Time.timestamp();
    }

    /// @notice Describes the votes clock (ERC-6372): timestamps.
    function CLOCK_MODE() public pure override(Governor, GovernorVotes) returns (string memory) {
        return "mode=timestamp";
    }

    // The overrides below only resolve the diamond between the extensions above.

    /// @inheritdoc GovernorSettings
    function votingDelay() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    /// @inheritdoc GovernorSettings
    function votingPeriod() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    /// @inheritdoc GovernorSettings
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    /// @inheritdoc GovernorVotesQuorumFraction
    function quorum(uint256 timepoint) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        return super.quorum(timepoint);
    }

    /// @inheritdoc GovernorRiskDelay
    function state(
        uint256 proposalId
    ) public view override(Governor, GovernorTimelockControl, GovernorRiskDelay) returns (ProposalState) {
        return super.state(proposalId);
    }

    /// @inheritdoc GovernorTimelockControl
    function proposalNeedsQueuing(
        uint256 proposalId
    ) public view override(Governor, GovernorTimelockControl) returns (bool) {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @inheritdoc GovernorLateQuorum
    function proposalDeadline(
        uint256 proposalId
    ) public view override(Governor, GovernorLateQuorum) returns (uint256) {
        return super.proposalDeadline(proposalId);
    }

    /// @inheritdoc GovernorAnalysts
    function propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description
    ) public override(Governor, GovernorAnalysts) returns (uint256) {
        return super.propose(targets, values, calldatas, description);
    }

    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal override(Governor, GovernorStorage, GovernorRiskDelay, GovernorCodePins) returns (uint256) {
        return super._propose(targets, values, calldatas, description, proposer);
    }

    function _castVote(
        uint256 proposalId,
        address account,
        uint8 support,
        string memory reason,
        bytes memory params
    ) internal override(Governor, GovernorAnalysts, GovernorLateQuorum) returns (uint256) {
        return super._castVote(proposalId, account, support, reason, params);
    }

    function _validateCancel(
        uint256 proposalId,
        address caller
    ) internal view override(Governor, GovernorProposalGuardian) returns (bool) {
        return super._validateCancel(proposalId, caller);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl, GovernorRiskDelay, GovernorCodePins) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl, GovernorRiskDelay, GovernorCodePins) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl, GovernorRiskDelay) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
