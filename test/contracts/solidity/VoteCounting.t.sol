// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {DAOGovernor} from "../../../contracts/DAOGovernor.sol";
import {DAOToken} from "../../../contracts/DAOToken.sol";
import {DecisionLog} from "../../../contracts/DecisionLog.sol";
import {GovernorRiskDelay} from "../../../contracts/governance/GovernorRiskDelay.sol";
import {CheatCodes} from "./Vm.sol";

/// @dev Property test of vote counting: for any balances and any choices of three voters (and a
/// holder who never votes, so quorum is sometimes missed), the tallies equal the sum of weights
/// per choice, and the outcome follows the rule "For + Abstain reach quorum and For > Against".
contract VoteCountingFuzzTest is CheatCodes {
    uint48 internal constant VOTING_DELAY = 10;
    uint32 internal constant VOTING_PERIOD = 300;
    uint256 internal constant QUORUM_PERCENT = 4;

    DAOToken internal token;
    DAOGovernor internal governor;
    address[] internal voters;
    uint256[] internal amounts;

    function testFuzz_talliesAndOutcome(uint64[3] memory seeds, uint8[3] memory choices, uint72 idle) public {
        vm.warp(1_700_000_000);
        for (uint256 i = 0; i < 3; ++i) {
            voters.push(address(uint160(0x1000 + i)));
            amounts.push(uint256(seeds[i]) + 1);
        }
        voters.push(address(0xBEEF));
        amounts.push(uint256(idle) + 1);
        _deploy();
        uint256 proposalId = _propose();

        uint256[3] memory expected; // against, for, abstain
        for (uint256 i = 0; i < 3; ++i) {
            uint8 support = choices[i] % 3;
            vm.prank(voters[i]);
            require(governor.castVote(proposalId, support) == amounts[i], "weight is the delegated balance");
            expected[support] += amounts[i];
        }

        (uint256 against, uint256 forVotes, uint256 abstain) = governor.proposalVotes(proposalId);
        require(against == expected[0] && forVotes == expected[1] && abstain == expected[2], "tallies");

        vm.warp(governor.proposalDeadline(proposalId) + 1);
        uint256 quorum = governor.quorum(governor.proposalSnapshot(proposalId));
        require(quorum == (token.totalSupply() * QUORUM_PERCENT) / 100, "quorum is 4% of supply");
        bool passes = forVotes + abstain >= quorum && forVotes > against;
        IGovernor.ProposalState expectedState = passes
            ? IGovernor.ProposalState.Succeeded
            : IGovernor.ProposalState.Defeated;
        require(governor.state(proposalId) == expectedState, "outcome follows the rule");
    }

    function _deploy() internal {
        token = new DAOToken("T", "T", voters, amounts);
        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1);
        TimelockController timelock = new TimelockController(60, none, anyone, address(this));
        governor = new DAOGovernor(
            "G",
            token,
            timelock,
            DAOGovernor.Params({
                votingDelay: VOTING_DELAY,
                votingPeriod: VOTING_PERIOD,
                proposalThreshold: 0,
                quorumNumerator: QUORUM_PERCENT,
                lateQuorumVoteExtension: 0,
                proposalGuardian: address(0),
                decisionLog: new DecisionLog(address(timelock), none),
                riskTiers: _tiers()
            }),
            none
        );
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        for (uint256 i = 0; i < 3; ++i) {
            vm.prank(voters[i]);
            token.delegate(voters[i]);
        }
        vm.warp(block.timestamp + 1);
    }

    function _tiers() internal pure returns (GovernorRiskDelay.RiskTier[] memory tiers) {
        tiers = new GovernorRiskDelay.RiskTier[](1);
        tiers[0] = GovernorRiskDelay.RiskTier({minRisk: 70, delay: 600});
    }

    function _propose() internal returns (uint256 proposalId) {
        address[] memory targets = new address[](1);
        targets[0] = address(0xCAFE);
        uint256[] memory values = new uint256[](1);
        bytes[] memory calldatas = new bytes[](1);
        proposalId = governor.propose(targets, values, calldatas, "fuzz");
        vm.warp(block.timestamp + VOTING_DELAY + 1);
    }
}
