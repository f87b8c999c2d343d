// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {DAOGovernor} from "../../../contracts/DAOGovernor.sol";
import {DAOToken} from "../../../contracts/DAOToken.sol";
import {DecisionLog} from "../../../contracts/DecisionLog.sol";
import {GovernorAnalysts} from "../../../contracts/governance/GovernorAnalysts.sol";
import {GovernorRiskDelay} from "../../../contracts/governance/GovernorRiskDelay.sol";
import {ReferenceLateQuorumGovernor} from "../../../contracts/mocks/ReferenceLateQuorumGovernor.sol";
import {CheatCodes} from "./Vm.sol";

/// @dev The platform's late-quorum rule (GovernorLateQuorum, which looks at quorum only near the
/// deadline) against OpenZeppelin's GovernorPreventLateQuorum, side by side on the same token, the
/// same votes at the same moments: after every vote both give the same deadline and state, and both
/// extend the same proposals. Then the analyst filter that spares votes a registry lookup.
contract LateQuorumTest is CheatCodes {
    uint48 internal constant VOTING_DELAY = 10;
    uint32 internal constant VOTING_PERIOD = 300;
    uint256 internal constant QUORUM_PERCENT = 20;

    DAOToken internal token;
    DAOGovernor internal ours;
    ReferenceLateQuorumGovernor internal reference_;
    address[] internal voters;
    uint256[] internal amounts;

    function testFuzz_sameDeadlinesAsOpenZeppelin(
        uint64[4] memory seeds,
        uint16[4] memory offsets,
        uint8[4] memory choices,
        uint16 extension
    ) public {
        vm.warp(1_700_000_000);
        for (uint256 i = 0; i < 4; ++i) {
            voters.push(address(uint160(0x1000 + i)));
            amounts.push(uint256(seeds[i]) + 1);
        }
        uint48 voteExtension = uint48(extension % (VOTING_PERIOD + 1));
        _deploy(voteExtension, new address[](0));
        (uint256 a, uint256 b) = _proposeBoth();

        // Four votes at increasing moments from the start of voting to past the original deadline.
        uint256 moment = block.timestamp;
        for (uint256 i = 0; i < 4; ++i) {
            moment += uint256(offsets[i]) % (VOTING_PERIOD / 2);
            vm.warp(moment);
            IGovernor.ProposalState state = ours.state(a);
            require(state == reference_.state(b), "same state before the vote");
            require(ours.proposalDeadline(a) == reference_.proposalDeadline(b), "same deadline before the vote");
            if (state != IGovernor.ProposalState.Active) continue;
            uint8 support = choices[i] % 3;
            vm.prank(voters[i]);
            ours.castVote(a, support);
            vm.prank(voters[i]);
            reference_.castVote(b, support);
            require(ours.proposalDeadline(a) == reference_.proposalDeadline(b), "same deadline after the vote");
        }
        vm.warp(ours.proposalDeadline(a) + 1);
        require(ours.state(a) == reference_.state(b), "same outcome");
    }

    function test_lateQuorumExtendsOnlyItsProposal() public {
        vm.warp(1_700_000_000);
        voters.push(address(0x1000));
        amounts.push(100);
        voters.push(address(0x1001));
        amounts.push(100);
        _deploy(50, new address[](0));
        (uint256 early, ) = _proposeBoth();
        uint256 earlyDeadline = ours.proposalDeadline(early);
        uint256 late = _proposeOurs("late");
        uint256 deadline = ours.proposalDeadline(late);
        vm.warp(deadline - 10);
        vm.prank(voters[0]);
        ours.castVote(late, 1);
        require(ours.proposalDeadline(late) == deadline + 40, "moved to 50 s after the late quorum");
        require(ours.proposalDeadline(early) == earlyDeadline, "another proposal keeps its deadline");
        vm.warp(deadline + 1);
        require(ours.state(late) == IGovernor.ProposalState.Active, "still open after the original deadline");
        require(ours.state(early) == IGovernor.ProposalState.Defeated, "the other one closed on time");
    }

    function test_analystFilter() public {
        vm.warp(1_700_000_000);
        // The analyst, and a holder whose three low bytes (its filter bits) are the analyst's.
        address analyst = address(0xA11CE0AABBCC);
        address lookalike = address(0xB0B0000AABBCC);
        voters.push(lookalike);
        amounts.push(100);
        voters.push(analyst);
        amounts.push(100);
        address[] memory analysts = new address[](2);
        analysts[0] = analyst;
        analysts[1] = address(0xDEF0);
        _deploy(0, analysts);
        vm.prank(analyst);
        token.delegate(analyst);
        vm.warp(block.timestamp + 1);
        uint256 id = _proposeOurs("filter");

        vm.prank(analyst);
        vm.expectRevert(abi.encodeWithSelector(GovernorAnalysts.GovernorAnalystCannotVote.selector, analyst));
        ours.castVote(id, 1);
        vm.prank(lookalike);
        require(ours.castVote(id, 1) == 100, "a holder the filter cannot rule out still votes");

        // Removed by governance (a proposal, queued and executed), the analyst may vote again on a
        // later proposal; the other analyst stays registered.
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _calls();
        targets[0] = address(ours);
        calldatas[0] = abi.encodeCall(ours.setAnalyst, (analyst, false));
        uint256 removal = ours.propose(targets, values, calldatas, "remove an analyst");
        vm.warp(block.timestamp + VOTING_DELAY + 1);
        vm.prank(lookalike);
        ours.castVote(removal, 1);
        vm.warp(ours.proposalDeadline(removal) + 1);
        ours.queue(removal);
        vm.warp(ours.proposalEta(removal));
        ours.execute(removal);
        require(!ours.isAnalyst(analyst) && ours.isAnalyst(address(0xDEF0)), "registry after removal");
        uint256 next = _proposeOurs("after removal");
        vm.prank(analyst);
        require(ours.castVote(next, 0) == 100, "a former analyst votes");
    }

    function _deploy(uint48 voteExtension, address[] memory analysts) internal {
        token = new DAOToken("T", "T", voters, amounts);
        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1);
        TimelockController timelock = new TimelockController(60, none, anyone, address(this));
        ours = new DAOGovernor(
            "G",
            token,
            timelock,
            DAOGovernor.Params({
                votingDelay: VOTING_DELAY,
                votingPeriod: VOTING_PERIOD,
                proposalThreshold: 0,
                quorumNumerator: QUORUM_PERCENT,
                lateQuorumVoteExtension: voteExtension,
                proposalGuardian: address(0),
                decisionLog: new DecisionLog(address(timelock), none),
                riskTiers: _tiers()
            }),
            analysts
        );
        reference_ = new ReferenceLateQuorumGovernor(token, VOTING_DELAY, VOTING_PERIOD, QUORUM_PERCENT, voteExtension);
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(ours));
        for (uint256 i = 0; i < voters.length; ++i) {
            vm.prank(voters[i]);
            token.delegate(voters[i]);
        }
        vm.warp(block.timestamp + 1);
    }

    function _tiers() internal pure returns (GovernorRiskDelay.RiskTier[] memory tiers) {
        tiers = new GovernorRiskDelay.RiskTier[](1);
        tiers[0] = GovernorRiskDelay.RiskTier({minRisk: 70, delay: 600});
    }

    function _calls() internal pure returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) {
        targets = new address[](1);
        targets[0] = address(0xCAFE);
        values = new uint256[](1);
        calldatas = new bytes[](1);
    }

    function _proposeOurs(string memory description) internal returns (uint256 proposalId) {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _calls();
        proposalId = ours.propose(targets, values, calldatas, description);
        vm.warp(block.timestamp + VOTING_DELAY + 1);
    }

    function _proposeBoth() internal returns (uint256 a, uint256 b) {
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _calls();
        a = ours.propose(targets, values, calldatas, "late quorum");
        b = reference_.propose(targets, values, calldatas, "late quorum");
        vm.warp(block.timestamp + VOTING_DELAY + 1);
    }
}
