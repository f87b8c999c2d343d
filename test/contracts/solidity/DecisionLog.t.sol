// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {DecisionLog} from "../../../contracts/DecisionLog.sol";
import {IDecisionLog} from "../../../contracts/interfaces/IDecisionLog.sol";
import {CheatCodes} from "./Vm.sol";

/// @dev Property tests: whatever the report bytes, the log emits exactly them with their hash and
/// keeps the latest decision's id and risk, and never accepts bytes that do not match the hash or
/// exceed the limit.
contract DecisionLogFuzzTest is CheatCodes {
    address internal constant GOVERNANCE = address(0x7173);
    address internal constant PUBLISHER = address(0xA11A);
    DecisionLog internal log;

    function setUp() public {
        address[] memory publishers = new address[](1);
        publishers[0] = PUBLISHER;
        log = new DecisionLog(GOVERNANCE, publishers);
    }

    function testFuzz_emitsAndKeepsTheLatestOfAnyReport(
        uint256 proposalId,
        uint8 kindSeed,
        uint8 riskSeed,
        uint8 recommendationSeed,
        uint8 encodingSeed,
        bytes calldata report
    ) public {
        vm.assume(report.length > 0 && report.length <= log.MAX_REPORT_BYTES());
        IDecisionLog.Kind kind = IDecisionLog.Kind(kindSeed % 3);
        uint8 risk = riskSeed % 101;
        IDecisionLog.Recommendation recommendation = IDecisionLog.Recommendation(recommendationSeed % 4);
        IDecisionLog.ReportEncoding encoding = IDecisionLog.ReportEncoding(encodingSeed % 3);
        uint256 countBefore = log.decisionCount();

        vm.expectEmit();
        emit IDecisionLog.DecisionPublished(countBefore, proposalId, kind, PUBLISHER, risk, recommendation, encoding, keccak256(report), report);
        vm.prank(PUBLISHER);
        uint256 id = log.publish(proposalId, kind, risk, recommendation, encoding, keccak256(report), report);

        require(id == countBefore, "ids are sequential");
        require(log.decisionCount() == countBefore + 1, "one entry appended");
        (uint256 latestId, uint8 storedRisk, uint48 timestamp) = log.latestDecision(proposalId, kind);
        require(latestId == id, "latest is the new one");
        require(storedRisk == risk && timestamp == block.timestamp, "risk and time kept");
        (bool published, uint8 latestRisk) = log.latestRisk(proposalId, kind);
        require(published && latestRisk == risk, "latest risk in one read");
    }

    function testFuzz_rejectsAnyHashThatIsNotTheReportHash(bytes calldata report, bytes32 claimed) public {
        vm.assume(report.length > 0 && report.length <= log.MAX_REPORT_BYTES());
        vm.assume(claimed != keccak256(report));
        vm.prank(PUBLISHER);
        vm.expectRevert(
            abi.encodeWithSelector(IDecisionLog.DecisionLogHashMismatch.selector, claimed, keccak256(report))
        );
        log.publish(1, IDecisionLog.Kind.Analysis, 1, IDecisionLog.Recommendation.For, IDecisionLog.ReportEncoding.Json, claimed, report);
    }

    function testFuzz_rejectsAnyRiskAbove100(uint8 risk) public {
        vm.assume(risk > 100);
        bytes memory report = "{}";
        vm.prank(PUBLISHER);
        vm.expectRevert(abi.encodeWithSelector(IDecisionLog.DecisionLogInvalidRisk.selector, uint256(risk)));
        log.publish(1, IDecisionLog.Kind.Analysis, risk, IDecisionLog.Recommendation.For, IDecisionLog.ReportEncoding.Json, keccak256(report), report);
    }

    function testFuzz_onlyPublishersPublish(address caller) public {
        vm.assume(caller != PUBLISHER);
        bytes memory report = "{}";
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IDecisionLog.DecisionLogUnauthorizedPublisher.selector, caller));
        log.publish(1, IDecisionLog.Kind.Analysis, 1, IDecisionLog.Recommendation.For, IDecisionLog.ReportEncoding.Json, keccak256(report), report);
    }

    function testFuzz_onlyGovernanceSetsPublishers(address caller) public {
        vm.assume(caller != GOVERNANCE);
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IDecisionLog.DecisionLogOnlyGovernance.selector, caller));
        log.setPublisher(caller, true);
    }

    function test_rejectsOversizeReport() public {
        uint256 max = log.MAX_REPORT_BYTES();
        bytes memory report = new bytes(max + 1);
        vm.prank(PUBLISHER);
        vm.expectRevert(abi.encodeWithSelector(IDecisionLog.DecisionLogReportTooLarge.selector, max + 1, max));
        log.publish(1, IDecisionLog.Kind.Analysis, 1, IDecisionLog.Recommendation.For, IDecisionLog.ReportEncoding.Json, keccak256(report), report);
    }
}
