// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Governor, IGovernor} from "@openzeppelin/contracts-v4/governance/Governor.sol";
import {GovernorCountingSimple} from "@openzeppelin/contracts-v4/governance/extensions/GovernorCountingSimple.sol";
import {GovernorSettings} from "@openzeppelin/contracts-v4/governance/extensions/GovernorSettings.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts-v4/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes, IVotes} from "@openzeppelin/contracts-v4/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts-v4/governance/extensions/GovernorVotesQuorumFraction.sol";
import {TimelockController} from "@openzeppelin/contracts-v4/governance/TimelockController.sol";

/**
 * @title AttachV4Governor
 * @notice Test-only: a typical OpenZeppelin Contracts 4.9 Governor (Settings, CountingSimple,
 * Votes, QuorumFraction, TimelockControl) with the block-number clock of its token, the shape of
 * many DAOs already on chain. `npm run attach` must recognise it; never deployed by the platform.
 */
contract AttachV4Governor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl
{
    /**
     * @param token The votes token.
     * @param timelock The timelock that executes passed proposals.
     * @param votingDelay_ Blocks from proposing to the vote's snapshot.
     * @param votingPeriod_ Blocks the vote stays open.
     * @param proposalThreshold_ Votes needed to propose.
     * @param quorumNumerator Quorum as a percentage of the supply at the snapshot.
     */
    constructor(
        IVotes token,
        TimelockController timelock,
        uint256 votingDelay_,
        uint256 votingPeriod_,
        uint256 proposalThreshold_,
        uint256 quorumNumerator
    )
        Governor("Attach V4 Governor")
        GovernorSettings(votingDelay_, votingPeriod_, proposalThreshold_)
        GovernorVotes(token)
        GovernorVotesQuorumFraction(quorumNumerator)
        GovernorTimelockControl(timelock)
    {}

    function votingDelay() public view override(IGovernor, GovernorSettings) returns (uint256) {
        return super.votingDelay();
    }

    function votingPeriod() public view override(IGovernor, GovernorSettings) returns (uint256) {
        return super.votingPeriod();
    }

    function quorum(uint256 blockNumber) public view override(IGovernor, GovernorVotesQuorumFraction) returns (uint256) {
        return super.quorum(blockNumber);
    }

    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    function propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description
    ) public override(Governor, IGovernor) returns (uint256) {
        return super.propose(targets, values, calldatas, description);
    }

    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    function supportsInterface(bytes4 interfaceId) public view override(Governor, GovernorTimelockControl) returns (bool) {
        return super.supportsInterface(interfaceId);
    }

    function _execute(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._execute(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
