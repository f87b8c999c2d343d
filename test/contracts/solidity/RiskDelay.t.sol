// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {DAOGovernor} from "../../../contracts/DAOGovernor.sol";
import {DAOToken} from "../../../contracts/DAOToken.sol";
import {DecisionLog} from "../../../contracts/DecisionLog.sol";
import {GovernorRiskDelay} from "../../../contracts/governance/GovernorRiskDelay.sol";
import {IDecisionLog} from "../../../contracts/interfaces/IDecisionLog.sol";
import {CheatCodes} from "./Vm.sol";

/// @dev Property test of what an analysis can do on chain: for any valid tiers, any timelock
/// minimum, any risk (or no analysis), any wait before queueing and any analysis published after
/// queueing, queueing never fails, the delay is exactly the longest of the minimum and the tier the
/// analysis reaches (the last tier without one), never below the minimum nor above the longest
/// tier, and fixed once queued; nothing executes a second early, and it executes at its eta.
contract RiskDelayFuzzTest is CheatCodes {
    address internal constant VOTER = address(0x1000);
    address internal constant ANYONE = address(0xBEEF);
    address internal constant RECIPIENT = address(0xCAFE);

    DAOGovernor internal governor;
    DecisionLog internal log;
    GovernorRiskDelay.RiskTier[] internal tiers;
    uint256 internal queuedAt;

    function testFuzz_analysisOnlyAddsBoundedTime(
        uint8 tierSeed,
        uint8[5] memory riskSteps,
        uint32[5] memory delaySteps,
        uint32 minDelaySeed,
        bool analysed,
        uint8 riskSeed,
        uint8 lateRiskSeed,
        uint32 waitSeed
    ) public {
        vm.warp(1_700_000_000);
        uint256 minDelay = minDelaySeed % 40 days;
        _makeTiers(tierSeed, riskSteps, delaySteps);
        _deploy(minDelay);
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas, bytes32 hash, uint256 id) = _passed();

        uint8 risk = riskSeed % 101;
        if (analysed) _publish(id, risk);
        vm.warp(block.timestamp + (waitSeed % 30 days));
        vm.prank(ANYONE);
        governor.queue(targets, values, calldatas, hash);
        // Kept in storage: the IR optimizer may re-read TIMESTAMP for a local after vm.warp.
        queuedAt = block.timestamp;
        _publish(id, lateRiskSeed % 101);

        uint256 delay = governor.proposalEta(id) - queuedAt;
        uint256 longest = tiers[tiers.length - 1].delay;
        require(delay == _max(minDelay, analysed ? _tierDelay(risk) : longest), "delay = max(minimum, tier reached)");
        require(delay >= minDelay, "never below the timelock minimum");
        require(delay <= _max(minDelay, longest), "never above the longest tier");
        require(governor.proposalRiskDelay(id).delay == delay, "readable per proposal, fixed at queueing");

        vm.warp(queuedAt + delay - 1);
        try governor.execute(targets, values, calldatas, hash) {
            revert("executed before its delay");
        } catch {}
        vm.warp(queuedAt + delay);
        governor.execute(targets, values, calldatas, hash);
        require(governor.state(id) == IGovernor.ProposalState.Executed, "executes at its eta");
        require(RECIPIENT.balance == 1, "the payment went out");
    }

    function _makeTiers(uint8 tierSeed, uint8[5] memory riskSteps, uint32[5] memory delaySteps) internal {
        uint256 count = 1 + (tierSeed % 5);
        uint256 minRisk;
        uint256 delay;
        for (uint256 i = 0; i < count; ++i) {
            minRisk += 1 + (riskSteps[i] % 20);
            delay += delaySteps[i] % (6 days + 1);
            tiers.push(GovernorRiskDelay.RiskTier({minRisk: uint8(minRisk), delay: uint32(delay)}));
        }
    }

    function _tierDelay(uint8 risk) internal view returns (uint256 delay) {
        for (uint256 i = 0; i < tiers.length; ++i) {
            if (risk >= tiers[i].minRisk) delay = tiers[i].delay;
        }
    }

    function _deploy(uint256 minDelay) internal {
        address[] memory voters = new address[](1);
        voters[0] = VOTER;
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = 1_000 ether;
        DAOToken token = new DAOToken("T", "T", voters, amounts);
        address[] memory none = new address[](0);
        address[] memory self = new address[](1);
        self[0] = address(this);
        TimelockController timelock = new TimelockController(minDelay, none, none, address(this));
        log = new DecisionLog(address(timelock), self);
        governor = new DAOGovernor(
            "G",
            token,
            timelock,
            DAOGovernor.Params({
                votingDelay: 1,
                votingPeriod: 100,
                proposalThreshold: 0,
                quorumNumerator: 4,
                lateQuorumVoteExtension: 0,
                proposalGuardian: address(0),
                decisionLog: log,
                riskTiers: tiers
            }),
            none
        );
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        timelock.grantRole(timelock.EXECUTOR_ROLE(), address(governor));
        vm.deal(address(timelock), 1);
        vm.prank(VOTER);
        token.delegate(VOTER);
        vm.warp(block.timestamp + 1);
    }

    function _passed()
        internal
        returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas, bytes32 hash, uint256 id)
    {
        targets = new address[](1);
        targets[0] = RECIPIENT;
        values = new uint256[](1);
        values[0] = 1;
        calldatas = new bytes[](1);
        hash = keccak256(bytes("pay 1 wei"));
        id = governor.propose(targets, values, calldatas, "pay 1 wei");
        vm.warp(block.timestamp + 2);
        vm.prank(VOTER);
        governor.castVote(id, 1);
        vm.warp(governor.proposalDeadline(id) + 1);
    }

    function _publish(uint256 id, uint8 risk) internal {
        bytes memory report = abi.encodePacked('{"risk":', risk, "}");
        log.publish(id, IDecisionLog.Kind.Analysis, risk, IDecisionLog.Recommendation.NeedsReview, IDecisionLog.ReportEncoding.Json, keccak256(report), report);
    }

    function _max(uint256 a, uint256 b) internal pure returns (uint256) {
        return a > b ? a : b;
    }
}

